/**
 * Plausibility monitors on a rig's joint readings, evaluated once per control cycle on the newest
 * accepted state (docs/security.md, "What the runtime checks"). They catch what a valid, authenticated
 * state can still hide: a seized or disconnected joint and readings no physical joint can produce.
 *
 *   jump     the position changed by more than the reported velocities explain (trapezoid rule,
 *            exact for constant acceleration; the tolerance absorbs noise and a velocity step), or
 *            a velocity beyond the joint's announced limit: on the first cycle it happens.
 *   frozen   a joint's position and velocity stay bit-for-bit identical for `windowCycles` cycles
 *            while the commands change (an encoder that stopped updating, a held last value).
 *   stuck    an actuated joint whose effort has changed by `minEffortChange` x its effort limit since
 *            it last moved, and that has still not moved `windowCycles` cycles later (neither by
 *            `minMotion` from where it stopped nor at `stillVelocity`), away from its end stops (a
 *            seized joint, a slipping coupling the encoder sits behind). A steady effort without
 *            motion (holding a load) is no finding; a change of effort must move a free joint.
 *   still    a passive joint (effort limit 0) that has not moved `windowCycles` cycles after an
 *            actuated joint's effort changed by `minEffortChange` x its limit since the passive one
 *            last moved: the drive's acceleration changed, so a coupled joint must react (the lean of
 *            a pole on a cart follows the cart's acceleration); a motionless one is stuck, or its
 *            sensor is.
 *
 * How soon after a seizure they fire depends on the controller: a joint that is not asked to move
 * cannot be told from a seized one. Once the effort has changed by the configured bound, they fire
 * `windowCycles` cycles later.
 *
 * Allocation-free per cycle: per joint, where it last moved and every joint's effort at that moment.
 */
import type { JointInfo } from '../protocol/messages.ts';

export interface PlausibilityOptions {
  /** Cycles a condition must hold (frozen), or a joint has to respond to a change of effort (stuck, still). */
  readonly windowCycles: number;
  /** Position range (m or rad) within the window below which a joint counts as not moving. */
  readonly minMotion: number;
  /** ...and |velocity| below this (m/s or rad/s). */
  readonly stillVelocity: number;
  /** Effort change within the window, as a fraction of a joint's effort limit, that must move it. */
  readonly minEffortChange: number;
  /** Position change (m or rad) the reported velocities may leave unexplained between two cycles. */
  readonly jumpTolerance: number;
  readonly frozen: boolean;
}

export const defaultPlausibility: PlausibilityOptions = {
  windowCycles: 10,
  minMotion: 0.005,
  stillVelocity: 0.02,
  minEffortChange: 0.25,
  jumpTolerance: 0.05,
  frozen: true,
};

export type PlausibilityKind = 'jump' | 'frozen' | 'stuck' | 'still';

export interface PlausibilityVerdict {
  readonly kind: PlausibilityKind;
  readonly joint: string;
  readonly message: string;
}

export class PlausibilityMonitor {
  private readonly n: number;
  private readonly w: number;
  /** Where each joint last moved (NaN: no sample yet)... */
  private readonly restPosition: Float64Array;
  /** ...every joint's effort at that moment (row j for joint j)... */
  private readonly restEfforts: Float64Array;
  /** ...and the cycle at which its drive had changed by the bound since (-1: not yet). */
  private readonly pushedAt: Float64Array;
  private readonly frozenCycles: Int32Array;
  private readonly actuated: Uint8Array;
  private readonly passive: Uint8Array;
  private readonly lastCommand: Float64Array;
  private readonly previousPosition: Float64Array;
  private readonly previousVelocity: Float64Array;
  private previousTime = Number.NaN;
  private commandChanged = false;
  /** Cycles evaluated and verdicts by kind, for link health. */
  readonly counts = { cycles: 0, jump: 0, frozen: 0, stuck: 0, still: 0 };

  constructor(
    private readonly joints: readonly JointInfo[],
    actionCount: number,
    private readonly options: PlausibilityOptions,
  ) {
    const n = joints.length;
    const w = Math.max(2, options.windowCycles);
    this.n = n;
    this.w = w;
    this.restPosition = new Float64Array(n).fill(Number.NaN);
    this.restEfforts = new Float64Array(n * n);
    this.pushedAt = new Float64Array(n).fill(-1);
    this.frozenCycles = new Int32Array(n);
    this.actuated = Uint8Array.from(joints, (j) =>
      j.effortLimit > 0 && Number.isFinite(j.effortLimit) ? 1 : 0,
    );
    this.passive = Uint8Array.from(joints, (j) => (j.effortLimit === 0 ? 1 : 0));
    this.lastCommand = new Float64Array(actionCount).fill(Number.NaN);
    this.previousPosition = new Float64Array(n);
    this.previousVelocity = new Float64Array(n);
  }

  /** Forget the history (after a recovery, a new session, a reset rig). */
  reset(): void {
    this.previousTime = Number.NaN;
    this.restPosition.fill(Number.NaN);
    this.pushedAt.fill(-1);
    this.frozenCycles.fill(0);
    this.commandChanged = false;
  }

  /** The command sent this cycle (so `frozen` only counts while commands change). */
  noteCommand(command: Float64Array): void {
    const last = this.lastCommand;
    for (let i = 0; i < last.length; i++) {
      if (command[i] !== last[i]) {
        this.commandChanged = true;
        last[i] = command[i]!;
      }
    }
  }

