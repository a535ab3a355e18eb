import { inspect } from 'node:util';
import { render, useStdout } from 'ink';
import { useEffect, useState } from 'react';
import { App, type AppProps } from './App.js';
import { ConsoleRoot } from './fleet/ConsoleRoot.js';
import type { FleetControl } from './fleet/types.js';
import type { ConsoleOptions } from './options.js';
import { copyToClipboard } from './osc52.js';
import { installRowReuse } from './ink/row-reuse.js';
import { enterFullscreen, installExitHandlers, type ExitReason } from './terminal.js';
import { loadTheme, resolveThemeName, type Theme } from './theme.js';

// Before the first frame: Ink then rebuilds only the rows that changed (see row-reuse.ts).
await installRowReuse();

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

/** The console at the terminal's size: one context's, or with several contexts live (the fleet). */
function Root(props: Omit<AppProps, 'width' | 'height' | 'now'> & { fleetControl?: FleetControl; startInFleet?: boolean }) {
  const { columns, rows } = useTerminalSize();
  const { fleetControl, startInFleet, ...app } = props;
  // One line short of the screen: a frame as tall as the terminal makes Ink clear the screen every frame.
  const height = Math.max(5, rows - 1);
  if (fleetControl) {
    return <ConsoleRoot {...app} fleet={fleetControl} first={app.store.getState().connection.context} startInFleet={startInFleet ?? false} width={columns} height={height} />;
  }
  return <App {...app} width={columns} height={height} />;
}

/** Theme per context: NO_COLOR, then --theme, then the context's theme, then default. */
export function themeResolver(options: Pick<ConsoleOptions, 'theme' | 'contextThemes'>, env = process.env): (context: string) => Theme {
  const cache = new Map<string, Theme>();
  return (context) => {
    const name = resolveThemeName({ cli: options.theme, context: options.contextThemes?.[context] ?? null, env });
    let theme = cache.get(name);
    if (!theme) {
      theme = loadTheme(name);
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
      setImmediate(() => handlers.dispose());
      if (error !== undefined) {
        const detail = error instanceof Error ? error.stack ?? error.message : inspect(error);
        stderr.write(`swarmtop: ${reason ?? 'error'}: ${detail}\n`);
      }
      resolve(code);
    };
    const handlers = installExitHandlers(() => guard.restore(), finish);
    try {
      instance = render(
        <Root
          store={options.store} actions={options.actions} actionContext={options.actionContext} refresh={options.refresh}
          readers={options.readers} themeFor={themeFor} readOnly={options.readOnly} contexts={options.contexts}
          switchContext={options.switchContext} copy={(text) => copyToClipboard(stdout, text)} onQuit={() => finish(0)}
          fleetControl={options.fleet} startInFleet={options.startInFleet}
        />,
        { stdout, stdin, stderr, exitOnCtrlC: false, patchConsole: true, maxFps: 60 },
      );
      instance.waitUntilExit().then(() => finish(0), (err: unknown) => finish(70, 'uncaughtException', err));
    } catch (err) {
      finish(70, 'uncaughtException', err);
    }
  });
}
