/**
 * Structure-aware fuzzing of the runtime's receive paths (test/hardware/fuzz.test.ts runs a slice,
 * bench/link-security.ts the full count). Each case starts from a valid message, applies mutations
 * that know the protocol's fields (shape counts, floats → NaN/∞, sequence numbers, reserved bits,
 * lengths, the trailer's session, counter and tag), each labelled as keeping the message valid or
 * making it invalid, and then runs the real code: frame → Endpoint (verify, decode) → StateGate on the
 * host, → checkCommand on the rig, → decodeHello. The oracle is the label: an accepted message must
 * carry no invalidating mutation (else it is an accepted invalid frame), and a message with none must
 * be accepted (else the checks refuse valid traffic). Exceptions are crashes.
 *
 * Every case is timed: one that takes longer than `hangLimitMs` (default 1 s, libFuzzer's
 * `-timeout=1`) counts as a hang, and the slowest case's time is kept. A case that never returns is
 * not counted: it stops the fuzzer, and whoever runs it, where everyone sees it.
 *
 * Deterministic for a seed (the project's one `Rng`), allocation-light, so it reaches millions of cases.
 */
import { randomBytes } from 'node:crypto';
import { Rng } from '../../src/core/rng.ts';
import { Endpoint } from '../link/endpoint.ts';
import { checkCommand, LinkAuth } from '../link/session.ts';
import { StateGate, StateVerdict } from '../link/state-gate.ts';
import { createLinkCounters, type MessageListener, type Transport } from '../link/transport.ts';
import { AuthMode, deriveSession, nonceSize, seal, trailerSize } from '../protocol/auth.ts';
import { FrameDecoder, maxFrameSize } from '../protocol/framing.ts';
import {
  createCommandSample,
  createStateSample,
  decodeHello,
  encodeCommand,
  encodeHello,
  encodeState,
  type Hello,
  MessageType,
  maxMessageSize,
  protocolVersion,
} from '../protocol/messages.ts';
import { cartpoleHelloBase } from './conformance.ts';

export interface FuzzStats {
  inputs: number;
  accepted: number;
  refused: number;
  /** Accepted although a mutation made them invalid: a hole in the checks. Must be 0. */
  acceptedInvalid: number;
  /** Refused although every mutation kept them valid: the checks reject good traffic. Must be 0. */
  refusedValid: number;
  /** Exceptions thrown by the code under test. Must be 0. */
  crashes: number;
  /** Cases that took longer than `hangLimitMs`. Must be 0. */
  hangs: number;
  hangLimitMs: number;
  /** The slowest case, in ms (the time of the whole case: generate, seal, receive). */
  slowestMs: number;
  /** The first few problems, for a report. */
  examples: string[];
}

export function createFuzzStats(hangLimitMs = 1000): FuzzStats {
  return {
    inputs: 0,
    accepted: 0,
    refused: 0,
    acceptedInvalid: 0,
    refusedValid: 0,
    crashes: 0,
    hangs: 0,
    hangLimitMs,
    slowestMs: 0,
    examples: [],
  };
}

/** A transport that goes nowhere: the fuzzers call Endpoint.dispatch directly. */
class NullTransport implements Transport {
  readonly description = 'fuzz';
  readonly connected = true;
  readonly counters = createLinkCounters();
  async open(): Promise<void> {}
  async close(): Promise<void> {}
  send(): boolean {
    return true;
  }
  onMessage(_listener: MessageListener): void {}
  onStatus(): void {}
}

/** The cartpole hello with one extra sensor, whose reading the pole angle comes from (state value 6). */
export const fuzzHello: Hello = {
  ...cartpoleHelloBase,
  sensors: [{ name: 'pole.angle', unit: 'rad' }],
  observation: cartpoleHelloBase.observation.map((o) =>
    o.name === 'pole.angle' ? { ...o, stateIndex: 6 } : o,
  ),
};

const specials = [Number.NaN, Infinity, -Infinity];
const finiteFloats = [0, -0, 1, -1, 0.5, 1e-38, -3.4e38, 3.4e38, 123.25];

