import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore, type MutableRefObject } from 'react';
import type { ActionContext, ActionSpec, RevealedSecret } from '../actions/types.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import { useRefState } from './useRefState.js';
import { usePrefetchSorts } from './usePrefetchSorts.js';
import { useTick } from './useTick.js';
import type { FlowStep, Tone } from './actionFlow.js';
import { commandWords } from './commands.js';
import { Dialog, dialogHeight } from './components/Dialog.js';
import { Footer, FOOTER_HEIGHT } from './components/Footer.js';
import { Header, headerHeight } from './components/Header.js';
import { Help } from './components/Help.js';
import { SwarmPane } from './components/SwarmPane.js';
import { Table } from './components/Table.js';
import { TextView } from './components/TextView.js';
import { buildKeymap, footerHints, helpSections, keyName, lookupMain, mainHints, type KeyContext } from './keymap.js';
import { currentIndex, newView, type ViewState } from './nav.js';
import type { ConsoleReaders } from './options.js';
import { paneTable } from './panes/columns.js';
import { filterRows, scrollOffset, sortRows } from './panes/order.js';
import { PANE_TITLE, type PaneId } from './panes/types.js';
import { RolloutView, type RolloutColors } from './rollout/RolloutView.js';
import { MONOCHROME, type Theme } from './theme.js';
import { useActionRunner } from './useActionRunner.js';
import { handleMainCommand, handlePromptKey, handleViewerKey, type FleetLink, type InputHandler } from './input.js';
import { useViewer, viewerLines } from './useViewer.js';

export interface AppProps {
  store: ReadableStore;
  actions: readonly ActionSpec[];
  actionContext: () => ActionContext | null;
  refresh: () => void;
  readers: ConsoleReaders;
  themeFor: (context: string) => Theme;
  readOnly: boolean;
  contexts: readonly string[];
  switchContext: (name: string) => Promise<void> | void;
  copy: (text: string) => void;
  onQuit: () => void;
  width: number;
  height: number;
  now?: () => number;
  /** Set when several contexts are live (the fleet): 0 and :fleet open it, esc goes back to it. */
  fleet?: FleetLink;
  /** The pane the console opens on (services by default). */
  initialPane?: PaneId;
  /** Set by a parent that owns the input (the fleet's root): keys come through it instead of useInput here. */
  inputRef?: MutableRefObject<InputHandler | null>;
}

function rolloutColors(theme: Theme): RolloutColors {
  return { ok: theme.color('ok'), warn: theme.color('warn'), bad: theme.color('error'), dim: theme.color('muted') };
}

/** The table's header and one row: the least a pane shows under a dialog. */
const MIN_TABLE = 2;
const STALE_TICK_MS = 1000;
const IDLE_TICK_MS = 10_000;

export interface Prompt {
  kind: 'filter' | 'command';
  value: string;
}

export interface Message {
  text: string;
  tone: Tone;
}

