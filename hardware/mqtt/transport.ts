import { readFileSync } from 'node:fs';
import type { IClientOptions, IClientPublishOptions, MqttClient } from 'mqtt';
import {
  BufferRing,
  createLinkCounters,
  type LinkCounters,
  type MessageListener,
  type StatusListener,
  type Transport,
} from '../link/transport.ts';
import { appendCrc, checkCrc, crcSize } from '../protocol/framing.ts';
import { headerSize, maxMessageSize } from '../protocol/messages.ts';
import {
  type LinkRole,
  peerOf,
  qosByType,
  robotRoot,
  sharedEstopTopic,
  statusTopic,
  topicFor,
} from './topics.ts';

export interface MqttTransportOptions {
  /** mqtt://host:port or mqtts://host:port. */
  readonly url: string;
  readonly robot: string;
  readonly role: LinkRole;
  readonly topicPrefix: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM files for mqtts:// (paths already resolved). */
  readonly tls?: {
    readonly ca?: string;
    readonly cert?: string;
    readonly key?: string;
    readonly rejectUnauthorized: boolean;
  };
  /** Seconds; the broker publishes our last will after 1.5x this without traffic. */
  readonly keepaliveS: number;
  readonly reconnectMs: number;
  readonly connectTimeoutMs: number;
  /**
   * Refuse to send commands unauthenticated to a broker beyond loopback. Only an explicit
   * `allowUnauthenticated: true` lifts this (docs/security.md).
   */
  readonly allowUnauthenticated?: boolean;
  /**
   * Speaks on the link without announcing itself: no `online`/`offline` on its status topic and no
   * last will, so a second host asking a rig's status never tells the rig its owner went offline.
   */
  readonly observer?: boolean;
}

/** True for 127.0.0.0/8, ::1 and localhost: the only brokers reachable by this machine alone. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Buffers for outgoing QoS 0 messages, reused round-robin. */
const ringSlots = 256;
/**
 * Bytes the client's socket may hold unsent before a QoS 0 message is dropped. The client hands each
 * payload to the socket by reference (and corks it until the next tick), so a buffer is free again
 * only once the socket has written it. Every message puts at least its payload (header + CRC bytes)
 * in that queue, so under this bound fewer than `ringSlots` buffers can be waiting: a burst cannot
 * reuse a queued buffer and publish a newer message twice. Past it the link is backed up and a newer
 * state or command is worth more than one queued behind it.
 */
const maxBacklogBytes = (ringSlots - 1) * (headerSize + crcSize);

const streamOptions: Record<number, IClientPublishOptions> = {};
for (const [type, qos] of Object.entries(qosByType)) {
  streamOptions[Number(type)] = { qos, retain: false };
}

/**
 * MQTT transport (MQTT 5, falling back to 3.1.1 for brokers that refuse 5, e.g. the embedded aedes).
 * One message per publish: header + body + CRC-32, no COBS (MQTT delimits payloads itself; the CRC
 * still catches corruption between the firmware's encoder and ours). Publishing is fire-and-forget:
 * nothing in a control tick waits for the broker. QoS 0 messages are never queued while offline, so a
 * reconnect cannot replay stale commands.
 */
export class MqttTransport implements Transport {
  readonly counters: LinkCounters = createLinkCounters();
  readonly description: string;
  private client: MqttClient | undefined;
  private readonly root: string;
  private readonly topics: Record<number, string> = {};
  private readonly ring = new BufferRing(ringSlots, maxMessageSize + crcSize);
  private readonly rx = new Uint8Array(maxMessageSize + crcSize);
  private readonly messageListeners: MessageListener[] = [];
  private readonly statusListeners: StatusListener[] = [];
  wireTap: ((bytes: Uint8Array, length: number) => void) | undefined;
  private isConnected = false;
  private peerOnline = false;
  private protocolVersion: 4 | 5 = 5;

