import { connect as netConnect, type Socket } from 'node:net';
import { userInfo } from 'node:os';
import ssh2, { type ConnectConfig } from 'ssh2';
import { defaultIdentityFiles, loadSshHost } from '../../config/ssh-config.js';
import { keychainAccount } from '../../config/keychain.js';
import { DEFAULT_SOCKET, type DockerConnection } from '../connection.js';
import { describeEndpoint, type EndpointSpec } from '../endpoint.js';
import { dockerClient, ping } from './dockerode.js';
import { ConnectError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { sshAuthHandler, type SshAuthState } from './ssh-auth.js';
import { DIAL_STDIO_FAILED, SshChannelAgent, type ChannelMode } from './ssh-channel-agent.js';
import { algorithmMismatch, remoteAlgorithmRecorder, sshAlgorithms } from './ssh-algorithms.js';
import { hostKeyVerifier, preferredHostKeyAlgorithms, type HostKeyOutcome } from './ssh-host-key.js';

type SshEndpoint = Extract<EndpointSpec, { kind: 'ssh' }>;

/** An SSH connection to one manager: one TCP connection, one SSH session, many channels. */
export interface SshDockerConnection extends DockerConnection {
  /** How channels reach the engine: direct-streamlocal forwarding, or `docker system dial-stdio`. */
  readonly channelMode: ChannelMode;
  /** Channels opened so far (each HTTP keep-alive connection or stream is one). */
  channelsOpened(): number;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'root';
  }
}

function tcpSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = netConnect({ host, port, noDelay: true, keepAlive: true, keepAliveInitialDelay: 10_000 });
    const timer = setTimeout(() => sock.destroy(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' })), timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.setNoDelay(true);
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function openSsh(ep: SshEndpoint, opts: ResolvedOptions, signal?: AbortSignal): Promise<SshDockerConnection> {
  const cfg = loadSshHost(ep.host, opts.sshConfigFile, { home: opts.home, localUser: localUser() });
  const host = cfg.hostName;
  const port = ep.port ?? cfg.port ?? 22;
  const username = ep.user ?? cfg.user ?? localUser();
  const endpoint = describeEndpoint({ ...ep, user: username });
  const socketPath = ep.socketPath ?? DEFAULT_SOCKET;
  const identityFiles = ep.identityFile ? [ep.identityFile] : cfg.identityFiles.length > 0 ? cfg.identityFiles : defaultIdentityFiles(opts.home);

  let sock: Socket;
  try {
    sock = await tcpSocket(host, port, opts.connectTimeoutMs);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw new ConnectError(endpoint, 'unreachable', `${typeof code === 'string' ? `${code}: ` : ''}${err instanceof Error ? err.message : String(err)}`);
  }

  // Abandoned while the handshake waits (the console is quitting): the socket goes, so nothing keeps
  // the process alive until the (generous) ready timeout.
  const abandon = (): void => {
    sock.destroy(new Error('connection abandoned'));
  };
  if (signal?.aborted) abandon();
  signal?.addEventListener('abort', abandon, { once: true });

  const hostKey: HostKeyOutcome = { failure: null };
  const auth: SshAuthState = { tried: [], askedPassword: null };
  const client = new ssh2.Client();
  const legacy = ep.legacyAlgorithms === true;
  // The server's algorithm lists, recorded during the handshake only, to explain a mismatch in words.
  const remoteAlgos = remoteAlgorithmRecorder();
  const config: ConnectConfig = {
    sock,
    username,
    hostVerifier: hostKeyVerifier(endpoint, host, port, opts, hostKey, cfg.hashKnownHosts),
    authHandler: sshAuthHandler({ endpoint, username, agentSocket: cfg.identitiesOnly ? null : (opts.env.SSH_AUTH_SOCK ?? null), identityFiles }, opts, auth),
    keepaliveInterval: 10_000,
    keepaliveCountMax: 3,
    // Generous: the operator may be typing a passphrase or checking a fingerprint meanwhile.
    readyTimeout: Math.max(opts.connectTimeoutMs, 120_000),
    algorithms: sshAlgorithms(preferredHostKeyAlgorithms(host, port, opts), legacy),
    debug: remoteAlgos.debug,
  };
  client.once('handshake', () => remoteAlgos.stop());

  // ssh2 can emit a second error for one failure (a handshake timeout or a reset before the server's
  // banner is followed by 'Connection lost before handshake'); with no listener left that would crash
  // the console. The first error settles the attempt below; any later one is handled by the caller's
  // reconnect, so a listener stays for the client's whole life.
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      client.removeListener('ready', onReady);
      sock.destroy();
      if (hostKey.failure) return reject(hostKey.failure);
      const level = (err as { level?: unknown }).level;
      if (level === 'client-authentication' || /authentication methods failed/i.test(err.message)) {
        const tried = auth.tried.length > 0 ? auth.tried.join(', ') : 'nothing (no agent, no key file, no password given)';
        return reject(new ConnectError(endpoint, 'ssh-auth', `authentication failed for ${username} (tried: ${tried})`));
      }
      const mismatch = algorithmMismatch(err.message, remoteAlgos.remote, legacy);
      if (mismatch !== null) return reject(new ConnectError(endpoint, 'ssh-algorithms', mismatch));
      reject(new ConnectError(endpoint, 'unreachable', `ssh: ${err.message}`));
    };
    const onReady = (): void => {
      client.removeListener('error', onError);
      resolve();
    };
    client.once('ready', onReady);
    client.once('error', onError);
    client.connect(config);
  });
  if (auth.askedPassword !== null && (await opts.secrets.hasKeychain())) {
    const password = auth.askedPassword;
    auth.askedPassword = null;
    const account = keychainAccount(endpoint, 'ssh-password');
    const save = await opts.secrets.confirm('Save the password in the OS keychain?').catch(() => false);
    if (save) await opts.secrets.remember(account, password).catch((err: unknown) => opts.notice(`could not save the password: ${err instanceof Error ? err.message : String(err)}`));
  }

  const tryMode = async (mode: ChannelMode): Promise<SshChannelAgent> => {
    const agent = new SshChannelAgent(client, socketPath, mode);
    try {
      await ping(dockerClient({ agent }), opts.connectTimeoutMs);
      return agent;
    } catch (err) {
      agent.destroy();
      throw err;
    }
  };
  let agent: SshChannelAgent;
  try {
    agent = await tryMode('streamlocal');
  } catch (forwardErr) {
    try {
      agent = await tryMode('dial-stdio');
      opts.notice(`${endpoint}: socket forwarding refused (${errText(forwardErr)}); using docker system dial-stdio`);
    } catch (stdioErr) {
      client.end();
      // A dial-stdio that ran and failed said why (no engine at that socket...); one that never ran needs the CLI.
      const ran = (stdioErr as { code?: unknown }).code === DIAL_STDIO_FAILED;
      throw new ConnectError(
        endpoint,
        'ssh-forward',
        `cannot reach the engine socket ${socketPath} through ssh: forwarding failed (${errText(forwardErr)}) and docker system dial-stdio failed (${errText(stdioErr)}). ${ran ? 'Check that the engine runs there and the socket path (socket: in the context)' : 'Allow AllowStreamLocalForwarding on the server or install the docker CLI there'}`,
      );
    }
  }

  signal?.removeEventListener('abort', abandon);
  const docker = dockerClient({ agent });
  let closed = false;
  return {
    endpoint,
    docker,
    channelMode: agent.channelMode,
    channelsOpened: () => agent.channelsOpened,
    close: () => {
      if (closed) return Promise.resolve();
      closed = true;
      agent.destroy();
      return new Promise<void>((resolve) => {
        client.once('close', () => resolve());
        client.end();
        setTimeout(resolve, 2000).unref();
      });
    },
  };
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
