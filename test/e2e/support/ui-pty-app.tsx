/**
 * Runs the real console (runConsole) on a fixed fixture store, for the terminal-restore test in a real
 * pty (tmux). Writes its pid and, at the end, its exit code to files named by the environment.
 */
import { writeFileSync } from 'node:fs';
import { runConsole } from '../../../src/ui/run.js';
import { sampleCluster } from '../../fixtures/cluster.js';

const state = sampleCluster();
const pidFile = process.env.UI_PTY_PID_FILE;
const codeFile = process.env.UI_PTY_CODE_FILE;
if (pidFile) writeFileSync(pidFile, String(process.pid));
// A crash while the console is up: the uncaught exception must still restore the terminal.
if (process.env.UI_PTY_CRASH) {
  setTimeout(() => {
    void Promise.reject(new Error('simulated crash'));
  }, 1500);
}
const code = await runConsole({
  store: { getState: () => state, subscribe: () => () => undefined },
  actions: [],
  actionContext: () => null,
  refresh: () => undefined,
  readers: { inspect: () => Promise.resolve({}), logs: async function* () {} },
  theme: null,
  readOnly: true,
  contexts: ['default'],
  switchContext: () => undefined,
});
if (codeFile) writeFileSync(codeFile, String(code));
process.exit(code);
