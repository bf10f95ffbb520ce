/**
 * Tether wire protocol, version 3: message layouts (docs/protocol.md is the byte-by-byte spec).
 *
 * Every message = 16-byte header + body (+ a 28-byte authentication trailer, see auth.ts), all
 * little-endian. Streamed values (state, command) are IEEE-754 binary32; hello's limits are binary64,
 * so the runtime's specs match the simulator's exactly. Header: u8 version, u8 type, u16 flags (bits
 * 0–1: which key sealed the message; the rest 0), u32 sequence (per sender and type), u32 time_us
 * low, u32 time_us high (microseconds on the sender's clock).
 *
 * State and command are the hot messages: they decode into caller-owned, preallocated samples and
 * encode from them, without allocating. The rare ones (hello, e-stop, fault, ack, request) use plain
 * objects. Decoders never throw on malformed input; they return a negative DecodeError.
 */
import type { CommandMode } from '../../src/core/spec.ts';
import { authModeMask, nonceSize, trailerSize } from './auth.ts';

export const protocolVersion = 3;
export const headerSize = 16;
/** Largest message (header + body, before CRC and COBS). Bounds every buffer on both ends. */
export const maxMessageSize = 4096;
/** Largest flat state vector: joints x (position, velocity, torque) + IMU + sensors. */
export const maxStateValues = 480;
export const maxCommandValues = 160;
export const imuValueCount = 10;

export const MessageType = {
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
  status: 14,
} as const;
export type MessageTypeCode = (typeof MessageType)[keyof typeof MessageType];
export const messageTypeCount = 15;

export const DecodeError = {
  tooShort: -1,
  badVersion: -2,
  unknownType: -3,
  truncated: -4,
  trailingBytes: -5,
  badCount: -6,
  badString: -7,
  badValue: -8,
  /** Reserved header flag bits set. */
  badFlags: -9,
} as const;

/** Wire codes of the command modes (HELLO `command_mode`, COMMAND `mode`): their index here. */
export const commandModes: readonly CommandMode[] = ['torque', 'position', 'velocity', 'cartesian'];

/** `features` bits in hello. */
export const Feature = { imu: 1, estop: 2, pdGains: 4, watchdog: 8 } as const;
/** `flags` bits in state. */
export const StateFlag = { estop: 1, fault: 2, active: 4 } as const;
/** `op` values in request (host -> rig). */
export const RequestOp = { hello: 1, activate: 2, deactivate: 3, recover: 4, release: 5, status: 6 } as const;
/** `state` values in status: what the rig does with commands now. */
export const RigState = { idle: 0, active: 1, latched: 2 } as const;
export const rigStateNames = ['idle', 'active', 'latched'] as const;
/** `source` values in estop. */
export const EstopSource = { host: 0, operator: 1, rig: 2 } as const;
/** `code` values in fault. */
export const FaultCode = { watchdog: 1, sensor: 2, limit: 3, internal: 4, protocol: 5 } as const;
/**
 * `status` values in ack. `busy`: another session owns the rig (the ack's u16 says after how many ms
 * without a word from the owner its lease ends); `stale`: the session open named an old rig nonce
 * or an unknown session; `unauthenticated`: its tag did not verify (sent unauthenticated).
 */
export const AckStatus = {
  ok: 0,
  refused: 1,
  unsupported: 2,
  busy: 3,
  stale: 4,
  unauthenticated: 5,
} as const;
/** `op` values in session. */
export const SessionOp = { open: 1 } as const;
/** `code` values in notice: each counts frames or attempts the rig refused. */
export const NoticeCode = {
  ownershipRefused: 1,
  forged: 2,
  replayed: 3,
  foreignSession: 4,
  unauthenticated: 5,
  malformedCommand: 6,
} as const;
/** Every `flags` bit a state may carry. */
export const stateFlagMask = 7;
/** Every `features` bit a hello may carry. */
export const featureMask = 15;

export interface Header {
  type: number;
  seq: number;
  timeUs: number;
  /** AuthMode the message was sealed with (set by the endpoint after verifying it). */
  auth: number;
  /** Session id from the trailer (0 when none). */
  session: number;
}

export interface JointInfo {
  readonly name: string;
  /** 0 = hinge (rad), 1 = slide (m). */
  readonly type: 0 | 1;
  readonly positionLower: number;
  readonly positionUpper: number;
  readonly velocityLimit: number;
  readonly effortLimit: number;
}

