import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore, type MutableRefObject } from 'react';
import type { ActionContext, ActionOutcome, ActionSpec, RevealedSecret } from '../actions/types.js';
import { isRotationProgress, type RotationProgress } from '../actions/secrets/rotation-run.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import type { ReadableTimeline } from '../store/timeline/timeline.js';
import { useRefState } from './useRefState.js';
import { usePrefetchSorts } from './usePrefetchSorts.js';
import { useTick } from './useTick.js';
import type { FlowStep, Tone } from './actionFlow.js';
import { commandWords } from './commands.js';
import { Dialog, dialogHeight, dialogScroll } from './components/Dialog.js';
import { Footer, FOOTER_HEIGHT } from './components/Footer.js';
import { Header, headerHeight } from './components/Header.js';
import { Help } from './components/Help.js';
import { SwarmPane } from './components/SwarmPane.js';
import { Table } from './components/Table.js';
import { TextView } from './components/TextView.js';
import { NO_OVERRIDES, buildKeymap, footerHints, helpSections, lookupMain, mainHints, type KeyContext, type KeyOverrides } from './keymap.js';
import { inputFocus } from './keys/focus.js';
import type { KeyEvent } from './keys/split.js';
import { systemClock, useConfirmGuard, type InputClock } from './keys/typeahead.js';
import { useKeys } from './keys/useKeys.js';
import { currentIndex, newView, type ViewState } from './nav.js';
import type { ConsoleReaders } from './options.js';
import { paneTable } from './panes/columns.js';
import { withoutHistory } from './panes/rows.js';
import { filterRows, scrollOffset, sortRows } from './panes/order.js';
import { PANE_TITLE, type PaneId } from './panes/types.js';
import { RolloutView, type RolloutColors } from './rollout/RolloutView.js';
import { RotationView } from './rotation/RotationView.js';
import { MONOCHROME, type Theme } from './theme.js';
import { useActionRunner } from './useActionRunner.js';
import { handleMainCommand, handlePromptKey, handleViewerKey, type FleetLink, type InputContext, type InputHandler, type Prompt } from './input.js';
import { logColours, useViewer, viewerLines } from './useViewer.js';
import { timelineNote, timelineTable } from './timeline/table.js';
import { WhySection, whyLines } from './why/WhySection.js';
import { useStatsWatch, type StatsWatch } from './useStatsWatch.js';

