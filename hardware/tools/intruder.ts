/**
 * Plays the other parties of docs/security.md's threat model against a real rig and runtime, for the
 * tests and the evidence suite (bench/link-security.ts): an outsider on the broker or the serial
 * device, with no key or a wrong one; a second runtime holding the key; a peer that replays frames it
 * captured. It speaks the wire protocol with the runtime's own encoders, so whatever it sends is a
 * well-formed frame that only the authentication can refuse.
 */
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { connectAsync, type MqttClient } from 'mqtt';
import { Endpoint } from '../link/endpoint.ts';
import { LinkAuth, randomNonce } from '../link/session.ts';
import { createLinkCounters, type MessageListener, type Transport } from '../link/transport.ts';
import { robotRoot, topicFor } from '../mqtt/topics.ts';
import { AuthMode, HmacKey, seal } from '../protocol/auth.ts';
import { appendCrc, checkCrc, crcSize, encodeFrame, maxFrameSize } from '../protocol/framing.ts';
import {
  type Ack,
  createCommandSample,
  encodeCommand,
  encodeRequest,
  encodeSession,
  encodeState,
  type Hello,
  MessageType,
  maxMessageSize,
  RequestOp,
  SessionOp,
  type StateSample,
} from '../protocol/messages.ts';

/**
 * A raw MQTT client publishing as if it were the host (or the rig) of `<prefix>/<robot>`: no status
 * topic, no last will, just frames on the topics a real peer uses. Sees what that side would see.
 */
export class RawMqttTransport implements Transport {
  readonly counters = createLinkCounters();
  readonly description: string;
  private client: MqttClient | undefined;
  private readonly listeners: MessageListener[] = [];
  private readonly rx = new Uint8Array(maxMessageSize + crcSize);
  private readonly root: string;
  /** Every payload seen on the subscribed side's topics, by topic (to replay later). */
  readonly captured: { topic: string; payload: Buffer }[] = [];
  capture = false;

  constructor(
    private readonly url: string,
    robot: string,
    private readonly as: 'host' | 'rig',
    prefix = 'tether',
  ) {
    this.root = robotRoot(prefix, robot);
    this.description = `intruder ${url} ${this.root} as ${as}`;
  }

  get connected(): boolean {
    return this.client?.connected === true;
  }

  async open(): Promise<void> {
    this.client = await connectAsync(this.url, {
      reconnectPeriod: 0,
      connectTimeout: 3000,
      protocolVersion: 4,
    });
    const peer = this.as === 'host' ? 'rig' : 'host';
    this.client.on('message', (topic, payload) => {
      if (this.capture) this.captured.push({ topic, payload: Buffer.from(payload) });
      if (topic.endsWith('/status')) return;
      if (payload.length < crcSize || payload.length > this.rx.length) return;
      this.rx.set(payload);
      const length = checkCrc(this.rx, payload.length);
      if (length < 0) return;
      for (const l of this.listeners) l(this.rx, length);
    });
    await this.client.subscribeAsync(`${this.root}/${peer}/#`, { qos: 1 });
  }

  async close(): Promise<void> {
    await this.client?.endAsync(true).catch(() => undefined);
    this.client = undefined;
  }

  send(type: number, message: Uint8Array, length: number): boolean {
    const client = this.client;
    if (client === undefined) return false;
    const buffer = Buffer.alloc(length + crcSize);
    buffer.set(message.subarray(0, length));
    client.publish(topicFor(this.root, this.as, type), buffer.subarray(0, appendCrc(buffer, length)), {
      qos: 0,
    });
    this.counters.sent++;
    return true;
  }

  /** Publishes a captured payload again, byte for byte. */
  replay(topic: string, payload: Buffer): void {
    this.client?.publish(topic, payload, { qos: 0 });
    this.counters.sent++;
  }

  onMessage(listener: MessageListener): void {
    this.listeners.push(listener);
  }

  onStatus(): void {}
}

/**
 * Write-only access to a serial device (the pty a runtime or rig uses): an outsider who can open the
 * device file writes frames into the line without taking it over (reading would steal bytes). With
 * `nonBlocking`, a frame the line cannot take at once is dropped (counted in `sendDropped`) instead of
 * waiting until the other end reads.
 */
export class SerialInjector implements Transport {
  readonly counters = createLinkCounters();
  readonly description: string;
  readonly connected = true;
  private fd: number | undefined;
  private readonly scratch = new Uint8Array(maxMessageSize + crcSize);
  private readonly frame = new Uint8Array(maxFrameSize);

  constructor(
    private readonly path: string,
    private readonly options: { readonly nonBlocking?: boolean } = {},
  ) {
    this.description = `intruder serial ${path}`;
  }

  async open(): Promise<void> {
    this.fd = this.options.nonBlocking
      ? openSync(this.path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK)
      : openSync(this.path, 'w');
  }