export interface WireSignal {
  readonly name: string;
  readonly unit: string;
  readonly lower: number;
  readonly upper: number;
}

export interface ObservationSignal extends WireSignal {
  /** Index into the flat state vector (positions, velocities, torques, IMU, sensors). */
  readonly stateIndex: number;
}

export interface ActionSignal extends WireSignal {
  readonly safe: number;
  /** Infinity when unlimited. */
  readonly maxDeltaPerTick: number;
}

export interface Hello {
  readonly stateRateHz: number;
  readonly innerLoopHz: number;
  readonly minCommandRateHz: number;
  readonly maxCommandRateHz: number;
  readonly commandMode: CommandMode;
  readonly features: number;
  /** The rig goes to its safe action when no command or heartbeat arrived for this long. */
  readonly watchdogMs: number;
  readonly name: string;
  readonly joints: readonly JointInfo[];
  readonly hasImu: boolean;
  readonly sensors: readonly { readonly name: string; readonly unit: string }[];
  readonly observation: readonly ObservationSignal[];
  readonly action: readonly ActionSignal[];
  /** The session part (v2), at the end of the message; zeros when omitted on encoding. */
  readonly session?: HelloSession;
}

/** What a rig says about ownership in its hello. */
export interface HelloSession {
  /** Fresh per session: a SESSION open must echo it (old opens cannot be replayed). */
  readonly rigNonce: Uint8Array;
  /** The session that owns the rig now, 0 = none. */
  readonly ownerSession: number;
  /** The owner's lease: it loses the rig after this long without an authenticated frame. */
  readonly leaseMs: number;
}

/** A decoded or to-be-encoded state message; reused every tick. */
export interface StateSample {
  seq: number;
  timeUs: number;
  /** Sequence number of the last command the rig applied (0 = none yet). */
  commandSeq: number;
  flags: number;
  jointCount: number;
  hasImu: boolean;
  sensorCount: number;
  /** Flat state vector; `valueCount` entries are valid. */
  readonly values: Float64Array;
  valueCount: number;
}

export interface CommandSample {
  seq: number;
  timeUs: number;
  /** Sequence number of the state this command answers (0 = none). */
  stateSeq: number;
  mode: number;
  count: number;
  hasGains: boolean;
  readonly target: Float64Array;
  readonly kp: Float64Array;
  readonly kd: Float64Array;
}

export interface Heartbeat {
  /** 0 = host, 1 = rig. */
  readonly role: number;
  /** 0 unconfigured, 1 ready, 2 running, 3 fault, 4 stopped. */
  readonly lifecycle: number;
}

export interface Estop {
  readonly source: number;
  readonly reason: string;
}

export interface Fault {
  readonly code: number;
  readonly message: string;
}

export interface Ack {
  readonly ackedType: number;
  readonly status: number;
  readonly ackedSeq: number;
  /** With status `busy`: ms until the owner's lease ends unless it speaks (0 otherwise). */
  readonly retryAfterMs?: number;
}

export interface Request {
  readonly op: number;
}

export interface SessionOpen {
  readonly op: number;
  readonly hostNonce: Uint8Array;
  /** The rig nonce from the hello this open answers. */
  readonly rigNonce: Uint8Array;
}

export interface Notice {
  readonly code: number;
  /** How many of these the rig has refused so far. */
  readonly count: number;
  readonly message: string;
}

/** STATUS: the rig's answer to REQUEST status (docs/protocol.md §3.11). */
export interface RigStatus {
  /** `seq` of the request this answers. */
  readonly requestSeq: number;
  /** RigState: idle (inactive, not latched), active (applying commands), latched (safe until recovered). */
  readonly state: number;
  /** A session owns the rig and was heard within its lease. */
  readonly owned: boolean;
  /** STATE flags now (StateFlag bits). */
  readonly flags: number;
  /** Inner-loop ticks since the rig started. */
  readonly ticks: number;
  /** Times the rig entered its latched state since it started. */
  readonly latches: number;
  /** Commands applied since it started. */
  readonly commandsApplied: number;
  /** Why it latched (the latest latch); empty when not latched. */
  readonly reason: string;
}

export interface OperatorHello {
  readonly nonce: Uint8Array;
}

