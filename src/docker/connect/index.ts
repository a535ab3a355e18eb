/** The connection layer's public surface. */
export { createConnector, connectTarget } from './connector.js';
export { interactiveConnectOptions, type ConnectOptions } from './options.js';
export { ConnectError, AllEndpointsFailedError, type ConnectFailure } from './errors.js';
export type { SshDockerConnection } from './ssh.js';
