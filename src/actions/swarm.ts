import { readJoinCommand, readUnlockKey, type JoinRole } from '../docker/api/specs.js';
import { updateSwarm } from '../docker/api/write.js';
import type { ClusterState } from '../store/state.js';
import { plural } from './lookup.js';
import { attempt } from './outcome.js';
import type { ActionSpec, ActionTarget } from './types.js';

function whenSwarm(state: ClusterState, check: (s: NonNullable<ClusterState['swarm']>) => true | string = () => true): true | string {
  return state.swarm ? check(state.swarm) : 'not connected to a swarm manager';
}

function rotateToken(role: JoinRole, key: string): ActionSpec {
  const Role = role === 'worker' ? 'Worker' : 'Manager';
  return {
    id: `swarm.rotate-${role}-token`,
    label: `Rotate the ${role} join token`,
    key,
    command: `rotate-${role}-token`,
    targets: 'swarm',
    mutating: true,
    dangerous: true,
    available: (state) => whenSwarm(state),
    impact: () => [
      `The current ${role} join token stops working at once; a new one replaces it.`,
      'Nodes that already joined are not affected.',
      `Automation that joins ${role}s with the old token must be given the new one (${role === 'worker' ? 'W' : 'M'} reveals it).`,
    ],
    run: (ctx, target) =>
      attempt(target, async () => {
        await updateSwarm(ctx.connection, target.version, role === 'worker' ? { rotateWorkerToken: true } : { rotateManagerToken: true });
        return `${Role} join token rotated`;
      }),
  };
}

function revealJoin(role: JoinRole, key: string): ActionSpec {
  return {
    id: `swarm.reveal-${role}-join`,
    label: `Reveal the ${role} join command`,
    key,
    command: `join-${role}`,
    targets: 'swarm',
    // Reads a secret, changes nothing: the worker token stays available in read-only mode (audited,
    // without the token). The manager token is mutating-grade: whoever holds it can add a manager, i.e.
    // take part in the swarm's control plane, so a read-only operator must not be able to take it away.
    mutating: role === 'manager',
    dangerous: false,
    available: (state) => whenSwarm(state),
    impact: () => [`Shows the command that joins a new ${role}, token masked until you reveal it.`],
    run: (ctx, target) =>
      attempt(target, async () => {
        const join = await readJoinCommand(ctx.connection, role);
        return {
          kind: 'done',
          message: `${role} join command fetched (masked until revealed; c copies it)`,
          reveal: [{ label: `${role} join command`, value: join.command }],
        };
      }),
  };
}

export const rotateWorkerToken = rotateToken('worker', 't');
export const rotateManagerToken = rotateToken('manager', 'T');
export const revealWorkerJoin = revealJoin('worker', 'W');
export const revealManagerJoin = revealJoin('manager', 'M');

export const rotateUnlockKey: ActionSpec = {
  id: 'swarm.rotate-unlock-key',
  label: 'Rotate the unlock key',
  key: 'K',
  command: 'rotate-unlock-key',
  targets: 'swarm',
  mutating: true,
  dangerous: true,
  available: (state) => whenSwarm(state, (s) => (s.autolockManagers ? true : 'autolock is off: there is no unlock key (docker swarm update --autolock=true)')),
  impact: () => [
    'A new unlock key replaces the current one; it is shown once, masked until you reveal it.',
    'Store it before you close this: a manager that restarts needs it to unlock.',
    'Managers may still accept the previous key for a short while after the rotation.',
  ],
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateSwarm(ctx.connection, target.version, { rotateManagerUnlockKey: true });
      const key = await readUnlockKey(ctx.connection);
      return {
        kind: 'done',
        message: 'unlock key rotated: store the new key now (masked until revealed; c copies it)',
        reveal: [{ label: 'unlock key', value: key }],
      };
    }),
};

export const rotateCA: ActionSpec = {
  id: 'swarm.rotate-ca',
  label: 'Rotate the root CA',
  key: 'C',
  command: 'rotate-ca',
  targets: 'swarm',
  mutating: true,
  dangerous: true,
  available: (state) => whenSwarm(state, (s) => (s.rootRotationInProgress ? 'a root CA rotation is already in progress' : true)),
  impact: (state) => [
    'A new root CA is generated and every node gets a certificate signed by it.',
    `${plural(state.nodes.size, 'node')} must renew; down nodes renew when they come back, and the rotation completes only then.`,
    'Progress per node shows in the swarm pane.',
  ],
  run: (ctx, target: ActionTarget) =>
    attempt(target, async () => {
      await updateSwarm(ctx.connection, target.version, { rotateCA: true });
      return 'root CA rotation started';
    }),
};

export const SWARM_ACTIONS: readonly ActionSpec[] = [
  rotateWorkerToken,
  rotateManagerToken,
  revealWorkerJoin,
  revealManagerJoin,
  rotateUnlockKey,
  rotateCA,
];