export interface OperatorCommand {
  readonly line: string;
}

export interface OperatorReply {
  /** Trailer counter of the command this answers. */
  readonly requestCounter: number;
  readonly ok: boolean;
  readonly text: string;
}

export function createStateSample(): StateSample {
  return {
    seq: 0,
    timeUs: 0,
    commandSeq: 0,
    flags: 0,
    jointCount: 0,
    hasImu: false,
    sensorCount: 0,
    values: new Float64Array(maxStateValues),
    valueCount: 0,
  };
}

export function createCommandSample(): CommandSample {
  return {
    seq: 0,
    timeUs: 0,
    stateSeq: 0,
    mode: 0,
    count: 0,
    hasGains: false,
    target: new Float64Array(maxCommandValues),
    kp: new Float64Array(maxCommandValues),
    kd: new Float64Array(maxCommandValues),
  };
}

export function stateValueCount(jointCount: number, hasImu: boolean, sensorCount: number): number {
  return 3 * jointCount + (hasImu ? imuValueCount : 0) + sensorCount;
}

// ---------------------------------------------------------------------------------------------
// Encoding. Each encoder writes into `out` from 0 and returns the message length.

const twoTo32 = 4294967296;
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function writeHeader(view: DataView, type: number, seq: number, timeUs: number): void {
  view.setUint8(0, protocolVersion);
  view.setUint8(1, type);
  view.setUint16(2, 0, true);
  view.setUint32(4, seq >>> 0, true);
  const t = Math.max(0, Math.floor(timeUs));
  view.setUint32(8, t % twoTo32, true);
  view.setUint32(12, Math.floor(t / twoTo32), true);
}

/** Cursor for the rare, variable-length messages. */
class Writer {
  offset = headerSize;
  readonly view: DataView;
  constructor(readonly out: Uint8Array) {
    this.view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  }
  u8(v: number): void {
    this.view.setUint8(this.offset, v);
    this.offset += 1;
  }
  u16(v: number): void {
    this.view.setUint16(this.offset, v, true);
    this.offset += 2;
  }
  u32(v: number): void {
    this.view.setUint32(this.offset, v >>> 0, true);
    this.offset += 4;
  }
  f64(v: number): void {
    this.view.setFloat64(this.offset, v, true);
    this.offset += 8;
  }
  u64(v: number): void {
    this.u32(v % twoTo32);
    this.u32(Math.floor(v / twoTo32));
  }
  bytes(b: Uint8Array, n: number): void {
    if (b.length !== n) throw new RangeError(`expected ${n} bytes, got ${b.length}`);
    this.out.set(b, this.offset);
    this.offset += n;
  }
  /** UTF-8 up to the end of the message (no length prefix), cut at `max` bytes on a character boundary. */
  text(s: string, max: number): void {
    let bytes = utf8.encode(s);
    if (bytes.length > max) {
      let cut = max;
      while (cut > 0 && (bytes[cut]! & 0xc0) === 0x80) cut--;
      bytes = bytes.subarray(0, cut);
    }
    this.out.set(bytes, this.offset);
    this.offset += bytes.length;
  }
  str(s: string): void {
    const bytes = utf8.encode(s);
    if (bytes.length > 255) throw new RangeError(`string '${s.slice(0, 32)}...' is longer than 255 bytes`);
    this.u8(bytes.length);
    this.out.set(bytes, this.offset);
    this.offset += bytes.length;
  }
}

function checkCount(what: string, n: number, max: number): void {
  if (!Number.isInteger(n) || n < 0 || n > max) throw new RangeError(`${what}: ${n} is not in 0..${max}`);
}

const robotName = /^[A-Za-z0-9_-]{1,64}$/;

function notNaN(...values: number[]): boolean {
  return values.every((v) => !Number.isNaN(v));
}

function firstDuplicate(names: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) return n;
    seen.add(n);
  }
  return undefined;
}

/**
 * What makes a hello violate the spec (docs/protocol.md §3.1), or undefined: a NaN limit, a lower
 * limit above its upper, a safe action outside its limits, a non-positive change cap, a name that is
 * not a valid MQTT topic level, duplicate signal names, impossible rates. The rig's encoder and the
 * host's decoder both apply it, so a rig cannot announce what the runtime would misread.
 */