  /**
   * Feeds the newest state (values laid out as in STATE: positions, velocities, efforts) taken at
   * `timeS` on the rig's clock; returns a verdict when the readings are implausible.
   */
  check(values: Float64Array, timeS: number): PlausibilityVerdict | undefined {
    const { n, w, options } = this;
    this.counts.cycles++;
    const dt = timeS - this.previousTime;
    const hasPrevious = dt > 0; // NaN before the first sample
    let verdict: PlausibilityVerdict | undefined;
    for (let j = 0; j < n; j++) {
      const q = values[j]!;
      const v = values[n + j]!;
      const joint = this.joints[j]!;
      if (hasPrevious && verdict === undefined) {
        const q0 = this.previousPosition[j]!;
        const v0 = this.previousVelocity[j]!;
        const unexplained = Math.abs(q - q0 - 0.5 * (v + v0) * dt);
        const tolerance = options.jumpTolerance + 0.5 * Math.abs(v - v0) * dt;
        if (unexplained > tolerance) {
          verdict = this.verdict(
            'jump',
            joint.name,
            `joint '${joint.name}' moved ${fmt(q - q0)} in ${fmt(dt * 1000)} ms while reporting ${fmt(v0)} → ${fmt(v)} per s: no joint moves like that`,
          );
        } else if (Number.isFinite(joint.velocityLimit) && Math.abs(v) > 1.5 * joint.velocityLimit) {
          verdict = this.verdict(
            'jump',
            joint.name,
            `joint '${joint.name}' reports velocity ${fmt(v)}, beyond 1.5 x its limit ${fmt(joint.velocityLimit)}`,
          );
        }
        if (options.frozen) {
          if (q === q0 && v === v0 && this.commandChanged) this.frozenCycles[j]!++;
          else if (q !== q0 || v !== v0) this.frozenCycles[j] = 0;
          if (verdict === undefined && this.frozenCycles[j]! >= w) {
            verdict = this.verdict(
              'frozen',
              joint.name,
              `joint '${joint.name}' reads exactly the same position and velocity for ${this.frozenCycles[j]} cycles while the commands change (sensor stopped updating?)`,
            );
          }
        }
      }
      this.previousPosition[j] = q;
      this.previousVelocity[j] = v;
    }
    if (hasPrevious) this.commandChanged = false;
    this.previousTime = timeS;
    const still = this.checkResponse(values);
    return verdict ?? still;
  }

  /**
   * The stuck and still checks: a joint that moves is re-anchored where it is; one at rest is
   * watched for a change of its drive by the bound since, after which it has `windowCycles` cycles
   * to move. Judging the change from where the joint stopped, not within a sliding window, catches
   * a slowly growing push as soon as it reaches the bound.
   */
  private checkResponse(values: Float64Array): PlausibilityVerdict | undefined {
    const { n, w, options } = this;
    const cycle = this.counts.cycles;
    let verdict: PlausibilityVerdict | undefined;
    for (let j = 0; j < n; j++) {
      const q = values[j]!;
      const rest = this.restPosition[j]!;
      if (
        Number.isNaN(rest) ||
        Math.abs(q - rest) >= options.minMotion ||
        Math.abs(values[n + j]!) >= options.stillVelocity
      ) {
        this.restPosition[j] = q;
        for (let k = 0; k < n; k++) this.restEfforts[j * n + k] = values[2 * n + k]!;
        this.pushedAt[j] = -1;
        continue;
      }
      if (verdict !== undefined || (this.actuated[j] === 0 && this.passive[j] === 0)) continue;
      if (this.pushedAt[j]! < 0) {
        if (this.driveChange(j, values) < options.minEffortChange) continue;
        this.pushedAt[j] = cycle;
      }
      if (cycle - this.pushedAt[j]! < w) continue;
      const joint = this.joints[j]!;
      const change = this.driveChange(j, values);
      if (this.actuated[j] === 1) {
        if (nearStop(joint, q)) continue;
        verdict = this.verdict(
          'stuck',
          joint.name,
          `joint '${joint.name}' did not move (${fmt(Math.abs(q - rest))} since it stopped) within ${w} cycles of its effort changing by ${fmt(100 * change)} % of its limit ${fmt(joint.effortLimit)}: seized or disconnected`,
        );
      } else {
        verdict = this.verdict(
          'still',
          joint.name,
          `passive joint '${joint.name}' did not move (${fmt(Math.abs(q - rest))} since it stopped) within ${w} cycles of the drive's effort changing by ${fmt(100 * change)} % of its limit: stuck, or its sensor is`,
        );
      }
    }
    return verdict;
  }

  /**
   * How far joint j's drive has changed since j last moved, as a fraction of the effort limit: its
   * own effort for an actuated joint, the largest change of any actuated joint's for a passive one.
   */
  private driveChange(j: number, values: Float64Array): number {
    const n = this.n;
    if (this.actuated[j] === 1) {
      return Math.abs(values[2 * n + j]! - this.restEfforts[j * n + j]!) / this.joints[j]!.effortLimit;
    }
    let largest = 0;
    for (let k = 0; k < n; k++) {
      if (this.actuated[k] === 0) continue;
      const change =
        Math.abs(values[2 * n + k]! - this.restEfforts[j * n + k]!) / this.joints[k]!.effortLimit;
      if (change > largest) largest = change;
    }
    return largest;
  }

  private verdict(kind: PlausibilityKind, joint: string, message: string): PlausibilityVerdict {
    this.counts[kind]++;
    return { kind, joint, message: `implausible state: ${message}` };
  }
}

/** Within 2 % of its travel from a finite end stop: resting against it is no fault. */
function nearStop(joint: JointInfo, q: number): boolean {
  const lo = joint.positionLower;
  const hi = joint.positionUpper;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return false;
  const margin = 0.02 * (hi - lo);
  return q <= lo + margin || q >= hi - margin;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}