export function App(props: AppProps) {
  const { store, actions, width, height } = props;
  const subscribe = useCallback((listener: () => void) => store.subscribe(listener), [store]);
  const getState = useCallback(() => store.getState(), [store]);
  const state = useSyncExternalStore(subscribe, getState);
  const readOnly = props.readOnly || state.connection.readOnly;
  // A context's theme is only read when switching to it (:ctx): a bad one must not end the console.
  const themed = useMemo(() => {
    try {
      return { theme: props.themeFor(state.connection.context), error: null };
    } catch (err) {
      return { theme: MONOCHROME, error: `${err instanceof Error ? err.message : String(err)}; using no colours` };
    }
  }, [props, state.connection.context]);
  const theme = themed.theme;
  const keymap = useMemo(() => buildKeymap(actions), [actions]);
  // While stale the badge's age counts seconds; otherwise ages in tables can be a few seconds behind.
  useTick(state.connection.staleSince !== null ? STALE_TICK_MS : IDLE_TICK_MS);
  const now = props.now?.() ?? Date.now();

  const [stack, setStack, stackRef] = useRefState<ViewState[]>([newView(props.initialPane ?? 'services')]);
  const paneMemory = useRef(new Map<PaneId, ViewState>());
  const [prompt, setPrompt, promptRef] = useRefState<Prompt | null>(null);
  const [message, setMessage] = useRefState<Message | null>(null);
  const [helpOffset, setHelpOffset, helpRef] = useRefState<number | null>(null);
  const [flow, setFlow, flowRef] = useRefState<FlowStep | null>(null);
  const held = useRef<readonly RevealedSecret[] | null>(null);
  const { viewer, viewerRef, setViewer, open: openViewer, close: closeViewer } = useViewer(props.readers);

  /** Everything a key acts on, from the latest state (not the last rendered frame). */
  // With several contexts live, every dialog names the one it acts on.
  const dialogContext = props.fleet ? state.connection.context : undefined;
  const derive = (st: ClusterState, stk: readonly ViewState[], fl: FlowStep | null) => {
    const view = stk[stk.length - 1] ?? newView('services');
    const table = paneTable(st, view.pane, view.scope);
    const rows = filterRows(sortRows(table.rows, table.columns, view.sort), view.filter);
    const cursor = currentIndex(view, rows);
    const hHeight = headerHeight(st);
    // What the pane has under the header and its title line and above the footer; the
    // dialog takes its exact height from that, leaving the table at least its header and one row.
    const paneRoom = Math.max(0, height - hHeight - FOOTER_HEIGHT - 1);
    const dialogMax = Math.max(3, paneRoom - MIN_TABLE);
    const dialogLines = fl ? dialogHeight(fl, width, dialogMax, dialogContext) : 0;
    const bodyHeight = Math.max(MIN_TABLE, paneRoom - dialogLines);
    const tableBody = Math.max(1, bodyHeight - 1);
    return { view, table, rows, cursor, selected: rows[cursor], hHeight, bodyHeight, tableBody, dialogMax };
  };
  const { view, table, rows, cursor, selected, hHeight, bodyHeight, tableBody, dialogMax } = derive(state, stack, flow);
  const offset = scrollOffset(view.offset, cursor, tableBody, rows.length);
  usePrefetchSorts(table.rows, table.columns, view.sort);

  const updateView = useCallback((fn: (v: ViewState) => ViewState) => {
    setStack((s) => [...s.slice(0, -1), fn(s[s.length - 1] ?? newView('services'))]);
  }, []);

  const filterTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const applyFilter = useCallback((value: string) => {
    if (filterTimer.current !== null) clearTimeout(filterTimer.current);
    filterTimer.current = setTimeout(() => {
      filterTimer.current = null;
      updateView((v) => (v.filter === value ? v : { ...v, filter: value, cursorIndex: 0, cursorId: null, offset: 0 }));
    }, 0);
  }, [updateView]);
  useEffect(() => () => {
    if (filterTimer.current !== null) clearTimeout(filterTimer.current);
  }, []);

  const say = useCallback((text: string, tone: Tone = 'info') => setMessage({ text, tone }), []);
  useEffect(() => {
    if (themed.error !== null) say(themed.error, 'error');
  }, [themed.error, say]);
  // After a deploy: the rollout of the first changed service; the others are one `r` away on the services pane.
  const followRollouts = useCallback((services: readonly { id: string; name: string }[]) => {
    const [first, ...rest] = services;
    if (!first) return;
    setStack((s) => [...s, newView('services'), newView('tasks', { kind: 'service', id: first.id, name: first.name }, true)]);
    if (rest.length > 0) say(`rollout of ${first.name}; also changed: ${rest.map((r) => r.name).join(', ')} (esc, then r on one)`, 'info');
  }, [say, setStack]);
  const runner = useActionRunner({ store, keymap, actionContext: props.actionContext, refresh: props.refresh, readOnly, setFlow, say, copy: props.copy, held, followRollouts });

  const switchPane = useCallback((pane: PaneId) => {
    setStack((s) => {
      const root = s[0];
      if (root) paneMemory.current.set(root.pane, root);
      return [paneMemory.current.get(pane) ?? newView(pane)];
    });
    held.current = null;
  }, []);

  const context: KeyContext | null = flow ? (flow.step === 'running' || flow.step === 'preparing' ? null : flow.step) : helpOffset !== null ? 'help' : viewer ? (viewer.kind === 'logs' ? 'logs' : 'viewer') : 'main';

  const onInput: InputHandler = (input, key) => {
    const name = keyName(input, key);
    if (name === null) return;
    if (name === 'ctrl-c') {
      props.onQuit();
      return;
    }
    const state = store.getState();
    const flow = flowRef.current;
    const prompt = promptRef.current;
    const helpOffset = helpRef.current;
    const viewer = viewerRef.current;
    const { view, table, rows, cursor, selected, bodyHeight, tableBody } = derive(state, stackRef.current, flow);
    if (flow) {
      runner.onKey(flow, name, input, state);
      return;
    }
    if (prompt) {
      handlePromptKey({ prompt, setPrompt, name, input, updateView, applyFilter, actions, say, switchPane, quit: props.onQuit, runner, state, view, selected, contexts: props.contexts, switchContext: props.switchContext, openHelp: () => setHelpOffset(0), fleet: props.fleet });
      return;
    }
    if (helpOffset !== null) {
      const cmd = keymap.lookup('help', null, name);
      if (cmd?.kind === 'back') setHelpOffset(null);
      else if (cmd?.kind === 'move') setHelpOffset((o) => Math.max(0, (o ?? 0) + cmd.by));
      return;
    }
    if (viewer) {
      handleViewerKey({ viewer, setViewer, keymap, name, input, close: closeViewer, bodyHeight: bodyHeight - 1 });
      return;
    }
    setMessage(null);
    const cmd = lookupMain(keymap, view.pane, view.rollout, name);
    if (!cmd) return;
    handleMainCommand(cmd, {
      state, view, rows, cursor, selected, tableBody, columns: table.columns.length, stackDepth: stackRef.current.length, setStack, updateView, switchPane,
      setPrompt, openHelp: () => setHelpOffset(0), quit: props.onQuit, openViewer, runner, actions, say, held, copy: props.copy, fleet: props.fleet,
    });
  };
  // Under the fleet's root the one input handler is its own (see ConsoleRoot); alone, this one listens.
  if (props.inputRef) props.inputRef.current = onInput;
  useInput(onInput, { isActive: props.inputRef === undefined });

  const rollout = view.rollout && view.scope ? view.scope : null;
  // The rollout view keeps the tasks' title (the keys e2e tests and operators' habits know it).
  const paneTitle = `${PANE_TITLE[view.pane]}${view.scope ? ` of ${view.scope.kind} ${view.scope.name}` : ''}${rollout ? ' (rollout)' : ''}`;
  const counts = view.pane === 'swarm' || rollout ? '' : ` [${rows.length}${rows.length !== table.rows.length ? `/${table.rows.length}` : ''}]`;
  const crumbs = stack.length > 1 ? `  ${stack.map((v) => (v.rollout ? 'rollout' : v.pane)).join(' › ')}` : '';
  const hints = context === null ? []
    : context === 'logs' ? [...footerHints(keymap, 'logs', null), ...footerHints(keymap, 'viewer', null)]
      : context === 'main' ? mainHints(keymap, view.pane, view.rollout) : footerHints(keymap, context, null);
  const status = `${view.filter ? `filter: ${view.filter}  ` : ''}${selected && !rollout ? `${selected.name}` : ''}`;
  const footerPrompt = prompt
    ? { label: prompt.kind === 'filter' ? '/' : ':', value: prompt.value }
    : viewer?.searchInput != null ? { label: 'search /', value: viewer.searchInput } : null;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} theme={theme} width={width} readOnly={readOnly} now={now} />
      {helpOffset !== null ? (
        <Help sections={helpSections(keymap)} commands={commandWords(actions)} conflicts={keymap.conflicts}
          offset={helpOffset} width={width} height={height - hHeight - FOOTER_HEIGHT} theme={theme} />
      ) : viewer ? (
        <TextView title={viewer.title} status={[viewer.status, viewer.kind === 'logs' ? `follow:${viewer.follow ? 'on' : 'off'} time:${viewer.timestamps ? 'on' : 'off'} wrap:${viewer.wrap ? 'on' : 'off'}` : ''].filter(Boolean).join('  ')}
          lines={viewerLines(viewer)} offset={viewer.follow && viewer.kind === 'logs' ? Number.MAX_SAFE_INTEGER : viewer.offset}
          width={width} height={height - hHeight - FOOTER_HEIGHT} search={viewer.search} wrap={viewer.wrap} theme={theme} />
      ) : (
        <>
          <Text wrap="truncate-end">
            <Text bold color={theme.color('accent')}>{paneTitle}</Text>
            <Text color={theme.color('muted')}>{counts}{crumbs}</Text>
            {view.filter ? <Text color={theme.color('match')}>{`  /${view.filter}`}</Text> : null}
          </Text>
          {flow ? <Dialog step={flow} theme={theme} width={width} maxHeight={dialogMax} context={dialogContext} /> : null}
          {rollout ? (
            <RolloutView state={state} serviceId={rollout.id} width={width} height={bodyHeight} colors={rolloutColors(theme)} />
          ) : view.pane === 'swarm' ? (
            <SwarmPane state={state} theme={theme} width={width} height={bodyHeight} now={now} holdsSecret={held.current !== null} />
          ) : (
            <Table columns={table.columns} rows={rows} cursor={cursor} offset={offset} width={width} height={bodyHeight}
              sort={view.sort} theme={theme} emptyText={view.filter ? 'no rows match the filter' : 'nothing here'} />
          )}
        </>
      )}
      <Footer hints={hints} prompt={footerPrompt} message={message} status={status} theme={theme} width={width} />
    </Box>
  );
}