export function helloProblem(h: Hello): string | undefined {
  if (!robotName.test(h.name))
    return `robot name '${h.name}' must be 1 to 64 of A-Z a-z 0-9 _ - (it is an MQTT topic level)`;
  if (!(h.stateRateHz >= 1)) return `state_rate_hz ${h.stateRateHz} must be at least 1`;
  if (!(h.minCommandRateHz >= 1 && h.minCommandRateHz <= h.maxCommandRateHz))
    return `command rates ${h.minCommandRateHz}..${h.maxCommandRateHz} Hz must satisfy 1 <= min <= max`;
  if (!commandModes.includes(h.commandMode)) return `command mode '${h.commandMode}' is unknown`;
  if ((h.features & ~featureMask) !== 0) return `features 0x${h.features.toString(16)} has unknown bits`;
  if ((h.features & Feature.watchdog) !== 0 && !(h.watchdogMs >= 1))
    return 'a rig with the watchdog feature needs watchdog_ms >= 1';
  const duplicate =
    firstDuplicate(h.joints.map((j) => j.name)) ??
    firstDuplicate(h.sensors.map((s) => s.name)) ??
    firstDuplicate(h.observation.map((s) => s.name)) ??
    firstDuplicate(h.action.map((s) => s.name));
  if (duplicate !== undefined) return `name '${duplicate}' appears twice in one list`;
  for (const j of h.joints) {
    if (j.name === '') return 'a joint has an empty name';
    if (j.type !== 0 && j.type !== 1) return `joint '${j.name}' has unknown type ${j.type}`;
    if (!notNaN(j.positionLower, j.positionUpper, j.velocityLimit, j.effortLimit))
      return `joint '${j.name}' has a NaN limit`;
    if (!(j.positionLower <= j.positionUpper))
      return `joint '${j.name}': position_lower ${j.positionLower} > position_upper ${j.positionUpper}`;
    if (!(j.velocityLimit >= 0 && j.effortLimit >= 0))
      return `joint '${j.name}': velocity and effort limits must be >= 0`;
  }
  for (const s of h.sensors) if (s.name === '') return 'a sensor has an empty name';
  const stateSize = stateValueCount(h.joints.length, h.hasImu, h.sensors.length);
  if (stateSize > maxStateValues) return `state vector of ${stateSize} values exceeds ${maxStateValues}`;
  for (const s of h.observation) {
    if (s.name === '') return 'an observation signal has an empty name';
    if (!notNaN(s.lower, s.upper) || !(s.lower <= s.upper))
      return `observation '${s.name}': limits [${s.lower}, ${s.upper}] are not an interval`;
    if (!(Number.isInteger(s.stateIndex) && s.stateIndex >= 0 && s.stateIndex < stateSize))
      return `observation '${s.name}': state_index ${s.stateIndex} is not below the state size ${stateSize}`;
  }
  if (h.action.length === 0) return 'no action signals';
  if (h.action.length > maxCommandValues)
    return `${h.action.length} action signals exceed ${maxCommandValues}`;
  for (const s of h.action) {
    if (s.name === '') return 'an action signal has an empty name';
    if (!notNaN(s.lower, s.upper) || !(s.lower <= s.upper))
      return `action '${s.name}': limits [${s.lower}, ${s.upper}] are not an interval`;
    if (!(Number.isFinite(s.safe) && s.safe >= s.lower && s.safe <= s.upper))
      return `action '${s.name}': safe value ${s.safe} is not a finite value within [${s.lower}, ${s.upper}]`;
    if (!(s.maxDeltaPerTick > 0))
      return `action '${s.name}': max_delta_per_tick ${s.maxDeltaPerTick} must be > 0`;
  }
  return undefined;
}

const zeroNonce = new Uint8Array(nonceSize);

