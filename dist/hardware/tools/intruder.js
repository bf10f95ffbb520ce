// Compiled from hardware/tools/intruder.ts by `npm run build`: edit the source, not this file.

// hardware/tools/intruder.ts
import { closeSync, constants, openSync, writeSync } from "node:fs";
import { connectAsync } from "mqtt";
import { Endpoint } from "../link/endpoint.js";
import { LinkAuth, randomNonce } from "../link/session.js";
import { createLinkCounters } from "../link/transport.js";
import { robotRoot, topicFor } from "../mqtt/topics.js";
import { AuthMode, HmacKey, seal } from "../protocol/auth.js";
import { appendCrc, checkCrc, crcSize, encodeFrame, maxFrameSize } from "../protocol/framing.js";
import {
  createCommandSample,
  encodeCommand,
  encodeRequest,
  encodeSession,
  encodeState,
  MessageType,
  maxMessageSize,
  RequestOp,
  SessionOp
} from "../protocol/messages.js";
var RawMqttTransport = class {
  constructor(url, robot, as, prefix = "tether") {
    this.url = url;
    this.as = as;
    this.root = robotRoot(prefix, robot);
    this.description = `intruder ${url} ${this.root} as ${as}`;
  }
  url;
  as;
  counters = createLinkCounters();
  description;
  client;
  listeners = [];
  rx = new Uint8Array(maxMessageSize + crcSize);
  root;
  /** Every payload seen on the subscribed side's topics, by topic (to replay later). */
  captured = [];
  capture = false;
  get connected() {
    return this.client?.connected === true;
  }
  async open() {
    this.client = await connectAsync(this.url, {
      reconnectPeriod: 0,
      connectTimeout: 3e3,
      protocolVersion: 4
    });
    const peer = this.as === "host" ? "rig" : "host";
    this.client.on("message", (topic, payload) => {
      if (this.capture) this.captured.push({ topic, payload: Buffer.from(payload) });
      if (topic.endsWith("/status")) return;
      if (payload.length < crcSize || payload.length > this.rx.length) return;
      this.rx.set(payload);
      const length = checkCrc(this.rx, payload.length);
      if (length < 0) return;
      for (const l of this.listeners) l(this.rx, length);
    });
    await this.client.subscribeAsync(`${this.root}/${peer}/#`, { qos: 1 });
  }
  async close() {
    await this.client?.endAsync(true).catch(() => void 0);
    this.client = void 0;
  }
  send(type, message, length) {
    const client = this.client;
    if (client === void 0) return false;
    const buffer = Buffer.alloc(length + crcSize);
    buffer.set(message.subarray(0, length));
    client.publish(topicFor(this.root, this.as, type), buffer.subarray(0, appendCrc(buffer, length)), {
      qos: 0
    });
    this.counters.sent++;
    return true;
  }
  /** Publishes a captured payload again, byte for byte. */
  replay(topic, payload) {
    this.client?.publish(topic, payload, { qos: 0 });
    this.counters.sent++;
  }
  onMessage(listener) {
    this.listeners.push(listener);
  }
  onStatus() {
  }
};
var SerialInjector = class {
  constructor(path, options = {}) {
    this.path = path;
    this.options = options;
    this.description = `intruder serial ${path}`;
  }
  path;
  options;
  counters = createLinkCounters();
  description;
  connected = true;
  fd;
  scratch = new Uint8Array(maxMessageSize + crcSize);
  frame = new Uint8Array(maxFrameSize);
  async open() {
    this.fd = this.options.nonBlocking ? openSync(this.path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK) : openSync(this.path, "w");
  }
  async close() {
    if (this.fd !== void 0) closeSync(this.fd);
    this.fd = void 0;
  }
  send(_type, message, length) {
    if (this.fd === void 0) return false;
    const n = encodeFrame(message, length, this.scratch, this.frame);
    try {
      writeSync(this.fd, this.frame, 0, n);
    } catch (error) {
      if (!this.options.nonBlocking || error.code !== "EAGAIN") throw error;
      this.counters.sendDropped++;
      return false;
    }
    this.counters.sent++;
    return true;
  }
  /** Writes raw bytes (a captured frame) into the line. */
  write(bytes) {
    if (this.fd !== void 0) writeSync(this.fd, bytes);
  }
  onMessage() {
  }
  onStatus() {
  }
};
var RoguePeer = class {
  constructor(transport, key) {
    this.transport = transport;
    this.auth = new LinkAuth(key, "host");
    this.endpoint = new Endpoint(transport, this.auth, {
      hello: (hello) => {
        this.hello = hello;
      },
      ack: (ack) => this.acks.push(ack),
      state: (s) => this.states.push(s.seq),
      notice: (n) => this.notices.push(n.message)
    });
  }
  transport;
  endpoint;
  auth;
  hello;
  acks = [];
  states = [];
  /** What the rig told this peer it refused (NOTICE texts). */
  notices = [];
  /** Tries to open a session: with the rig's nonce if it heard a hello, else a made-up one. */
  tryOpen() {
    const hostNonce = randomNonce();
    const rigNonce = this.hello?.session?.rigNonce ?? randomNonce();
    this.auth.expect(rigNonce, hostNonce);
    return this.endpoint.sendSession({ op: SessionOp.open, hostNonce, rigNonce });
  }
  askHello() {
    this.endpoint.sendRequest({ op: RequestOp.hello }, void 0, "none");
  }
  request(op, mode = "auto") {
    return this.endpoint.sendRequest({ op }, void 0, mode);
  }
  /** A command with any values (NaN included: the encoder does not judge), in any command mode (wire code). */
  command(values, mode = "auto", commandMode = 0) {
    const c = this.endpoint.command;
    c.mode = commandMode;
    c.count = values.length;
    c.target.set(values);
    c.hasGains = false;
    c.stateSeq = 0;
    if (mode === "auto") this.endpoint.sendCommand(c);
    else {
      const out = new Uint8Array(maxMessageSize);
      c.seq = 1;
      const n = this.auth.seal(out, encodeCommand(new DataView(out.buffer), c), mode);
      this.transport.send(MessageType.command, out, n);
    }
  }
  /** A command sealed with a tag made up from a guessed key for the session a frame named (forgery). */
  forgedCommand(values, sessionId, counter) {
    const out = new Uint8Array(maxMessageSize);
    const c = createCommandSample();
    Object.assign(c, {
      seq: counter,
      timeUs: 0,
      stateSeq: 0,
      mode: 0,
      count: values.length,
      hasGains: false
    });
    c.target.set(values);
    const n = seal(
      out,
      encodeCommand(new DataView(out.buffer), c),
      AuthMode.session,
      guessedKey,
      sessionId,
      counter
    );
    this.transport.send(MessageType.command, out, n);
  }
  /** A state sealed with a guessed key for `sessionId`: what a forger on the rig's side would send. */
  forgedState(sample, sessionId, counter) {
    const out = new Uint8Array(maxMessageSize);
    const n = seal(
      out,
      encodeState(new DataView(out.buffer), sample),
      AuthMode.session,
      guessedKey,
      sessionId,
      counter
    );
    this.transport.send(MessageType.state, out, n);
  }
  unsealedRequest(op) {
    const out = new Uint8Array(64);
    this.transport.send(MessageType.request, out, encodeRequest(out, 1, 0, { op }));
  }
  unsealedSession() {
    const out = new Uint8Array(64);
    const n = encodeSession(out, 1, 0, {
      op: SessionOp.open,
      hostNonce: randomNonce(),
      rigNonce: randomNonce()
    });
    this.transport.send(MessageType.session, out, n);
  }
};
var guessedKey = new HmacKey(new Uint8Array(32).fill(66));
async function outsiderBarrage(peer, ms) {
  const end = Date.now() + ms;
  let i = 0;
  peer.askHello();
  while (Date.now() < end) {
    peer.tryOpen();
    peer.unsealedSession();
    peer.request(RequestOp.activate, "device");
    peer.request(RequestOp.recover, "device");
    peer.unsealedRequest(RequestOp.activate);
    peer.unsealedRequest(RequestOp.recover);
    for (let k = 0; k < 5; k++, i++) {
      peer.command([20], "none");
      peer.command([-20], "device");
      peer.forgedCommand([20], 1 + i % 1e3, 2 ** 40 + i);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
export {
  RawMqttTransport,
  RoguePeer,
  SerialInjector,
  outsiderBarrage
};
