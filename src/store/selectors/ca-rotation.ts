import type { Id, NodeState } from '../model.js';
import type { ClusterState } from '../state.js';

export interface CaNodeProgress {
  id: Id;
  hostname: string;
  state: NodeState;
  /** The node's certificate is issued by the swarm's current root CA. */
  rotated: boolean;
}

export interface CaRotationProgress {
  /** The swarm says a root rotation is under way (it ends once every node has a new certificate). */
  inProgress: boolean;
  total: number;
  rotated: number;
  /** Everything rotated and the swarm no longer reports a rotation in progress. */
  complete: boolean;
  /** Not rotated first (the nodes to look at), then by hostname. */
  nodes: readonly CaNodeProgress[];
}

/**
 * CA rotation progress per node, the way `docker swarm ca --rotate` measures it: a node has rotated
 * when its TLS certificate's issuer (subject and public key) equals the swarm's current issuer.
 */
export function selectCaRotation(state: Pick<ClusterState, 'swarm' | 'nodes'>): CaRotationProgress {
  const swarm = state.swarm;
  const nodes: CaNodeProgress[] = [];
  for (const n of state.nodes.values()) {
    const rotated = swarm !== null && n.tlsIssuerPublicKey === swarm.certIssuerPublicKey && n.tlsIssuerSubject === swarm.certIssuerSubject;
    nodes.push({ id: n.id, hostname: n.hostname, state: n.state, rotated });
  }
  nodes.sort((a, b) => Number(a.rotated) - Number(b.rotated) || a.hostname.localeCompare(b.hostname));
  const rotated = nodes.filter((n) => n.rotated).length;
  const inProgress = swarm?.rootRotationInProgress ?? false;
  return { inProgress, total: nodes.length, rotated, complete: !inProgress && rotated === nodes.length, nodes };
}
