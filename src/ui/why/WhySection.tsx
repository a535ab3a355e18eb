import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { selectWhy } from '../../store/selectors/why.js';
import { fit } from '../format.js';
import type { Theme } from '../theme.js';

/** At most this many reasons are shown above a service's tasks (the first is the WHY column's). */
export const MAX_WHY_LINES = 4;

/** The lines of the "why not converged" section for a service (none when it is converged). */
export function whyLines(state: ClusterState, serviceId: string | null): readonly string[] {
  if (serviceId === null) return [];
  const why = selectWhy(state, serviceId);
  if (!why) return [];
  const [first, ...rest] = why.reasons;
  return [`not converged: ${first ?? why.summary}`, ...rest.map((r) => `also: ${r}`)].slice(0, MAX_WHY_LINES);
}

export interface WhySectionProps {
  lines: readonly string[];
  width: number;
  theme: Theme;
}

/** Why the service is not converged, in plain words, above its tasks. */
export function WhySection({ lines, width, theme }: WhySectionProps) {
  if (lines.length === 0) return null;
  return (
    <Box flexDirection="column" width={width} height={lines.length}>
      {lines.map((l, i) => (
        <Text key={i} color={theme.color(i === 0 ? 'warn' : 'muted')} bold={i === 0 && theme.monochrome} wrap="truncate-end">{fit(l, width).trimEnd()}</Text>
      ))}
    </Box>
  );
}
