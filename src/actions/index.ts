export { ACTIONS, actionsFor, actionByKey, actionByCommand } from './registry.js';
export { guardAction, guardedActions, type GuardOptions } from './guard.js';
export { fileAuditLog, type AuditEntry, type AuditSink } from './audit.js';
