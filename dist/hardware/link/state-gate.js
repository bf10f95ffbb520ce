// Compiled from hardware/link/state-gate.ts by `npm run build`: edit the source, not this file.

// hardware/link/state-gate.ts
import { AuthMode } from "../protocol/auth.js";
var StateVerdict = {
  accepted: 0,
  /** Not sealed by the current session. */
  unauthenticated: 1,
  /** Joint, IMU or sensor count other than HELLO's. */
  shape: 2,
  /** A sequence number not above the last, an implausible jump, or time going back. */
  sequence: 3,
  /** The same sequence number again (counted as a sequence error too). */
  duplicate: 4,
  /** A NaN or infinite value: a sensor failure. */
  nonFinite: 5,
  /** Echoes a command this runtime never sent (or one older than an echo already seen). */
  intrusion: 6
};
var StateGate = class {
  /** Highest command sequence number this runtime sent in the session. */
  lastCommandSeq = 0;
  /** Highest command the rig has echoed in the session. */
  lastEcho = 0;
  lastSeq = 0;
  lastTimeUs = 0;
  /** False until the first accepted state of the session: its sequence number starts the count. */
  synced = false;
  /** States lost: gaps in accepted sequence numbers. */
  lost = 0;
  /** Index of the first non-finite value of the last refused state. */
  nonFiniteIndex = -1;
  jointCount;
  sensorCount;
  hasImu;
  maxGap;
  constructor(hello, maxGapSeconds = 10) {
    this.jointCount = hello.joints.length;
    this.sensorCount = hello.sensors.length;
    this.hasImu = hello.hasImu;
    this.maxGap = Math.max(100, Math.round(maxGapSeconds * hello.stateRateHz));
  }
  /** A new session: the rig may restart its numbering, and echoes commands of this session only. */
  newSession() {
    this.synced = false;
    this.lastEcho = 0;
  }
  /** Checks a decoded state; on `accepted` the counters move on. */
  check(s, header, sessionId) {
    if (header.auth !== AuthMode.session || sessionId === 0 || header.session !== sessionId)
      return StateVerdict.unauthenticated;
    if (s.jointCount !== this.jointCount || s.hasImu !== this.hasImu || s.sensorCount !== this.sensorCount)
      return StateVerdict.shape;
    if (this.synced) {
      const gap = s.seq - this.lastSeq;
      if (gap === 0) return StateVerdict.duplicate;
      if (gap < 0 || gap > this.maxGap || s.timeUs < this.lastTimeUs) return StateVerdict.sequence;
    }
    const values = s.values;
    for (let i = 0; i < s.valueCount; i++) {
      if (!Number.isFinite(values[i])) {
        this.nonFiniteIndex = i;
        return StateVerdict.nonFinite;
      }
    }
    const echo = s.commandSeq;
    if (echo !== 0 && (echo > this.lastCommandSeq || echo < this.lastEcho)) return StateVerdict.intrusion;
    if (this.synced) this.lost += s.seq - this.lastSeq - 1;
    if (echo > this.lastEcho) this.lastEcho = echo;
    this.lastSeq = s.seq;
    this.lastTimeUs = s.timeUs;
    this.synced = true;
    return StateVerdict.accepted;
  }
};
export {
  StateGate,
  StateVerdict
};
