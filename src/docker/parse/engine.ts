import type { EngineModel } from '../../store/model.js';
import { bool, isObj, num, obj, str } from './json.js';

/**
 * GET /info and GET /version combined. Never null: even an engine that answers nonsense is an engine
 * we are talking to, and its name/version default to empty.
 */
export function parseEngine(info: unknown, version: unknown): EngineModel {
  const swarm = obj(info, 'Swarm');
  return {
    name: str(info, 'Name'),
    serverVersion: str(info, 'ServerVersion', str(version, 'Version')),
    apiVersion: str(version, 'ApiVersion'),
    nodeId: str(swarm, 'NodeID'),
    nodeAddr: str(swarm, 'NodeAddr'),
    localNodeState: str(swarm, 'LocalNodeState', isObj(info) ? 'inactive' : ''),
    controlAvailable: bool(swarm, 'ControlAvailable'),
    managers: num(swarm, 'Managers'),
    nodes: num(swarm, 'Nodes'),
    swarmError: str(swarm, 'Error'),
  };
}