/** `check: false` skips the spec check: only for playing a buggy rig in tests and fault injection. */
export function encodeHello(
  out: Uint8Array,
  seq: number,
  timeUs: number,
  hello: Hello,
  options: { check?: boolean } = {},
): number {
  const problem = options.check === false ? undefined : helloProblem(hello);
  if (problem !== undefined)
    throw new RangeError(`hello for '${hello.name}' violates the protocol: ${problem}`);
  checkCount('hello joints', hello.joints.length, 255);
  checkCount('hello sensors', hello.sensors.length, 255);
  checkCount('hello observation signals', hello.observation.length, 255);
  checkCount('hello action signals', hello.action.length, 255);
  const stateSize = stateValueCount(hello.joints.length, hello.hasImu, hello.sensors.length);
  checkCount('hello state vector size', stateSize, maxStateValues);
  const w = new Writer(out);
  try {
    writeHello(w, seq, timeUs, hello, stateSize);
  } catch (error) {
    if (error instanceof RangeError && /out of bounds|outside the bounds/i.test(error.message)) {
      throw new RangeError(
        `hello for '${hello.name}' does not fit in ${out.length} bytes (protocol limit ${maxMessageSize})`,
      );
    }
    throw error;
  }
  return w.offset;
}

function writeHello(w: Writer, seq: number, timeUs: number, hello: Hello, stateSize: number): void {
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
      `hello is ${w.offset} bytes, more than ${maxMessageSize - trailerSize} (with its trailer, ${maxMessageSize})`,
    );
}

/** Allocation-free: the view is created once per output buffer by the caller. */
export function encodeState(view: DataView, s: StateSample): number {
  writeHeader(view, MessageType.state, s.seq, s.timeUs);
  view.setUint32(16, s.commandSeq >>> 0, true);
  view.setUint32(20, s.flags >>> 0, true);
  view.setUint8(24, s.jointCount);
  view.setUint8(25, s.hasImu ? 1 : 0);
  view.setUint8(26, s.sensorCount);
  view.setUint8(27, 0);
  const n = stateValueCount(s.jointCount, s.hasImu, s.sensorCount);
  let offset = 28;
  for (let i = 0; i < n; i++, offset += 4) view.setFloat32(offset, s.values[i]!, true);
  return offset;
}

export function encodeCommand(view: DataView, c: CommandSample): number {
  writeHeader(view, MessageType.command, c.seq, c.timeUs);
  view.setUint32(16, c.stateSeq >>> 0, true);
  view.setUint8(20, c.mode);
  view.setUint8(21, c.count);
  view.setUint8(22, c.hasGains ? 1 : 0);
  view.setUint8(23, 0);
  let offset = 24;
  for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.target[i]!, true);
  if (c.hasGains) {
    for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.kp[i]!, true);
    for (let i = 0; i < c.count; i++, offset += 4) view.setFloat32(offset, c.kd[i]!, true);
  }
  return offset;
}

export function encodeHeartbeat(view: DataView, seq: number, timeUs: number, hb: Heartbeat): number {
  writeHeader(view, MessageType.heartbeat, seq, timeUs);
  view.setUint8(16, hb.role);
  view.setUint8(17, hb.lifecycle);
  view.setUint16(18, 0, true);
  return 20;
}

export function encodeEstop(out: Uint8Array, seq: number, timeUs: number, e: Estop): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.estop, seq, timeUs);
  w.u8(e.source);
  w.str(e.reason);
  return w.offset;
}

export function encodeFault(out: Uint8Array, seq: number, timeUs: number, f: Fault): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.fault, seq, timeUs);
  w.u16(f.code);
  w.str(f.message);
  return w.offset;
}

export function encodeAck(out: Uint8Array, seq: number, timeUs: number, a: Ack): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.ack, seq, timeUs);
  w.u8(a.ackedType);
  w.u8(a.status);
  w.u16(Math.min(65535, Math.max(0, Math.round(a.retryAfterMs ?? 0))));
  w.u32(a.ackedSeq);
  return w.offset;
}

export function encodeRequest(out: Uint8Array, seq: number, timeUs: number, r: Request): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.request, seq, timeUs);
  w.u8(r.op);
  return w.offset;
}

export function encodeSession(out: Uint8Array, seq: number, timeUs: number, s: SessionOpen): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.session, seq, timeUs);
  w.u8(s.op);
  w.bytes(s.hostNonce, nonceSize);
  w.bytes(s.rigNonce, nonceSize);
  return w.offset;
}

export function encodeNotice(out: Uint8Array, seq: number, timeUs: number, n: Notice): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.notice, seq, timeUs);
  w.u16(n.code);
  w.u32(n.count);
  w.str(n.message.length > 200 ? `${n.message.slice(0, 197)}...` : n.message);
  return w.offset;
}

