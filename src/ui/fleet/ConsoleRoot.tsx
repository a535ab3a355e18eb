import { useCallback, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { ActionContext } from '../../actions/types.js';
import { App, type AppProps } from '../App.js';
import type { FleetLink, InputHandler } from '../input.js';
import { useKeys } from '../keys/useKeys.js';
import type { PaneId } from '../panes/types.js';
import { FleetApp, newFleetViews, type FleetViews } from './FleetApp.js';
import type { FleetControl, FleetTable } from './types.js';

type Screen = { kind: 'fleet'; table: FleetTable } | { kind: 'context'; name: string; pane?: PaneId };

export type ConsoleRootProps = Omit<AppProps, 'store' | 'actionContext' | 'refresh' | 'readers' | 'switchContext' | 'fleet' | 'initialPane' | 'timeline' | 'bundle' | 'inputRef' | 'watchStats'> & {
  fleet: FleetControl;
  /** The context the console starts on. */
  first: string;
  startInFleet: boolean;
  /** Lends an action the terminal (an editor, a shell): the console is suspended meanwhile. */
  lend?: (ctx: ActionContext | null) => ActionContext | null;
};

/**
 * The console with several contexts live: the fleet screen, or one context's full console (App, over
 * that context's own store). Leaving a console for the fleet keeps its context watched, light.
 */
export function ConsoleRoot(props: ConsoleRootProps) {
  const { fleet } = props;
  const members = useSyncExternalStore(useCallback((l: () => void) => fleet.subscribe(l), [fleet]), useCallback(() => fleet.members(), [fleet]));
  const [screen, setScreen] = useState<Screen>(props.startInFleet ? { kind: 'fleet', table: 'fleet' } : { kind: 'context', name: props.first });
  const [fleetSeen, setFleetSeen] = useState(props.startInFleet);
  const [views, setViews] = useState<FleetViews>(newFleetViews);
  // One input handler for the whole console, handed each key to the screen shown: a screen mounting
  // subscribes in an effect, and a key typed right after enter would otherwise wait for the next one.
  const input = useRef<InputHandler | null>(null);
  useKeys((keys) => input.current?.(keys), { isActive: props.inputActive ?? true });

  const openFleet = useCallback((table: FleetTable) => {
    fleet.open();
    fleet.unfocus();
    setFleetSeen(true);
    setScreen({ kind: 'fleet', table });
  }, [fleet]);
  const openContext = useCallback((name: string, pane?: PaneId) => {
    const focused = fleet.focus(name);
    setScreen({ kind: 'context', name, ...(pane ? { pane } : {}) });
    return focused;
  }, [fleet]);
  const link: FleetLink = useMemo(() => ({ open: openFleet, back: fleetSeen ? () => openFleet('fleet') : null }), [openFleet, fleetSeen]);

  const { fleet: _f, first: _first, startInFleet: _s, lend: _l, ...common } = props;
  const lend = props.lend ?? ((ctx: ActionContext | null) => ctx);
  if (screen.kind === 'fleet') {
    return (
      <FleetApp members={members} table={screen.table} views={views} setViews={setViews} setTable={(table) => setScreen({ kind: 'fleet', table })}
        openContext={(name, pane) => void openContext(name, pane).catch(() => undefined)}
        actions={props.actions} themeFor={props.themeFor} readOnly={props.readOnly} contexts={props.contexts}
        copy={props.copy} onQuit={props.onQuit} width={props.width} height={props.height} now={props.now} inputRef={input} lend={lend}
        inputClock={props.inputClock} keys={props.keys} />
    );
  }
  const member = members.find((m) => m.name === screen.name);
  if (!member) return null;
  return (
    <App key={member.name} {...common} store={member.store} actionContext={() => lend(member.actionContext())} refresh={() => member.refresh()}
      readers={member.readers} timeline={member.timeline ?? null} bundle={member.bundle} watchStats={member.watchStats} readOnly={props.readOnly || member.readOnly} switchContext={(name) => openContext(name)}
      fleet={link} initialPane={screen.pane} inputRef={input} />
  );
}
