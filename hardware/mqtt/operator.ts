/**
 * The operator channel over MQTT (docs/security.md, "Operators"): operator commands (`estop`,
 * `recover`, `switch NAME`, `status`) reach a running runtime through the broker, authenticated
 * exactly like the runtime's commands to its rig: sealed with a key derived from the rig's link key
 * (the owner's key), with a counter that must increase, so a forged or replayed command is refused
 * and counted. Replies come back sealed too, so an operator knows which runtime answered.
 *
 *   <prefix>/<robot>/operator/hello    runtime → operators  OPERATOR_HELLO: the run's nonce (retained;
 *                                                           cleared when the run ends, also by last will)
 *   <prefix>/<robot>/operator/command  operator → runtime   OPERATOR (sealed, operator key)
 *   <prefix>/<robot>/operator/reply    runtime → operator   OPERATOR_REPLY (sealed, runtime key)
 *
 * The operator key of a run is derived from the link key and the run's nonce, so commands sealed for
 * an earlier run are refused too (docs/protocol.md §5.1).
 */
import type { IClientOptions, MqttClient } from 'mqtt';
import { z } from 'zod';
import { AuthError, LinkAuth, randomNonce } from '../link/session.ts';
import {
  AuthMode,
  deriveSession,
  nonceSize,
  type SessionKeys,
  seal,
  trailerCounter,
  trailerSize,
} from '../protocol/auth.ts';
import { appendCrc, checkCrc, crcSize } from '../protocol/framing.ts';
import {
  decodeHeader,
  decodeOperatorCommand,
  decodeOperatorHello,
  decodeOperatorReply,
  encodeOperatorCommand,
  encodeOperatorHello,
  encodeOperatorReply,
  type Header,
  headerSize,
  MessageType,
  maxMessageSize,
} from '../protocol/messages.ts';
import { isLoopbackHost } from './transport.ts';

