/**
 * The host's checks on every STATE before it becomes the observation (docs/protocol.md §4.5): sealed
 * by the current session, HELLO's shape, finite values, a sequence number that increases without an
 * implausible jump, a clock that does not go back, and a command echo that names only commands this
 * runtime sent in this session. Only an accepted state refreshes what the robot reports, and so the
 * safety layer's staleness watchdog. Allocation-free.
 */
import { AuthMode } from '../protocol/auth.ts';
import type { Header, Hello, StateSample } from '../protocol/messages.ts';

export const StateVerdict = {
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
  intrusion: 6,
} as const;

export class StateGate {
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
  private readonly jointCount: number;
  private readonly sensorCount: number;
  private readonly hasImu: boolean;
  private readonly maxGap: number;

  constructor(hello: Hello, maxGapSeconds = 10) {
    this.jointCount = hello.joints.length;
    this.sensorCount = hello.sensors.length;
    this.hasImu = hello.hasImu;
    this.maxGap = Math.max(100, Math.round(maxGapSeconds * hello.stateRateHz));
  }

  /** A new session: the rig may restart its numbering, and echoes commands of this session only. */
  newSession(): void {
    this.synced = false;
    this.lastEcho = 0;
  }

  /** Checks a decoded state; on `accepted` the counters move on. */
  check(s: StateSample, header: Header, sessionId: number): number {
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
      if (!Number.isFinite(values[i]!)) {
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
}