export function encodeStatus(out: Uint8Array, seq: number, timeUs: number, st: RigStatus): number {
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

export function encodeOperatorHello(out: Uint8Array, seq: number, timeUs: number, h: OperatorHello): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operatorHello, seq, timeUs);
  w.bytes(h.nonce, nonceSize);
  return w.offset;
}

export function encodeOperatorCommand(
  out: Uint8Array,
  seq: number,
  timeUs: number,
  c: OperatorCommand,
): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operator, seq, timeUs);
  w.str(c.line);
  return w.offset;
}

/** Longest reply text: what fits in a message with its trailer. */
export const maxReplyText = 2048;

export function encodeOperatorReply(out: Uint8Array, seq: number, timeUs: number, r: OperatorReply): number {
  const w = new Writer(out);
  writeHeader(w.view, MessageType.operatorReply, seq, timeUs);
  w.u64(r.requestCounter);
  w.u8(r.ok ? 1 : 0);
  w.text(r.text, maxReplyText);
  return w.offset;
}

// ---------------------------------------------------------------------------------------------
// Decoding. `bytes[0, length)` is one message (CRC already checked and removed).

/** Returns the message type, or a negative DecodeError if the header is unusable. */
export function decodeHeader(view: DataView, length: number, header: Header): number {
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

export function decodeState(view: DataView, length: number, out: StateSample): number {
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

export function decodeCommand(view: DataView, length: number, out: CommandSample): number {
  if (length < 24) return DecodeError.truncated;
  const mode = view.getUint8(20);
  const count = view.getUint8(21);
  const gainsByte = view.getUint8(22);
  if (mode >= commandModes.length || gainsByte > 1 || view.getUint8(23) !== 0) return DecodeError.badValue;
  if (count > maxCommandValues) return DecodeError.badCount;
  const expected = 24 + 4 * count * (gainsByte === 1 ? 3 : 1);
  if (length < expected) return DecodeError.truncated;
  if (length > expected) return DecodeError.trailingBytes;
  // Targets must be finite, gains finite and >= 0: a NaN must never reach an actuator.
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

export function decodeHeartbeat(view: DataView, length: number): Heartbeat | number {
  if (length < 20) return DecodeError.truncated;
  if (length > 20) return DecodeError.trailingBytes;
  return { role: view.getUint8(16), lifecycle: view.getUint8(17) };
}

/** Bounds-checked cursor for the variable-length messages; `failed` is sticky. */
class Reader {
  offset = headerSize;
  failed = 0;
  constructor(
    private readonly bytes_: Uint8Array,
    private readonly view: DataView,
    private readonly length: number,
  ) {}
  private take(n: number): number {
    if (this.failed !== 0 || this.offset + n > this.length) {
      if (this.failed === 0) this.failed = DecodeError.truncated;
      return -1;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }
  u8(): number {
    const at = this.take(1);
    return at < 0 ? 0 : this.view.getUint8(at);
  }
  u16(): number {
    const at = this.take(2);
    return at < 0 ? 0 : this.view.getUint16(at, true);
  }
  u32(): number {
    const at = this.take(4);
    return at < 0 ? 0 : this.view.getUint32(at, true);
  }
  f64(): number {
    const at = this.take(8);
    return at < 0 ? 0 : this.view.getFloat64(at, true);
  }
  u64(): number {
    const low = this.u32();
    return this.u32() * twoTo32 + low;
  }
  bytes(n: number): Uint8Array {
    const at = this.take(n);
    return at < 0 ? new Uint8Array(n) : this.bytes_.slice(at, at + n);
  }
  /** The rest of the message as UTF-8. */
  text(): string {
    const at = this.take(this.length - this.offset);
    if (at < 0) return '';
    try {
      return utf8Strict.decode(this.bytes_.subarray(at, this.length));
    } catch {
      this.failed ||= DecodeError.badString;
      return '';
    }
  }
  str(): string {
    const n = this.u8();
    const at = this.take(n);
    if (at < 0) return '';
    try {
      return utf8Strict.decode(this.bytes_.subarray(at, at + n));
    } catch {
      this.failed ||= DecodeError.badString;
      return '';
    }
  }
  finish<T>(value: T): T | number {
    if (this.failed !== 0) return this.failed;
    if (this.offset !== this.length) return DecodeError.trailingBytes;
    return value;
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Decodes a hello and checks it against the spec (`helloProblem`). A hello that decodes but
 * violates the spec returns DecodeError.badValue; `problems`, when given, receives the reason.
 */
export function decodeHello(bytes: Uint8Array, length: number, problems?: string[]): Hello | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const stateRateHz = r.u16();
  const innerLoopHz = r.u16();
  const minCommandRateHz = r.u16();
  const maxCommandRateHz = r.u16();
  const modeIndex = r.u8();
  const features = r.u8();
  const watchdogMs = r.u16();
  const name = r.str();
  const joints: JointInfo[] = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    joints.push({
      name: r.str(),
      type: r.u8() as 0 | 1,
      positionLower: r.f64(),
      positionUpper: r.f64(),
      velocityLimit: r.f64(),
      effortLimit: r.f64(),
    });
  }
  const sensors: { name: string; unit: string }[] = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) sensors.push({ name: r.str(), unit: r.str() });
  const observation: ObservationSignal[] = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    observation.push({ name: r.str(), unit: r.str(), lower: r.f64(), upper: r.f64(), stateIndex: r.u16() });
  }
  const action: ActionSignal[] = [];
  for (let i = 0, n = r.u8(); i < n && !r.failed; i++) {
    action.push({
      name: r.str(),
      unit: r.str(),
      lower: r.f64(),
      upper: r.f64(),
      safe: r.f64(),
      maxDeltaPerTick: r.f64(),
    });
  }
  const rigNonce = r.bytes(nonceSize);
  const ownerSession = r.u32();
  const leaseMs = r.u16();
  const hello: Hello = {
    stateRateHz,
    innerLoopHz,
    minCommandRateHz,
    maxCommandRateHz,
    commandMode: commandModes[modeIndex] ?? (`mode ${modeIndex}` as CommandMode),
    features,
    watchdogMs,
    name,
    joints,
    hasImu: (features & Feature.imu) !== 0,
    sensors,
    observation,
    action,
    session: { rigNonce, ownerSession, leaseMs },
  };
  const decoded = r.finish(hello);
  if (typeof decoded === 'number') return decoded;
  const problem = helloProblem(hello);
  if (problem !== undefined) {
    problems?.push(problem);
    return DecodeError.badValue;
  }
  return hello;
}

export function decodeEstop(bytes: Uint8Array, length: number): Estop | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const source = r.u8();
  const reason = r.str();
  return r.finish({ source, reason });
}

export function decodeFault(bytes: Uint8Array, length: number): Fault | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const code = r.u16();
  const message = r.str();
  return r.finish({ code, message });
}