  async close(): Promise<void> {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  send(_type: number, message: Uint8Array, length: number): boolean {
    if (this.fd === undefined) return false;
    const n = encodeFrame(message, length, this.scratch, this.frame);
    try {
      // Non-blocking, a full line may take part of a frame: the reader's framing drops the rest.
      writeSync(this.fd, this.frame, 0, n);
    } catch (error) {
      if (!this.options.nonBlocking || (error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      this.counters.sendDropped++;
      return false;
    }
    this.counters.sent++;
    return true;
  }

  /** Writes raw bytes (a captured frame) into the line. */
  write(bytes: Uint8Array): void {
    if (this.fd !== undefined) writeSync(this.fd, bytes);
  }

  onMessage(): void {}
  onStatus(): void {}
}

/**
 * A peer that speaks the protocol from the host's side with any key it likes: tries to open a
 * session, to activate, recover and command the rig. With the wrong key or none, every one of these
 * must be refused; with the right key while another runtime owns the rig, the open must be refused.
 */
export class RoguePeer {
  readonly endpoint: Endpoint;
  readonly auth: LinkAuth;
  hello: Hello | undefined;
  readonly acks: Ack[] = [];
  readonly states: number[] = [];
  /** What the rig told this peer it refused (NOTICE texts). */
  readonly notices: string[] = [];

  constructor(
    readonly transport: Transport,
    key: Uint8Array,
  ) {
    this.auth = new LinkAuth(key, 'host');
    this.endpoint = new Endpoint(transport, this.auth, {
      hello: (hello) => {
        this.hello = hello;
      },
      ack: (ack) => this.acks.push(ack),
      state: (s) => this.states.push(s.seq),
      notice: (n) => this.notices.push(n.message),
    });
  }

  /** Tries to open a session: with the rig's nonce if it heard a hello, else a made-up one. */
  tryOpen(): number {
    const hostNonce = randomNonce();
    const rigNonce = this.hello?.session?.rigNonce ?? randomNonce();
    this.auth.expect(rigNonce, hostNonce);
    return this.endpoint.sendSession({ op: SessionOp.open, hostNonce, rigNonce });
  }

  askHello(): void {
    this.endpoint.sendRequest({ op: RequestOp.hello }, undefined, 'none');
  }

  request(op: number, mode: 'auto' | 'device' | 'none' = 'auto'): number {
    return this.endpoint.sendRequest({ op }, undefined, mode);
  }

  /** A command with any values (NaN included: the encoder does not judge), in any command mode (wire code). */
  command(values: readonly number[], mode: 'auto' | 'device' | 'none' = 'auto', commandMode = 0): void {
    const c = this.endpoint.command;
    c.mode = commandMode;
    c.count = values.length;
    c.target.set(values);
    c.hasGains = false;
    c.stateSeq = 0;
    if (mode === 'auto') this.endpoint.sendCommand(c);
    else {
      const out = new Uint8Array(maxMessageSize);
      c.seq = 1;
      const n = this.auth.seal(out, encodeCommand(new DataView(out.buffer), c), mode);
      this.transport.send(MessageType.command, out, n);
    }
  }

  /** A command sealed with a tag made up from a guessed key for the session a frame named (forgery). */
  forgedCommand(values: readonly number[], sessionId: number, counter: number): void {
    const out = new Uint8Array(maxMessageSize);
    const c = createCommandSample();
    Object.assign(c, {
      seq: counter,
      timeUs: 0,
      stateSeq: 0,
      mode: 0,
      count: values.length,
      hasGains: false,
    });
    c.target.set(values);
    const n = seal(
      out,
      encodeCommand(new DataView(out.buffer), c),
      AuthMode.session,
      guessedKey,
      sessionId,
      counter,
    );
    this.transport.send(MessageType.command, out, n);
  }

  /** A state sealed with a guessed key for `sessionId`: what a forger on the rig's side would send. */
  forgedState(sample: StateSample, sessionId: number, counter: number): void {
    const out = new Uint8Array(maxMessageSize);
    const n = seal(
      out,
      encodeState(new DataView(out.buffer), sample),
      AuthMode.session,
      guessedKey,
      sessionId,
      counter,
    );
    this.transport.send(MessageType.state, out, n);
  }

  unsealedRequest(op: number): void {
    const out = new Uint8Array(64);
    this.transport.send(MessageType.request, out, encodeRequest(out, 1, 0, { op }));
  }

  unsealedSession(): void {
    const out = new Uint8Array(64);
    const n = encodeSession(out, 1, 0, {
      op: SessionOp.open,
      hostNonce: randomNonce(),
      rigNonce: randomNonce(),
    });
    this.transport.send(MessageType.session, out, n);
  }
}

const guessedKey = new HmacKey(new Uint8Array(32).fill(0x42));

/**
 * Everything an outsider can send, for `ms`: session opens (sealed with its key and unsealed),
 * activate and recover requests (sealed and unsealed), and commands unsealed, with its key, and with
 * forged session tags. Against a rig it does not own, every one of them must be refused.
 */
export async function outsiderBarrage(peer: RoguePeer, ms: number): Promise<void> {
  const end = Date.now() + ms;
  let i = 0;
  peer.askHello();
  while (Date.now() < end) {
    peer.tryOpen();
    peer.unsealedSession();
    peer.request(RequestOp.activate, 'device');
    peer.request(RequestOp.recover, 'device');
    peer.unsealedRequest(RequestOp.activate);
    peer.unsealedRequest(RequestOp.recover);
    for (let k = 0; k < 5; k++, i++) {
      peer.command([20], 'none');
      peer.command([-20], 'device');
      peer.forgedCommand([20], 1 + (i % 1000), 2 ** 40 + i);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