/** A host and rig that share a session; `stranger` holds another session on the same key. */
function sessionPair() {
  const key = Uint8Array.from(randomBytes(32));
  const host = new LinkAuth(key, 'host');
  const rig = new LinkAuth(key, 'rig');
  const rn = Uint8Array.from(randomBytes(nonceSize));
  const hn = Uint8Array.from(randomBytes(nonceSize));
  const keys = deriveSession(rig.device, rn, hn);
  rig.adopt(keys);
  host.adopt(keys);
  const stranger = deriveSession(rig.device, hn, rn);
  return { host, rig, keys, stranger };
}

/** How the fuzzer seals a message: the last three are invalid for anything but an e-stop. */
type Sealing = 'session' | 'replayed' | 'otherSession' | 'device' | 'none' | 'flipped';

function pickSealing(rng: Rng, received: number): Sealing {
  const r = rng.int(20);
  if (r < 13) return 'session';
  const sealing = (['replayed', 'otherSession', 'device', 'none', 'flipped', 'replayed', 'flipped'] as const)[
    r - 13
  ]!;
  return sealing === 'replayed' && received === 0 ? 'session' : sealing;
}

/**
 * Seals message[0, n) as `sealing` says, from the sender `auth` whose counter is `counter` (the next
 * valid one). Returns the sealed length.
 */
function sealAs(
  rng: Rng,
  sealing: Sealing,
  message: Uint8Array,
  n: number,
  sender: LinkAuth,
  toward: 'rig' | 'host',
  keys: ReturnType<typeof deriveSession>,
  stranger: ReturnType<typeof deriveSession>,
  counter: number,
  received: number,
): number {
  const key = toward === 'rig' ? keys.toRig : keys.toHost;
  switch (sealing) {
    case 'session':
      return seal(message, n, AuthMode.session, key, keys.id, counter);
    case 'replayed':
      // The newest counter the receiver accepted, again (pickSealing never chooses this before one).
      return seal(message, n, AuthMode.session, key, keys.id, received);
    case 'otherSession': {
      const other = toward === 'rig' ? stranger.toRig : stranger.toHost;
      return rng.uniform() < 0.5
        ? seal(message, n, AuthMode.session, other, stranger.id, counter)
        : seal(message, n, AuthMode.session, other, keys.id, counter);
    }
    case 'device':
      return sender.seal(message, n, 'device');
    case 'none':
      return sender.seal(message, n, 'none');
    case 'flipped': {
      const length = seal(message, n, AuthMode.session, key, keys.id, counter);
      const at = rng.int(length);
      message[at] = message[at]! ^ (1 + rng.int(255));
      return length;
    }
  }
}

/** One case's label: valid until a mutation makes it invalid, with the reasons it is not. */
class CaseLabel {
  valid = true;
  what = '';
  /** A fresh case. */
  reset(): void {
    this.valid = true;
    this.what = '';
  }
  /** The case is invalid because of `reason`. */
  readonly bad = (reason: string): void => {
    this.valid = false;
    this.what += `${reason}; `;
  };
}

function record(stats: FuzzStats, accepted: boolean, label: CaseLabel): void {
  stats.inputs++;
  if (accepted) stats.accepted++;
  else stats.refused++;
  if (accepted && !label.valid) {
    stats.acceptedInvalid++;
    if (stats.examples.length < 5) stats.examples.push(`accepted invalid: ${label.what}`);
  } else if (!accepted && label.valid) {
    stats.refusedValid++;
    if (stats.examples.length < 5) stats.examples.push(`refused valid: ${label.what}`);
  }
}

/** Times the case that started at `startedMs` (performance.now()). */
function timeCase(stats: FuzzStats, startedMs: number): void {
  const ms = performance.now() - startedMs;
  if (ms > stats.slowestMs) stats.slowestMs = ms;
  if (ms > stats.hangLimitMs) {
    stats.hangs++;
    if (stats.examples.length < 5) stats.examples.push(`hang: case ${stats.inputs} took ${ms.toFixed(0)} ms`);
  }
}

function recordCrash(stats: FuzzStats, error: unknown): void {
  stats.crashes++;
  if (stats.examples.length < 5) stats.examples.push(`crash: ${(error as Error).message}`);
}

/**
 * Seals message[0, n) from one side of `pair` toward the other with a randomly picked sealing
 * (labelled invalid unless it is the session's; `counter` is the sender's next valid counter) and
 * dispatches it to the receiving side's `endpoint`. Returns whether the session sealing was used,
 * so the sender's counter moved on.
 */
