// Compiled from hardware/protocol/messages.ts by `npm run build`: edit the source, not this file.

// hardware/protocol/messages.ts
import { authModeMask, nonceSize, trailerSize } from "./auth.js";
var protocolVersion = 3;
var headerSize = 16;
var maxMessageSize = 4096;
var maxStateValues = 480;
var maxCommandValues = 160;
var imuValueCount = 10;
var MessageType = {
  hello: 1,
  state: 2,
  command: 3,
  heartbeat: 4,
  estop: 5,
  fault: 6,
  ack: 7,
  request: 8,
  /** host → rig: open (or re-key) an authenticated session. */
  session: 9,
  /** rig → owner: something the owner should know (a refused takeover, refused frames). */
  notice: 10,
  /** runtime → operators (MQTT operator channel): the nonce their messages are bound to. */
  operatorHello: 11,
  /** operator → runtime: one operator command line. */
  operator: 12,
  /** runtime → operator: the answer to one command line. */
  operatorReply: 13,
  /** rig → asker: how the rig is (idle, active, latched and why), answering REQUEST status. */
  status: 14
};
var messageTypeCount = 15;
var DecodeError = {
  tooShort: -1,
  badVersion: -2,
  unknownType: -3,
  truncated: -4,
  trailingBytes: -5,
  badCount: -6,
  badString: -7,
  badValue: -8,
  /** Reserved header flag bits set. */
  badFlags: -9
};
var commandModes = ["torque", "position", "velocity", "cartesian"];
var Feature = { imu: 1, estop: 2, pdGains: 4, watchdog: 8 };
var StateFlag = { estop: 1, fault: 2, active: 4 };
var RequestOp = { hello: 1, activate: 2, deactivate: 3, recover: 4, release: 5, status: 6 };
var RigState = { idle: 0, active: 1, latched: 2 };
var rigStateNames = ["idle", "active", "latched"];
var EstopSource = { host: 0, operator: 1, rig: 2 };
var FaultCode = { watchdog: 1, sensor: 2, limit: 3, internal: 4, protocol: 5 };
var AckStatus = {
  ok: 0,
  refused: 1,
  unsupported: 2,
  busy: 3,
  stale: 4,
  unauthenticated: 5
};
var SessionOp = { open: 1 };
var NoticeCode = {
  ownershipRefused: 1,
  forged: 2,
  replayed: 3,
  foreignSession: 4,
  unauthenticated: 5,
  malformedCommand: 6
};
var stateFlagMask = 7;
var featureMask = 15;
function createStateSample() {
  return {
    seq: 0,
    timeUs: 0,
    commandSeq: 0,
    flags: 0,
    jointCount: 0,
    hasImu: false,
    sensorCount: 0,
    values: new Float64Array(maxStateValues),
    valueCount: 0
  };
}
function createCommandSample() {
  return {
    seq: 0,
    timeUs: 0,
    stateSeq: 0,
    mode: 0,
    count: 0,
    hasGains: false,
    target: new Float64Array(maxCommandValues),
    kp: new Float64Array(maxCommandValues),
    kd: new Float64Array(maxCommandValues)
  };
}
function stateValueCount(jointCount, hasImu, sensorCount) {
  return 3 * jointCount + (hasImu ? imuValueCount : 0) + sensorCount;
}
var twoTo32 = 4294967296;
var utf8 = new TextEncoder();
var utf8Strict = new TextDecoder("utf-8", { fatal: true });
function writeHeader(view, type, seq, timeUs) {
  view.setUint8(0, protocolVersion);
  view.setUint8(1, type);
  view.setUint16(2, 0, true);
  view.setUint32(4, seq >>> 0, true);
  const t = Math.max(0, Math.floor(timeUs));
  view.setUint32(8, t % twoTo32, true);
  view.setUint32(12, Math.floor(t / twoTo32), true);
}
var Writer = class {
  constructor(out) {
    this.out = out;
    this.view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  }
  out;
  offset = headerSize;
  view;
  u8(v) {
    this.view.setUint8(this.offset, v);
    this.offset += 1;
  }
  u16(v) {
    this.view.setUint16(this.offset, v, true);
    this.offset += 2;
  }
  u32(v) {
    this.view.setUint32(this.offset, v >>> 0, true);
    this.offset += 4;
  }
  f64(v) {
    this.view.setFloat64(this.offset, v, true);
    this.offset += 8;
  }
  u64(v) {
    this.u32(v % twoTo32);
    this.u32(Math.floor(v / twoTo32));
  }
  bytes(b, n) {
    if (b.length !== n) throw new RangeError(`expected ${n} bytes, got ${b.length}`);
    this.out.set(b, this.offset);
    this.offset += n;
  }
  /** UTF-8 up to the end of the message (no length prefix), cut at `max` bytes on a character boundary. */
  text(s, max) {
    let bytes = utf8.encode(s);
    if (bytes.length > max) {
      let cut = max;
      while (cut > 0 && (bytes[cut] & 192) === 128) cut--;
      bytes = bytes.subarray(0, cut);
    }
    this.out.set(bytes, this.offset);
    this.offset += bytes.length;
  }
  str(s) {
    const bytes = utf8.encode(s);
    if (bytes.length > 255) throw new RangeError(`string '${s.slice(0, 32)}...' is longer than 255 bytes`);
    this.u8(bytes.length);
    this.out.set(bytes, this.offset);
    this.offset += bytes.length;
  }
};
function checkCount(what, n, max) {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`${what}: ${n} is not in 0..${max}`);
}
var robotName = /^[A-Za-z0-9_-]{1,64}$/;
function notNaN(...values) {
  return values.every((v) => !Number.isNaN(v));
}
function firstDuplicate(names) {
  const seen = /* @__PURE__ */ new Set();
  for (const n of names) {
    if (seen.has(n)) return n;
    seen.add(n);
  }
  return void 0;
}
function helloProblem(h) {
  if (!robotName.test(h.name))
    return `robot name '${h.name}' must be 1 to 64 of A-Z a-z 0-9 _ - (it is an MQTT topic level)`;
  if (!(h.stateRateHz >= 1)) return `state_rate_hz ${h.stateRateHz} must be at least 1`;
  if (!(h.minCommandRateHz >= 1 && h.minCommandRateHz <= h.maxCommandRateHz))
    return `command rates ${h.minCommandRateHz}..${h.maxCommandRateHz} Hz must satisfy 1 <= min <= max`;
  if (!commandModes.includes(h.commandMode)) return `command mode '${h.commandMode}' is unknown`;
  if ((h.features & ~featureMask) !== 0) return `features 0x${h.features.toString(16)} has unknown bits`;
  if ((h.features & Feature.watchdog) !== 0 && !(h.watchdogMs >= 1))
    return "a rig with the watchdog feature needs watchdog_ms >= 1";
  const duplicate = firstDuplicate(h.joints.map((j) => j.name)) ?? firstDuplicate(h.sensors.map((s) => s.name)) ?? firstDuplicate(h.observation.map((s) => s.name)) ?? firstDuplicate(h.action.map((s) => s.name));
  if (duplicate !== void 0) return `name '${duplicate}' appears twice in one list`;
  for (const j of h.joints) {
    if (j.name === "") return "a joint has an empty name";
    if (j.type !== 0 && j.type !== 1) return `joint '${j.name}' has unknown type ${j.type}`;
    if (!notNaN(j.positionLower, j.positionUpper, j.velocityLimit, j.effortLimit))
      return `joint '${j.name}' has a NaN limit`;
    if (!(j.positionLower <= j.positionUpper))
      return `joint '${j.name}': position_lower ${j.positionLower} > position_upper ${j.positionUpper}`;
    if (!(j.velocityLimit >= 0 && j.effortLimit >= 0))
      return `joint '${j.name}': velocity and effort limits must be >= 0`;
  }
  for (const s of h.sensors) if (s.name === "") return "a sensor has an empty name";
  const stateSize = stateValueCount(h.joints.length, h.hasImu, h.sensors.length);
  if (stateSize > maxStateValues) return `state vector of ${stateSize} values exceeds ${maxStateValues}`;
  for (const s of h.observation) {
    if (s.name === "") return "an observation signal has an empty name";
    if (!notNaN(s.lower, s.upper) || !(s.lower <= s.upper))
      return `observation '${s.name}': limits [${s.lower}, ${s.upper}] are not an interval`;
    if (!(Number.isInteger(s.stateIndex) && s.stateIndex >= 0 && s.stateIndex < stateSize))
      return `observation '${s.name}': state_index ${s.stateIndex} is not below the state size ${stateSize}`;
  }
  if (h.action.length === 0) return "no action signals";
  if (h.action.length > maxCommandValues)
    return `${h.action.length} action signals exceed ${maxCommandValues}`;
  for (const s of h.action) {
    if (s.name === "") return "an action signal has an empty name";
    if (!notNaN(s.lower, s.upper) || !(s.lower <= s.upper))
      return `action '${s.name}': limits [${s.lower}, ${s.upper}] are not an interval`;
    if (!(Number.isFinite(s.safe) && s.safe >= s.lower && s.safe <= s.upper))
      return `action '${s.name}': safe value ${s.safe} is not a finite value within [${s.lower}, ${s.upper}]`;
    if (!(s.maxDeltaPerTick > 0))
      return `action '${s.name}': max_delta_per_tick ${s.maxDeltaPerTick} must be > 0`;
  }
  return void 0;
}
var zeroNonce = new Uint8Array(nonceSize);
function encodeHello(out, seq, timeUs, hello, options = {}) {
  const problem = options.check === false ? void 0 : helloProblem(hello);
  if (problem !== void 0)
    throw new RangeError(`hello for '${hello.name}' violates the protocol: ${problem}`);
  checkCount("hello joints", hello.joints.length, 255);
  checkCount("hello sensors", hello.sensors.length, 255);
  checkCount("hello observation signals", hello.observation.length, 255);
  checkCount("hello action signals", hello.action.length, 255);
  const stateSize = stateValueCount(hello.joints.length, hello.hasImu, hello.sensors.length);
  checkCount("hello state vector size", stateSize, maxStateValues);
  const w = new Writer(out);
  try {
    writeHello(w, seq, timeUs, hello, stateSize);
  } catch (error) {
    if (error instanceof RangeError && /out of bounds|outside the bounds/i.test(error.message)) {
      throw new RangeError(
        `hello for '${hello.name}' does not fit in ${out.length} bytes (protocol limit ${maxMessageSize})`
      );
    }
    throw error;
  }
  return w.offset;
}
function writeHello(w, seq, timeUs, hello, stateSize) {
  writeHeader(w.view, MessageType.hello, seq, timeUs);
  w.u16(hello.stateRateHz);
  w.u16(hello.innerLoopHz);
  w.u16(hello.minCommandRateHz);
  w.u16(hello.maxCommandRateHz);
  w.u8(commandModes.indexOf(hello.commandMode));
  w.u8(hello.features | (hello.hasImu ? Feature.imu : 0));
  w.u16(hello.watchdogMs);
  w.str(hello.name);
  w.u8(hello.joints.length);
  for (const j of hello.joints) {
    w.str(j.name);
    w.u8(j.type);
    w.f64(j.positionLower);
    w.f64(j.positionUpper);
    w.f64(j.velocityLimit);
    w.f64(j.effortLimit);
  }
  w.u8(hello.sensors.length);
  for (const s of hello.sensors) {
    w.str(s.name);
    w.str(s.unit);
  }
  w.u8(hello.observation.length);
  for (const s of hello.observation) {
    checkCount(`observation '${s.name}' stateIndex`, s.stateIndex, stateSize - 1);
    w.str(s.name);
    w.str(s.unit);
    w.f64(s.lower);
    w.f64(s.upper);
    w.u16(s.stateIndex);
  }
  w.u8(hello.action.length);
  for (const s of hello.action) {
    w.str(s.name);
    w.str(s.unit);
    w.f64(s.lower);
    w.f64(s.upper);
    w.f64(s.safe);
    w.f64(s.maxDeltaPerTick);
  }
  const session = hello.session;
  w.bytes(session?.rigNonce ?? zeroNonce, nonceSize);
  w.u32(session?.ownerSession ?? 0);
  w.u16(session?.leaseMs ?? 0);
  if (w.offset > maxMessageSize - trailerSize)
    throw new RangeError(
      `hello is ${w.offset} bytes, more than ${maxMessageSize - trailerSize} (with its trailer, ${maxMessageSize})`
    );
}
function encodeState(view, s) {
  writeHeader(view, MessageType.state, s.seq, s.timeUs);
  view.setUint32(16, s.commandSeq >>> 0, true);
  view.setUint32(20, s.flags >>> 0, true);
  view.setUint8(24, s.jointCount);
  view.setUint8(25, s.hasImu ? 1 : 0);
  view.setUint8(26, s.sensorCount);
  view.setUint8(27, 0);
  const n = stateValueCount(s.jointCount, s.hasImu, s.sensorCount);
  let offset = 28;
  for (let i = 0; i < n; i++, offset += 4) view.setFloat32(offset, s.values[i], true);
  return offset;
}
function encodeCommand(view, c) {
  writeHeader(view, MessageType.command, c.seq, c.timeUs);
  view.setUint32(16, c.stateSeq >>> 0, true);
  view.setUint8(20, c.mode);
  view.setUint8(21, c.count);
  view.setUint8(22, c.hasGains ? 1 : 0);
  view.setUint8(23, 0);
  let offset = 24;
  for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.target[i], true);
  if (c.hasGains) {
    for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.kp[i], true);
    for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.kd[i], true);
  }
  return offset;
}
function encodeHeartbeat(view, seq, timeUs, hb) {
  writeHeader(view, MessageType.heartbeat, seq, timeUs);
  view.setUint8(16, hb.role);
  view.setUint8(17, hb.lifecycle);
  view.setUint16(18, 0, true);
  return 20;
}
function encodeEstop(out, seq, timeUs, e) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.estop, seq, timeUs);
  w.u8(e.source);
  w.str(e.reason);
  return w.offset;
}
function encodeFault(out, seq, timeUs, f) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.fault, seq, timeUs);
  w.u16(f.code);
  w.str(f.message);
  return w.offset;
}
function encodeAck(out, seq, timeUs, a) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.ack, seq, timeUs);
  w.u8(a.ackedType);
  w.u8(a.status);
  w.u16(Math.min(65535, Math.max(0, Math.round(a.retryAfterMs ?? 0))));
  w.u32(a.ackedSeq);
  return w.offset;
}
function encodeRequest(out, seq, timeUs, r) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.request, seq, timeUs);
  w.u8(r.op);
  return w.offset;
}
function encodeSession(out, seq, timeUs, s) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.session, seq, timeUs);
  w.u8(s.op);
  w.bytes(s.hostNonce, nonceSize);
  w.bytes(s.rigNonce, nonceSize);
  return w.offset;
}
function encodeNotice(out, seq, timeUs, n) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.notice, seq, timeUs);
  w.u16(n.code);
  w.u32(n.count);
  w.str(n.message.length > 200 ? `${n.message.slice(0, 197)}...` : n.message);
  return w.offset;
}
function encodeStatus(out, seq, timeUs, st) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.status, seq, timeUs);
  w.u32(st.requestSeq);
  w.u8(st.state);
  w.u8(st.owned ? 1 : 0);
  w.u16(0);
  w.u32(st.flags);
  w.u64(st.ticks);
  w.u32(st.latches);
  w.u32(st.commandsApplied);
  w.str(st.reason.length > 200 ? `${st.reason.slice(0, 197)}...` : st.reason);
  return w.offset;
}
function encodeOperatorHello(out, seq, timeUs, h) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operatorHello, seq, timeUs);
  w.bytes(h.nonce, nonceSize);
  return w.offset;
}
function encodeOperatorCommand(out, seq, timeUs, c) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operator, seq, timeUs);
  w.str(c.line);
  return w.offset;
}
var maxReplyText = 2048;
function encodeOperatorReply(out, seq, timeUs, r) {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operatorReply, seq, timeUs);
  w.u64(r.requestCounter);
  w.u8(r.ok ? 1 : 0);
  w.text(r.text, maxReplyText);
  return w.offset;
}
function decodeHeader(view, length, header) {
  if (length < headerSize) return DecodeError.tooShort;
  if (view.getUint8(0) !== protocolVersion) return DecodeError.badVersion;
  const type = view.getUint8(1);
  if (type < 1 || type >= messageTypeCount) return DecodeError.unknownType;
  if ((view.getUint16(2, true) & ~authModeMask) !== 0) return DecodeError.badFlags;
  header.type = type;
  header.seq = view.getUint32(4, true);
  header.timeUs = view.getUint32(8, true) + view.getUint32(12, true) * twoTo32;
  return type;
}
function decodeState(view, length, out) {
  if (length < 28) return DecodeError.truncated;
  const jointCount = view.getUint8(24);
  const imuByte = view.getUint8(25);
  const sensorCount = view.getUint8(26);
  if (imuByte > 1 || view.getUint8(27) !== 0) return DecodeError.badValue;
  if ((view.getUint32(20, true) & ~stateFlagMask) !== 0) return DecodeError.badValue;
  const n = stateValueCount(jointCount, imuByte === 1, sensorCount);
  if (n > maxStateValues) return DecodeError.badCount;
  const expected = 28 + 4 * n;
  if (length < expected) return DecodeError.truncated;
  if (length > expected) return DecodeError.trailingBytes;
  out.seq = view.getUint32(4, true);
  out.timeUs = view.getUint32(8, true) + view.getUint32(12, true) * twoTo32;
  out.commandSeq = view.getUint32(16, true);
  out.flags = view.getUint32(20, true);
  out.jointCount = jointCount;
  out.hasImu = imuByte === 1;
  out.sensorCount = sensorCount;
  out.valueCount = n;
  for (let i = 0, offset = 28; i < n; i++, offset += 4) out.values[i] = view.getFloat32(offset, true);
  return MessageType.state;
}
function decodeCommand(view, length, out) {
  if (length < 24) return DecodeError.truncated;
  const mode = view.getUint8(20);
  const count = view.getUint8(21);
  const gainsByte = view.getUint8(22);
  if (mode >= commandModes.length || gainsByte > 1 || view.getUint8(23) !== 0) return DecodeError.badValue;
  if (count > maxCommandValues) return DecodeError.badCount;
  const expected = 24 + 4 * count * (gainsByte === 1 ? 3 : 1);
  if (length < expected) return DecodeError.truncated;
  if (length > expected) return DecodeError.trailingBytes;
  let offset = 24;
  for (let i = 0; i < count; i++, offset += 4)
    if (!Number.isFinite(view.getFloat32(offset, true))) return DecodeError.badValue;
  if (gainsByte === 1) {
    for (let i = 0; i < 2 * count; i++, offset += 4)
      if (!(view.getFloat32(offset, true) >= 0 && view.getFloat32(offset, true) < Infinity))
        return DecodeError.badValue;
  }
  out.seq = view.getUint32(4, true);
  out.timeUs = view.getUint32(8, true) + view.getUint32(12, true) * twoTo32;
  out.stateSeq = view.getUint32(16, true);
  out.mode = mode;
  out.count = count;
  out.hasGains = gainsByte === 1;
  offset = 24;
  for (let i = 0; i < count; i++, offset += 4) out.target[i] = view.getFloat32(offset, true);
  if (out.hasGains) {
    for (let i = 0; i < count; i++, offset += 4) out.kp[i] = view.getFloat32(offset, true);
    for (let i = 0; i < count; i++, offset += 4) out.kd[i] = view.getFloat32(offset, true);
  }
  return MessageType.command;
}
function decodeHeartbeat(view, length) {
  if (length < 20) return DecodeError.truncated;
  if (length > 20) return DecodeError.trailingBytes;
  return { role: view.getUint8(16), lifecycle: view.getUint8(17) };
}
var Reader = class {
  constructor(bytes_, view, length) {
    this.bytes_ = bytes_;
    this.view = view;
    this.length = length;
  }
  bytes_;
  view;
  length;
  offset = headerSize;
  failed = 0;
  take(n) {
    if (this.failed !== 0 || this.offset + n > this.length) {
      if (this.failed === 0) this.failed = DecodeError.truncated;
      return -1;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }
  u8() {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }
  u16() {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getUint16(at, true);
  }
  u32() {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getUint32(at, true);
  }
  f64() {
    const at = this.take(8);
    return at < 0 ? 0 : this.view.getFloat64(at, true);
  }
  u64() {
    const low = this.u32();
    return this.u32() * twoTo32 + low;
  }
  bytes(n) {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(n) : this.bytes_.slice(at, at + n);
  }
  /** The rest of the message as UTF-8. */
  text() {
    const at = this.take(this.length - this.offset);
    if (at < 0) return "";
    try {
      return utf8Strict.decode(this.bytes_.subarray(at, this.length));
    } catch {
      this.failed ||= DecodeError.badString;
      return "";
    }
  }
  str() {
    const n = this.u8();
    const at = this.take(n);
    if (at < 0) return "";
    try {
      return utf8Strict.decode(this.bytes_.subarray(at, at + n));
    } catch {
      this.failed ||= DecodeError.badString;
      return "";
    }
  }
  finish(value) {
    if (this.failed !== 0) return this.failed;
    if (this.offset !== this.length) return DecodeError.trailingBytes;
    return value;
  }
};
function viewOf(bytes) {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
function decodeHello(bytes, length, problems) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const stateRateHz = r.u16();
  const innerLoopHz = r.u16();
  const minCommandRateHz = r.u16();
  const maxCommandRateHz = r.u16();
  const modeIndex = r.u8();
  const features = r.u8();
  const watchdogMs = r.u16();
  const name = r.str();
  const joints = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    joints.push({
      name: r.str(),
      type: r.u8(),
      positionLower: r.f64(),
      positionUpper: r.f64(),
      velocityLimit: r.f64(),
      effortLimit: r.f64()
    });
  }
  const sensors = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) sensors.push({ name: r.str(), unit: r.str() });
  const observation = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    observation.push({ name: r.str(), unit: r.str(), lower: r.f64(), upper: r.f64(), stateIndex: r.u16() });
  }
  const action = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    action.push({
      name: r.str(),
      unit: r.str(),
      lower: r.f64(),
      upper: r.f64(),
      safe: r.f64(),
      maxDeltaPerTick: r.f64()
    });
  }
  const rigNonce = r.bytes(nonceSize);
  const ownerSession = r.u32();
  const leaseMs = r.u16();
  const hello = {
    stateRateHz,
    innerLoopHz,
    minCommandRateHz,
    maxCommandRateHz,
    commandMode: commandModes[modeIndex] ?? `mode ${modeIndex}`,
    features,
    watchdogMs,
    name,
    joints,
    hasImu: (features & Feature.imu) !== 0,
    sensors,
    observation,
    action,
    session: { rigNonce, ownerSession, leaseMs }
  };
  const decoded = r.finish(hello);
  if (typeof decoded === "number") return decoded;
  const problem = helloProblem(hello);
  if (problem !== void 0) {
    problems?.push(problem);
    return DecodeError.badValue;
  }
  return hello;
}
function decodeEstop(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const source = r.u8();
  const reason = r.str();
  return r.finish({ source, reason });
}
function decodeFault(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const code = r.u16();
  const message = r.str();
  return r.finish({ code, message });
}
function decodeAck(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const ackedType = r.u8();
  const status = r.u8();
  const retryAfterMs = r.u16();
  const ackedSeq = r.u32();
  return r.finish({ ackedType, status, ackedSeq, retryAfterMs });
}
function decodeRequest(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const op = r.u8();
  return r.finish({ op });
}
function decodeSession(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const op = r.u8();
  const hostNonce = r.bytes(nonceSize);
  const rigNonce = r.bytes(nonceSize);
  return r.finish({ op, hostNonce, rigNonce });
}
function decodeNotice(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const code = r.u16();
  const count = r.u32();
  const message = r.str();
  return r.finish({ code, count, message });
}
function decodeStatus(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const requestSeq = r.u32();
  const state = r.u8();
  const owned = r.u8();
  const reserved = r.u16();
  const flags = r.u32();
  const ticks = r.u64();
  const latches = r.u32();
  const commandsApplied = r.u32();
  const reason = r.str();
  const value = r.finish({
    requestSeq,
    state,
    owned: owned === 1,
    flags,
    ticks,
    latches,
    commandsApplied,
    reason
  });
  if (typeof value === "number") return value;
  if (state >= rigStateNames.length || owned > 1 || reserved !== 0 || flags >= 8) return DecodeError.badValue;
  return value;
}
function decodeOperatorHello(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const nonce = r.bytes(nonceSize);
  return r.finish({ nonce });
}
function decodeOperatorCommand(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const line = r.str();
  return r.finish({ line });
}
function decodeOperatorReply(bytes, length) {
  const r = new Reader(bytes, viewOf(bytes), length);
  const requestCounter = r.u64();
  const okByte = r.u8();
  const text = r.text();
  if (!r.failed && okByte > 1) return DecodeError.badValue;
  return r.finish({ requestCounter, ok: okByte === 1, text });
}
export {
  AckStatus,
  DecodeError,
  EstopSource,
  FaultCode,
  Feature,
  MessageType,
  NoticeCode,
  RequestOp,
  RigState,
  SessionOp,
  StateFlag,
  commandModes,
  createCommandSample,
  createStateSample,
  decodeAck,
  decodeCommand,
  decodeEstop,
  decodeFault,
  decodeHeader,
  decodeHeartbeat,
  decodeHello,
  decodeNotice,
  decodeOperatorCommand,
  decodeOperatorHello,
  decodeOperatorReply,
  decodeRequest,
  decodeSession,
  decodeState,
  decodeStatus,
  encodeAck,
  encodeCommand,
  encodeEstop,
  encodeFault,
  encodeHeartbeat,
  encodeHello,
  encodeNotice,
  encodeOperatorCommand,
  encodeOperatorHello,
  encodeOperatorReply,
  encodeRequest,
  encodeSession,
  encodeState,
  encodeStatus,
  featureMask,
  headerSize,
  helloProblem,
  imuValueCount,
  maxCommandValues,
  maxMessageSize,
  maxReplyText,
  maxStateValues,
  messageTypeCount,
  protocolVersion,
  rigStateNames,
  stateFlagMask,
  stateValueCount
};
