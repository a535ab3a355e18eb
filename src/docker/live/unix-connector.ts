import { openUnixSocket } from '../connection.js';
import { describeEndpoint, type Connector } from '../endpoint.js';
import { DockerApiError } from '../errors.js';

/** Connects to unix endpoints only, with nothing to ask (no prompter, no keychain): the e2e tests' way to the lab's engines. */
export const unixConnector: Connector = (endpoint) => {
  if (endpoint.kind !== 'unix') {
    return Promise.reject(new DockerApiError(`${describeEndpoint(endpoint)}: only unix sockets are supported here`, null, 'EPROTONOSUPPORT'));
  }
  return Promise.resolve(openUnixSocket(endpoint.socketPath));
};
