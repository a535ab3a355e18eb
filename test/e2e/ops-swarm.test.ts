import { afterAll, describe, expect, it } from 'vitest';
import { selectCaRotation } from '../../src/store/selectors/ca-rotation.js';
import { clusterState, makeNode, makeSwarm } from '../fixtures/cluster.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { opsHarness, swarmTarget, waitFor, type Json } from './ops-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const ops = opsHarness(m1);

afterAll(async () => {
  await dockerCli(m1, ['swarm', 'update', '--autolock=false']).catch(() => undefined);
  await ops.connection.close();
});

async function token(role: 'worker' | 'manager'): Promise<string> {
  return (await dockerCli(m1, ['swarm', 'join-token', '-q', role])).trim();
}

describe('swarm operations through the guarded actions', () => {
  for (const [role, rotateId, revealId] of [
    ['worker', 'swarm.rotate-worker-token', 'swarm.reveal-worker-join'],
    ['manager', 'swarm.rotate-manager-token', 'swarm.reveal-manager-join'],
  ] as const) {
    it(`rotates the ${role} join token and reveals the new join command`, async () => {
      const before = await token(role);
      expect(await ops.run(rotateId, await swarmTarget(m1))).toMatchObject({ kind: 'done' });
      const after = await token(role);
      expect(after).not.toBe(before);

      const out = await ops.run(revealId, await swarmTarget(m1));
      expect(out.kind).toBe('done');
      const reveal = out.kind === 'done' ? out.reveal ?? [] : [];
      expect(reveal).toHaveLength(1);
      expect(reveal[0]?.value).toBe(`docker swarm join --token ${after} ${m1.ip}:2377`);
      // The message never carries the token itself.
      expect(out.message).not.toContain(after);
    });
  }

  it('a stale swarm version is refused as stale and rotates nothing', async () => {
    const seen = await swarmTarget(m1);
    await dockerCli(m1, ['swarm', 'update', '--task-history-limit', '6']);
    const before = await token('worker');
    const out = await ops.run('swarm.rotate-worker-token', seen);
    expect(out.kind).toBe('stale');
    expect(await token('worker')).toBe(before);
    await dockerCli(m1, ['swarm', 'update', '--task-history-limit', '5']);
  });

  it('rotates the unlock key (autolock on) and reveals the new key', async () => {
    await dockerCli(m1, ['swarm', 'update', '--autolock=true']);
    try {
      const before = (await dockerCli(m1, ['swarm', 'unlock-key', '-q'])).trim();
      expect(before).toMatch(/^SWMKEY-/);
      const out = await ops.run('swarm.rotate-unlock-key', await swarmTarget(m1));
      expect(out.kind).toBe('done');
      const after = (await dockerCli(m1, ['swarm', 'unlock-key', '-q'])).trim();
      expect(after).not.toBe(before);
      expect(out.kind === 'done' ? out.reveal?.[0]?.value : null).toBe(after);
    } finally {
      await dockerCli(m1, ['swarm', 'update', '--autolock=false']);
    }
    expect((await dockerCli(m1, ['info', '--format', '{{.Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers}}'])).trim()).toBe('false');
  });

  it('rotates the root CA and every node ends with a certificate from the new root', async () => {
    const clusterTls = async (): Promise<Json> => JSON.parse(await dockerCli(m1, ['info', '--format', '{{json .Swarm.Cluster.TLSInfo}}'])) as Json;
    const before = await clusterTls();
    expect(await ops.run('swarm.rotate-ca', await swarmTarget(m1))).toMatchObject({ kind: 'done' });

    const nodesTls = async (): Promise<{ id: string; hostname: string; tls: Json }[]> => {
      const ids = (await dockerCli(m1, ['node', 'ls', '-q'])).split('\n').filter(Boolean);
      const arr = JSON.parse(await dockerCli(m1, ['node', 'inspect', ...ids])) as Json[];
      return arr.map((n) => ({
        id: n.ID as string,
        hostname: (n.Description as { Hostname: string }).Hostname,
        tls: (n.Description as { TLSInfo: Json }).TLSInfo,
      }));
    };
    const done = await waitFor('CA rotation complete', 240_000, async () => {
      const inProgress = (await dockerCli(m1, ['info', '--format', '{{.Swarm.Cluster.RootRotationInProgress}}'])).trim();
      const cluster = await clusterTls();
      const nodes = await nodesTls();
      const allRotated = nodes.every((n) => n.tls.CertIssuerPublicKey === cluster.CertIssuerPublicKey && n.tls.CertIssuerSubject === cluster.CertIssuerSubject);
      return inProgress === 'false' && allRotated ? { cluster, nodes } : null;
    }, 1000);
    expect(done.cluster.TrustRoot).not.toBe(before.TrustRoot);

    // The progress selector agrees, fed with what the engine reported.
    const state = clusterState({
      swarm: makeSwarm({
        rootRotationInProgress: false,
        certIssuerSubject: String(done.cluster.CertIssuerSubject),
        certIssuerPublicKey: String(done.cluster.CertIssuerPublicKey),
      }),
      nodes: done.nodes.map((n) => makeNode({
        id: n.id,
        hostname: n.hostname,
        tlsIssuerSubject: String(n.tls.CertIssuerSubject),
        tlsIssuerPublicKey: String(n.tls.CertIssuerPublicKey),
      })),
    });
    expect(selectCaRotation(state)).toMatchObject({ complete: true, rotated: lab.nodes.length, total: lab.nodes.length });
  });
});
