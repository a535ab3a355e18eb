import { describe, expect, it } from 'vitest';
import { describeDiff, diffSpecs, formatChange, redactAssignment } from '../../src/actions/spec-diff.js';

const base = {
  Name: 'web',
  Labels: { team: 'a' },
  TaskTemplate: {
    ContainerSpec: {
      Image: 'local/busybox:1',
      Env: ['A=1', 'B=2'],
      Secrets: [
        { File: { Name: 'db', UID: '0', GID: '0', Mode: 292 }, SecretID: 's1', SecretName: 'db_pw' },
        { File: { Name: 'api', UID: '0', GID: '0', Mode: 292 }, SecretID: 's2', SecretName: 'api_key' },
      ],
    },
    Placement: { Constraints: ['node.role==worker'] },
  },
  Mode: { Replicated: { Replicas: 3 } },
};

function edited(fn: (s: typeof base) => void): typeof base {
  const copy = structuredClone(base);
  fn(copy);
  return copy;
}

describe('diffSpecs', () => {
  it('is empty for equal specs, whatever the key order', () => {
    const reordered = JSON.parse(JSON.stringify({ Mode: base.Mode, TaskTemplate: base.TaskTemplate, Labels: base.Labels, Name: base.Name })) as unknown;
    expect(diffSpecs(base, reordered)).toEqual([]);
  });

  it('names scalar changes with old → new, and env items added/removed', () => {
    const after = edited((s) => {
      s.Mode.Replicated.Replicas = 5;
      s.TaskTemplate.ContainerSpec.Env = ['A=1', 'B=3', 'LOG_LEVEL=debug'];
    });
    expect(describeDiff(base, after)).toEqual([
      'Mode.Replicated.Replicas: 3 → 5',
      'TaskTemplate.ContainerSpec.Env: - B=2',
      'TaskTemplate.ContainerSpec.Env: + B=3',
      'TaskTemplate.ContainerSpec.Env: + LOG_LEVEL=debug',
    ]);
  });

  it('matches objects in arrays by the field that names them, not by position', () => {
    const after = edited((s) => {
      s.TaskTemplate.ContainerSpec.Secrets.reverse();
      const first = s.TaskTemplate.ContainerSpec.Secrets[0];
      if (first) first.File.Mode = 256;
    });
    expect(describeDiff(base, after)).toEqual(['TaskTemplate.ContainerSpec.Secrets[api_key].File.Mode: 292 → 256']);
  });

  it('reports added and removed fields', () => {
    const after = edited((s) => {
      delete (s as { Labels?: unknown }).Labels;
      (s.TaskTemplate as Record<string, unknown>).ForceUpdate = 1;
    });
    expect(diffSpecs(base, after).map(formatChange)).toEqual(['Labels: - {"team":"a"}', 'TaskTemplate.ForceUpdate: + 1']);
  });

  it('says when only the order of a list changed', () => {
    const after = edited((s) => {
      s.TaskTemplate.ContainerSpec.Env = ['B=2', 'A=1'];
    });
    expect(describeDiff(base, after)).toEqual(['TaskTemplate.ContainerSpec.Env: order ["A=1","B=2"] → ["B=2","A=1"]']);
  });

  it('masks values of secret-looking env keys and labels', () => {
    const after = edited((s) => {
      s.TaskTemplate.ContainerSpec.Env = ['A=1', 'B=2', 'DB_PASSWORD=hunter2'];
      (s.Labels as Record<string, string>).api_token = 'abc123';
    });
    const lines = describeDiff(base, after);
    expect(lines).toEqual(['Labels.api_token: + •••', 'TaskTemplate.ContainerSpec.Env: + DB_PASSWORD=•••']);
    expect(lines.join('\n')).not.toMatch(/hunter2|abc123/);
    expect(redactAssignment('PATH=/bin')).toBe('PATH=/bin');
  });
});
