/**
 * Loads a real lab with many services whose tasks can never be scheduled (an unmeetable constraint):
 * real task objects in the swarm store without real containers.
 */
import { engineJson, engineRequest } from './engine-http.js';

export const LOAD_LABEL = 'swarmtop.bench';

export async function loadServices(socketPath: string, services: number, tasksTotal: number, log: (l: string) => void): Promise<void> {
  const existing = await engineJson<{ Spec?: { Labels?: Record<string, string> } }[]>(socketPath, `/v1.41/services?filters=${encodeURIComponent(JSON.stringify({ label: [LOAD_LABEL] }))}`);
  if (existing.length >= services) {
    log(`lab already holds ${existing.length} bench services`);
  } else {
    const replicas = Math.ceil(tasksTotal / services);
    for (let i = existing.length; i < services; i++) {
      const res = await engineRequest(socketPath, 'POST', '/v1.41/services/create', {
        Name: `bench-${i}`,
        Labels: { [LOAD_LABEL]: '1', 'com.docker.stack.namespace': `bench${i % 10}` },
        TaskTemplate: {
          ContainerSpec: { Image: 'local/busybox:1' },
          Placement: { Constraints: ['node.labels.never==1'] },
        },
        Mode: { Replicated: { Replicas: replicas } },
      });
      if (res.status !== 201) throw new Error(`create bench-${i}: ${res.status} ${res.body}`);
    }
    log(`created ${services - existing.length} services × ${replicas} replicas`);
  }
  // Bounded wait for the orchestrator to create every task object.
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    const info = await engineJson<unknown[]>(socketPath, `/v1.41/tasks?filters=${encodeURIComponent(JSON.stringify({ 'desired-state': ['running'] }))}`);
    log(`${info.length} tasks in the store`);
    if (info.length >= tasksTotal) return;
    if (Date.now() > deadline) throw new Error(`only ${info.length} of ${tasksTotal} tasks after 15 minutes`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

export async function unloadServices(socketPath: string): Promise<void> {
  const existing = await engineJson<{ ID: string }[]>(socketPath, `/v1.41/services?filters=${encodeURIComponent(JSON.stringify({ label: [LOAD_LABEL] }))}`);
  for (const s of existing) await engineRequest(socketPath, 'DELETE', `/v1.41/services/${s.ID}`);
}
