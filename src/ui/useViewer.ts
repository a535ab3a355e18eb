import { useCallback, useEffect, useRef } from 'react';
import { stringify } from 'yaml';
import type { TargetKind } from '../actions/types.js';
import { mergeByTime } from './logOrder.js';
import type { LineColour } from './components/TextView.js';
import type { ConsoleReaders, LogLine } from './options.js';
import { taskColour, type Theme } from './theme.js';
import { useRefState } from './useRefState.js';

/** Logs kept in memory per view; older lines are dropped (the engine still has them). */
export const MAX_LOG_LINES = 20_000;
const FLUSH_MS = 100;

export interface ViewerState {
  kind: 'inspect' | 'logs';
  title: string;
  /** Inspect: YAML lines. Logs: unused (see logs). */
  text: readonly string[];
  logs: readonly LogLine[];
  offset: number;
  /** Logs: stick to the newest line. */
  follow: boolean;
  timestamps: boolean;
  wrap: boolean;
  /** Logs: the task prefix (service.slot.task@node) on each line. */
  prefix: boolean;
  /** Logs: each task's colour, by task id, in the order the tasks first spoke (stable while the view is open). */
  taskColours: ReadonlyMap<string, number>;
  search: string;
  /** Non-null while the operator types a search. */
  searchInput: string | null;
  status: string;
}

/** The task a line came from as `docker service logs` prints it: web.1.x1y2z3a4b5c6@node-1 ('' when unknown). */
export function logPrefix(l: LogLine): string {
  const id = l.taskId ? l.taskId.slice(0, 12) : '';
  const name = [l.task, id].filter((p) => p !== '').join('.');
  return name === '' ? '' : `${name}${l.node ? `@${l.node}` : ''}`;
}

/** A log line as shown: [timestamp ][prefix | ]text, and where its prefix stands in it. */
function logLineParts(l: LogLine, timestamps: boolean, prefix: boolean): { text: string; prefixAt: number; prefixEnd: number } {
  const ts = timestamps && l.timestamp ? `${l.timestamp} ` : '';
  const p = prefix ? logPrefix(l) : '';
  return { text: `${ts}${p ? `${p} | ` : ''}${l.text}`, prefixAt: ts.length, prefixEnd: ts.length + p.length };
}

export function formatLogLine(l: LogLine, timestamps: boolean, prefix = true): string {
  return logLineParts(l, timestamps, prefix).text;
}

export function viewerLines(v: ViewerState): readonly string[] {
  return v.kind === 'inspect' ? v.text : v.logs.map((l) => formatLogLine(l, v.timestamps, v.prefix));
}

/** How a visible log line is coloured: its prefix in its task's colour, or the whole line for swarmtop's own notices. */
export interface LogLineStyle {
  notice: boolean;
  /** The prefix's place in the line (prefixAt === prefixEnd: none) and its task's colour index. */
  prefixAt: number;
  prefixEnd: number;
  colour: number | null;
}

export function logLineStyle(v: ViewerState, index: number): LogLineStyle | null {
  const l = v.kind === 'logs' ? v.logs[index] : undefined;
  if (!l) return null;
  const { prefixAt, prefixEnd } = logLineParts(l, v.timestamps, v.prefix);
  return { notice: l.notice === true, prefixAt, prefixEnd, colour: l.taskId ? v.taskColours.get(l.taskId) ?? null : null };
}

/** A log line's colours: its task prefix in the task's colour, swarmtop's own notices in the warning colour. */
export function logColours(viewer: ViewerState, theme: Theme): ((index: number) => LineColour | null) | undefined {
  if (viewer.kind !== 'logs') return undefined;
  return (index) => {
    const style = logLineStyle(viewer, index);
    if (!style) return null;
    if (style.notice) return { whole: theme.color('warn') };
    const color = style.colour === null || style.prefixEnd === style.prefixAt ? undefined : taskColour(theme, style.colour);
    return color ? { span: { from: style.prefixAt, to: style.prefixEnd, color } } : null;
  };
}

/** Gives each task first seen in the batch the next colour. */
function withColours(colours: ReadonlyMap<string, number>, batch: readonly LogLine[]): ReadonlyMap<string, number> {
  let next: Map<string, number> | null = null;
  for (const l of batch) {
    if (!l.taskId || (next ?? colours).has(l.taskId)) continue;
    next ??= new Map(colours);
    next.set(l.taskId, next.size);
  }
  return next ?? colours;
}

export interface ViewerRequest {
  kind: 'inspect' | 'logs';
  target: TargetKind;
  id: string;
  name: string;
  /** Inspect: lines shown above the object (e.g. why a service is not converged), as YAML comments. */
  header?: readonly string[];
}

export function useViewer(readers: ConsoleReaders) {
  const [viewer, setViewer, viewerRef] = useRefState<ViewerState | null>(null);
  const abort = useRef<AbortController | null>(null);

  const close = useCallback(() => {
    abort.current?.abort();
    abort.current = null;
    setViewer(null);
  }, [setViewer]);

  useEffect(() => () => abort.current?.abort(), []);

  const open = useCallback((req: ViewerRequest) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const base: ViewerState = {
      kind: req.kind, title: `${req.kind === 'inspect' ? 'Inspect' : 'Logs'} ${req.target} ${req.name}`, text: [], logs: [],
      offset: 0, follow: true, timestamps: false, wrap: false, prefix: true, taskColours: new Map(), search: '', searchInput: null, status: 'loading…',
    };
    setViewer(base);
    const update = (fn: (v: ViewerState) => ViewerState): void => {
      if (!controller.signal.aborted) setViewer((v) => (v === null ? v : fn(v)));
    };
    if (req.kind === 'inspect') {
      readers.inspect(req.target, req.id).then(
        (value) => update((v) => ({ ...v, text: [...(req.header ?? []).map((l) => `# ${l}`), ...stringify(value, { lineWidth: 0 }).split('\n')], status: '' })),
        (err: unknown) => update((v) => ({ ...v, status: `error: ${err instanceof Error ? err.message : String(err)}` })),
      );
      return;
    }
    if (req.target !== 'service' && req.target !== 'task') {
      update((v) => ({ ...v, status: 'logs exist for services and tasks only' }));
      return;
    }
    const kind = req.target;
    // Lines arrive in bursts; flushing on a timer keeps a noisy service to ~10 renders a second.
    let pending: LogLine[] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      update((v) => {
        const all = mergeByTime(v.logs, batch);
        return { ...v, logs: all.length > MAX_LOG_LINES ? all.slice(all.length - MAX_LOG_LINES) : all, taskColours: withColours(v.taskColours, batch) };
      });
    };
    const timer = setInterval(flush, FLUSH_MS);
    void (async () => {
      try {
        update((v) => ({ ...v, status: '' }));
        for await (const line of readers.logs({ kind, id: req.id, follow: true, tail: 500, signal: controller.signal })) {
          pending.push(line);
          if (controller.signal.aborted) break;
        }
        flush();
        update((v) => ({ ...v, status: 'end of logs' }));
      } catch (err) {
        flush();
        if (!controller.signal.aborted) update((v) => ({ ...v, status: `error: ${err instanceof Error ? err.message : String(err)}` }));
      } finally {
        clearInterval(timer);
      }
    })();
  }, [readers, setViewer]);

  return { viewer, viewerRef, setViewer, open, close };
}
