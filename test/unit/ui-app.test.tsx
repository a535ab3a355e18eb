import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, tick } from './ui-support.js';

afterEach(() => cleanup());

describe('console app', () => {
  it('opens on the services pane with the header', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    const f = app.frame();
    expect(f).toContain('Services');
    expect(f).toContain('web');
    expect(f).toContain('agent');
    expect(f).toContain('leader m1');
    console.log(f);
  });
});
