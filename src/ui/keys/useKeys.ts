import { useInput, useStdin } from 'ink';
import { useEffect, useRef } from 'react';
import { KeyReader, type KeyEvent } from './split.js';

/**
 * Delivers the keys of each chunk Ink reads from the terminal, split by KeyReader.
 *
 * Ink keeps owning stdin (raw mode, its reference count, completing escape sequences cut across reads,
 * the lone-ESC flush) and hands each chunk to its input listeners. Its useInput parses the chunk as ONE
 * key ("jjj" matches nothing), so the raw chunk is taken from Ink's input events by a listener placed
 * before useInput's, and useInput's callback is used only to run the keys inside Ink's batched update:
 * the keys of one chunk then cost one frame, not one each.
 */
/** isActive false: the terminal is lent to a foreground program; Ink then detaches its input (raw mode off). */
export function useKeys(onKeys: (keys: readonly KeyEvent[]) => void, options: { isActive?: boolean } = {}): void {
  const { internal_eventEmitter: events } = useStdin();
  if (typeof events?.prependListener !== 'function') throw new Error('this Ink version does not expose its input events (useStdin().internal_eventEmitter)');
  const chunks = useRef<string[]>([]);
  const reader = useRef<KeyReader | null>(null);
  reader.current ??= new KeyReader();
  useEffect(() => {
    const record = (chunk: unknown): void => {
      if (typeof chunk === 'string') chunks.current.push(chunk);
    };
    events.prependListener('input', record);
    return () => {
      events.off('input', record);
    };
  }, [events]);
  useInput(() => {
    const pending = chunks.current;
    chunks.current = [];
    for (const chunk of pending) {
      const keys = reader.current?.push(chunk) ?? [];
      if (keys.length > 0) onKeys(keys);
    }
  }, { isActive: options.isActive ?? true });
}
