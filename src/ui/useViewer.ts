import { useCallback, useEffect, useRef } from 'react';
import { stringify } from 'yaml';
import type { TargetKind } from '../actions/types.js';
import { mergeByTime } from './logOrder.js';
import type { ConsoleReaders, LogLine } from './options.js';
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
  search: string;
  /** Non-null while the operator types a search. */
  searchInput: string | null;
  status: string;
}

export function formatLogLine(l: LogLine, timestamps: boolean): string {
  return `${timestamps && l.timestamp ? `${l.timestamp} ` : ''}${l.task ? `${l.task} | ` : ''}${l.text}`;
}

export function viewerLines(v: ViewerState): readonly string[] {
  return v.kind === 'inspect' ? v.text : v.logs.map((l) => formatLogLine(l, v.timestamps));
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
      offset: 0, follow: true, timestamps: false, wrap: false, search: '', searchInput: null, status: 'loading…',
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
        return { ...v, logs: all.length > MAX_LOG_LINES ? all.slice(all.length - MAX_LOG_LINES) : all };
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
