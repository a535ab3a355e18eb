import { Agent, type AgentOptions } from 'node:http';
import { Duplex } from 'node:stream';
import type { Client, ClientChannel } from 'ssh2';

export type ChannelMode = 'streamlocal' | 'dial-stdio';

/**
 * An http.Agent whose "sockets" are channels of ONE ssh connection: every API request and stream
 * (events, logs) is a channel multiplexed over it, so there is one TCP connection and one SSH
 * handshake per manager, not one per request. Idle channels are kept alive and reused.
 */
export class SshChannelAgent extends Agent {
  private mode: ChannelMode;
  channelsOpened = 0;
  private readonly channels = new Set<Duplex>();
  private lost: Error | null = null;

  constructor(
    private readonly client: Client,
    private readonly socketPath: string,
    mode: ChannelMode,
    options: AgentOptions = {},
  ) {
    super({ keepAlive: true, ...options });
    this.mode = mode;
    client.once('close', () => this.connectionLost());
  }

  /**
   * When the SSH connection drops, ssh2 ends its channels' readable side but an idle kept-alive channel
   * never emits 'close': the next request would be written into it and wait forever (a lost action).
   * Every channel is failed instead, so requests on them (and later ones) fail at once, in words.
   */
  private connectionLost(): void {
    this.lost ??= new Error('the SSH connection was lost');
    for (const channel of this.channels) Duplex.prototype.destroy.call(channel, this.lost);
    this.channels.clear();
  }

  get channelMode(): ChannelMode {
    return this.mode;
  }

  override createConnection(_options: unknown, callback?: (err: Error | null, socket: Duplex) => void): Duplex | undefined {
    if (this.lost) {
      const lost = this.lost;
      process.nextTick(() => callback?.(lost, undefined as unknown as Duplex));
      return undefined;
    }
    openDockerChannel(this.client, this.socketPath, this.mode).then(
      (channel) => {
        this.channelsOpened += 1;
        this.channels.add(channel);
        channel.once('close', () => this.channels.delete(channel));
        callback?.(null, asSocket(channel));
      },
      (err: unknown) => callback?.(err instanceof Error ? err : new Error(String(err)), undefined as unknown as Duplex),
    );
    return undefined;
  }
}

/** Error code of a remote dial-stdio that ran and failed (its stderr is the message). */
export const DIAL_STDIO_FAILED = 'DIAL_STDIO_FAILED';

/** The remote docker command that bridges stdio to the engine socket (fallback when forwarding is off). */
export function dialStdioCommand(socketPath: string): string {
  return socketPath === '/var/run/docker.sock' ? 'docker system dial-stdio' : `docker -H 'unix://${socketPath.replace(/'/g, `'\\''`)}' system dial-stdio`;
}

export function openDockerChannel(client: Client, socketPath: string, mode: ChannelMode): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    if (mode === 'streamlocal') {
      client.openssh_forwardOutStreamLocal(socketPath, (err, channel) => (err ? reject(err) : resolve(channel)));
      return;
    }
    client.exec(dialStdioCommand(socketPath), (err, channel) => (err ? reject(err) : resolve(dialStdioStream(channel))));
  });
}

/**
 * A dial-stdio channel whose end waits for the command's exit status. A dial-stdio that cannot reach the
 * engine prints why on stderr and exits; its stdout ends first, which HTTP would report as "socket hang
 * up". Held until the exit status (or the channel's close), a failed one ends the stream with its own words.
 */
function dialStdioStream(channel: ClientChannel): Duplex {
  let stderr = '';
  let ended = false;
  let exitCode: number | null | undefined;
  let closed = false;
  const stream = new Duplex({
    read: () => void channel.resume(),
    write: (chunk: Buffer, _enc, cb) => void channel.write(chunk, cb),
    final: (cb) => {
      channel.end();
      cb();
    },
    destroy: (err, cb) => {
      channel.destroy();
      cb(err);
    },
  });
  const settle = (): void => {
    if (!ended || (exitCode === undefined && !closed) || stream.destroyed) return;
    if (exitCode !== 0 && exitCode !== undefined && stderr.trim() !== '') stream.destroy(Object.assign(new Error(`the remote host said: ${stderr.trim()}`), { code: DIAL_STDIO_FAILED }));
    else stream.push(null);
  };
  channel.stderr.on('data', (d: Buffer) => {
    if (stderr.length < 2000) stderr += d.toString('utf8');
  });
  channel.on('data', (d: Buffer) => {
    if (!stream.push(d)) channel.pause();
  });
  channel.on('end', () => {
    ended = true;
    settle();
  });
  channel.on('exit', (code: number | null) => {
    exitCode = code;
    settle();
  });
  channel.on('close', () => {
    closed = true;
    ended = true;
    settle();
  });
  channel.on('error', (err: Error) => stream.destroy(err));
  return stream;
}

/**
 * http's client and Agent treat connections as net.Sockets (keep-alive, timeouts, ref/unref).
 * A channel is a plain Duplex, so those calls are given meaning here: keep-alive and no-delay belong
 * to the one TCP connection underneath; the idle timeout is kept per channel.
 */
function asSocket(channel: Duplex): Duplex {
  const s = channel as Duplex & Record<string, unknown>;
  let timer: NodeJS.Timeout | null = null;
  let idleMs = 0;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = idleMs > 0 ? setTimeout(() => channel.emit('timeout'), idleMs) : null;
    timer?.unref();
  };
  s.setTimeout = (ms: number, cb?: () => void): Duplex => {
    idleMs = ms;
    if (cb) channel.once('timeout', cb);
    arm();
    return channel;
  };
  channel.on('data', () => {
    if (idleMs > 0) arm();
  });
  channel.once('close', () => {
    if (timer) clearTimeout(timer);
  });
  s.setNoDelay = () => channel;
  s.setKeepAlive = () => channel;
  s.ref = () => channel;
  s.unref = () => channel;
  return channel;
}