export function decodeAck(bytes: Uint8Array, length: number): Ack | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const ackedType = r.u8();
  const status = r.u8();
  const retryAfterMs = r.u16();
  const ackedSeq = r.u32();
  return r.finish({ ackedType, status, ackedSeq, retryAfterMs });
}

export function decodeRequest(bytes: Uint8Array, length: number): Request | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const op = r.u8();
  return r.finish({ op });
}

export function decodeSession(bytes: Uint8Array, length: number): SessionOpen | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const op = r.u8();
  const hostNonce = r.bytes(nonceSize);
  const rigNonce = r.bytes(nonceSize);
  return r.finish({ op, hostNonce, rigNonce });
}

export function decodeNotice(bytes: Uint8Array, length: number): Notice | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const code = r.u16();
  const count = r.u32();
  const message = r.str();
  return r.finish({ code, count, message });
}

export function decodeStatus(bytes: Uint8Array, length: number): RigStatus | number {
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
    reason,
  });
  if (typeof value === 'number') return value;
  if (state >= rigStateNames.length || owned > 1 || reserved !== 0 || flags >= 8) return DecodeError.badValue;
  return value;
}

export function decodeOperatorHello(bytes: Uint8Array, length: number): OperatorHello | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const nonce = r.bytes(nonceSize);
  return r.finish({ nonce });
}

export function decodeOperatorCommand(bytes: Uint8Array, length: number): OperatorCommand | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const line = r.str();
  return r.finish({ line });
}

export function decodeOperatorReply(bytes: Uint8Array, length: number): OperatorReply | number {
  const r = new Reader(bytes, viewOf(bytes), length);
  const requestCounter = r.u64();
  const okByte = r.u8();
  const text = r.text();
  if (!r.failed && okByte > 1) return DecodeError.badValue;
  return r.finish({ requestCounter, ok: okByte === 1, text });
}
