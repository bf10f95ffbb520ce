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
 *   stuck    an actuated joint whose effort changed by `minEffortChange` x its effort limit within
 *            the window, yet neither moved `minMotion` nor reached `stillVelocity`, away from its end
 *            stops (a seized joint, a slipping coupling the encoder sits behind). A steady effort
 *            without motion (holding a load) is no finding; a change of effort must move a free joint.
 *   still    a passive joint (effort limit 0) that does not move while an actuated joint's effort
 *            changed by `minEffortChange` x its limit: the drive's acceleration changed, so a coupled
 *            joint must react (the lean of a pole on a cart follows the cart's acceleration); a
 *            motionless one is stuck, or its sensor is.
 *
 * How soon after a seizure they fire depends on the controller: a joint that is not asked to move
 * cannot be told from a seized one. Once the effort changes by the configured bound, they fire within
 * `windowCycles`.
 *
 * Allocation-free per cycle; windows are rings of `windowCycles` samples per joint.
 */
import type { JointInfo } from '../protocol/messages.ts';

export interface PlausibilityOptions {
  /** Cycles a condition must hold (frozen, stuck, still) before it faults the robot. */
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
  private readonly position: Float64Array;
  private readonly velocity: Float64Array;
  private readonly effort: Float64Array;
  private readonly frozenCycles: Int32Array;
  private readonly actuated: Uint8Array;
  private readonly passive: Uint8Array;
  private readonly lastCommand: Float64Array;
  private readonly previousPosition: Float64Array;
  private readonly previousVelocity: Float64Array;
  private filled = 0;
  private head = 0;
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
    this.position = new Float64Array(n * w);
    this.velocity = new Float64Array(n * w);
    this.effort = new Float64Array(n * w);
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
    this.filled = 0;
    this.head = 0;
    this.previousTime = Number.NaN;
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
    const slot = this.head;
    const dt = timeS - this.previousTime;
    const hasPrevious = this.filled > 0 && dt > 0;
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
      this.position[j * w + slot] = q;
      this.velocity[j * w + slot] = v;
      this.effort[j * w + slot] = values[2 * n + j]!;
    }
    if (hasPrevious) this.commandChanged = false;
    this.previousTime = timeS;
    this.head = (slot + 1) % w;
    if (this.filled < w) this.filled++;
    if (verdict === undefined && this.filled === w) verdict = this.checkWindows();
    return verdict;
  }

  private checkWindows(): PlausibilityVerdict | undefined {
    const { n, w, options } = this;
    // Largest effort change of any actuated joint (as a fraction of its limit): is the robot driven?
    let drive = 0;
    // Efforts of the window's older part only: a change in the last cycles has not had time to move
    // anything yet (actuator delay, a cycle of transport), motion is judged over the whole window.
    const lag = Math.max(2, Math.floor(w / 3));
    for (let j = 0; j < n; j++) {
      if (this.actuated[j] === 0) continue;
      const shift = this.effortRange(j, w - lag) / this.joints[j]!.effortLimit;
      if (shift > drive) drive = shift;
    }
    for (let j = 0; j < n; j++) {
      const joint = this.joints[j]!;
      const motion = range(this.position, j * w, w);
      const speed = maxAbs(this.velocity, j * w, w);
      if (motion >= options.minMotion || speed >= options.stillVelocity) continue;
      if (this.actuated[j] === 1) {
        const shift = this.effortRange(j, w - lag);
        if (shift < options.minEffortChange * joint.effortLimit) continue;
        if (nearStop(joint, this.position[j * w + ((this.head + w - 1) % w)]!)) continue;
        return this.verdict(
          'stuck',
          joint.name,
          `joint '${joint.name}' did not move (${fmt(motion)} within ${w} cycles) while its effort changed by ${fmt(shift)} (limit ${fmt(joint.effortLimit)}): seized or disconnected`,
        );
      }
      if (this.passive[j] === 1 && drive >= options.minEffortChange) {
        return this.verdict(
          'still',
          joint.name,
          `passive joint '${joint.name}' did not move (${fmt(motion)} within ${w} cycles) while the drive's effort changed by ${fmt(100 * drive)} % of its limit: stuck, or its sensor is`,
        );
      }
    }
    return undefined;
  }

  /** Range of joint j's efforts over the oldest `count` samples of the window. */
  private effortRange(j: number, count: number): number {
    const { w, head } = this;
    let lo = Infinity;
    let hi = -Infinity;
    // The ring's oldest sample sits at `head` (the next slot to write).
    for (let i = 0; i < count; i++) {
      const v = this.effort[j * w + ((head + i) % w)]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  }

  private verdict(kind: PlausibilityKind, joint: string, message: string): PlausibilityVerdict {
    this.counts[kind]++;
    return { kind, joint, message: `implausible state: ${message}` };
  }
}

function range(values: Float64Array, start: number, count: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < start + count; i++) {
    const v = values[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}

function maxAbs(values: Float64Array, start: number, count: number): number {
  let m = 0;
  for (let i = start; i < start + count; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
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
