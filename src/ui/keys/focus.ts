/**
 * Input is a small pipeline: raw chunk → keys (split.ts) → focus (here) → command (the keymap) → handler.
 * The focus is the one part of the screen a key goes to, first match wins: an open dialog, then the `/`
 * or `:` prompt, then a long operation's view (a rotation, until esc), then the help, then the inspect/logs
 * viewer, else the pane.
 */
export type Focus = 'dialog' | 'prompt' | 'watch' | 'help' | 'viewer' | 'pane';

export interface FocusState {
  dialog: boolean;
  prompt: boolean;
  watch: boolean;
  help: boolean;
  viewer: boolean;
}

export function inputFocus(s: FocusState): Focus {
  if (s.dialog) return 'dialog';
  if (s.prompt) return 'prompt';
  if (s.watch) return 'watch';
  if (s.help) return 'help';
  if (s.viewer) return 'viewer';
  return 'pane';
}
