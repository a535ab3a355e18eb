import { Box, Text } from 'ink';
import { useCallback, useMemo, useRef, useState, useSyncExternalStore, type MutableRefObject } from 'react';
import type { ActionContext, ActionSpec } from '../../actions/types.js';
import type { FlowStep, Tone } from '../actionFlow.js';
import { commandWords } from '../commands.js';
import type { InputHandler } from '../input.js';
import { Dialog, dialogHeight, dialogScroll } from '../components/Dialog.js';
import { Footer, FOOTER_HEIGHT } from '../components/Footer.js';
import { Help } from '../components/Help.js';
import { Table } from '../components/Table.js';
import { buildKeymap, footerHints, helpSections, NO_OVERRIDES, type KeyOverrides } from '../keymap.js';
import type { KeyEvent } from '../keys/split.js';
import { systemClock, useConfirmGuard, type InputClock } from '../keys/typeahead.js';
import { useKeys } from '../keys/useKeys.js';
import { currentIndex, newView, type ViewState } from '../nav.js';
import { filterRows, scrollOffset, sortRows } from '../panes/order.js';
import type { PaneId } from '../panes/types.js';
import { MONOCHROME, type Theme } from '../theme.js';
import { useRefState } from '../useRefState.js';
import { useTick } from '../useTick.js';
import { ContextRunner, type ActionRequest, type RunnerHandle } from './ContextRunner.js';
import { handleFleetCommand, handleFleetPrompt, type FleetPrompt } from './fleet-input.js';
import { fleetTable, type NamedState } from './tables.js';
import type { FleetMember, FleetTable } from './types.js';

/** Cursor, sort and filter of each table of the fleet screen, kept while a context's console is open. */
export type FleetViews = Readonly<Record<FleetTable, ViewState>>;

export function newFleetViews(): FleetViews {
  return { fleet: newView('swarm'), services: newView('services'), nodes: newView('nodes') };
}

export interface FleetAppProps {
  members: readonly FleetMember[];
  table: FleetTable;
  views: FleetViews;
  setViews: (fn: (v: FleetViews) => FleetViews) => void;
  setTable: (table: FleetTable) => void;
  /** Opens a context's full console (on a pane). */
  openContext: (name: string, pane?: PaneId) => void;
  actions: readonly ActionSpec[];
  themeFor: (context: string) => Theme;
  /** --read-only. */
  readOnly: boolean;
  contexts: readonly string[];
  copy: (text: string) => void;
  onQuit: () => void;
  width: number;
  height: number;
  now?: () => number;
  /** Keys come through the fleet's root (see ConsoleRoot). */
  inputRef?: MutableRefObject<InputHandler | null>;
  /** Timers of the confirmation's typeahead guard; unit tests pass a manual one. */
  inputClock?: InputClock;
  /** The user's keys and `:` aliases (keys.yaml). */
  keys?: KeyOverrides;
  /** Lends an action the terminal (an editor, a shell): the console is suspended meanwhile. */
  lend?: (ctx: ActionContext | null) => ActionContext | null;
}

const TITLE: Readonly<Record<FleetTable, string>> = { fleet: 'Fleet', services: 'Services of every context', nodes: 'Nodes of every context' };
const STALE_TICK_MS = 1000;
const IDLE_TICK_MS = 10_000;
const HEADER_HEIGHT = 1;

/** Every member's state, one snapshot per change of any of them (the same array while none changed). */
function useMemberStates(members: readonly FleetMember[]): readonly NamedState[] {
  const cache = useRef<readonly NamedState[]>([]);
  const subscribe = useCallback((listener: () => void) => {
    const offs = members.map((m) => m.store.subscribe(listener));
    return () => offs.forEach((off) => off());
  }, [members]);
  const get = useCallback(() => {
    const prev = cache.current;
    const unchanged = prev.length === members.length && members.every((m, i) => prev[i]?.name === m.name && prev[i]?.state === m.store.getState());
    if (!unchanged) cache.current = members.map((m) => ({ name: m.name, state: m.store.getState() }));
    return cache.current;
  }, [members]);
  return useSyncExternalStore(subscribe, get);
}

