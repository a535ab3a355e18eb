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
  private readonly channels = new Set<ClientChannel>();
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

/** The remote docker command that bridges stdio to the engine socket (fallback when forwarding is off). */
export function dialStdioCommand(socketPath: string): string {
  return socketPath === '/var/run/docker.sock' ? 'docker system dial-stdio' : `docker -H 'unix://${socketPath.replace(/'/g, `'\\''`)}' system dial-stdio`;
}

export function openDockerChannel(client: Client, socketPath: string, mode: ChannelMode): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    if (mode === 'streamlocal') {
      client.openssh_forwardOutStreamLocal(socketPath, (err, channel) => (err ? reject(err) : resolve(channel)));
      return;
    }
    client.exec(dialStdioCommand(socketPath), (err, channel) => {
      if (err) return reject(err);
      let stderr = '';
      channel.stderr.on('data', (d: Buffer) => {
        if (stderr.length < 2000) stderr += d.toString('utf8');
      });
      // A dial-stdio that cannot reach the engine exits at once: surface its own words.
      channel.once('exit', (code: number | null) => {
        if (code !== 0 && stderr !== '') (channel as Duplex).destroy(new Error(`docker system dial-stdio on the remote host failed: ${stderr.trim()}`));
      });
      resolve(channel);
    });
  });
}

/**
 * http's client and Agent treat connections as net.Sockets (keep-alive, timeouts, ref/unref).
 * A channel is a plain Duplex, so those calls are given meaning here: keep-alive and no-delay belong
 * to the one TCP connection underneath; the idle timeout is kept per channel.
 */
function asSocket(channel: ClientChannel): Duplex {
  const s = channel as ClientChannel & Record<string, unknown>;
  let timer: NodeJS.Timeout | null = null;
  let idleMs = 0;
  const arm = (): void => {
    if (timer) clearTimeout(timer);
    timer = idleMs > 0 ? setTimeout(() => channel.emit('timeout'), idleMs) : null;
    timer?.unref();
  };
  s.setTimeout = (ms: number, cb?: () => void): ClientChannel => {
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
