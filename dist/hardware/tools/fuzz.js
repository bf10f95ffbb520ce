// Compiled from hardware/tools/fuzz.ts by `npm run build`: edit the source, not this file.

// hardware/tools/fuzz.ts
import { randomBytes } from "node:crypto";
import { Rng } from "../../src/core/rng.js";
import { Endpoint } from "../link/endpoint.js";
import { checkCommand, LinkAuth } from "../link/session.js";
import { StateGate, StateVerdict } from "../link/state-gate.js";
import { createLinkCounters } from "../link/transport.js";
import { AuthMode, deriveSession, nonceSize, seal, trailerSize } from "../protocol/auth.js";
import { FrameDecoder, maxFrameSize } from "../protocol/framing.js";
import {
  createCommandSample,
  createStateSample,
  decodeHello,
  encodeCommand,
  encodeHello,
  encodeState,
  MessageType,
  maxMessageSize,
  protocolVersion
} from "../protocol/messages.js";
import { cartpoleHelloBase } from "./conformance.js";
function createFuzzStats(hangLimitMs = 1e3) {
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
    examples: []
  };
}
var NullTransport = class {
  description = "fuzz";
  connected = true;
  counters = createLinkCounters();
  async open() {
  }
  async close() {
  }
  send() {
    return true;
  }
  onMessage(_listener) {
  }
  onStatus() {
  }
};
var fuzzHello = {
  ...cartpoleHelloBase,
  sensors: [{ name: "pole.angle", unit: "rad" }],
  observation: cartpoleHelloBase.observation.map(
    (o) => o.name === "pole.angle" ? { ...o, stateIndex: 6 } : o
  )
};
var specials = [Number.NaN, Infinity, -Infinity];
var finiteFloats = [0, -0, 1, -1, 0.5, 1e-38, -34e37, 34e37, 123.25];
function sessionPair() {
  const key = Uint8Array.from(randomBytes(32));
  const host = new LinkAuth(key, "host");
  const rig = new LinkAuth(key, "rig");
  const rn = Uint8Array.from(randomBytes(nonceSize));
  const hn = Uint8Array.from(randomBytes(nonceSize));
  const keys = deriveSession(rig.device, rn, hn);
  rig.adopt(keys);
  host.adopt(keys);
  const stranger = deriveSession(rig.device, hn, rn);
  return { host, rig, keys, stranger };
}
function pickSealing(rng, received) {
  const r = rng.int(20);
  if (r < 13) return "session";
  const sealing = ["replayed", "otherSession", "device", "none", "flipped", "replayed", "flipped"][r - 13];
  return sealing === "replayed" && received === 0 ? "session" : sealing;
}
function sealAs(rng, sealing, message, n, sender, toward, keys, stranger, counter, received) {
  const key = toward === "rig" ? keys.toRig : keys.toHost;
  switch (sealing) {
    case "session":
      return seal(message, n, AuthMode.session, key, keys.id, counter);
    case "replayed":
      return seal(message, n, AuthMode.session, key, keys.id, received);
    case "otherSession": {
      const other = toward === "rig" ? stranger.toRig : stranger.toHost;
      return rng.uniform() < 0.5 ? seal(message, n, AuthMode.session, other, stranger.id, counter) : seal(message, n, AuthMode.session, other, keys.id, counter);
    }
    case "device":
      return sender.seal(message, n, "device");
    case "none":
      return sender.seal(message, n, "none");
    case "flipped": {
      const length = seal(message, n, AuthMode.session, key, keys.id, counter);
      const at = rng.int(length);
      message[at] = message[at] ^ 1 + rng.int(255);
      return length;
    }
  }
}
var CaseLabel = class {
  valid = true;
  what = "";
  /** A fresh case. */
  reset() {
    this.valid = true;
    this.what = "";
  }
  /** The case is invalid because of `reason`. */
  bad = (reason) => {
    this.valid = false;
    this.what += `${reason}; `;
  };
};
function record(stats, accepted, label) {
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
function timeCase(stats, startedMs) {
  const ms = performance.now() - startedMs;
  if (ms > stats.slowestMs) stats.slowestMs = ms;
  if (ms > stats.hangLimitMs) {
    stats.hangs++;
    if (stats.examples.length < 5) stats.examples.push(`hang: case ${stats.inputs} took ${ms.toFixed(0)} ms`);
  }
}
function recordCrash(stats, error) {
  stats.crashes++;
  if (stats.examples.length < 5) stats.examples.push(`crash: ${error.message}`);
}
function sealAndDispatch(rng, pair, toward, message, n, counter, endpoint, stats, label) {
  const sender = toward === "rig" ? pair.host : pair.rig;
  const receiver = toward === "rig" ? pair.rig : pair.host;
  const sealing = pickSealing(rng, receiver.receivedCounter);
  if (sealing !== "session") label.bad(`sealing ${sealing}`);
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
    receiver.receivedCounter
  );
  try {
    endpoint.dispatch(message, length);
  } catch (error) {
    recordCrash(stats, error);
  }
  return sealing === "session";
}
function fuzzHostStates(cases, seed, stats = createFuzzStats()) {
  const rng = new Rng(seed);
  const pair = sessionPair();
  const { host } = pair;
  const gate = new StateGate(fuzzHello);
  gate.lastCommandSeq = 1e3;
  let accepted = false;
  const endpoint = new Endpoint(new NullTransport(), host, {
    state: (s2, header) => {
      accepted = gate.check(s2, header, host.sessionId) === StateVerdict.accepted;
    }
  });
  const out = new Uint8Array(maxMessageSize);
  const view = new DataView(out.buffer);
  const s = createStateSample();
  let counter = 0;
  let seq = 0;
  let time = 1e6;
  const label = new CaseLabel();
  const { bad } = label;
  for (let k = 0; k < cases; k++) {
    const startedMs = performance.now();
    gate.lastCommandSeq = gate.lastEcho + 1e3;
    label.reset();
    s.seq = seq + 1;
    s.timeUs = time + 2e3;
    s.commandSeq = gate.lastEcho + rng.int(3);
    s.flags = 4;
    s.jointCount = 2;
    s.hasImu = false;
    s.sensorCount = 1;
    s.valueCount = 7;
    for (let i = 0; i < 7; i++) s.values[i] = (rng.int(2001) - 1e3) / 100;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(11)) {
        case 0:
          s.values[rng.int(7)] = specials[rng.int(3)];
          break;
        case 1:
          s.values[rng.int(7)] = finiteFloats[rng.int(finiteFloats.length)];
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
          s.seq = rng.uniform() < 0.5 ? seq - rng.int(3) : seq + 6e3 + rng.int(1 << 30);
          break;
        case 6:
          s.seq = seq + 1 + rng.int(50);
          break;
        case 7:
          s.timeUs = time - 1 - rng.int(1e3);
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
    if (s.jointCount !== 2 || s.hasImu || s.sensorCount !== 1) bad("shape");
    if (gate.synced && (s.seq <= seq || s.seq - seq > 5e3)) bad("sequence");
    if (gate.synced && s.timeUs < time) bad("time back");
    if (s.commandSeq !== 0 && (s.commandSeq > gate.lastCommandSeq || s.commandSeq < gate.lastEcho))
      bad("echo");
    s.valueCount = 3 * s.jointCount + (s.hasImu ? 10 : 0) + s.sensorCount;
    for (let i = 7; i < s.valueCount; i++) s.values[i] = 0;
    if (label.valid) {
      for (let i = 0; i < s.valueCount; i++) if (!Number.isFinite(s.values[i])) bad("non-finite value");
    }
    let n = encodeState(view, s);
    if (rng.uniform() < 0.08) {
      switch (rng.int(5)) {
        case 0:
          out[0] = rng.uniform() < 0.5 ? protocolVersion - 1 : protocolVersion + 1;
          bad("version");
          break;
        case 1:
          out[2] = out[2] | 4 << rng.int(6);
          bad("reserved flags");
          break;
        case 2:
          out[27] = 1 + rng.int(255);
          bad("reserved byte");
          break;
        case 3:
          n = Math.max(0, n - 1 - rng.int(Math.min(n, 12)));
          bad("truncated");
          break;
        case 4:
          out.fill(rng.int(256), n, n + 4);
          n += 1 + rng.int(4);
          bad("extended");
          break;
        default:
          out[20] = out[20] | 8;
          bad("unknown state flag");
      }
    }
    accepted = false;
    if (sealAndDispatch(rng, pair, "host", out, n, counter + 1, endpoint, stats, label)) counter++;
    if (accepted) {
      seq = s.seq;
      time = s.timeUs;
    }
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}
function fuzzRigCommands(cases, seed, stats = createFuzzStats()) {
  const rng = new Rng(seed);
  const pair = sessionPair();
  const { rig } = pair;
  const shape = { mode: 0, count: 1, gainsAllowed: false };
  let lastSeq = 0;
  let accepted = false;
  const endpoint = new Endpoint(new NullTransport(), rig, {
    command: (c2, header) => {
      if (checkCommand(rig, header, c2, shape, lastSeq) === 0) {
        accepted = true;
        lastSeq = c2.seq;
      }
    }
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
    if (lastSeq > 2147483647) lastSeq = 0;
    c.seq = lastSeq + 1 + rng.int(3);
    c.timeUs = k;
    c.stateSeq = rng.int(2 ** 32);
    c.mode = 0;
    c.count = 1;
    c.hasGains = false;
    c.target[0] = (rng.int(4001) - 2e3) / 100;
    c.target[1] = c.target[2] = c.target[3] = 1;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(8)) {
        case 0:
          c.target[rng.int(4)] = specials[rng.int(3)];
          break;
        case 1:
          c.target[0] = finiteFloats[rng.int(finiteFloats.length)];
          break;
        case 2:
          c.count = rng.int(4);
          break;
        case 3:
          c.mode = rng.int(4);
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
          c.seq = lastSeq + 1 + rng.int(1e3);
          break;
      }
    }
    for (let i = 0; i < c.count; i++) if (!Number.isFinite(c.target[i])) bad("non-finite target");
    if (c.count !== 1) bad("count");
    if (c.mode !== 0) bad("mode");
    if (c.hasGains) bad("gains on a rig without pd-gains");
    if (c.seq <= lastSeq) bad("sequence not increasing");
    let n = encodeCommand(view, c);
    if (rng.uniform() < 0.08) {
      switch (rng.int(4)) {
        case 0:
          out[23] = 1 + rng.int(255);
          bad("reserved byte");
          break;
        case 1:
          out[22] = 2 + rng.int(254);
          bad("gains byte");
          break;
        case 2:
          n = Math.max(0, n - 1 - rng.int(Math.min(n, 8)));
          bad("truncated");
          break;
        default:
          out[1] = 1 + rng.int(13);
          if (out[1] !== MessageType.command) bad("type");
      }
    }
    accepted = false;
    if (sealAndDispatch(rng, pair, "rig", out, n, counter + 1, endpoint, stats, label)) counter++;
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}
function fuzzHellos(cases, seed, stats = createFuzzStats()) {
  const rng = new Rng(seed);
  const out = new Uint8Array(maxMessageSize);
  const label = new CaseLabel();
  const { bad } = label;
  const target = stats.inputs + cases;
  while (stats.inputs < target) {
    const startedMs = performance.now();
    label.reset();
    const joints = fuzzHello.joints.map((j) => ({ ...j }));
    const observation = fuzzHello.observation.map((o) => ({ ...o }));
    const action = fuzzHello.action.map((a2) => ({ ...a2 }));
    let name = fuzzHello.name;
    let minRate = 1;
    const mutations = rng.int(3);
    for (let m = 0; m < mutations; m++) {
      switch (rng.int(10)) {
        case 0:
          joints[rng.int(2)].positionLower = Number.NaN;
          bad("NaN joint limit");
          break;
        case 1:
          action[0].safe = rng.uniform() < 0.5 ? 25 + rng.int(100) : Number.NaN;
          break;
        case 2:
          action[0].lower = 30;
          break;
        case 3:
          name = ["cart/pole", "cart pole", "", "x".repeat(65), "robot#1"][rng.int(5)];
          bad("name not a topic level");
          break;
        case 4:
          observation[1].name = "cart.pos";
          bad("duplicate name");
          break;
        case 5:
          observation[rng.int(4)].stateIndex = 7 + rng.int(100);
          bad("state index out of range");
          break;
        case 6:
          observation[2].unit = ["m/s", "mm/s", "Grad/s", "µm/s"][rng.int(4)];
          break;
        case 7:
          action[0].lower = -(1 + rng.int(1e3));
          break;
        case 8:
          action[0].maxDeltaPerTick = rng.uniform() < 0.5 ? 0 : -1;
          bad("change cap not positive");
          break;
        case 9:
          minRate = rng.uniform() < 0.5 ? 0 : 2e3;
          bad("command rates");
          break;
      }
    }
    const a = action[0];
    if (!(a.lower <= a.upper)) bad("lower above upper");
    else if (!(a.safe >= a.lower && a.safe <= a.upper)) bad("safe outside limits");
    const hello = { ...fuzzHello, name, joints, observation, action, minCommandRateHz: minRate };
    let n;
    try {
      n = encodeHello(out, 1, 0, hello, { check: false });
    } catch {
      continue;
    }
    if (rng.uniform() < 0.1) {
      if (rng.uniform() < 0.5) {
        n = Math.max(16, n - 1 - rng.int(20));
        bad("truncated");
      } else {
        out[n] = rng.int(256);
        n++;
        bad("trailing byte");
      }
    }
    let accepted = false;
    try {
      accepted = typeof decodeHello(out, n) !== "number";
    } catch (error) {
      recordCrash(stats, error);
    }
    record(stats, accepted, label);
    timeCase(stats, startedMs);
  }
  return stats;
}
function fuzzFrames(cases, seed, stats = createFuzzStats()) {
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
export {
  createFuzzStats,
  fuzzFrames,
  fuzzHello,
  fuzzHellos,
  fuzzHostStates,
  fuzzRigCommands,
  trailerSize
};