function safeTheme(themeFor: (c: string) => Theme, context: string): Theme {
  try {
    return themeFor(context);
  } catch {
    return MONOCHROME;
  }
}

/**
 * The fleet screen: one row per context (worst first), or the services or nodes of every context in
 * one table with a CONTEXT column. Each context has its own store and live layer; an action on a row
 * runs on the row's context, and its dialog names that context in the context's theme.
 */
export function FleetApp(props: FleetAppProps) {
  const { members, table, width, height } = props;
  const states = useMemberStates(members);
  const anyStale = states.some((s) => s.state.connection.staleSince !== null);
  useTick(anyStale ? STALE_TICK_MS : IDLE_TICK_MS);
  const now = props.now?.() ?? Date.now();
  const theme = safeTheme(props.themeFor, '');
  const keyOverrides = props.keys ?? NO_OVERRIDES;
  const keymap = useMemo(() => buildKeymap(props.actions, keyOverrides), [props.actions, keyOverrides]);

  const { views, setViews } = props;
  const view = views[table];
  // Read through refs by the key handler: a key can arrive before the effect that would hand it the new state.
  const [prompt, setPrompt, promptRef] = useRefState<FleetPrompt | null>(null);
  const [message, setMessage] = useState<{ text: string; tone: Tone } | null>(null);
  const [help, setHelp, helpRef] = useRefState<number | null>(null);
  const [flow, setFlow, flowRef] = useRefState<FlowStep | null>(null);
  const guard = useConfirmGuard(flow, props.inputClock ?? systemClock);
  const [request, setRequest] = useState<ActionRequest | null>(null);
  const handle = useRef<RunnerHandle | null>(null);
  const seq = useRef(0);
  const say = useCallback((text: string, tone: Tone = 'info') => setMessage({ text, tone }), []);

  const { rows: allRows, columns } = fleetTable(table, states, now);
  const rows = filterRows(sortRows(allRows, columns, view.sort), view.filter);
  const cursor = currentIndex(view, rows);
  const selected = rows[cursor];
  const flowContext = request?.member.name;
  const flowTheme = flowContext !== undefined ? safeTheme(props.themeFor, flowContext) : theme;
  const paneRoom = Math.max(0, height - HEADER_HEIGHT - FOOTER_HEIGHT - 1);
  const dialogMax = Math.max(3, paneRoom - 2);
  const dialogLines = flow ? dialogHeight(flow, width, dialogMax, guard.view, flowContext) : 0;
  const bodyHeight = Math.max(2, paneRoom - dialogLines);
  const tableBody = Math.max(1, bodyHeight - 1);
  const offset = scrollOffset(view.offset, cursor, tableBody, rows.length);

  const updateView = useCallback((fn: (v: ViewState) => ViewState) => setViews((vs) => ({ ...vs, [table]: fn(vs[table]) })), [setViews, table]);
  const startAction = useCallback((r: Omit<ActionRequest, 'seq'>) => {
    seq.current++;
    setRequest({ ...r, seq: seq.current });
  }, []);

  const latest = useRef({ view, rows, cursor, selected, tableBody });
  latest.current = { view, rows, cursor, selected, tableBody };


  /** One key, to whatever has the focus; false stops the rest of the chunk (the console is quitting). */
  const onKey = (key: KeyEvent): boolean => {
    const name = key.kind === 'key' ? key.name : null;
    if (name === 'ctrl-c') {
      props.onQuit();
      return false;
    }
    const flow = flowRef.current;
    if (flow) {
      // A confirmation ignores keys already in flight when it opened (see keys/typeahead.ts).
      if (flow.step !== 'confirm' || guard.admit(flow)) handle.current?.onKey(flow, key, dialogScroll(flow, width, dialogMax, flowContext));
      return true;
    }
    const { view, rows, cursor, selected, tableBody } = latest.current;
    const deps = { table, rows, cursor, selected, tableBody, columns: columns.length, states, members, updateView, say, setPrompt, setTable: props.setTable, openContext: props.openContext, openHelp: () => setHelp(0), quit: props.onQuit, startAction, actions: props.actions, keymap, contexts: props.contexts };
    const prompt = promptRef.current;
    if (prompt) {
      handleFleetPrompt(prompt, key, deps);
      return true;
    }
    if (name === null) {
      say('pasted text goes into a prompt (/ filter, : command, a dialog); ignored here', 'warn');
      return true;
    }
    if (helpRef.current !== null) {
      const cmd = keymap.lookup('help', null, name);
      if (cmd?.kind === 'back') setHelp(null);
      else if (cmd?.kind === 'move') setHelp((o) => Math.max(0, (o ?? 0) + cmd.by));
      return true;
    }
    setMessage(null);
    handleFleetCommand(name, view, deps);
    return true;
  };
  const onKeys: InputHandler = (keys) => {
    for (const key of keys) if (!onKey(key)) return;
  };
  // Under the fleet's root the one key reader is its own (see ConsoleRoot); alone, this one reads.
  if (props.inputRef) props.inputRef.current = onKeys;
  useKeys(onKeys, { isActive: props.inputRef === undefined });

  const live = states.filter((s) => s.state.connection.staleSince === null && s.state.syncedAt > 0).length;
  const stale = states.filter((s) => s.state.connection.staleSince !== null).length;
  const pane: PaneId | null = table === 'fleet' ? null : table;
  const hints = flow || prompt ? [] : footerHints(keymap, 'main', pane).filter((h) => table !== 'fleet' || !['inspect', 'logs'].includes(h.label));
  const counts = ` [${rows.length}${rows.length !== allRows.length ? `/${allRows.length}` : ''}]`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('title')}>swarmtop fleet </Text>
        <Text color={theme.color('muted')}>{`${members.length} context${members.length === 1 ? '' : 's'}  `}</Text>
        <Text color={theme.color('ok')}>{`${live} live`}</Text>
        {stale > 0 ? <Text color={theme.color('stale')} bold>{`  ${stale} stale`}</Text> : null}
        {members.length - live - stale > 0 ? <Text color={theme.color('muted')}>{`  ${members.length - live - stale} connecting`}</Text> : null}
        {props.readOnly ? <Text color={theme.color('readOnly')} inverse bold> READ-ONLY </Text> : null}
      </Text>
      {help !== null ? (
        <Help sections={helpSections(keymap, props.readOnly)} commands={commandWords(props.actions)} conflicts={keymap.conflicts}
          offset={help} width={width} height={height - HEADER_HEIGHT - FOOTER_HEIGHT} theme={theme} />
      ) : (
        <>
          <Text wrap="truncate-end">
            <Text bold color={theme.color('accent')}>{TITLE[table]}</Text>
            <Text color={theme.color('muted')}>{counts}{table === 'fleet' ? '  worst first' : ''}</Text>
            {view.filter ? <Text color={theme.color('match')}>{`  /${view.filter}`}</Text> : null}
          </Text>
          {flow ? <Dialog step={flow} guard={guard.view} theme={flowTheme} width={width} maxHeight={dialogMax} context={flowContext} /> : null}
          <Table columns={columns} rows={rows} cursor={cursor} offset={offset} width={width} height={bodyHeight}
            sort={view.sort} theme={theme} emptyText={view.filter ? 'no rows match the filter' : table === 'fleet' ? 'no contexts' : 'nothing here (yet)'} />
        </>
      )}
      {request ? (
        <ContextRunner key={request.member.name} request={request} keymap={keymap} readOnly={props.readOnly} lend={props.lend}
          setFlow={setFlow} say={say} copy={props.copy} handle={handle} />
      ) : null}
      <Footer hints={hints} prompt={prompt ? { label: prompt.kind === 'filter' ? '/' : ':', value: prompt.value } : null}
        message={message} status={selected ? (table === 'fleet' ? selected.name : `${selected.name} (${(selected as { context?: string }).context ?? ''})`) : ''} theme={theme} width={width} />
    </Box>
  );
}
