// Compiled from hardware/mqtt/transport.ts by `npm run build`: edit the source, not this file.

// hardware/mqtt/transport.ts
import { readFileSync } from "node:fs";
import {
  BufferRing,
  createLinkCounters
} from "../link/transport.js";
import { appendCrc, checkCrc, crcSize } from "../protocol/framing.js";
import { headerSize, maxMessageSize } from "../protocol/messages.js";
import {
  peerOf,
  qosByType,
  robotRoot,
  sharedEstopTopic,
  statusTopic,
  topicFor
} from "./topics.js";
function isLoopbackHost(host) {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}
var ringSlots = 256;
var maxBacklogBytes = (ringSlots - 1) * (headerSize + crcSize);
var streamOptions = {};
for (const [type, qos] of Object.entries(qosByType)) {
  streamOptions[Number(type)] = { qos, retain: false };
}
var MqttTransport = class {
  constructor(options) {
    this.options = options;
    this.root = robotRoot(options.topicPrefix, options.robot);
    this.description = `mqtt ${options.url} ${this.root} (${options.role})`;
    for (const type of Object.keys(qosByType)) {
      this.topics[Number(type)] = topicFor(this.root, options.role, Number(type));
    }
    const url = new URL(options.url);
    if (url.protocol !== "mqtt:" && url.protocol !== "mqtts:") {
      throw new RangeError(`mqtt url '${options.url}': expected mqtt://host:port or mqtts://host:port`);
    }
    if (options.tls !== void 0 && url.protocol !== "mqtts:") {
      throw new Error(
        `mqtt url '${options.url}' is plain MQTT but TLS options are set: use mqtts://${url.host} to encrypt, or remove the tls section`
      );
    }
    if (!isLoopbackHost(url.hostname) && options.username === void 0 && !options.allowUnauthenticated) {
      throw new Error(
        `mqtt broker ${url.host} is beyond loopback and no username is configured: anyone on that network could command the robot. Configure username/password (and TLS), or set allowUnauthenticated: true if you accept that risk (docs/security.md).`
      );
    }
  }
  options;
  counters = createLinkCounters();
  description;
  client;
  root;
  topics = {};
  ring = new BufferRing(ringSlots, maxMessageSize + crcSize);
  rx = new Uint8Array(maxMessageSize + crcSize);
  messageListeners = [];
  statusListeners = [];
  wireTap;
  isConnected = false;
  peerOnline = false;
  protocolVersion = 5;
  get connected() {
    return this.isConnected && this.peerOnline;
  }
  onMessage(listener) {
    this.messageListeners.push(listener);
  }
  onStatus(listener) {
    this.statusListeners.push(listener);
  }
  async open() {
    try {
      await this.connectWith(5);
    } catch (error) {
      if (!/protocol version/i.test(messageOf(error))) throw error;
      await this.connectWith(4);
    }
  }
  async close() {
    const client = this.client;
    this.client = void 0;
    this.isConnected = false;
    if (client === void 0) return;
    if (client.connected && !this.options.observer) {
      await client.publishAsync(statusTopic(this.root, this.options.role), "offline", { qos: 1, retain: true }).catch(() => void 0);
    }
    await client.endAsync(true).catch(() => void 0);
  }
  /** Drops the broker connection without a goodbye, as a crash or a pulled cable would: the broker publishes our last will. */
  async abort() {
    const client = this.client;
    this.client = void 0;
    this.isConnected = false;
    await client?.endAsync(true).catch(() => void 0);
  }
  send(type, message, length) {
    const client = this.client;
    const topic = this.topics[type];
    if (client === void 0 || !this.isConnected || topic === void 0) {
      this.counters.sendDropped++;
      return false;
    }
    let buffer;
    if (qosByType[type] === 0) {
      if (client.stream.writableLength > maxBacklogBytes) {
        this.counters.sendDropped++;
        return false;
      }
      buffer = this.ring.take();
    } else {
      buffer = Buffer.allocUnsafe(length + crcSize);
    }
    buffer.set(message.subarray(0, length));
    const total = appendCrc(buffer, length);
    this.wireTap?.(buffer, total);
    client.publish(topic, buffer.subarray(0, total), streamOptions[type]);
    this.counters.sent++;
    return true;
  }
  async connectWith(protocolVersion) {
    const { connect } = await import("mqtt");
    const o = this.options;
    const tls = o.tls;
    const clientOptions = {
      protocolVersion,
      clientId: `tether-${o.role}-${o.robot}-${process.pid}-${Math.floor(Math.random() * 1e6)}`,
      clean: true,
      keepalive: o.keepaliveS,
      reconnectPeriod: o.reconnectMs,
      connectTimeout: o.connectTimeoutMs,
      queueQoSZero: false,
      ...o.observer ? {} : {
        will: {
          topic: statusTopic(this.root, o.role),
          payload: Buffer.from("offline"),
          qos: 1,
          retain: true
        }
      },
      ...o.username !== void 0 ? { username: o.username } : {},
      ...o.password !== void 0 ? { password: o.password } : {},
      ...tls ? {
        rejectUnauthorized: tls.rejectUnauthorized,
        ...tls.ca ? { ca: readFileSync(tls.ca) } : {},
        ...tls.cert ? { cert: readFileSync(tls.cert) } : {},
        ...tls.key ? { key: readFileSync(tls.key) } : {}
      } : {}
    };
    return new Promise((resolve, reject) => {
      const client = connect(o.url, { ...clientOptions, reconnectPeriod: 0 });
      const fail = (error) => {
        client.end(true);
        reject(new Error(`cannot connect to mqtt broker ${o.url}: ${error.message}`));
      };
      const timer = setTimeout(
        () => fail(new Error(`no answer within ${o.connectTimeoutMs} ms`)),
        o.connectTimeoutMs
      );
      client.once("error", (error) => {
        clearTimeout(timer);
        fail(error);
      });
      client.once("connect", () => {
        clearTimeout(timer);
        client.removeAllListeners("error");
        client.options.reconnectPeriod = o.reconnectMs;
        this.protocolVersion = protocolVersion;
        this.attach(client);
        this.onConnected(client).then(resolve, reject);
      });
    });
  }
  attach(client) {
    this.client = client;
    noDelay(client);
    const peerStatus = statusTopic(this.root, peerOf(this.options.role));
    client.on("message", (topic, payload) => {
      if (topic === peerStatus) {
        this.setPeer(
          payload.toString() === "online",
          `peer ${peerOf(this.options.role)} ${payload.toString()}`
        );
        return;
      }
      this.receive(payload);
    });
    client.on("connect", () => {
      noDelay(client);
      this.counters.reconnects++;
      void this.onConnected(client).catch(() => void 0);
    });
    client.on("close", () => {
      if (!this.isConnected) return;
      this.isConnected = false;
      this.counters.disconnects++;
      this.emitStatus(false, "broker connection lost");
    });
    client.on("error", () => void 0);
  }
  async onConnected(client) {
    const peer = peerOf(this.options.role);
    await client.subscribeAsync({
      [`${this.root}/${peer}/#`]: { qos: 1 },
      [sharedEstopTopic(this.root)]: { qos: 1 }
    });
    if (!this.options.observer)
      await client.publishAsync(statusTopic(this.root, this.options.role), "online", {
        qos: 1,
        retain: true
      });
    this.isConnected = true;
    this.emitStatus(this.connected, this.peerOnline ? "connected" : `connected, waiting for ${peer}`);
  }
  setPeer(online, reason) {
    if (online === this.peerOnline) return;
    this.peerOnline = online;
    if (!online) this.counters.disconnects++;
    if (this.isConnected) this.emitStatus(this.connected, reason);
  }
  receive(payload) {
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
    for (let i = 0; i < listeners.length; i++) listeners[i](this.rx, length);
  }
  emitStatus(connected, reason) {
    for (const listener of this.statusListeners) listener(connected, reason);
  }
  /** 5 or 4 (3.1.1), whichever the broker accepted. */
  get mqttVersion() {
    return this.protocolVersion;
  }
};
function noDelay(client) {
  const stream = client.stream;
  stream?.setNoDelay?.(true);
}
function messageOf(error) {
  return error instanceof Error ? error.message : String(error);
}
export {
  MqttTransport,
  isLoopbackHost
};
