import type { ClusterState } from '../../store/state.js';
import { TimelineEntry } from '../../store/timeline/entry.js';
import type { Tone } from '../actionFlow.js';
import type { Command } from '../keymap.js';
import { newView, type ViewState } from '../nav.js';
import type { RowBase } from '../panes/types.js';
import type { ViewerRequest } from '../useViewer.js';
import { whyLines } from '../why/WhySection.js';
import { entryObject, jumpTarget } from './jump.js';

export interface TimelineKeyDeps {
  state: ClusterState;
  selected: RowBase | undefined;
  setStack(fn: (s: ViewState[]) => ViewState[]): void;
  updateView(fn: (v: ViewState) => ViewState): void;
  openViewer(req: ViewerRequest): void;
  say(text: string, tone?: Tone): void;
}

/**
 * The keys that mean something else on a timeline entry: enter jumps to the entry's object (esc comes
 * back), y and l inspect it or show its logs, w toggles warnings and errors only. False: not handled here.
 */
export function handleTimelineCommand(cmd: Command, d: TimelineKeyDeps): boolean {
  const entry = d.selected instanceof TimelineEntry ? d.selected : null;
  switch (cmd.kind) {
    case 'toggle-warnings':
      d.updateView((v) => ({ ...v, warnOnly: !v.warnOnly, cursorIndex: 0, cursorId: null, offset: 0 }));
      return true;
    case 'drill': {
      if (!entry) return true;
      const to = jumpTarget(d.state, entry);
      if (typeof to === 'string') d.say(to, 'warn');
      else d.setStack((s) => [...s, { ...newView(to.pane, to.scope), cursorId: to.cursorId }]);
      return true;
    }
    case 'inspect':
    case 'logs': {
      const obj = entry ? entryObject(entry) : null;
      if (!obj) {
        if (entry) d.say('a note of the console: nothing to open', 'warn');
        return true;
      }
      if (cmd.kind === 'logs' && obj.kind !== 'service' && obj.kind !== 'task') d.say(`logs exist for services and tasks, not for a ${obj.kind}`, 'warn');
      else d.openViewer({ kind: cmd.kind === 'inspect' ? 'inspect' : 'logs', target: obj.kind, id: obj.id, name: obj.name, header: obj.kind === 'service' ? whyLines(d.state, obj.id) : [] });
      return true;
    }
    default:
      return false;
  }
}
