/**
 * The user's own Docker engine, as it runs on a Docker user's machine: a dockerd with its defaults
 * (iptables on: FORWARD policy DROP, DOCKER-USER chain, bridged traffic through iptables). If one
 * already answers on /var/run/docker.sock it is used as it is and left alone; otherwise one is started
 * on its own socket and data root, and stopping it takes back what it did to the host's firewall.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { run, tryRun, waitFor } from '../../../lab/sh.js';
import { isAlive, waitForExit } from '../../../lab/processes.js';

const ROOT = '/run/swarmtop-hostengine';
const DATA = '/var/lib/swarmtop-hostengine';
const SOCKET = `${ROOT}/docker.sock`;
const SYSCTLS = ['/proc/sys/net/ipv4/ip_forward', '/proc/sys/net/bridge/bridge-nf-call-iptables'];

export interface HostEngine {
  /** True when this test started the engine (and will stop it). */
  started: boolean;
  stop(): Promise<void>;
}

async function answers(socket: string): Promise<boolean> {
  const r = await tryRun('docker', ['-H', `unix://${socket}`, 'version', '--format', '{{.Server.Version}}'], { timeout: 5000 });
  return (r?.stdout.trim() ?? '') !== '';
}

async function forwardPolicy(): Promise<string> {
  const r = await run('iptables', ['-w', '-S', 'FORWARD']);
  return /^-P FORWARD (\w+)/m.exec(r.stdout)?.[1] ?? 'ACCEPT';
}

function readSysctl(file: string): string | null {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return null;
  }
}

const TABLES = ['filter', 'nat'] as const;

async function listRules(table: string): Promise<string[]> {
  return (await tryRun('iptables', ['-w', '-t', table, '-S']))?.stdout.split('\n').filter((l) => l !== '') ?? [];
}

type RuleSets = Record<(typeof TABLES)[number], string[]>;

async function ruleSets(): Promise<RuleSets> {
  return { filter: await listRules('filter'), nat: await listRules('nat') };
}

/** Takes back every rule and chain that appeared since `before` (a dockerd leaves them when it stops). */
async function undoRulesSince(before: RuleSets): Promise<void> {
  for (const table of TABLES) {
    const had = new Set(before[table]);
    const now = await listRules(table);
    for (const line of now) {
      if (!had.has(line) && line.startsWith('-A ')) await tryRun('sh', ['-c', `iptables -w -t ${table} -D ${line.slice(3)}`]);
    }
    const chains = now.filter((l) => !had.has(l) && l.startsWith('-N ')).map((l) => l.slice(3));
    for (const c of chains) await tryRun('iptables', ['-w', '-t', table, '-F', c]);
    for (const c of chains) await tryRun('iptables', ['-w', '-t', table, '-X', c]);
  }
}

export async function ensureHostEngine(log: (line: string) => void): Promise<HostEngine> {
  if (await answers('/var/run/docker.sock')) {
    log('a Docker engine already runs on this host: the lab must coexist with it as it is');
    return { started: false, stop: () => Promise.resolve() };
  }
  const policy = await forwardPolicy();
  const sysctls = SYSCTLS.map((f) => ({ f, v: readSysctl(f) }));
  const rulesBefore = await ruleSets();
  mkdirSync(ROOT, { recursive: true });
  mkdirSync(DATA, { recursive: true });
  const out = openSync(`${ROOT}/dockerd.log`, 'a');
  // Its defaults on firewall and bridge: exactly what makes the lab's traffic go through iptables.
  const child = spawn('dockerd', ['--data-root', DATA, '--exec-root', `${ROOT}/exec`, '--pidfile', `${ROOT}/docker.pid`, '-H', `unix://${SOCKET}`], {
    detached: true, stdio: ['ignore', out, out],
  });
  closeSync(out);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the host dockerd');
  await waitFor('the host dockerd to answer', 60_000, async () => {
    if (!isAlive(pid)) throw new Error(`the host dockerd exited: ${readFileSync(`${ROOT}/dockerd.log`, 'utf8').slice(-2000)}`);
    return answers(SOCKET);
  });
  // Docker sets DROP when it turns forwarding on; a host that forwarded already keeps its policy. The
  // user's case is DROP: make sure it is the case under test.
  const setDrop = (await forwardPolicy()) !== 'DROP';
  if (setDrop) await run('iptables', ['-w', '-P', 'FORWARD', 'DROP']);
  log(`host dockerd started (pid ${pid}): FORWARD policy DROP, bridge-nf-call-iptables=${readSysctl(SYSCTLS[1] ?? '') ?? '?'}`);
  return {
    started: true,
    async stop() {
      process.kill(pid, 'SIGTERM');
      if (!(await waitForExit([pid], 30_000))) process.kill(pid, 'SIGKILL');
      await tryRun('ip', ['link', 'del', 'docker0']);
      await undoRulesSince(rulesBefore);
      await run('iptables', ['-w', '-P', 'FORWARD', policy]);
      for (const { f, v } of sysctls) if (v !== null && existsSync(f)) writeFileSync(f, v);
      rmSync(ROOT, { recursive: true, force: true });
      rmSync(DATA, { recursive: true, force: true });
    },
  };
}