function sealAndDispatch(
  rng: Rng,
  pair: ReturnType<typeof sessionPair>,
  toward: 'rig' | 'host',
  message: Uint8Array,
  n: number,
  counter: number,
  endpoint: Endpoint,
  stats: FuzzStats,
  label: CaseLabel,
): boolean {
  const sender = toward === 'rig' ? pair.host : pair.rig;
  const receiver = toward === 'rig' ? pair.rig : pair.host;
  const sealing = pickSealing(rng, receiver.receivedCounter);
  if (sealing !== 'session') label.bad(`sealing ${sealing}`);
  const length = sealAs(
    rng,
    sealing,
    message,
    n,
    sender,
    toward,
    pair.keys,
    pair.stranger,
    counter,
    receiver.receivedCounter,
  );
  try {
    endpoint.dispatch(message, length);
  } catch (error) {
    recordCrash(stats, error);
  }
  return sealing === 'session';
}

/**
 * Host receive path: rig→host STATE (and now and then other types), through Endpoint.dispatch and the
 * StateGate that LinkRobot uses.
 */
export function fuzzHostStates(cases: number, seed: number, stats = createFuzzStats()): FuzzStats {
  const rng = new Rng(seed);
  const pair = sessionPair();
  const { host } = pair;
  const gate = new StateGate(fuzzHello);
  gate.lastCommandSeq = 1000;
  let accepted = false;
  const endpoint = new Endpoint(new NullTransport(), host, {
    state: (s, header) => {
      accepted = gate.check(s, header, host.sessionId) === StateVerdict.accepted;
    },
  });
  const out = new Uint8Array(maxMessageSize);
  const view = new DataView(out.buffer);
  const s = createStateSample();
  let counter = 0;
  let seq = 0;
  let time = 1_000_000;
  const label = new CaseLabel();
  const { bad } = label;
  for (let k = 0; k < cases; k++) {
    const startedMs = performance.now();
    // The host keeps commanding: echoes up to its last command are its own.
    gate.lastCommandSeq = gate.lastEcho + 1000;
    label.reset();
    s.seq = seq + 1;
    s.timeUs = time + 2000;
    s.commandSeq = gate.lastEcho + rng.int(3);
    s.flags = 4;
    s.jointCount = 2;
    s.hasImu = false;
    s.sensorCount = 1;
    s.valueCount = 7;
    for (let i = 0; i < 7; i++) s.values[i] = (rng.int(2001) - 1000) / 100;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(11)) {
        case 0:
          s.values[rng.int(7)] = specials[rng.int(3)]!;
          break;
        case 1:
          s.values[rng.int(7)] = finiteFloats[rng.int(finiteFloats.length)]!;
          break;
        case 2:
          s.jointCount = rng.int(4);
          break;
        case 3:
          s.hasImu = !s.hasImu;
          break;
        case 4:
          s.sensorCount = rng.int(3);
          break;
        case 5:
          s.seq = rng.uniform() < 0.5 ? seq - rng.int(3) : seq + 6000 + rng.int(1 << 30);
          break;
        case 6:
          s.seq = seq + 1 + rng.int(50); // lost states
          break;
        case 7:
          s.timeUs = time - 1 - rng.int(1000);
          break;
        case 8:
          s.commandSeq = gate.lastCommandSeq + 1 + rng.int(100);
          break;
        case 9:
          s.commandSeq = rng.int(gate.lastEcho + 1);
          break;
        case 10:
          s.flags = rng.int(8);
          break;
      }
    }
    // The label, from the fields as they ended up (later mutations may undo earlier ones).
    if (s.jointCount !== 2 || s.hasImu || s.sensorCount !== 1) bad('shape');
    if (gate.synced && (s.seq <= seq || s.seq - seq > 5000)) bad('sequence');
    if (gate.synced && s.timeUs < time) bad('time back');
    if (s.commandSeq !== 0 && (s.commandSeq > gate.lastCommandSeq || s.commandSeq < gate.lastEcho))
      bad('echo');
    s.valueCount = 3 * s.jointCount + (s.hasImu ? 10 : 0) + s.sensorCount;
    for (let i = 7; i < s.valueCount; i++) s.values[i] = 0;
    if (label.valid)
      for (let i = 0; i < s.valueCount; i++) if (!Number.isFinite(s.values[i]!)) bad('non-finite value');
    let n = encodeState(view, s);
    // Byte-level changes to the unsealed message: all make it invalid.
    if (rng.uniform() < 0.08) {
      switch (rng.int(5)) {
        case 0:
          // The previous version (a v2 peer) or the next one.
          out[0] = rng.uniform() < 0.5 ? protocolVersion - 1 : protocolVersion + 1;
          bad('version');
          break;
        case 1:
          out[2] = out[2]! | (4 << rng.int(6));
          bad('reserved flags');
          break;
        case 2:
          out[27] = 1 + rng.int(255);
          bad('reserved byte');
          break;
        case 3:
          n = Math.max(0, n - 1 - rng.int(Math.min(n, 12)));
          bad('truncated');
          break;
        case 4:
          out.fill(rng.int(256), n, n + 4);
          n += 1 + rng.int(4);
          bad('extended');
          break;
        default:
          out[20] = out[20]! | 8;
          bad('unknown state flag');
      }
    }
    accepted = false;
    if (sealAndDispatch(rng, pair, 'host', out, n, counter + 1, endpoint, stats, label)) counter++;
    if (accepted) {
      seq = s.seq;
      time = s.timeUs;
    }
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}