  constructor(private readonly options: MqttTransportOptions) {
    this.root = robotRoot(options.topicPrefix, options.robot);
    this.description = `mqtt ${options.url} ${this.root} (${options.role})`;
    for (const type of Object.keys(qosByType)) {
      this.topics[Number(type)] = topicFor(this.root, options.role, Number(type));
    }
    const url = new URL(options.url);
    if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') {
      throw new RangeError(`mqtt url '${options.url}': expected mqtt://host:port or mqtts://host:port`);
    }
    if (options.tls !== undefined && url.protocol !== 'mqtts:') {
      // mqtt.js would silently connect in plain text and ignore the certificates.
      throw new Error(
        `mqtt url '${options.url}' is plain MQTT but TLS options are set: use mqtts://${url.host} to encrypt, or remove the tls section`,
      );
    }
    if (!isLoopbackHost(url.hostname) && options.username === undefined && !options.allowUnauthenticated) {
      throw new Error(
        `mqtt broker ${url.host} is beyond loopback and no username is configured: anyone on that network ` +
          'could command the robot. Configure username/password (and TLS), or set allowUnauthenticated: true ' +
          'if you accept that risk (docs/security.md).',
      );
    }
  }

  get connected(): boolean {
    return this.isConnected && this.peerOnline;
  }

  onMessage(listener: MessageListener): void {
    this.messageListeners.push(listener);
  }

  onStatus(listener: StatusListener): void {
    this.statusListeners.push(listener);
  }

  async open(): Promise<void> {
    try {
      await this.connectWith(5);
    } catch (error) {
      if (!/protocol version/i.test(messageOf(error))) throw error;
      await this.connectWith(4);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.isConnected = false;
    if (client === undefined) return;
    if (client.connected && !this.options.observer) {
      await client
        .publishAsync(statusTopic(this.root, this.options.role), 'offline', { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await client.endAsync(true).catch(() => undefined);
  }

  /** Drops the broker connection without a goodbye, as a crash or a pulled cable would: the broker publishes our last will. */
  async abort(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.isConnected = false;
    await client?.endAsync(true).catch(() => undefined);
  }

  send(type: number, message: Uint8Array, length: number): boolean {
    const client = this.client;
    const topic = this.topics[type];
    if (client === undefined || !this.isConnected || topic === undefined) {
      this.counters.sendDropped++;
      return false;
    }
    let buffer: Buffer;
    if (qosByType[type] === 0) {
      if (client.stream.writableLength > maxBacklogBytes) {
        this.counters.sendDropped++;
        return false;
      }
      buffer = this.ring.take();
    } else {
      // The client keeps a QoS 1 message until the broker acknowledges it, and resends it after a
      // reconnect: it gets a buffer of its own (these are rare: hello, e-stop, session, acks).
      buffer = Buffer.allocUnsafe(length + crcSize);
    }
    buffer.set(message.subarray(0, length));
    const total = appendCrc(buffer, length);
    this.wireTap?.(buffer, total);
    client.publish(topic, buffer.subarray(0, total), streamOptions[type]!);
    this.counters.sent++;
    return true;
  }

  private async connectWith(protocolVersion: 4 | 5): Promise<void> {
    // The MQTT client loads when a link opens, not when a run that never uses it starts.
    const { connect } = await import('mqtt');
    const o = this.options;
    const tls = o.tls;
    const clientOptions: IClientOptions = {
      protocolVersion,
      clientId: `tether-${o.role}-${o.robot}-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
      clean: true,
      keepalive: o.keepaliveS,
      reconnectPeriod: o.reconnectMs,
      connectTimeout: o.connectTimeoutMs,
      queueQoSZero: false,
      ...(o.observer
        ? {}
        : {
            will: {
              topic: statusTopic(this.root, o.role),
              payload: Buffer.from('offline'),
              qos: 1,
              retain: true,
            },
          }),
      ...(o.username !== undefined ? { username: o.username } : {}),
      ...(o.password !== undefined ? { password: o.password } : {}),
      ...(tls
        ? {
            rejectUnauthorized: tls.rejectUnauthorized,
            ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}),
            ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}),
            ...(tls.key ? { key: readFileSync(tls.key) } : {}),
          }
        : {}),
    };
    return new Promise((resolve, reject) => {
      const client = connect(o.url, { ...clientOptions, reconnectPeriod: 0 });
      const fail = (error: Error) => {
        client.end(true);
        reject(new Error(`cannot connect to mqtt broker ${o.url}: ${error.message}`));
      };
      const timer = setTimeout(
        () => fail(new Error(`no answer within ${o.connectTimeoutMs} ms`)),
        o.connectTimeoutMs,
      );
      client.once('error', (error) => {
        clearTimeout(timer);
        fail(error);
      });
      client.once('connect', () => {
        clearTimeout(timer);
        client.removeAllListeners('error');
        // Reconnect only once the first connection proved the configuration right.
        client.options.reconnectPeriod = o.reconnectMs;
        this.protocolVersion = protocolVersion;
        this.attach(client);
        this.onConnected(client).then(resolve, reject);
      });
    });
  }

  private attach(client: MqttClient): void {
    this.client = client;
    noDelay(client);
    const peerStatus = statusTopic(this.root, peerOf(this.options.role));
    client.on('message', (topic, payload) => {
      if (topic === peerStatus) {
        this.setPeer(
          payload.toString() === 'online',
          `peer ${peerOf(this.options.role)} ${payload.toString()}`,
        );
        return;
      }
      this.receive(payload);
    });
    client.on('connect', () => {
      noDelay(client);
      this.counters.reconnects++;
      void this.onConnected(client).catch(() => undefined);
    });
    client.on('close', () => {
      if (!this.isConnected) return;
      this.isConnected = false;
      this.counters.disconnects++;
      this.emitStatus(false, 'broker connection lost');
    });
    client.on('error', () => undefined);
  }

  private async onConnected(client: MqttClient): Promise<void> {
    const peer = peerOf(this.options.role);
    await client.subscribeAsync({
      [`${this.root}/${peer}/#`]: { qos: 1 },
      [sharedEstopTopic(this.root)]: { qos: 1 },
    });
    if (!this.options.observer)
      await client.publishAsync(statusTopic(this.root, this.options.role), 'online', {
        qos: 1,
        retain: true,
      });
    this.isConnected = true;
    this.emitStatus(this.connected, this.peerOnline ? 'connected' : `connected, waiting for ${peer}`);
  }

  private setPeer(online: boolean, reason: string): void {
    if (online === this.peerOnline) return;
    this.peerOnline = online;
    if (!online) this.counters.disconnects++;
    if (this.isConnected) this.emitStatus(this.connected, reason);
  }

  private receive(payload: Buffer): void {
    if (payload.length > this.rx.length || payload.length < crcSize) {
      this.counters.framingErrors++;
      return;
    }
    this.rx.set(payload);
    const length = checkCrc(this.rx, payload.length);
    if (length < 0) {
      this.counters.crcErrors++;
      return;
    }
    this.counters.received++;
    const listeners = this.messageListeners;
    for (let i = 0; i < listeners.length; i++) listeners[i]!(this.rx, length);
  }

  private emitStatus(connected: boolean, reason: string): void {
    for (const listener of this.statusListeners) listener(connected, reason);
  }

  /** 5 or 4 (3.1.1), whichever the broker accepted. */
  get mqttVersion(): 4 | 5 {
    return this.protocolVersion;
  }
}

/**
 * Small messages on a busy socket otherwise wait for the previous one's ACK (Nagle), which the peer
 * piggybacks on its next message: tens of milliseconds of latency at 100 Hz.
 */
function noDelay(client: MqttClient): void {
  const stream = client.stream as { setNoDelay?: (on: boolean) => void } | undefined;
  stream?.setNoDelay?.(true);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
