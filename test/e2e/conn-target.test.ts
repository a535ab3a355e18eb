import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { resolveTarget } from '../../src/cli/target.js';
import { connectTarget, createConnector } from '../../src/docker/connect/index.js';
import { testLab } from './setup/lab-handle.js';

describe('from CLI options and env to a live connection', () => {
  const lab = testLab();
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const files = (): { contextsFile: string; dockerConfigDir: string; home: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'conn-target-e2e-'));
    made.push(dir);
    return { contextsFile: join(dir, 'contexts.yaml'), dockerConfigDir: join(dir, 'docker'), home: dir };
  };

  it('DOCKER_HOST reaches the engine it names, whatever docker-modem reads from the environment', async () => {
    const node = lab.managers[1]!;
    const target = resolveTarget(parseCliArgs([]), { DOCKER_HOST: `unix://${node.socket}` }, files());
    // docker-modem merges process.env.DOCKER_HOST into every client: a different one must not win.
    const saved = { host: process.env.DOCKER_HOST, certs: process.env.DOCKER_CERT_PATH };
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:9';
    delete process.env.DOCKER_CERT_PATH;
    try {
      const conn = await connectTarget(target, createConnector({ env: {} }));
      const info = (await conn.docker.info()) as { Name?: string };
      expect(info.Name).toBe(node.hostname);
      await conn.close();
    } finally {
      if (saved.host === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved.host;
      if (saved.certs === undefined) delete process.env.DOCKER_CERT_PATH;
      else process.env.DOCKER_CERT_PATH = saved.certs;
    }
  });

  it('a context with a dead first manager fails over to the next one', async () => {
    const f = files();
    const [m1, m2] = lab.managers;
    writeFileSync(f.contextsFile, `contexts:\n  - name: lab\n    managers:\n      - unix:///nonexistent/dead.sock\n      - unix://${m2!.socket}\n      - unix://${m1!.socket}\n`);
    const target = resolveTarget(parseCliArgs(['--context', 'lab']), {}, f);
    const conn = await connectTarget(target, createConnector({ env: {} }));
    const info = (await conn.docker.info()) as { Name?: string };
    expect(info.Name).toBe(m2!.hostname);
    await conn.close();
  });
});