/** Rig receive path: host→rig COMMAND through Endpoint.dispatch and checkCommand (what rig.ts applies). */
export function fuzzRigCommands(cases: number, seed: number, stats = createFuzzStats()): FuzzStats {
  const rng = new Rng(seed);
  const pair = sessionPair();
  const { rig } = pair;
  const shape = { mode: 0, count: 1, gainsAllowed: false };
  let lastSeq = 0;
  let accepted = false;
  const endpoint = new Endpoint(new NullTransport(), rig, {
    command: (c, header) => {
      if (checkCommand(rig, header, c, shape, lastSeq) === 0) {
        accepted = true;
        lastSeq = c.seq;
      }
    },
  });
  const out = new Uint8Array(maxMessageSize);
  const view = new DataView(out.buffer);
  const c = createCommandSample();
  let counter = 0;
  const label = new CaseLabel();
  const { bad } = label;
  for (let k = 0; k < cases; k++) {
    const startedMs = performance.now();
    label.reset();
    // Before the command sequence could wrap the host opens a new session, which starts it at 0.
    if (lastSeq > 0x7fffffff) lastSeq = 0;
    c.seq = lastSeq + 1 + rng.int(3);
    c.timeUs = k;
    c.stateSeq = rng.int(2 ** 32);
    c.mode = 0;
    c.count = 1;
    c.hasGains = false;
    c.target[0] = (rng.int(4001) - 2000) / 100;
    c.target[1] = c.target[2] = c.target[3] = 1;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(8)) {
        case 0:
          c.target[rng.int(4)] = specials[rng.int(3)]!;
          break;
        case 1:
          c.target[0] = finiteFloats[rng.int(finiteFloats.length)]!;
          break;
        case 2:
          c.count = rng.int(4);
          break;
        case 3:
          c.mode = rng.int(4); // 3: cartesian, decodes, refused by this torque rig's shape
          break;
        case 4:
          c.hasGains = true;
          c.kp.fill(rng.uniform() < 0.5 ? 1 : -1, 0, 4);
          c.kd.fill(rng.uniform() < 0.5 ? 1 : Number.NaN, 0, 4);
          break;
        case 5:
          c.seq = lastSeq - rng.int(Math.min(lastSeq, 3) + 1);
          break;
        case 6:
          c.stateSeq = rng.int(2 ** 32);
          break;
        case 7:
          c.seq = lastSeq + 1 + rng.int(1000); // gaps are fine
          break;
      }
    }
    for (let i = 0; i < c.count; i++) if (!Number.isFinite(c.target[i]!)) bad('non-finite target');
    if (c.count !== 1) bad('count');
    if (c.mode !== 0) bad('mode');
    if (c.hasGains) bad('gains on a rig without pd-gains');
    if (c.seq <= lastSeq) bad('sequence not increasing');
    let n = encodeCommand(view, c);
    if (rng.uniform() < 0.08) {
      switch (rng.int(4)) {
        case 0:
          out[23] = 1 + rng.int(255);
          bad('reserved byte');
          break;
        case 1:
          out[22] = 2 + rng.int(254);
          bad('gains byte');
          break;
        case 2:
          n = Math.max(0, n - 1 - rng.int(Math.min(n, 8)));
          bad('truncated');
          break;
        default:
          out[1] = 1 + rng.int(13);
          if (out[1] !== MessageType.command) bad('type');
      }
    }
    accepted = false;
    if (sealAndDispatch(rng, pair, 'rig', out, n, counter + 1, endpoint, stats, label)) counter++;
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}

