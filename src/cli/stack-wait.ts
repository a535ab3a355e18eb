import type { DockerConnection } from '../docker/connection.js';
import { apiRequest } from '../docker/api/request.js';
import { asObject } from '../docker/api/specs.js';

/**
 * `--detach=false`: waits until every deployed service has as many running tasks as it wants (jobs:
 * completed), or the bound passes. Polls once a second; never longer than `limitMs`.
 */
export async function waitConverged(conn: DockerConnection, services: readonly { id: string; name: string }[], out: NodeJS.WritableStream, err: NodeJS.WritableStream, limitMs = 300_000): Promise<number> {
  const deadline = Date.now() + limitMs;
  const pending = new Map(services.map((s) => [s.id, s.name]));
  while (pending.size > 0) {
    for (const [id, name] of [...pending]) {
      const svc = asObject(await apiRequest(conn, 'GET', `/services/${encodeURIComponent(id)}`, { query: { status: true } }));
      const status = asObject(svc.ServiceStatus);
      const desired = typeof status.DesiredTasks === 'number' ? status.DesiredTasks : 0;
      const running = typeof status.RunningTasks === 'number' ? status.RunningTasks : 0;
      const job = 'ReplicatedJob' in asObject(asObject(svc.Spec).Mode) || 'GlobalJob' in asObject(asObject(svc.Spec).Mode);
      if ((job && typeof status.CompletedTasks === 'number' && status.CompletedTasks >= desired) || (!job && running >= desired)) {
        out.write(`${name}: converged (${running}/${desired})\n`);
        pending.delete(id);
      }
    }
    if (pending.size === 0) break;
    if (Date.now() > deadline) {
      err.write(`swarmtop: not converged within ${limitMs / 1000} s: ${[...pending.values()].join(', ')}\n`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  return 0;
}
