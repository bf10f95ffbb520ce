// Compiled from hardware/tools/conformance.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../hardware/tools/conformance.ts", import.meta.url).href;

// hardware/tools/conformance.ts
import { pathToFileURL } from "node:url";
import { acceptSession, checkCommand, LinkAuth } from "../link/session.js";
import { AuthMode, deriveSession, HmacKey, nonceSize, seal } from "../protocol/auth.js";
import { encodeFrame, FrameDecoder, maxFrameSize } from "../protocol/framing.js";
import {
  AckStatus,
  createCommandSample,
  createStateSample,
  decodeCommand,
  decodeEstop,
  decodeHeader,
  decodeHeartbeat,
  decodeRequest,
  decodeSession,
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeFault,
  encodeHeartbeat,
  encodeHello,
  encodeNotice,
  encodeRequest,
  encodeSession,
  encodeState,
  encodeStatus,
  Feature,
  MessageType,
  maxMessageSize,
  RequestOp,
  RigState,
  SessionOp
} from "../protocol/messages.js";
var hex = (b) => Buffer.from(b).toString("hex");
var bytes = (h) => Uint8Array.from(Buffer.from(h, "hex"));
var fill = (n, v) => new Uint8Array(n).fill(v);
var conformanceKey = bytes("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
var otherKey = bytes("ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
var rigNonces = [
  fill(nonceSize, 17),
  fill(nonceSize, 34),
  fill(nonceSize, 51),
  fill(nonceSize, 68)
];
var hostNonce = fill(nonceSize, 161);
var secondHostNonce = fill(nonceSize, 178);
var rekeyNonce = fill(nonceSize, 195);
var conformanceRetryMs = 500;
var cartpoleHelloBase = {
  stateRateHz: 500,
  innerLoopHz: 1e3,
  minCommandRateHz: 1,
  maxCommandRateHz: 1e3,
  commandMode: "torque",
  features: Feature.estop | Feature.watchdog,
  watchdogMs: 200,
  name: "cartpole",
  joints: [
    {
      name: "slider",
      type: 1,
      positionLower: -3,
      positionUpper: 3,
      velocityLimit: Infinity,
      effortLimit: 20
    },
    {
      name: "hinge",
      type: 0,
      positionLower: -Infinity,
      positionUpper: Infinity,
      velocityLimit: Infinity,
      effortLimit: 0
    }
  ],
  hasImu: false,
  sensors: [],
  observation: [
    { name: "cart.pos", unit: "m", lower: -3, upper: 3, stateIndex: 0 },
    { name: "pole.angle", unit: "rad", lower: -Math.PI, upper: Math.PI, stateIndex: 1 },
    { name: "cart.vel", unit: "m/s", lower: -Infinity, upper: Infinity, stateIndex: 2 },
    { name: "pole.angvel", unit: "rad/s", lower: -Infinity, upper: Infinity, stateIndex: 3 }
  ],
  action: [{ name: "cart.force", unit: "N", lower: -20, upper: 20, safe: 0, maxDeltaPerTick: Infinity }]
};
function conformanceHello(rigNonce, ownerSession) {
  return { ...cartpoleHelloBase, session: { rigNonce, ownerSession, leaseMs: 1e3 } };
}
var shape = { mode: 0, count: 1, gainsAllowed: false };
var ConformanceRig = class {
  output = [];
  auth;
  nonce = new Uint8Array(nonceSize);
  nextNonce = new Uint8Array(nonceSize);
  ownerAlive = true;
  lastCommandSeq = 0;
  out = new Uint8Array(maxMessageSize);
  outView = new DataView(this.out.buffer);
  frame = new Uint8Array(maxFrameSize);
  scratch = new Uint8Array(maxMessageSize + 4);
  decoder = new FrameDecoder((m, n) => this.onMessage(m, n));
  command = createCommandSample();
  run(line) {
    const [verb, ...args] = line.split(" ");
    switch (verb) {
      case "init":
        this.auth = new LinkAuth(bytes(args[0]), "rig");
        this.nonce = bytes(args[1]);
        return;
      case "next_nonce":
        this.nextNonce = bytes(args[0]);
        return;
      case "owner_alive":
        this.ownerAlive = args[0] === "1";
        return;
      case "hello":
        this.emit(
          "hello",
          encodeHello(this.out, 1, 0, conformanceHello(this.nonce, this.auth.sessionId)),
          "device"
        );
        return;
      case "emit":
        this.emitSession();
        return;
      case "frame":
        this.decoder.push(bytes(args[0]));
        return;
      case "counters": {
        const f = this.decoder.counters;
        const a = this.auth.counters;
        this.output.push(
          `counters frames=${f.frames} crc=${f.crcErrors} cobs=${f.cobsErrors} oversize=${f.oversize} forged=${a.forged + a.deviceForged} replayed=${a.replayed} foreign=${a.foreignSession}`
        );
        return;
      }
      default:
        throw new Error(`conformance script: unknown line '${line}'`);
    }
  }
  emitSession() {
    const s = createStateSample();
    Object.assign(s, {
      seq: 42,
      timeUs: 5e9,
      commandSeq: this.lastCommandSeq,
      flags: 4,
      jointCount: 2
    });
    s.valueCount = 6;
    s.values.set([0.25, -0.125, 1.5, -2, 3, 0]);
    this.emit("state", encodeState(this.outView, s), "auto");
    this.emit("fault", encodeFault(this.out, 3, 7, { code: 1, message: "no command for 250 ms" }), "auto");
    this.emit(
      "notice",
      encodeNotice(this.out, 4, 8, { code: 2, count: 1, message: "forged frame refused" }),
      "auto"
    );
    this.emit("heartbeat", encodeHeartbeat(this.outView, 5, 9, { role: 1, lifecycle: 2 }), "auto");
  }
  emit(what, length, mode) {
    const sealed = this.auth.seal(this.out, length, mode);
    const n = encodeFrame(this.out, sealed, this.scratch, this.frame);
    this.output.push(`${what} ${hex(this.frame.subarray(0, n))}`);
  }
  onMessage(message, length) {
    const header = { type: 0, seq: 0, timeUs: 0, auth: 0, session: 0 };
    const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
    let type = decodeHeader(view, length, header);
    const payload = type < 0 ? type : this.auth.verify(message, length, header);
    if (payload < 0) {
      this.output.push(`reject ${payload} type=${message[1]}`);
      if (type === MessageType.session && (payload === -10 || payload === -12)) {
        const status = payload === -12 ? AckStatus.stale : AckStatus.unauthenticated;
        this.emit("ack", encodeAck(this.out, 2, 0, { ackedType: 9, status, ackedSeq: header.seq }), "none");
      }
      return;
    }
    type = header.type;
    if (type === MessageType.session) {
      const open = decodeSession(message, payload);
      if (typeof open === "number") {
        this.output.push(`session err ${open}`);
        return;
      }
      const decision = acceptSession(this.auth, open, header, this.nonce, this.ownerAlive);
      if (decision.status === AckStatus.ok) {
        this.auth.adopt(decision.keys);
        this.nonce = this.nextNonce.slice();
        this.lastCommandSeq = 0;
      }
      this.output.push(
        `session status=${decision.status} id=${this.auth.sessionId.toString(16).padStart(8, "0")}`
      );
      const mode = decision.status === AckStatus.ok ? "auto" : decision.status === AckStatus.unauthenticated ? "none" : "device";
      const retryAfterMs = decision.status === AckStatus.busy ? conformanceRetryMs : 0;
      this.emit(
        "ack",
        encodeAck(this.out, 2, 0, {
          ackedType: 9,
          status: decision.status,
          ackedSeq: header.seq,
          retryAfterMs
        }),
        mode
      );
      return;
    }
    if (type === MessageType.command) {
      const code = decodeCommand(view, payload, this.command);
      if (code < 0) {
        this.output.push(`command err ${code}`);
        return;
      }
      const c = this.command;
      const check = checkCommand(this.auth, header, c, shape, this.lastCommandSeq);
      if (check !== 0) {
        this.output.push(`command err ${check}`);
        return;
      }
      this.lastCommandSeq = c.seq;
      this.output.push(
        `command ok seq=${c.seq} state_seq=${c.stateSeq} count=${c.count} ${Array.from(c.target.subarray(0, c.count), (v) => String(v)).join(" ")}`
      );
      return;
    }
    if (type === MessageType.request) {
      const r = decodeRequest(message, payload);
      if (typeof r === "number") {
        this.output.push(`request err ${r}`);
        return;
      }
      const owner = header.auth === AuthMode.session && header.session === this.auth.sessionId && header.session !== 0;
      const statusAsker = r.op === RequestOp.status && (owner || header.auth === AuthMode.device);
      if (r.op !== RequestOp.hello && !statusAsker && !owner) {
        this.output.push("request err -13");
        return;
      }
      this.output.push(`request op=${r.op} seq=${header.seq} auth=${header.auth}`);
      if (statusAsker) {
        const status = {
          requestSeq: header.seq,
          state: RigState.idle,
          owned: this.auth.sessionId !== 0,
          flags: 0,
          ticks: 0,
          latches: 0,
          commandsApplied: 0,
          reason: ""
        };
        this.emit("status", encodeStatus(this.out, 1, 0, status), owner ? "auto" : "device");
      }
      return;
    }
    if (type === MessageType.estop) {
      const e = decodeEstop(message, payload);
      this.output.push(
        typeof e === "number" ? `estop err ${e}` : `estop source=${e.source} auth=${header.auth}`
      );
      return;
    }
    if (type === MessageType.heartbeat) {
      const h = decodeHeartbeat(view, payload);
      const owner = header.auth === AuthMode.session && header.session === this.auth.sessionId && header.session !== 0;
      this.output.push(
        typeof h === "number" ? `heartbeat err ${h}` : owner ? "heartbeat ok" : "heartbeat err -13"
      );
      return;
    }
    this.output.push(`other type=${type}`);
  }
};
var VectorHost = class {
  script = [];
  auth;
  out = new Uint8Array(maxMessageSize);
  outView = new DataView(this.out.buffer);
  frameBuf = new Uint8Array(maxFrameSize);
  scratch = new Uint8Array(maxMessageSize + 4);
  seq = 1;
  constructor(key) {
    this.auth = new LinkAuth(key, "host");
  }
  /** Frames message[0, length) after `tamper` had its way with the sealed bytes. */
  framed(length, tamper) {
    tamper?.(this.out, length);
    const n = encodeFrame(this.out, length, this.scratch, this.frameBuf);
    return hex(this.frameBuf.subarray(0, n));
  }
  sealed(length, mode) {
    return this.auth.seal(this.out, length, mode);
  }
  session(rigNonce, nonce, mode) {
    const n = encodeSession(this.out, this.seq++, 0, { op: SessionOp.open, hostNonce: nonce, rigNonce });
    return this.framed(this.sealed(n, mode));
  }
  command(values, mode, options = {}, tamper) {
    const c = createCommandSample();
    c.seq = options.seq ?? this.seq++;
    c.timeUs = 100;
    c.stateSeq = 42;
    c.mode = options.commandMode ?? 0;
    c.count = values.length;
    c.target.set(values);
    c.hasGains = options.gains !== void 0;
    if (options.gains) {
      c.kp.fill(options.gains[0], 0, values.length);
      c.kd.fill(options.gains[1], 0, values.length);
    }
    return this.framed(this.sealed(encodeCommand(this.outView, c), mode), tamper);
  }
  request(op, mode) {
    return this.framed(this.sealed(encodeRequest(this.out, this.seq++, 0, { op }), mode));
  }
  estop(mode) {
    return this.framed(
      this.sealed(encodeEstop(this.out, this.seq++, 0, { source: 1, reason: "panel" }), mode)
    );
  }
  heartbeat(mode) {
    return this.framed(
      this.sealed(encodeHeartbeat(this.outView, this.seq++, 0, { role: 0, lifecycle: 2 }), mode)
    );
  }
};
function conformanceVectors() {
  const rig = new ConformanceRig();
  const lines = [
    "# Tether wire protocol v3 conformance vectors (generated by hardware/tools/conformance.ts; do not edit).",
    '# "> " lines are fed to the rig program, "< " lines are what it must print, byte for byte.'
  ];
  const step = (line, comment) => {
    if (comment !== void 0) lines.push(`# ${comment}`);
    const before = rig.output.length;
    rig.run(line);
    lines.push(`> ${line}`);
    for (const out of rig.output.slice(before)) lines.push(`< ${out}`);
  };
  const host = new VectorHost(conformanceKey);
  const intruder = new VectorHost(otherKey);
  const second = new VectorHost(conformanceKey);
  step(
    `init ${hex(conformanceKey)} ${hex(rigNonces[0])}`,
    "the rig boots with its device key and a first nonce"
  );
  step(`next_nonce ${hex(rigNonces[1])}`);
  step("hello", "hello, sealed with the device key, names the nonce an open must echo");
  step(`frame ${host.request(RequestOp.hello, "none")}`, "anyone may ask who is there");
  step(
    `frame ${intruder.session(rigNonces[0], hostNonce, "device")}`,
    "an open sealed with another key: forged"
  );
  step(`frame ${host.session(rigNonces[0], hostNonce, "none")}`, "an unsealed open: unauthenticated");
  step(
    `frame ${host.session(rigNonces[3], hostNonce, "device")}`,
    "an open echoing a nonce the rig never sent: stale"
  );
  step(`frame ${host.session(rigNonces[0], hostNonce, "device")}`, "the owner opens its session");
  host.auth.expect(rigNonces[0], hostNonce);
  promote(host.auth, rig.output.at(-1));
  step("emit", "state, fault, notice and heartbeat, sealed with the session (rig->host key)");
  step(`frame ${host.command([1.5], "auto")}`, "a command from the owner");
  const replay = host.command([2.5], "auto");
  step(`frame ${replay}`);
  step(`frame ${replay}`, "the same frame again: replayed");
  step(
    `frame ${host.command([3], "auto", {}, (m) => {
      m[24] = m[24] ^ 1;
    })}`,
    "a target changed after sealing: forged"
  );
  step(`frame ${host.command([Number.NaN], "auto")}`, "sealed by the owner, but a NaN target: refused");
  step(`frame ${host.command([Infinity], "auto")}`, "an infinite target: refused");
  step(`frame ${host.command([1], "auto", { gains: [-1, 1] })}`, "a negative gain: refused");
  step(`frame ${host.command([1, 2], "auto")}`, "two values where the hello announced one: wrong shape");
  step(
    `frame ${host.command([1], "auto", { commandMode: 1 })}`,
    "position mode on a torque rig: wrong shape"
  );
  step(
    `frame ${host.command([1], "auto", { commandMode: 3 })}`,
    "a cartesian command (mode 3) on a torque rig: wrong shape"
  );
  step(
    `frame ${host.command([Number.NaN], "auto", { commandMode: 3 })}`,
    "a cartesian command with a NaN: refused by the decoder"
  );
  step(`frame ${host.command([1], "auto", { commandMode: 4 })}`, "mode 4 is no mode: refused by the decoder");
  step(
    `frame ${host.command([1], "auto", { gains: [1, 1] })}`,
    "gains to a rig without the pd-gains feature"
  );
  step(`frame ${host.command([1], "none")}`, "an unsealed command: unauthenticated");
  step(`frame ${host.command([1], "device")}`, "a command sealed with the device key only: not the session");
  step(
    `frame ${host.command([1], "auto", { seq: 2 })}`,
    "a fresh tag but an old sequence number: out of order"
  );
  step(`frame ${host.request(RequestOp.activate, "auto")}`, "activate from the owner");
  step(`frame ${host.request(RequestOp.activate, "none")}`, "activate from anyone else: refused");
  step(`frame ${host.estop("none")}`, "an unsealed e-stop is accepted: anyone may stop");
  step(`frame ${host.heartbeat("auto")}`);
  step(`frame ${host.heartbeat("none")}`, "an unsealed heartbeat does not feed the watchdog");
  const early = host.heartbeat("auto");
  const late = host.heartbeat("auto");
  step(`frame ${late}`, "frames may arrive out of order (MQTT does not order across topics)...");
  step(`frame ${early}`, "...an older counter within the replay window is accepted once");
  step(`frame ${early}`, "and not twice");
  step(
    `frame ${second.session(rigNonces[1], secondHostNonce, "device")}`,
    "a second would-be owner while the owner is alive: busy"
  );
  step(
    `frame ${host.framed(host.sealed(encodeRequest(new Uint8Array(64), 1, 0, { op: 2 }), "none"), (m) => {
      m.set(encodeRequestWithFlags(4));
    })}`,
    "reserved header flag bits set"
  );
  step(`frame ${versionOneHeartbeat(host)}`, "a protocol v1 message");
  step(`frame ${truncatedTrailer(host)}`, "device-sealed, but shorter than header and trailer");
  step(`frame ${corruptFrame(host)}`, "a frame whose CRC does not match: dropped by the framing");
  step(`next_nonce ${hex(rigNonces[2])}`);
  const foreign = foreignSessionCommand();
  step(`frame ${foreign}`, "a command sealed for a session the rig never had: foreign session");
  step(
    `frame ${host.session(rigNonces[1], rekeyNonce, "auto")}`,
    "the owner re-keys (sealed with its session)"
  );
  const oldKeys = host.command([4], "auto");
  host.auth.expect(rigNonces[1], rekeyNonce);
  promote(host.auth, rig.output.at(-1));
  step(`frame ${oldKeys}`, "a command sealed with the old session after re-keying: foreign session");
  step(`frame ${host.command([5], "auto")}`, "the new session commands");
  step("owner_alive 0", "the owner goes quiet beyond its lease");
  step(
    `frame ${second.session(rigNonces[2], secondHostNonce, "device")}`,
    "now the second host may own the rig"
  );
  second.auth.expect(rigNonces[2], secondHostNonce);
  promote(second.auth, rig.output.at(-1));
  step(
    `frame ${second.request(RequestOp.status, "auto")}`,
    "status from the owner: answered sealed with its session"
  );
  step(
    `frame ${host.request(RequestOp.status, "device")}`,
    "status from a holder of the key that does not own the rig: answered sealed with the device key"
  );
  step(`frame ${intruder.request(RequestOp.status, "device")}`, "status sealed with another key: forged");
  step(`frame ${host.request(RequestOp.status, "none")}`, "an unsealed status request: refused");
  step("counters");
  return `${lines.join("\n")}
`;
}
function promote(auth, ackLine) {
  const frame = bytes(ackLine.split(" ")[1]);
  let ok = false;
  const decoder = new FrameDecoder((m, n) => {
    ok = auth.verify(m, n, { auth: 0, session: 0 }) > 0;
  });
  decoder.push(frame);
  if (!ok || auth.sessionId === 0)
    throw new Error(`conformance: the rig's ack did not open the session: ${ackLine}`);
}
function encodeRequestWithFlags(flags) {
  const m = new Uint8Array(17);
  encodeRequest(m, 99, 0, { op: 2 });
  m[2] = flags;
  return m;
}
function versionOneHeartbeat(host) {
  return host.framed(20, (m) => {
    encodeHeartbeat(new DataView(m.buffer), 5, 9, { role: 0, lifecycle: 2 });
    m[0] = 1;
  });
}
function truncatedTrailer(host) {
  return host.framed(30, (m) => {
    m.fill(0, 0, 30);
    encodeRequest(m, 7, 0, { op: 2 });
    m[2] = AuthMode.device;
  });
}
function corruptFrame(host) {
  const frame = bytes(host.request(RequestOp.activate, "auto"));
  frame[5] = frame[5] === 85 ? 86 : 85;
  return hex(frame);
}
function foreignSessionCommand() {
  const keys = deriveSession(new HmacKey(conformanceKey), fill(nonceSize, 153), fill(nonceSize, 152));
  const out = new Uint8Array(maxMessageSize);
  const c = createCommandSample();
  Object.assign(c, { seq: 500, timeUs: 0, stateSeq: 0, mode: 0, count: 1 });
  c.target[0] = 1;
  const n = seal(out, encodeCommand(new DataView(out.buffer), c), AuthMode.session, keys.toRig, keys.id, 1);
  const frame = new Uint8Array(maxFrameSize);
  return hex(frame.subarray(0, encodeFrame(out, n, new Uint8Array(maxMessageSize + 4), frame)));
}
if (__sourceUrl === pathToFileURL(process.argv[1] ?? "").href) process.stdout.write(conformanceVectors());
export {
  ConformanceRig,
  cartpoleHelloBase,
  conformanceHello,
  conformanceKey,
  conformanceRetryMs,
  conformanceVectors
};
