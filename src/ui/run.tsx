import { inspect } from 'node:util';
import { Box, render, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { ActionContext } from '../actions/types.js';
import { App, type AppProps } from './App.js';
import { ConsoleRoot } from './fleet/ConsoleRoot.js';
import type { FleetControl } from './fleet/types.js';
import type { ConsoleOptions } from './options.js';
import { copyToClipboard } from './osc52.js';
import { debugLog } from '../config/debug-log.js';
import { describeRowReuse, installRowReuse, rowReuseStatus } from './ink/row-reuse.js';
import { ConsoleSuspender, GatedOutput, enterFullscreen, installExitHandlers, type ExitReason, type SuspendableUi } from './terminal.js';
import { loadThemeOrDefault, resolveThemeName, themeDirs, type Theme } from './theme.js';

// Before the first frame: Ink then rebuilds only the rows that changed (see row-reuse.ts).
await installRowReuse();
debugLog(describeRowReuse(rowReuseStatus()));

/** Terminal size, re-read on every resize. */
function useTerminalSize(): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => ({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  });
  return size;
}

/** Longest wait for the UI to stop or start again around a foreground program (one React commit). */
const UI_SWITCH_MS = 2000;

/**
 * The bridge between the suspender and React: a state switch, and the commit that applied it. While
 * suspended the App stays mounted (its pane, row and dialog are kept) but draws nothing and reads no key.
 */
class UiSwitch implements SuspendableUi {
  private apply: ((suspended: boolean) => void) | null = null;
  private waiting: { suspended: boolean; resolve: () => void } | null = null;

  bind(apply: (suspended: boolean) => void): () => void {
    this.apply = apply;
    return () => {
      this.apply = null;
      this.committed(null);
    };
  }

  /** Called by the Root after React committed `suspended` (Ink's input effect has run by then). */
  committed(suspended: boolean | null): void {
    if (this.waiting && (suspended === null || this.waiting.suspended === suspended)) {
      this.waiting.resolve();
      this.waiting = null;
    }
  }

  setSuspended(suspended: boolean): Promise<void> {
    const apply = this.apply;
    if (apply === null) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.committed(null), UI_SWITCH_MS);
      this.waiting = { suspended, resolve: () => {
        clearTimeout(timer);
        resolve();
      } };
      apply(suspended);
    });
  }
}

/** Several contexts live (the fleet): their consoles, each action lent the terminal through `lend`. */
interface FleetRootProps {
  fleetControl?: FleetControl;
  startInFleet?: boolean;
  lend: (ctx: ActionContext | null) => ActionContext | null;
}

function Root(props: Omit<AppProps, 'width' | 'height' | 'now' | 'inputActive'> & { uiSwitch: UiSwitch } & FleetRootProps) {
  const { uiSwitch, fleetControl, startInFleet, lend, ...appProps } = props;
  const { columns, rows } = useTerminalSize();
  const [suspended, setSuspended] = useState(false);
  useEffect(() => uiSwitch.bind(setSuspended), [uiSwitch]);
  // Declared after the App's effects run (children first): its input is detached or attached by now.
  useEffect(() => uiSwitch.committed(suspended), [uiSwitch, suspended]);
  // One line short of the screen: a frame as tall as the terminal makes Ink clear the screen every frame.
  // While suspended the frame is empty, so the first frame afterwards differs and is written whole.
  return (
    <Box display={suspended ? 'none' : 'flex'} flexDirection="column">
      {fleetControl ? (
        <ConsoleRoot {...appProps} fleet={fleetControl} lend={lend} first={appProps.store.getState().connection.context} startInFleet={startInFleet ?? false}
          inputActive={!suspended} width={columns} height={Math.max(5, rows - 1)} />
      ) : (
        <App {...appProps} inputActive={!suspended} width={columns} height={Math.max(5, rows - 1)} />
      )}
    </Box>
  );
}