export interface AppProps {
  store: ReadableStore;
  actions: readonly ActionSpec[];
  actionContext: () => ActionContext | null;
  refresh: () => void;
  readers: ConsoleReaders;
  themeFor: (context: string) => Theme;
  readOnly: boolean;
  /** --no-audit: shown in the header. */
  auditOff?: boolean;
  contexts: readonly string[];
  switchContext: (name: string) => Promise<void> | void;
  /** Told which tasks are on screen (their stats are streamed while they are). */
  watchStats?: StatsWatch;
  copy: (text: string) => void;
  onQuit: () => void;
  /** The incident timeline (pane 9); null or absent: the pane says there is none. */
  timeline?: ReadableTimeline | null;
  /** `:bundle`: writes an incident bundle, resolves with what was written. */
  bundle?: (since: string | null, file: string | null) => Promise<string>;
  width: number;
  height: number;
  now?: () => number;
  /** False while a foreground program owns the terminal: Ink then detaches its input (raw mode off). */
  inputActive?: boolean;
  /** The user's keys and `:` aliases (keys.yaml); the table's own when absent. */
  keys?: KeyOverrides;
  /** Timers of the input layer (the confirmation's typeahead guard); unit tests pass a manual one. */
  inputClock?: InputClock;
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
      const theme = props.themeFor(state.connection.context);
      return { theme, error: theme.problem ?? null };
    } catch (err) {
      return { theme: MONOCHROME, error: `${err instanceof Error ? err.message : String(err)}; using no colours` };
    }
  }, [props, state.connection.context]);
  const theme = themed.theme;
  const keyOverrides = props.keys ?? NO_OVERRIDES;
  const keymap = useMemo(() => buildKeymap(actions, keyOverrides), [actions, keyOverrides]);
  // While stale the badge's age counts seconds; otherwise ages in tables can be a few seconds behind.
  useTick(state.connection.staleSince !== null ? STALE_TICK_MS : IDLE_TICK_MS);
  const now = props.now?.() ?? Date.now();

  const [stack, setStack, stackRef] = useRefState<ViewState[]>([newView(props.initialPane ?? 'services')]);
  const paneMemory = useRef(new Map<PaneId, ViewState>());
  const [prompt, setPrompt, promptRef] = useRefState<Prompt | null>(null);
  const [message, setMessage] = useRefState<Message | null>(null);
  const [helpOffset, setHelpOffset, helpRef] = useRefState<number | null>(null);
  const [flow, setFlow, flowRef] = useRefState<FlowStep | null>(null);
  const guard = useConfirmGuard(flow, props.inputClock ?? systemClock);
  const held = useRef<readonly RevealedSecret[] | null>(null);
  /** A rotation being carried out, or its end: shown in place of the table until esc. */
  const [watch, setWatch, watchRef] = useRefState<RotationProgress | null>(null);
  const { viewer, viewerRef, setViewer, open: openViewer, close: closeViewer } = useViewer(props.readers);

  // The timeline re-renders the console only while its pane is shown.
  const timeline = props.timeline ?? null;
  const subscribeTimeline = useCallback((l: () => void) => timeline?.subscribe(l) ?? (() => undefined), [timeline]);
  useSyncExternalStore(subscribeTimeline, () => (stackRef.current[stackRef.current.length - 1]?.pane === 'timeline' ? timeline?.revision ?? 0 : -1));

  /** Everything a key acts on, from the latest state (not the last rendered frame). */
  // With several contexts live, every dialog names the one it acts on.
  const dialogContext = props.fleet ? state.connection.context : undefined;
  const derive = (st: ClusterState, stk: readonly ViewState[], fl: FlowStep | null) => {
    const view = stk[stk.length - 1] ?? newView('services');
    const table = view.pane === 'timeline' ? timelineTable(timeline, view.warnOnly, now) : paneTable(st, view.pane, view.scope);
    // Above a service's tasks: why it is not converged.
    const why = view.pane === 'tasks' && !view.rollout && view.scope?.kind === 'service' ? whyLines(st, view.scope.id) : [];
    const sorted = sortRows(table.rows, table.columns, view.sort);
    const rows = filterRows(view.pane === 'tasks' && view.historyHidden ? withoutHistory(sorted) : sorted, view.filter);
    const cursor = currentIndex(view, rows);
    const hHeight = headerHeight(st);
    // What the pane has under the header and its title line and above the footer; the
    // dialog takes its exact height from that, leaving the table at least its header and one row.
    const paneRoom = Math.max(0, height - hHeight - FOOTER_HEIGHT - 1);
    const dialogMax = Math.max(3, paneRoom - MIN_TABLE);
    const dialogLines = fl ? dialogHeight(fl, width, dialogMax, guard.view, dialogContext) : 0;
    const bodyHeight = Math.max(MIN_TABLE, paneRoom - dialogLines - why.length);
    const tableBody = Math.max(1, bodyHeight - 1);
    return { view, table, rows, cursor, selected: rows[cursor], hHeight, bodyHeight, tableBody, dialogMax, why };
  };
  const { view, table, rows, cursor, selected, hHeight, bodyHeight, tableBody, dialogMax, why } = derive(state, stack, flow);
  const offset = scrollOffset(view.offset, cursor, tableBody, rows.length);
  usePrefetchSorts(table.rows, table.columns, view.sort);
  useStatsWatch(props.watchStats, view.pane, rows.slice(offset, offset + tableBody), state.tasksByService);

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
  // After a change that replaces tasks (set-image, an edit, a deploy): the rollout of the first changed
  // service, over the services pane so esc lands there; the others are one `r` away.
  const followRollouts = useCallback((services: readonly { id: string; name: string }[]) => {
    const [first, ...rest] = services;
    if (!first) return;
    setStack((s) => {
      const top = s[s.length - 1];
      // Already on this service's rollout (a change made from it): stay.
      if (top?.rollout && top.scope?.id === first.id) return s;
      const rollout = newView('tasks', { kind: 'service', id: first.id, name: first.name }, true);
      return top?.pane === 'services' && !top.rollout ? [...s, rollout] : [...s, newView('services'), rollout];
    });
    if (rest.length > 0) say(`rollout of ${first.name}; also changed: ${rest.map((r) => r.name).join(', ')} (esc, then r on one)`, 'info');
  }, [say, setStack]);
  const onProgress = useCallback((_action: ActionSpec, p: unknown) => {
    if (isRotationProgress(p)) setWatch(p);
  }, []);
  // An outcome the rotation could not report itself (refused, thrown) still ends its view, in words.
  const onOutcome = useCallback((_action: ActionSpec, outcome: ActionOutcome) => {
    setWatch((w) => (w && !w.ended ? { ...w, phase: outcome.message, ended: true, stopped: outcome.kind !== 'done' } : w));
  }, []);
  const findAction = useCallback((id: string) => actions.find((a) => a.id === id), [actions]);
  const runner = useActionRunner({
    store, keymap, actionContext: props.actionContext, refresh: props.refresh, readOnly, setFlow, say, copy: props.copy, held, followRollouts, onProgress, onOutcome, findAction,
  });

  const switchPane = useCallback((pane: PaneId) => {
    setStack((s) => {
      const root = s[0];
      if (root) paneMemory.current.set(root.pane, root);
      return [paneMemory.current.get(pane) ?? newView(pane)];
    });
    held.current = null;
  }, []);

  const context: KeyContext | null = flow
    ? (flow.step === 'preparing' || (flow.step === 'running' && !(watch && !watch.ended)) ? null : flow.step === 'value' ? 'input' : flow.step) : helpOffset !== null ? 'help' : viewer ? (viewer.kind === 'logs' ? 'logs' : 'viewer') : 'main';

  /** One key, to whatever has the focus; false stops the rest of the chunk (the console is quitting). */
  const onKey = (key: KeyEvent): boolean => {
    const name = key.kind === 'key' ? key.name : null;
    if (name !== null && keymap.lookup('global', null, name)?.kind === 'quit') {
      props.onQuit();
      return false;
    }
    const state = store.getState();
    const flow = flowRef.current;
    const prompt = promptRef.current;
    const viewer = viewerRef.current;
    const { view, table, rows, cursor, selected, bodyHeight, tableBody, dialogMax } = derive(state, stackRef.current, flow);
    const c: InputContext = {
      key, keymap,
      ui: {
        say, quit: props.onQuit, openHelp: () => setHelpOffset(0), openViewer, setPrompt, applyFilter, switchPane,
        switchContext: props.switchContext, copy: props.copy, setStack, updateView, fleet: props.fleet, bundle: props.bundle,
      },
      at: { state, view, rows, cursor, selected, tableBody, columns: table.columns.length, stackDepth: stackRef.current.length },
      ops: { actions, runner, aliases: keyOverrides.aliases, contexts: props.contexts, held },
    };
    switch (inputFocus({ dialog: flow !== null, prompt: prompt !== null, watch: watchRef.current !== null, help: helpRef.current !== null, viewer: viewer !== null })) {
      case 'dialog':
        if (flow && (flow.step !== 'confirm' || guard.admit(flow))) runner.onKey(flow, key, state, dialogScroll(flow, width, dialogMax, dialogContext));
        return true;
      case 'prompt':
        if (prompt) handlePromptKey(prompt, c);
        return true;
      case 'watch':
        if (name !== null && keymap.lookup('running', null, name)?.kind === 'cancel') setWatch(null);
        return true;
      case 'help': {
        const cmd = name === null ? null : keymap.lookup('help', null, name);
        if (cmd?.kind === 'back') setHelpOffset(null);
        else if (cmd?.kind === 'move') setHelpOffset((o) => Math.max(0, (o ?? 0) + cmd.by));
        return true;
      }
      case 'viewer':
        if (viewer) handleViewerKey({ viewer, setViewer, keymap, key, close: closeViewer, bodyHeight: bodyHeight - 1 });
        return true;
      case 'pane': {
        if (name === null) {
          say('pasted text goes into a prompt (/ filter, : command, a dialog); ignored here', 'warn');
          return true;
        }
        setMessage(null);
        const cmd = lookupMain(keymap, view.pane, view.rollout, name);
        if (cmd) handleMainCommand(cmd, c);
        return true;
      }
    }
  };
  // Every key of a chunk in turn, each acting on the result of the one before ("jjj" moves three rows).
  const onKeys: InputHandler = (keys) => {
    for (const key of keys) if (!onKey(key)) return;
  };
  // Under the fleet's root the one key reader is its own (see ConsoleRoot); alone, this one reads.
  if (props.inputRef) props.inputRef.current = onKeys;
  useKeys(onKeys, { isActive: (props.inputActive ?? true) && props.inputRef === undefined });

  const rollout = view.rollout && view.scope ? view.scope : null;
  // The rollout view keeps the tasks' title (the keys e2e tests and operators' habits know it).
  const history = view.pane === 'tasks' && view.historyHidden && !rollout ? ' (current only, h: history)' : '';
  const paneTitle = `${PANE_TITLE[view.pane]}${view.scope ? ` of ${view.scope.kind} ${view.scope.name}` : ''}${rollout ? ' (rollout)' : ''}${history}`;
  const counts = view.pane === 'swarm' || rollout ? '' : ` [${rows.length}${rows.length !== table.rows.length ? `/${table.rows.length}` : ''}]`;
  const crumbs = stack.length > 1 ? `  ${stack.map((v) => (v.rollout ? 'rollout' : v.pane)).join(' › ')}` : '';
  // A confirmation's keys are listed once it accepts them (see keys/typeahead.ts).
  const hints = context === 'main' && watch ? footerHints(keymap, 'running', null).map((h) => ({ ...h, label: 'close' })) : context === null || (context === 'confirm' && guard.view?.armed !== true) ? []
    : context === 'logs' ? [...footerHints(keymap, 'logs', null), ...footerHints(keymap, 'viewer', null)]
      : context === 'main' ? mainHints(keymap, view.pane, view.rollout, readOnly) : footerHints(keymap, context, null);
  const status = `${view.filter ? `filter: ${view.filter}  ` : ''}${selected && !rollout ? `${selected.name}` : ''}`;
  const footerPrompt = prompt
    ? { label: prompt.kind === 'filter' ? '/' : ':', value: prompt.value }
    : viewer?.searchInput != null ? { label: 'search /', value: viewer.searchInput } : null;

  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header state={state} theme={theme} width={width} readOnly={readOnly} auditOff={props.auditOff} now={now} />
      {helpOffset !== null ? (
        <Help sections={helpSections(keymap, readOnly)} commands={commandWords(actions, keyOverrides.aliases)} conflicts={keymap.conflicts}
          offset={helpOffset} width={width} height={height - hHeight - FOOTER_HEIGHT} theme={theme} />
      ) : viewer ? (
        <TextView title={viewer.title} status={[viewer.status, viewer.kind === 'logs' ? `follow:${viewer.follow ? 'on' : 'off'} time:${viewer.timestamps ? 'on' : 'off'} wrap:${viewer.wrap ? 'on' : 'off'} prefix:${viewer.prefix ? 'on' : 'off'}` : ''].filter(Boolean).join('  ')}
          lines={viewerLines(viewer)} offset={viewer.follow && viewer.kind === 'logs' ? Number.MAX_SAFE_INTEGER : viewer.offset}
          width={width} height={height - hHeight - FOOTER_HEIGHT} search={viewer.search} wrap={viewer.wrap} theme={theme} colourOf={logColours(viewer, theme)} />
      ) : (
        <>
          <Text wrap="truncate-end">
            <Text bold color={theme.color('accent')}>{paneTitle}</Text>
            <Text color={theme.color('muted')}>{counts}{crumbs}</Text>
            {view.filter ? <Text color={theme.color('match')}>{`  /${view.filter}`}</Text> : null}
            {view.pane === 'timeline' ? <Text color={theme.color('muted')}>{timelineNote(timeline, view.warnOnly)}</Text> : null}
          </Text>
          <WhySection lines={why} width={width} theme={theme} />
          {flow ? <Dialog step={flow} guard={guard.view} theme={theme} width={width} maxHeight={dialogMax} context={dialogContext} /> : null}
          {watch ? (
            <RotationView state={state} progress={watch} width={width} height={bodyHeight} colors={rolloutColors(theme)} />
          ) : rollout ? (
            <RolloutView state={state} serviceId={rollout.id} width={width} height={bodyHeight} colors={rolloutColors(theme)} />
          ) : view.pane === 'swarm' ? (
            <SwarmPane state={state} theme={theme} width={width} height={bodyHeight} now={now} holdsSecret={held.current !== null} />
          ) : (
            <Table columns={table.columns} rows={rows} cursor={cursor} offset={offset} width={width} height={bodyHeight}
              sort={view.sort} theme={theme} emptyText={view.filter ? 'no rows match the filter' : view.pane === 'timeline' ? 'nothing has happened yet' : 'nothing here'} />
          )}
        </>
      )}
      <Footer hints={hints} prompt={footerPrompt} message={message} status={status} theme={theme} width={width} />
    </Box>
  );
}
