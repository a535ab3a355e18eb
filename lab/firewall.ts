import type { LabLayout } from './layout.js';
import { run, tryRun } from './sh.js';

/**
 * Beside the user's own Docker engine the host forwards bridged traffic through iptables
 * (br_netfilter, net.bridge.bridge-nf-call-iptables=1) and Docker sets the FORWARD policy to DROP: the
 * lab's engines could not reach each other across the lab bridge and no node could join. The lab adds
 * exactly one rule, accepting forwarding within its own subnet, and removes exactly that rule on down.
 * Nothing else of the host's firewall is touched.
 */

/** Docker's chain for the user's own rules (evaluated before Docker's); FORWARD where it does not exist. */
const DOCKER_USER = 'DOCKER-USER';
const CHAINS = [DOCKER_USER, 'FORWARD'] as const;

function comment(lab: LabLayout): string {
  return `swarmtop-lab-${lab.id}`;
}

function ruleSpec(lab: LabLayout): string[] {
  const subnet = `${lab.subnetPrefix}.0/24`;
  return ['-s', subnet, '-d', subnet, '-m', 'comment', '--comment', comment(lab), '-j', 'ACCEPT'];
}

async function hasIptables(): Promise<boolean> {
  return (await tryRun('iptables', ['--version'])) !== null;
}

async function chainExists(chain: string): Promise<boolean> {
  return (await tryRun('iptables', ['-w', '-S', chain])) !== null;
}

/** Chain by chain, how many copies of the lab's rule are in place (a crashed run may have left one). */
export async function labRuleCount(lab: LabLayout): Promise<Partial<Record<(typeof CHAINS)[number], number>>> {
  const out: Partial<Record<(typeof CHAINS)[number], number>> = {};
  if (!(await hasIptables())) return out;
  for (const chain of CHAINS) {
    const listed = await tryRun('iptables', ['-w', '-S', chain]);
    if (!listed) continue;
    const n = listed.stdout.split('\n').filter((l) => l.includes(`--comment ${comment(lab)}`) || l.includes(`--comment "${comment(lab)}"`)).length;
    if (n > 0) out[chain] = n;
  }
  return out;
}

/** Removes every copy of this lab's rule, wherever an earlier run put it. Returns how many it removed. */
export async function removeLabForwardRule(lab: LabLayout): Promise<number> {
  if (!(await hasIptables())) return 0;
  let removed = 0;
  for (const chain of CHAINS) {
    if (!(await chainExists(chain))) continue;
    // Bounded: a chain cannot hold more copies than a few crashed runs left behind.
    for (let i = 0; i < 20; i++) {
      if ((await tryRun('iptables', ['-w', '-D', chain, ...ruleSpec(lab)])) === null) break;
      removed++;
    }
  }
  return removed;
}

/**
 * Inserts the lab's one rule at the top of DOCKER-USER (or FORWARD); the clean-up before every up has
 * removed any copy an earlier run left. Without iptables there is no
 * packet filter that could drop the lab's traffic, so nothing is needed; the log says which case it was.
 */
export async function addLabForwardRule(lab: LabLayout, log: (line: string) => void): Promise<void> {
  if (!(await hasIptables())) {
    log(`lab ${lab.id}: no iptables on this host: no firewall rule needed`);
    return;
  }
  const chain = (await chainExists(DOCKER_USER)) ? DOCKER_USER : 'FORWARD';
  await run('iptables', ['-w', '-I', chain, '1', ...ruleSpec(lab)]);
  log(`lab ${lab.id}: firewall: added one rule to ${chain} accepting forwarding within ${lab.subnetPrefix}.0/24 (removed on down; nothing else is changed)`);
}
