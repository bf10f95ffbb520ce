// Compiled from hardware/mqtt/operator.ts by `npm run build`: edit the source, not this file.

// hardware/mqtt/operator.ts
import { z } from "zod";
import { AuthError, LinkAuth, randomNonce } from "../link/session.js";
import {
  AuthMode,
  deriveSession,
  nonceSize,
  seal,
  trailerCounter,
  trailerSize
} from "../protocol/auth.js";
import { appendCrc, checkCrc, crcSize } from "../protocol/framing.js";
import {
  decodeHeader,
  decodeOperatorCommand,
  decodeOperatorHello,
  decodeOperatorReply,
  encodeOperatorCommand,
  encodeOperatorHello,
  encodeOperatorReply,
  headerSize,
  MessageType,
  maxMessageSize
} from "../protocol/messages.js";
import { isLoopbackHost } from "./transport.js";
var mqttOperatorSchema = z.object({
  /** Broker URL; default: the robot's broker when the robot is on MQTT. */
  url: z.string().optional(),
  topicPrefix: z.string().min(1).optional(),
  /** Topic level (`<prefix>/<robot>/operator/...`); default: the MQTT robot's name. */
  robot: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  username: z.string().optional(),
  passwordEnv: z.string().optional(),
  tls: z.object({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true)
  }).strict().optional(),
  /** The key operator messages are sealed with; default: the robot's link key (`robot.auth.keyEnv`). */
  keyEnv: z.string().min(1).optional(),
  allowUnauthenticated: z.boolean().default(false)
}).strict();
function operatorTopics(prefix, robot) {
  const root = `${prefix}/${robot}/operator`;
  return { hello: `${root}/hello`, command: `${root}/command`, reply: `${root}/reply` };
}
var zeroNonce = new Uint8Array(nonceSize);
function operatorKeys(auth, nonce) {
  return deriveSession(auth.device, nonce, zeroNonce, true);
}
function checkUrl(o) {
  const url = new URL(o.url);
  if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:")
    throw new RangeError(`operator.mqtt.url '${o.url}': expected mqtt://host:port or mqtts://host:port`);
  if (o.tls !== void 0 && url.protocol !== "mqtts:")
    throw new Error(
      `operator.mqtt.url '${o.url}' is plain MQTT but TLS options are set: use mqtts://${url.host}`
    );
  if (!isLoopbackHost(url.hostname) && o.username === void 0 && !o.allowUnauthenticated)
    throw new Error(
      `operator.mqtt: broker ${url.host} is beyond loopback and no username is configured; configure username/password (and TLS) or allowUnauthenticated: true`
    );
}
function clientOptions(o, role, will) {
  return {
    clientId: `tether-operator-${role}-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
    clean: true,
    keepalive: 5,
    reconnectPeriod: 500,
    connectTimeout: 3e3,
    protocolVersion: 4,
    queueQoSZero: false,
    ...will ? { will } : {},
    ...o.username !== void 0 ? { username: o.username } : {},
    ...o.password !== void 0 ? { password: o.password } : {},
    ...o.tls ? {
      rejectUnauthorized: o.tls.rejectUnauthorized,
      ...o.tls.ca ? { ca: o.tls.ca } : {},
      ...o.tls.cert ? { cert: o.tls.cert } : {},
      ...o.tls.key ? { key: o.tls.key } : {}
    } : {}
  };
}
function connected(client, url) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.end(true);
      reject(new Error(`operator channel: no answer from mqtt broker ${url} within 3000 ms`));
    }, 3e3);
    client.once("connect", () => {
      clearTimeout(timer);
      resolve();
    });
    client.once("error", (error) => {
      clearTimeout(timer);
      client.end(true);
      reject(new Error(`operator channel: cannot connect to mqtt broker ${url}: ${error.message}`));
    });
  });
}
function trailerCounterOrZero(message, length) {
  return length >= headerSize + trailerSize ? trailerCounter(message, length) : 0;
}
function requestCounterOf(payload) {
  return trailerCounterOrZero(payload, Math.max(0, payload.length - crcSize));
}
var MqttOperatorSource = class _MqttOperatorSource {
  constructor(client, options, nonce) {
    this.client = client;
    this.options = options;
    this.nonce = nonce;
    this.auth = new LinkAuth(options.deviceKey, "rig");
    this.auth.adopt(operatorKeys(this.auth, nonce));
    this.topics = operatorTopics(options.topicPrefix, options.robot);
  }
  client;
  options;
  nonce;
  counters = {
    commands: 0,
    forged: 0,
    unauthenticated: 0,
    replayed: 0,
    malformed: 0
  };
  console;
  auth;
  topics;
  out = new Uint8Array(maxMessageSize + crcSize);
  rx = new Uint8Array(maxMessageSize + crcSize);
  replySeq = 0;
  onRefused;
  static async start(options) {
    checkUrl(options);
    const { connect } = await import("mqtt");
    const topics = operatorTopics(options.topicPrefix, options.robot);
    const client = connect(
      options.url,
      clientOptions(options, "runtime", {
        topic: topics.hello,
        payload: Buffer.alloc(0),
        qos: 1,
        retain: true
      })
    );
    await connected(client, options.url);
    const source = new _MqttOperatorSource(client, options, randomNonce());
    client.on("message", (topic, payload) => {
      if (topic === topics.command) void source.receive(payload);
    });
    client.on("error", () => void 0);
    await client.subscribeAsync(topics.command, { qos: 1 });
    await source.publishHello();
    client.on("connect", () => void source.publishHello().catch(() => void 0));
    return source;
  }
  /** From now on commands run on `console`. */
  attach(console) {
    this.console = console;
  }
  async close() {
    this.console = void 0;
    await this.client.publishAsync(this.topics.hello, Buffer.alloc(0), { qos: 1, retain: true }).catch(() => void 0);
    await this.client.endAsync().catch(() => void 0);
  }
  async publishHello() {
    const n = encodeOperatorHello(this.out, 1, Date.now() * 1e3, { nonce: this.nonce });
    const sealed = this.auth.seal(this.out, n, "device");
    const total = appendCrc(this.out, sealed);
    await this.client.publishAsync(this.topics.hello, Buffer.from(this.out.subarray(0, total)), {
      qos: 1,
      retain: true
    });
  }
  refuse(reason, counter) {
    this.counters[counter]++;
    this.onRefused?.(reason);
  }
  async receive(payload) {
    if (payload.length < crcSize || payload.length > this.rx.length)
      return this.refuse("malformed frame", "malformed");
    this.rx.set(payload);
    const length = checkCrc(this.rx, payload.length);
    if (length < 0) return this.refuse("bad CRC", "malformed");
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    const type = decodeHeader(new DataView(this.rx.buffer), length, header);
    if (type !== MessageType.operator) return this.refuse("not an operator command", "malformed");
    const verified = this.auth.verify(this.rx, length, header);
    if (verified < 0) {
      if (verified === AuthError.replayed)
        return this.refuse("a replayed operator command was refused", "replayed");
      await this.replyBare(length, "refused: the command is not sealed with this run's operator key");
      return this.refuse("an operator command with a tag that does not verify was refused", "forged");
    }
    if (header.auth !== AuthMode.session) {
      await this.replyBare(length, "refused: operator commands must be sealed (the link key)");
      return this.refuse("an unsealed operator command was refused", "unauthenticated");
    }
    const command = decodeOperatorCommand(this.rx, verified);
    if (typeof command === "number") return this.refuse("an undecodable operator command", "malformed");
    const counter = trailerCounter(this.rx, length);
    this.counters.commands++;
    const console = this.console;
    const reply = console ? await console.execute(command.line, "mqtt") : { ok: false, message: "the run is not running yet" };
    const n = encodeOperatorReply(this.out, ++this.replySeq, Date.now() * 1e3, {
      requestCounter: counter,
      ok: reply.ok,
      text: reply.message
    });
    const total = appendCrc(this.out, this.auth.seal(this.out, n, "auto"));
    await this.client.publishAsync(this.topics.reply, Buffer.from(this.out.subarray(0, total)), { qos: 1 }).catch(() => void 0);
  }
  /** An unsealed refusal: whoever sent it cannot be trusted with a sealed answer, but deserves a reason. */
  async replyBare(length, text) {
    const counter = trailerCounterOrZero(this.rx, length);
    const n = encodeOperatorReply(this.out, ++this.replySeq, Date.now() * 1e3, {
      requestCounter: counter,
      ok: false,
      text
    });
    const total = appendCrc(this.out, n);
    await this.client.publishAsync(this.topics.reply, Buffer.from(this.out.subarray(0, total)), { qos: 1 }).catch(() => void 0);
  }
};
var MqttOperatorClient = class _MqttOperatorClient {
  constructor(client, options) {
    this.client = client;
    this.auth = new LinkAuth(options.deviceKey, "host");
    this.topics = operatorTopics(options.topicPrefix, options.robot);
  }
  client;
  auth;
  topics;
  keys;
  counter = 0;
  waiters = /* @__PURE__ */ new Map();
  bareWaiter;
  helloWaiter;
  rx = new Uint8Array(maxMessageSize + crcSize);
  static async connect(options, timeoutMs = 5e3) {
    checkUrl(options);
    const { connect } = await import("mqtt");
    const client = connect(options.url, clientOptions(options, "client"));
    await connected(client, options.url);
    client.on("error", () => void 0);
    const c = new _MqttOperatorClient(client, options);
    client.on("message", (topic, payload) => c.receive(topic, payload));
    const hello = new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(
          new Error(
            `no run answers on ${c.topics.hello} within ${timeoutMs} ms (is it running with operator.mqtt?)`
          )
        ),
        timeoutMs
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
  send(line, timeoutMs = 5e3) {
    const keys = this.keys;
    if (keys === void 0) return Promise.reject(new Error("no operator hello from the run yet"));
    this.counter = Math.max(this.counter + 1, Math.round(Date.now() * 1e3));
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
  sendRaw(payload, timeoutMs = 2e3) {
    return this.publish(payload, requestCounterOf(payload), timeoutMs);
  }
  /** The run's operator keys (for building forged or replayed commands in tests). */
  get sessionKeys() {
    return this.keys;
  }
  async close() {
    await this.client.endAsync().catch(() => void 0);
  }
  publish(payload, counter, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(counter);
        this.bareWaiter = void 0;
        reject(new Error(`no reply from the run within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (answer) => {
        clearTimeout(timer);
        this.waiters.delete(counter);
        this.bareWaiter = void 0;
        resolve(answer);
      };
      this.waiters.set(counter, done);
      this.bareWaiter = done;
      this.client.publish(this.topics.command, Buffer.from(payload), { qos: 1 });
    });
  }
  receive(topic, payload) {
    if (payload.length < crcSize || payload.length > this.rx.length) return;
    this.rx.set(payload);
    const length = checkCrc(this.rx, payload.length);
    if (length < 0) return;
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    const type = decodeHeader(new DataView(this.rx.buffer), length, header);
    if (topic === this.topics.hello && type === MessageType.operatorHello) {
      const verified2 = this.auth.verify(this.rx, length, header);
      if (verified2 < 0 || header.auth !== AuthMode.device) return;
      const hello = decodeOperatorHello(this.rx, verified2);
      if (typeof hello === "number") return;
      this.keys = operatorKeys(this.auth, hello.nonce);
      this.auth.adopt(this.keys);
      this.helloWaiter?.();
      this.helloWaiter = void 0;
      return;
    }
    if (topic !== this.topics.reply || type !== MessageType.operatorReply) return;
    const verified = this.auth.verify(this.rx, length, header);
    if (verified < 0) return;
    const reply = decodeOperatorReply(this.rx, verified);
    if (typeof reply === "number") return;
    if (header.auth === AuthMode.session) {
      this.waiters.get(reply.requestCounter)?.({ ok: reply.ok, message: reply.text, authenticated: true });
    } else {
      (this.waiters.get(reply.requestCounter) ?? this.bareWaiter)?.({
        ok: false,
        message: reply.text,
        authenticated: false
      });
    }
  }
};
export {
  MqttOperatorClient,
  MqttOperatorSource,
  mqttOperatorSchema,
  operatorKeys,
  operatorTopics
};
