import { fileAuditLog, guardedActions } from '../actions/index.js';
import type { ActionContext } from '../actions/types.js';
import { OsKeychain } from '../config/keychain.js';
import { createConnector } from '../docker/connect/connector.js';
import type { LiveCluster } from '../docker/live/index.js';
import { NodeConnections } from '../docker/nodes/connections.js';
import { StatsFeed } from '../docker/nodes/stats-feed.js';
import type { Connector, ResolvedTarget } from '../docker/endpoint.js';
import { createStore, type Store } from '../store/store.js';
import { EMPTY_STATS, emptyState } from '../store/state.js';
import { runConsole, themeResolver } from '../ui/run.js';
import type { CliOptions } from './args.js';
import { GatedPrompter } from './gated-prompter.js';
import { consoleReaders } from './readers.js';
import { startLive } from './live-session.js';
import { listContexts, resolveTarget, targetForContext } from './target.js';

/** Longest the console waits for the first connection before drawing (it then shows the error live). */
const FIRST_CONTACT_MS = 20_000;

/** Resolves once the first connection is live or has failed, and no question is being answered. */
async function firstContact(live: LiveCluster, store: Store, prompter: GatedPrompter): Promise<void> {
  const deadline = Date.now() + FIRST_CONTACT_MS;
  const settled = (): boolean => store.getState().connection.status !== 'connecting';
  // Bounded: at most FIRST_CONTACT_MS, plus however long the operator takes to type an answer.
  while ((!settled() || !prompter.idle()) && (Date.now() < deadline || !prompter.idle())) {
    await Promise.race([live.whenLive(250), new Promise((r) => setTimeout(r, 250))]);
  }
}

/** Each node's own engine for this target (exec, stats): connected when first needed, closed with the session. */
function nodeConnections(target: ResolvedTarget, connector: Connector, live: () => LiveCluster, store: Store): NodeConnections {
  return new NodeConnections({
    rules: target.nodes,
    managers: target.endpoints,
    connector,
    manager: () => {
      const connection = live().connection();
      const nodeId = store.getState().engine?.nodeId ?? '';
      return connection === null || nodeId === '' ? null : { connection, nodeId };
    },
    node: (id) => {
      const n = store.getState().nodes.get(id);
      return n ? { id: n.id, hostname: n.hostname, addr: n.addr } : null;
    },
  });
}

/** `swarmtop`: resolves the target, connects (asking questions on the terminal first), then runs the console. */
export async function runConsoleSession(opts: CliOptions): Promise<number> {
  let target = resolveTarget(opts);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('swarmtop: the console needs a terminal; for scripts use `swarmtop snapshot --json`\n');
    return 2;
  }
  const contexts = listContexts();
  const contextThemes = Object.fromEntries(contexts.filter((c) => c.theme !== null).map((c) => [c.name, c.theme as string]));
  // The theme this context starts with is checked before anything connects (a context's own theme too).
  try {
    themeResolver({ theme: opts.theme, contextThemes })(target.context);
  } catch (err) {
    process.stderr.write(`swarmtop: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const prompter = new GatedPrompter();
  const connect = createConnector({ prompter, keychain: new OsKeychain() });
  const store = createStore(emptyState());
  let live = startLive(target, connect, store);
  let nodes = nodeConnections(target, connect, () => live, store);
  const statsFeed = (): StatsFeed => new StatsFeed({ nodes, publish: (stats) => store.dispatch({ type: 'stats', stats }) });
  let stats = statsFeed();
  // What the screen shows, kept so that the feed of the next context follows it at once.
  let onScreen: Parameters<StatsFeed['want']>[0] = [];
  const stopStats = (): void => {
    stats.stop();
    store.dispatch({ type: 'stats', stats: EMPTY_STATS });
  };
  await firstContact(live, store, prompter);
  prompter.close();

  // The audit log and read-only guard see every action, whatever the context (read-only is per context too).
  // The audit log fails closed: an action whose attempt cannot be written is refused, unless --no-audit.
  const actions = guardedActions({ readOnly: opts.readOnly, audit: opts.noAudit ? null : fileAuditLog() });
  const actionContext = (): ActionContext | null => {
    const connection = live.connection();
    return connection ? { connection, context: target.context, readOnly: target.readOnly, nodes } : null;
  };
  try {
    return await runConsole({
      store,
      actions,
      actionContext,
      refresh: () => void live.refresh(),
      readers: consoleReaders(() => live.connection(), store, () => nodes),
      theme: opts.theme,
      contextThemes,
      readOnly: target.readOnly,
      auditOff: opts.noAudit,
      contexts: contexts.map((c) => c.name),
      watchStats: (wanted) => {
        onScreen = wanted;
        stats.want(wanted);
      },
      switchContext: async (name) => {
        const next = targetForContext(name, opts);
        stopStats();
        await Promise.all([live.stop(), nodes.close()]);
        target = next;
        live = startLive(target, connect, store);
        nodes = nodeConnections(target, connect, () => live, store);
        stats = statsFeed();
        stats.want(onScreen);
      },
    });
  } finally {
    stopStats();
    await Promise.all([live.stop(), nodes.close()]);
  }
}
