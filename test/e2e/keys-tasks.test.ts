/**
 * The tasks of a crash-looping service on the lab: per slot the task the orchestrator wants running comes
 * first, its failed attempts after it newest first; h shows only the current tasks, the same ones as
 * `docker service ps --filter desired-state=running`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { SCREEN_MS, createService, escapeRe, pane, selectByFilter, waitFor } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const crashy = uniqueName('crashy');
let c: ConsoleHarness;

interface PsRow { id: string; slot: string; desired: string }

/** `docker service ps` rows (full ids): task id, slot (the name's suffix) and desired state. */
async function ps(extra: readonly string[] = []): Promise<PsRow[]> {
  const out = await dockerCli(m1, ['service', 'ps', crashy, '--no-trunc', ...extra, '--format', '{{.ID}} {{.Name}} {{.DesiredState}}']);
  return out.trim().split('\n').filter((l) => l !== '').map((l) => {
    const [id = '', name = '', desired = ''] = l.trim().split(/\s+/);
    return { id, slot: name.slice(name.lastIndexOf('.') + 1), desired: desired.toLowerCase() };
  });
}

/** The task rows on screen, in order: slot, short id and the DESIRED column as drawn. */
function shown(frame: string): { slot: string; id: string; desired: string }[] {
  const re = new RegExp(`^${escapeRe(crashy)}\\.(\\d+)\\s+(\\w{12})\\s+\\S+\\s+(\\w+)\\s`);
  return frame.split('\n').map((l) => re.exec(l)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ slot: m[1] ?? '', id: m[2] ?? '', desired: m[3] ?? '' }));
}

beforeAll(async () => {
  // Exits at once: the orchestrator keeps replacing the task, and the history grows.
  await createService(m1, crashy, ['--replicas', '2', '--restart-delay', '1s', 'local/busybox:1', 'sh', '-c', 'echo boom; exit 1']);
  await waitFor('three attempts per slot', 120_000, async () => {
    const rows = await ps();
    return ['1', '2'].every((s) => rows.filter((r) => r.slot === s).length >= 3);
  }, 1000);
  c = startConsole({ via: m1, rows: 60 });
  await pane(c, '2', 'Services');
  await selectByFilter(c, crashy);
  await c.press('enter');
  await c.waitFor(`Tasks of service ${crashy}`, SCREEN_MS);
});

afterAll(async () => {
  await c?.stop();
  await dockerCli(m1, ['service', 'rm', crashy]).catch(() => undefined);
});

describe('a crash-looping service\'s tasks', () => {
  it('per slot: the task desired running first, then its history newest first', async () => {
    const rows = await waitFor('the console showing at least three tasks per slot', 60_000, () => {
      const s = shown(c.frame());
      return Promise.resolve(['1', '2'].every((slot) => s.filter((r) => r.slot === slot).length >= 3) ? s : null);
    }, 250);
    // Judged on the console's own rows (the CLI, asked a moment later, may already list a newer attempt).
    // The replacement waits out the restart delay desired "ready", then "running": both are current.
    const current = (d: string): boolean => d === 'running' || d === 'ready';
    for (const slot of ['1', '2']) {
      const desired = rows.filter((r) => r.slot === slot).map((r) => r.desired);
      expect(current(desired[0] ?? ''), `slot ${slot}: ${desired.join(',')}`).toBe(true);
      expect(desired.slice(1).filter(current), `slot ${slot}: ${desired.join(',')}`).toEqual([]);
    }
    // Slots in order, not interleaved.
    expect(rows.map((r) => r.slot)).toEqual([...rows.map((r) => r.slot)].sort((a, b) => Number(a) - Number(b)));
  });

  it('h: only the current tasks, the same as docker service ps --filter desired-state=running; h again shows the history', async () => {
    await c.press('h');
    await c.waitFor(/\(current only, h: history\)/, SCREEN_MS);
    const current = await waitFor('the current tasks as the CLI lists them', 60_000, async () => {
      const cli = (await ps(['--filter', 'desired-state=running'])).map((r) => r.id.slice(0, 12)).sort();
      const s = shown(c.frame()).map((r) => r.id).sort();
      return JSON.stringify(s) === JSON.stringify(cli) ? s : null;
    }, 500);
    expect(current).toHaveLength(2);
    await c.press('h');
    await c.waitForGone(/\(current only, h: history\)/, SCREEN_MS);
    expect(shown(c.frame()).length).toBeGreaterThan(2);
  });
});