export const mqttOperatorSchema = z
  .object({
    /** Broker URL; default: the robot's broker when the robot is on MQTT. */
    url: z.string().optional(),
    topicPrefix: z.string().min(1).optional(),
    /** Topic level (`<prefix>/<robot>/operator/...`); default: the MQTT robot's name. */
    robot: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    username: z.string().optional(),
    passwordEnv: z.string().optional(),
    tls: z
      .object({
        ca: z.string().optional(),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .optional(),
    /** The key operator messages are sealed with; default: the robot's link key (`robot.auth.keyEnv`). */
    keyEnv: z.string().min(1).optional(),
    allowUnauthenticated: z.boolean().default(false),
  })
  .strict();

export type MqttOperatorOptionsInput = z.output<typeof mqttOperatorSchema>;

/** Resolved options: everything the channel needs to connect and verify. */
export interface MqttOperatorOptions {
  readonly url: string;
  readonly topicPrefix: string;
  readonly robot: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM contents or paths already resolved to contents. */
  readonly tls?: {
    readonly ca?: Buffer;
    readonly cert?: Buffer;
    readonly key?: Buffer;
    readonly rejectUnauthorized: boolean;
  };
  readonly deviceKey: Uint8Array;
  readonly allowUnauthenticated?: boolean;
}

export interface OperatorConsoleLike {
  execute(line: string, source: string): Promise<{ readonly ok: boolean; readonly message: string }>;
}

export function operatorTopics(prefix: string, robot: string) {
  const root = `${prefix}/${robot}/operator`;
  return { hello: `${root}/hello`, command: `${root}/command`, reply: `${root}/reply` };
}

const zeroNonce = new Uint8Array(nonceSize);

/** Both ends derive the run's operator keys from the link key and the run's nonce. */
export function operatorKeys(auth: LinkAuth, nonce: Uint8Array): SessionKeys {
  return deriveSession(auth.device, nonce, zeroNonce, true);
}

function checkUrl(o: MqttOperatorOptions): void {
  const url = new URL(o.url);
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:')
    throw new RangeError(`operator.mqtt.url '${o.url}': expected mqtt://host:port or mqtts://host:port`);
  if (o.tls !== undefined && url.protocol !== 'mqtts:')
    throw new Error(
      `operator.mqtt.url '${o.url}' is plain MQTT but TLS options are set: use mqtts://${url.host}`,
    );
  if (!isLoopbackHost(url.hostname) && o.username === undefined && !o.allowUnauthenticated)
    throw new Error(
      `operator.mqtt: broker ${url.host} is beyond loopback and no username is configured; configure username/password (and TLS) or allowUnauthenticated: true`,
    );
}

function clientOptions(o: MqttOperatorOptions, role: string, will?: IClientOptions['will']): IClientOptions {
  return {
    clientId: `tether-operator-${role}-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
    clean: true,
    keepalive: 5,
    reconnectPeriod: 500,
    connectTimeout: 3000,
    protocolVersion: 4,
    queueQoSZero: false,
    ...(will ? { will } : {}),
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(o.password !== undefined ? { password: o.password } : {}),
    ...(o.tls
      ? {
          rejectUnauthorized: o.tls.rejectUnauthorized,
          ...(o.tls.ca ? { ca: o.tls.ca } : {}),
          ...(o.tls.cert ? { cert: o.tls.cert } : {}),
          ...(o.tls.key ? { key: o.tls.key } : {}),
        }
      : {}),
  };
}

function connected(client: MqttClient, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`operator channel: no answer from mqtt broker ${url} within 3000 ms`));
    }, 3000);
    client.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
    client.once('error', (error) => {
      clearTimeout(timer);
      client.end(true);
      reject(new Error(`operator channel: cannot connect to mqtt broker ${url}: ${error.message}`));
    });
  });
}

/** The counter a reply names for a command of `length` bytes (CRC removed): 0 when it has no trailer. */
function trailerCounterOrZero(message: Uint8Array, length: number): number {
  return length >= headerSize + trailerSize ? trailerCounter(message, length) : 0;
}

/** The counter the run's reply to this framed command (CRC included) will name. */
function requestCounterOf(payload: Uint8Array): number {
  return trailerCounterOrZero(payload, Math.max(0, payload.length - crcSize));
}

export interface OperatorChannelCounters {
  commands: number;
  /** Commands whose tag did not verify (another key, a changed byte) or that were not sealed. */
  forged: number;
  unauthenticated: number;
  /** Verified commands whose counter was not above the last one: replays. */
  replayed: number;
  malformed: number;
}

/**
 * The runtime's end: subscribes to the command topic, verifies every command, runs it on the
 * operator console (`source` `mqtt`) and publishes the sealed reply. Until `attach`, commands are
 * answered with "not running yet".
 */
export class MqttOperatorSource {
  readonly counters: OperatorChannelCounters = {
    commands: 0,
    forged: 0,
    unauthenticated: 0,
    replayed: 0,
    malformed: 0,
  };
  private console: OperatorConsoleLike | undefined;
  private readonly auth: LinkAuth;
  private readonly topics: ReturnType<typeof operatorTopics>;
  private readonly out = new Uint8Array(maxMessageSize + crcSize);
  private readonly rx = new Uint8Array(maxMessageSize + crcSize);
  private replySeq = 0;
  onRefused: ((reason: string) => void) | undefined;

  private constructor(
    private readonly client: MqttClient,
    readonly options: MqttOperatorOptions,
    readonly nonce: Uint8Array,
  ) {
    this.auth = new LinkAuth(options.deviceKey, 'rig');
    this.auth.adopt(operatorKeys(this.auth, nonce));
    this.topics = operatorTopics(options.topicPrefix, options.robot);
  }

  static async start(options: MqttOperatorOptions): Promise<MqttOperatorSource> {
    checkUrl(options);
    // The MQTT client loads only for a run with an MQTT operator channel.
    const { connect } = await import('mqtt');
    const topics = operatorTopics(options.topicPrefix, options.robot);
    // The last will clears the retained hello: a crashed run leaves no nonce behind.
    const client = connect(
      options.url,
      clientOptions(options, 'runtime', {
        topic: topics.hello,
        payload: Buffer.alloc(0),
        qos: 1,
        retain: true,
      }),
    );
    await connected(client, options.url);
    const source = new MqttOperatorSource(client, options, randomNonce());
    client.on('message', (topic, payload) => {
      if (topic === topics.command) void source.receive(payload);
    });
    client.on('error', () => undefined);
    await client.subscribeAsync(topics.command, { qos: 1 });
    await source.publishHello();
    client.on('connect', () => void source.publishHello().catch(() => undefined));
    return source;
  }

  /** From now on commands run on `console`. */
  attach(console: OperatorConsoleLike): void {
    this.console = console;
  }

  async close(): Promise<void> {
    this.console = undefined;
    await this.client
      .publishAsync(this.topics.hello, Buffer.alloc(0), { qos: 1, retain: true })
      .catch(() => undefined);
    await this.client.endAsync().catch(() => undefined);
  }

  private async publishHello(): Promise<void> {
    const n = encodeOperatorHello(this.out, 1, Date.now() * 1000, { nonce: this.nonce });
    const sealed = this.auth.seal(this.out, n, 'device');
    const total = appendCrc(this.out, sealed);
    await this.client.publishAsync(this.topics.hello, Buffer.from(this.out.subarray(0, total)), {
      qos: 1,
      retain: true,
    });
  }

  private refuse(reason: string, counter: keyof OperatorChannelCounters): void {
    this.counters[counter]++;
    this.onRefused?.(reason);
  }

  private async receive(payload: Buffer): Promise<void> {
    if (payload.length < crcSize || payload.length > this.rx.length)
      return this.refuse('malformed frame', 'malformed');
    this.rx.set(payload);
    const length = checkCrc(this.rx, payload.length);
    if (length < 0) return this.refuse('bad CRC', 'malformed');
    const header: Header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    const type = decodeHeader(new DataView(this.rx.buffer), length, header);
    if (type !== MessageType.operator) return this.refuse('not an operator command', 'malformed');
    const verified = this.auth.verify(this.rx, length, header);
    if (verified < 0) {
      if (verified === AuthError.replayed)
        return this.refuse('a replayed operator command was refused', 'replayed');
      await this.replyBare(length, "refused: the command is not sealed with this run's operator key");
      return this.refuse('an operator command with a tag that does not verify was refused', 'forged');
    }
    if (header.auth !== AuthMode.session) {
      await this.replyBare(length, 'refused: operator commands must be sealed (the link key)');
      return this.refuse('an unsealed operator command was refused', 'unauthenticated');
    }
    const command = decodeOperatorCommand(this.rx, verified);
    if (typeof command === 'number') return this.refuse('an undecodable operator command', 'malformed');
    const counter = trailerCounter(this.rx, length);
    this.counters.commands++;
    const console = this.console;
    const reply = console
      ? await console.execute(command.line, 'mqtt')
      : { ok: false, message: 'the run is not running yet' };
    const n = encodeOperatorReply(this.out, ++this.replySeq, Date.now() * 1000, {
      requestCounter: counter,
      ok: reply.ok,
      text: reply.message,
    });
    const total = appendCrc(this.out, this.auth.seal(this.out, n, 'auto'));
    await this.client
      .publishAsync(this.topics.reply, Buffer.from(this.out.subarray(0, total)), { qos: 1 })
      .catch(() => undefined);
  }

  /** An unsealed refusal: whoever sent it cannot be trusted with a sealed answer, but deserves a reason. */
  private async replyBare(length: number, text: string): Promise<void> {
    const counter = trailerCounterOrZero(this.rx, length);
    const n = encodeOperatorReply(this.out, ++this.replySeq, Date.now() * 1000, {
      requestCounter: counter,
      ok: false,
      text,
    });
    const total = appendCrc(this.out, n);
    await this.client
      .publishAsync(this.topics.reply, Buffer.from(this.out.subarray(0, total)), { qos: 1 })
      .catch(() => undefined);
  }
}

export interface OperatorAnswer {
  readonly ok: boolean;
  readonly message: string;
  /** False when the reply was not sealed by the run (a refusal of an unverifiable command). */
  readonly authenticated: boolean;
}

/**
 * An operator's end (a panel, a script, `tether operator`): learns the run's nonce from the retained
 * hello, seals each command line, and waits for the sealed reply.
 */
export class MqttOperatorClient {
  private readonly auth: LinkAuth;
  private readonly topics: ReturnType<typeof operatorTopics>;
  private keys: SessionKeys | undefined;
  private counter = 0;
  private readonly waiters = new Map<number, (answer: OperatorAnswer) => void>();
  private bareWaiter: ((answer: OperatorAnswer) => void) | undefined;
  private helloWaiter: (() => void) | undefined;
  private readonly rx = new Uint8Array(maxMessageSize + crcSize);

  private constructor(
    private readonly client: MqttClient,
    options: MqttOperatorOptions,
  ) {
    this.auth = new LinkAuth(options.deviceKey, 'host');
    this.topics = operatorTopics(options.topicPrefix, options.robot);
  }

  static async connect(options: MqttOperatorOptions, timeoutMs = 5000): Promise<MqttOperatorClient> {
    checkUrl(options);
    const { connect } = await import('mqtt');
    const client = connect(options.url, clientOptions(options, 'client'));
    await connected(client, options.url);
    client.on('error', () => undefined);
    const c = new MqttOperatorClient(client, options);
    client.on('message', (topic, payload) => c.receive(topic, payload));
    const hello = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no run answers on ${c.topics.hello} within ${timeoutMs} ms (is it running with operator.mqtt?)`,
            ),
          ),
        timeoutMs,
      );
      c.helloWaiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    await client.subscribeAsync({ [c.topics.hello]: { qos: 1 }, [c.topics.reply]: { qos: 1 } });
    try {
      await hello;
    } catch (error) {
      await client.endAsync(true);
      throw error;
    }
    return c;
  }

  /** Sends one command line; resolves with the run's answer. */
  send(line: string, timeoutMs = 5000): Promise<OperatorAnswer> {
    const keys = this.keys;
    if (keys === undefined) return Promise.reject(new Error('no operator hello from the run yet'));
    // Counters increase across operators and restarts of this client: microseconds of wall time.
    this.counter = Math.max(this.counter + 1, Math.round(Date.now() * 1000));
    const counter = this.counter;
    const out = new Uint8Array(maxMessageSize + crcSize);
    const n = encodeOperatorCommand(out, 1, 0, { line });
    const sealed = seal(out, n, AuthMode.session, keys.toRig, keys.id, counter);
    const total = appendCrc(out, sealed);
    return this.publish(out.subarray(0, total), counter, timeoutMs);
  }

  /**
   * Publishes raw bytes as a command (tests play attackers with it). The answer is awaited under the
   * counter the payload's trailer carries, read as the run reads it, so it cannot differ from it.
   */
  sendRaw(payload: Uint8Array, timeoutMs = 2000): Promise<OperatorAnswer> {
    return this.publish(payload, requestCounterOf(payload), timeoutMs);
  }

  /** The run's operator keys (for building forged or replayed commands in tests). */
  get sessionKeys(): SessionKeys | undefined {
    return this.keys;
  }

  async close(): Promise<void> {
    await this.client.endAsync().catch(() => undefined);
  }

  private publish(payload: Uint8Array, counter: number, timeoutMs: number): Promise<OperatorAnswer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(counter);
        this.bareWaiter = undefined;
        reject(new Error(`no reply from the run within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (answer: OperatorAnswer) => {
        clearTimeout(timer);
        this.waiters.delete(counter);
        this.bareWaiter = undefined;
        resolve(answer);
      };
      this.waiters.set(counter, done);
      this.bareWaiter = done;
      this.client.publish(this.topics.command, Buffer.from(payload), { qos: 1 });
    });
  }

  private receive(topic: string, payload: Buffer): void {
    if (payload.length < crcSize || payload.length > this.rx.length) return;
    this.rx.set(payload);
    const length = checkCrc(this.rx, payload.length);
    if (length < 0) return;
    const header: Header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    const type = decodeHeader(new DataView(this.rx.buffer), length, header);
    if (topic === this.topics.hello && type === MessageType.operatorHello) {
      const verified = this.auth.verify(this.rx, length, header);
      if (verified < 0 || header.auth !== AuthMode.device) return;
      const hello = decodeOperatorHello(this.rx, verified);
      if (typeof hello === 'number') return;
      this.keys = operatorKeys(this.auth, hello.nonce);
      this.auth.adopt(this.keys);
      this.helloWaiter?.();
      this.helloWaiter = undefined;
      return;
    }
    if (topic !== this.topics.reply || type !== MessageType.operatorReply) return;
    const verified = this.auth.verify(this.rx, length, header);
    if (verified < 0) return;
    const reply = decodeOperatorReply(this.rx, verified);
    if (typeof reply === 'number') return;
    if (header.auth === AuthMode.session) {
      this.waiters.get(reply.requestCounter)?.({ ok: reply.ok, message: reply.text, authenticated: true });
    } else {
      (this.waiters.get(reply.requestCounter) ?? this.bareWaiter)?.({
        ok: false,
        message: reply.text,
        authenticated: false,
      });
    }
  }
}
