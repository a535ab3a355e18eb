import { ConnectError } from '../../../src/docker/connect/errors.js';

/** The ConnectError a connection attempt fails with (any other outcome fails the test). */
export async function connectFailure(p: Promise<unknown>): Promise<ConnectError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ConnectError) return err;
    throw err;
  }
  throw new Error('expected the connection to fail');
}
