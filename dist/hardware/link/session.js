// Compiled from hardware/link/session.ts by `npm run build`: edit the source, not this file.

// hardware/link/session.ts
import { randomFillSync } from "node:crypto";
import {
  AuthMode,
  authModeMask,
  deriveSession,
  equalBytes,
  HmacKey,
  nonceSize,
  seal,
  trailerCounter,
  trailerSession,
  trailerSize,
  verifyTag
} from "../protocol/auth.js";
import {
  AckStatus,
  DecodeError,
  headerSize,
  SessionOp
} from "../protocol/messages.js";
var AuthError = {
  /** A session-sealed frame whose tag does not verify: forged, corrupted, or sealed with another key. */
  forged: -10,
  /** A verified frame whose counter is not above the last one accepted: a replay (or a duplicate). */
  replayed: -11,
  /** Sealed for a session this end does not hold (another owner, or one that ended). */
  foreignSession: -12
};
var CommandError = {
  /** Not sealed by the session that owns the rig. */
  unauthenticated: -13,
  /** Mode, count or gains other than the rig's hello announced. */
  shape: -14,
  /** Sequence number not above the last one applied in this session. */
  sequence: -15
};
var replayWindow = 64;
function randomNonce() {
  return randomFillSync(new Uint8Array(nonceSize));
}
var LinkAuth = class {
  constructor(deviceKey, side) {
    this.side = side;
    this.device = new HmacKey(deviceKey);
  }
  side;
  device;
  counters = { forged: 0, replayed: 0, foreignSession: 0, deviceForged: 0 };
  current;
  /** Host only: the session just requested, adopted by the first frame the rig seals with it. */
  pending;
  txCounter = 0;
  rxCounter = 0;
  /** Counter accepted per slot (counter mod replayWindow): a reordered frame is accepted once. */
  seen = new Float64Array(replayWindow);
  deviceCounter = 0;
  /** Set when the pending session became the current one (the host's open succeeded). */
  onPromoted;
  get session() {
    return this.current;
  }
  get sessionId() {
    return this.current?.id ?? 0;
  }
  get pendingId() {
    return this.pending?.id ?? 0;
  }
  /** Counter of the newest verified frame of the current session (a replay carries one at most this). */
  get receivedCounter() {
    return this.rxCounter;
  }
  /** Rig: a session was opened; from now on frames are sealed with it and its counters start over. */
  adopt(session) {
    this.current = session;
    this.pending = void 0;
    this.txCounter = 0;
    this.rxCounter = 0;
    this.seen.fill(0);
  }
  /** Host: derive the session an open with these nonces creates; it becomes current once the rig uses it. */
  expect(rigNonce, hostNonce) {
    this.pending = deriveSession(this.device, rigNonce, hostNonce);
    return this.pending;
  }
  /** Forget the session (released, or the link to its peer ended for good). */
  drop() {
    this.adopt(void 0);
  }
  /**
   * Seals message[0, length) in place (the buffer needs `trailerSize` spare bytes) and returns the
   * sealed length. `auto` uses the session when there is one and sends unauthenticated otherwise.
   */
  seal(message, length, mode) {
    const session = this.current;
    if (mode === "none" || mode === "auto" && session === void 0) {
      message[2] = message[2] & ~authModeMask;
      return length;
    }
    if (mode === "device" || session === void 0) {
      return seal(message, length, AuthMode.device, this.device, 0, ++this.deviceCounter);
    }
    const key = this.side === "host" ? session.toRig : session.toHost;
    return seal(message, length, AuthMode.session, key, session.id, ++this.txCounter);
  }
  /**
   * Verifies the trailer of an incoming message; returns the length without it, or a negative
   * DecodeError / AuthError. `out` receives the auth mode and session id. Nothing allocates.
   */
  verify(message, length, out) {
    const mode = message[2] & authModeMask;
    out.auth = mode;
    out.session = 0;
    if (mode === AuthMode.none) return length;
    if (mode !== AuthMode.device && mode !== AuthMode.session) return DecodeError.badFlags;
    if (length < headerSize + trailerSize) return DecodeError.truncated;
    const session = trailerSession(message, length);
    out.session = session;
    if (mode === AuthMode.device) {
      if (!verifyTag(message, length, this.device)) {
        this.counters.deviceForged++;
        return AuthError.forged;
      }
      return length - trailerSize;
    }
    const current = this.current;
    const keys = current !== void 0 && current.id === session ? current : this.pending !== void 0 && this.pending.id === session ? this.pending : void 0;
    if (keys === void 0) {
      this.counters.foreignSession++;
      return AuthError.foreignSession;
    }
    if (!verifyTag(message, length, this.side === "host" ? keys.toHost : keys.toRig)) {
      this.counters.forged++;
      return AuthError.forged;
    }
    const counter = trailerCounter(message, length);
    if (keys === this.pending) {
      this.current = keys;
      this.pending = void 0;
      this.txCounter = 0;
      this.rxCounter = 0;
      this.seen.fill(0);
      this.accept(counter);
      this.onPromoted?.(keys);
      return length - trailerSize;
    }
    if (!this.accept(counter)) {
      this.counters.replayed++;
      return AuthError.replayed;
    }
    return length - trailerSize;
  }
  /**
   * Anti-replay window (as IPsec's): a counter above the highest so far is new; one up to
   * `replayWindow` below it is accepted once (MQTT may deliver a QoS 1 ack after QoS 0 states sent
   * later); anything older, or seen before, is a replay.
   */
  accept(counter) {
    if (counter === 0) return false;
    const slot = counter % replayWindow;
    if (counter > this.rxCounter) {
      this.rxCounter = counter;
      this.seen[slot] = counter;
      return true;
    }
    if (this.rxCounter - counter >= replayWindow || this.seen[slot] === counter) return false;
    this.seen[slot] = counter;
    return true;
  }
};
function acceptSession(auth, open, header, rigNonce, ownerAlive) {
  if (header.auth === AuthMode.none) return { status: AckStatus.unauthenticated, rekey: false };
  if (open.op !== SessionOp.open) return { status: AckStatus.unsupported, rekey: false };
  if (!equalBytes(open.rigNonce, 0, rigNonce, 0, nonceSize)) return { status: AckStatus.stale, rekey: false };
  const owner = auth.session;
  const rekey = owner !== void 0 && header.auth === AuthMode.session && header.session === owner.id;
  if (owner !== void 0 && !rekey && ownerAlive) return { status: AckStatus.busy, rekey: false };
  return { status: AckStatus.ok, rekey, keys: deriveSession(auth.device, rigNonce, open.hostNonce) };
}
function checkCommand(auth, header, command, shape, lastSeq) {
  if (header.auth !== AuthMode.session || auth.sessionId === 0 || header.session !== auth.sessionId)
    return CommandError.unauthenticated;
  if (command.mode !== shape.mode || command.count !== shape.count || command.hasGains && !shape.gainsAllowed)
    return CommandError.shape;
  if (command.seq <= lastSeq) return CommandError.sequence;
  return 0;
}
export {
  AuthError,
  CommandError,
  LinkAuth,
  acceptSession,
  checkCommand,
  randomNonce,
  replayWindow
};