/** HELLO decoding: the spec checks (NaN limits, safe outside limits, names, indices, counts, lengths). */
export function fuzzHellos(cases: number, seed: number, stats = createFuzzStats()): FuzzStats {
  const rng = new Rng(seed);
  const out = new Uint8Array(maxMessageSize);
  const label = new CaseLabel();
  const { bad } = label;
  // `cases` inputs: a hello the encoder itself refuses is generated again, not counted.
  const target = stats.inputs + cases;
  while (stats.inputs < target) {
    const startedMs = performance.now();
    label.reset();
    const joints = fuzzHello.joints.map((j) => ({ ...j }));
    const observation = fuzzHello.observation.map((o) => ({ ...o }));
    const action = fuzzHello.action.map((a) => ({ ...a }));
    let name = fuzzHello.name;
    let minRate = 1;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(10)) {
        case 0:
          joints[rng.int(2)]!.positionLower = Number.NaN;
          bad('NaN joint limit');
          break;
        case 1:
          action[0]!.safe = rng.uniform() < 0.5 ? 25 + rng.int(100) : Number.NaN;
          break;
        case 2:
          action[0]!.lower = 30;
          break;
        case 3:
          name = ['cart/pole', 'cart pole', '', 'x'.repeat(65), 'robot#1'][rng.int(5)]!;
          bad('name not a topic level');
          break;
        case 4:
          observation[1]!.name = 'cart.pos';
          bad('duplicate name');
          break;
        case 5:
          observation[rng.int(4)]!.stateIndex = 7 + rng.int(100);
          bad('state index out of range');
          break;
        case 6:
          observation[2]!.unit = ['m/s', 'mm/s', 'Grad/s', 'µm/s'][rng.int(4)]!;
          break;
        case 7:
          action[0]!.lower = -(1 + rng.int(1000));
          break;
        case 8:
          action[0]!.maxDeltaPerTick = rng.uniform() < 0.5 ? 0 : -1;
          bad('change cap not positive');
          break;
        case 9:
          minRate = rng.uniform() < 0.5 ? 0 : 2000;
          bad('command rates');
          break;
      }
    }
    const a = action[0]!;
    if (!(a.lower <= a.upper)) bad('lower above upper');
    else if (!(a.safe >= a.lower && a.safe <= a.upper)) bad('safe outside limits');
    const hello: Hello = { ...fuzzHello, name, joints, observation, action, minCommandRateHz: minRate };
    let n: number;
    try {
      n = encodeHello(out, 1, 0, hello, { check: false });
    } catch {
      continue; // the encoder itself refused (a string too long for the wire): not an input
    }
    if (rng.uniform() < 0.1) {
      if (rng.uniform() < 0.5) {
        n = Math.max(16, n - 1 - rng.int(20));
        bad('truncated');
      } else {
        out[n] = rng.int(256);
        n++;
        bad('trailing byte');
      }
    }
    let accepted = false;
    try {
      accepted = typeof decodeHello(out, n) !== 'number';
    } catch (error) {
      recordCrash(stats, error);
    }
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}

/** Random and mutated byte chunks into the frame decoder and a host endpoint: crashes only. */
export function fuzzFrames(cases: number, seed: number, stats = createFuzzStats()): FuzzStats {
  const rng = new Rng(seed);
  const { host } = sessionPair();
  const endpoint = new Endpoint(new NullTransport(), host, {});
  const decoder = new FrameDecoder((m, n) => endpoint.dispatch(m, n));
  const chunk = new Uint8Array(maxFrameSize);
  for (let k = 0; k < cases; k++) {
    const startedMs = performance.now();
    const n = rng.int(rng.uniform() < 0.05 ? maxFrameSize : 96);
    for (let i = 0; i < n; i++) chunk[i] = rng.uniform() < 0.1 ? 0 : rng.int(256);
    try {
      decoder.push(chunk.subarray(0, n));
    } catch (error) {
      recordCrash(stats, error);
    }
    stats.inputs++;
    timeCase(stats, startedMs);
  }
  return stats;
}

export { trailerSize };