/**
 * Theme per context: NO_COLOR, then --theme, then the context's theme, then default. An invalid theme
 * file gives the default carrying the reason (`problem`), which the App shows once as it switches to it.
 */
export function themeResolver(options: Pick<ConsoleOptions, 'theme' | 'contextThemes'>, env = process.env): (context: string) => Theme {
  const cache = new Map<string, Theme>();
  return (context) => {
    const name = resolveThemeName({ cli: options.theme, context: options.contextThemes?.[context] ?? null, env });
    let theme = cache.get(name);
    if (!theme) {
      const loaded = loadThemeOrDefault(name, themeDirs(env));
      theme = loaded.problem === null ? loaded.theme : { ...loaded.theme, problem: loaded.problem };
      cache.set(name, theme);
    }
    return theme;
  };
}

/**
 * Runs the full-screen console until the operator quits (or a signal/crash ends it) and returns the
 * process exit code. The terminal is restored on every path before this resolves.
 */
export function runConsole(options: ConsoleOptions): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stderr = options.stderr ?? process.stderr;
  if (!stdout.isTTY || !stdin.isTTY) {
    stderr.write('swarmtop: the console needs a terminal; for scripts use `swarmtop snapshot --json`\n');
    return Promise.resolve(2);
  }
  const themeFor = themeResolver(options);
  try {
    // An unknown --theme is reported before the screen is taken over.
    themeFor(options.store.getState().connection.context);
  } catch (err) {
    stderr.write(`swarmtop: ${err instanceof Error ? err.message : String(err)}\n`);
    return Promise.resolve(2);
  }
  const guard = enterFullscreen(stdout, stdin);
  const output = new GatedOutput(stdout);
  const uiSwitch = new UiSwitch();
  const suspender = new ConsoleSuspender({ stdin, stdout }, output, uiSwitch);
  // Actions reach the terminal only through this: an editor or a shell runs with the console suspended.
  const lend = (ctx: ActionContext | null): ActionContext | null => (ctx === null ? null : { ...ctx, suspend: (fn) => suspender.suspend(fn) });
  const actionContext = (): ActionContext | null => lend(options.actionContext());
  return new Promise<number>((resolve) => {
    let finished = false;
    let instance: ReturnType<typeof render> | null = null;
    const finish = (code: number, reason?: ExitReason, error?: unknown): void => {
      if (finished) return;
      finished = true;
      try {
        instance?.unmount();
      } catch {
        // Unmounting a crashed tree may throw; the terminal is restored regardless.
      }
      guard.restore();
      // Disposed on the next turn: other listeners of the same signal (Ink's signal-exit) still run in this
      // one, and would re-raise the signal to kill the process if they found ours already gone.
      setImmediate(() => {
        handlers.dispose();
        output.dispose();
      });
      if (error !== undefined) {
        const detail = error instanceof Error ? error.stack ?? error.message : inspect(error);
        stderr.write(`swarmtop: ${reason ?? 'error'}: ${detail}\n`);
      }
      resolve(code);
    };
    const handlers = installExitHandlers(() => guard.restore(), finish, () => suspender.suspended);
    try {
      instance = render(
        <Root
          uiSwitch={uiSwitch} store={options.store} actions={options.actions} actionContext={actionContext} refresh={options.refresh}
          readers={options.readers} themeFor={themeFor} readOnly={options.readOnly} keys={options.keys} auditOff={options.auditOff} contexts={options.contexts}
          switchContext={options.switchContext} watchStats={options.watchStats} copy={(text) => copyToClipboard(stdout, text)} onQuit={() => finish(0)}
          timeline={options.timeline ?? null} bundle={options.bundle}
          fleetControl={options.fleet} startInFleet={options.startInFleet} lend={lend}
        />,
        { stdout: output as unknown as NodeJS.WriteStream, stdin, stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
      );
      instance.waitUntilExit().then(() => finish(0), (err: unknown) => finish(70, 'uncaughtException', err));
    } catch (err) {
      finish(70, 'uncaughtException', err);
    }
  });
}
