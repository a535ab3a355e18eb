import type { ClusterMessage } from './messages.js';
import { reduce } from './reducer.js';
import { emptyState, type ClusterState, type ReadableStore } from './state.js';

export interface Store extends ReadableStore {
  /** Applies messages as one batch: listeners hear about it once, and only if something changed. */
  dispatch(messages: ClusterMessage | readonly ClusterMessage[]): void;
}

export type Dispatch = Store['dispatch'];

export function createStore(initial: ClusterState = emptyState()): Store {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(messages) {
      const msg: ClusterMessage = Array.isArray(messages) ? { type: 'batch', messages } : (messages as ClusterMessage);
      const next = reduce(state, msg);
      if (next === state) return;
      state = next;
      // A listener that throws must not keep the others (or the live layer) from running.
      for (const l of [...listeners]) {
        try {
          l();
        } catch {
          /* the UI reports its own errors */
        }
      }
    },
  };
}
