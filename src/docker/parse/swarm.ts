import { X509Certificate } from 'node:crypto';
import type { SwarmModel } from '../../store/model.js';
import { bool, id, num, obj, str, text, time } from './json.js';

/** The NotAfter of a PEM certificate, epoch ms; 0 when it cannot be read (the engine sent none, or nonsense). */
export function certificateExpiry(pem: string): number {
  if (!pem.includes('BEGIN CERTIFICATE')) return 0;
  try {
    const at = Date.parse(new X509Certificate(pem).validTo);
    return Number.isFinite(at) ? at : 0;
  } catch {
    return 0;
  }
}

/**
 * GET /swarm. Join tokens are reduced to their presence here, at the boundary, so that no token value
 * ever reaches the store, a log or the screen (they are fetched again when an operator reveals one).
 */
export function parseSwarm(v: unknown): SwarmModel | null {
  const swarmId = id(v);
  if (swarmId === null) return null;
  const spec = obj(v, 'Spec');
  const tls = obj(v, 'TLSInfo');
  const tokens = obj(v, 'JoinTokens');
  return {
    id: swarmId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    hasWorkerToken: str(tokens, 'Worker') !== '',
    hasManagerToken: str(tokens, 'Manager') !== '',
    autolockManagers: bool(obj(spec, 'EncryptionConfig'), 'AutoLockManagers'),
    rootRotationInProgress: bool(v, 'RootRotationInProgress'),
    nodeCertExpiryNs: num(obj(spec, 'CAConfig'), 'NodeCertExpiry'),
    trustRoot: text(tls, 'TrustRoot'),
    caExpiresAt: certificateExpiry(text(tls, 'TrustRoot')),
    certIssuerSubject: str(tls, 'CertIssuerSubject'),
    certIssuerPublicKey: str(tls, 'CertIssuerPublicKey'),
    taskHistoryLimit: num(obj(spec, 'Orchestration'), 'TaskHistoryRetentionLimit'),
    heartbeatPeriodNs: num(obj(spec, 'Dispatcher'), 'HeartbeatPeriod'),
  };
}
