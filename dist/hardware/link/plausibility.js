// Compiled from hardware/link/plausibility.ts by `npm run build`: edit the source, not this file.

// hardware/link/plausibility.ts
var defaultPlausibility = {
  windowCycles: 10,
  minMotion: 5e-3,
  stillVelocity: 0.02,
  minEffortChange: 0.25,
  jumpTolerance: 0.05,
  frozen: true
};
var PlausibilityMonitor = class {
  constructor(joints, actionCount, options) {
    this.joints = joints;
    this.options = options;
    const n = joints.length;
    const w = Math.max(2, options.windowCycles);
    this.n = n;
    this.w = w;
    this.restPosition = new Float64Array(n).fill(Number.NaN);
    this.restEfforts = new Float64Array(n * n);
    this.pushedAt = new Float64Array(n).fill(-1);
    this.frozenCycles = new Int32Array(n);
    this.actuated = Uint8Array.from(
      joints,
      (j) => j.effortLimit > 0 && Number.isFinite(j.effortLimit) ? 1 : 0
    );
    this.passive = Uint8Array.from(joints, (j) => j.effortLimit === 0 ? 1 : 0);
    this.lastCommand = new Float64Array(actionCount).fill(Number.NaN);
    this.previousPosition = new Float64Array(n);
    this.previousVelocity = new Float64Array(n);
  }
  joints;
  options;
  n;
  w;
  /** Where each joint last moved (NaN: no sample yet)... */
  restPosition;
  /** ...every joint's effort at that moment (row j for joint j)... */
  restEfforts;
  /** ...and the cycle at which its drive had changed by the bound since (-1: not yet). */
  pushedAt;
  frozenCycles;
  actuated;
  passive;
  lastCommand;
  previousPosition;
  previousVelocity;
  previousTime = Number.NaN;
  commandChanged = false;
  /** Cycles evaluated and verdicts by kind, for link health. */
  counts = { cycles: 0, jump: 0, frozen: 0, stuck: 0, still: 0 };
  /** Forget the history (after a recovery, a new session, a reset rig). */
  reset() {
    this.previousTime = Number.NaN;
    this.restPosition.fill(Number.NaN);
    this.pushedAt.fill(-1);
    this.frozenCycles.fill(0);
    this.commandChanged = false;
  }
  /** The command sent this cycle (so `frozen` only counts while commands change). */
  noteCommand(command) {
    const last = this.lastCommand;
    for (let i = 0; i < last.length; i++) {
      if (command[i] !== last[i]) {
        this.commandChanged = true;
        last[i] = command[i];
      }
    }
  }
  /**
   * Feeds the newest state (values laid out as in STATE: positions, velocities, efforts) taken at
   * `timeS` on the rig's clock; returns a verdict when the readings are implausible.
   */
  check(values, timeS) {
    const { n, w, options } = this;
    this.counts.cycles++;
    const dt = timeS - this.previousTime;
    const hasPrevious = dt > 0;
    let verdict;
    for (let j = 0; j < n; j++) {
      const q = values[j];
      const v = values[n + j];
      const joint = this.joints[j];
      if (hasPrevious && verdict === void 0) {
        const q0 = this.previousPosition[j];
        const v0 = this.previousVelocity[j];
        const unexplained = Math.abs(q - q0 - 0.5 * (v + v0) * dt);
        const tolerance = options.jumpTolerance + 0.5 * Math.abs(v - v0) * dt;
        if (unexplained > tolerance) {
          verdict = this.verdict(
            "jump",
            joint.name,
            `joint '${joint.name}' moved ${fmt(q - q0)} in ${fmt(dt * 1e3)} ms while reporting ${fmt(v0)} → ${fmt(v)} per s: no joint moves like that`
          );
        } else if (Number.isFinite(joint.velocityLimit) && Math.abs(v) > 1.5 * joint.velocityLimit) {
          verdict = this.verdict(
            "jump",
            joint.name,
            `joint '${joint.name}' reports velocity ${fmt(v)}, beyond 1.5 x its limit ${fmt(joint.velocityLimit)}`
          );
        }
        if (options.frozen) {
          if (q === q0 && v === v0 && this.commandChanged) this.frozenCycles[j]++;
          else if (q !== q0 || v !== v0) this.frozenCycles[j] = 0;
          if (verdict === void 0 && this.frozenCycles[j] >= w) {
            verdict = this.verdict(
              "frozen",
              joint.name,
              `joint '${joint.name}' reads exactly the same position and velocity for ${this.frozenCycles[j]} cycles while the commands change (sensor stopped updating?)`
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
  checkResponse(values) {
    const { n, w, options } = this;
    const cycle = this.counts.cycles;
    let verdict;
    for (let j = 0; j < n; j++) {
      const q = values[j];
      const rest = this.restPosition[j];
      if (Number.isNaN(rest) || Math.abs(q - rest) >= options.minMotion || Math.abs(values[n + j]) >= options.stillVelocity) {
        this.restPosition[j] = q;
        for (let k = 0; k < n; k++) this.restEfforts[j * n + k] = values[2 * n + k];
        this.pushedAt[j] = -1;
        continue;
      }
      if (verdict !== void 0 || this.actuated[j] === 0 && this.passive[j] === 0) continue;
      if (this.pushedAt[j] < 0) {
        if (this.driveChange(j, values) < options.minEffortChange) continue;
        this.pushedAt[j] = cycle;
      }
      if (cycle - this.pushedAt[j] < w) continue;
      const joint = this.joints[j];
      const change = this.driveChange(j, values);
      if (this.actuated[j] === 1) {
        if (nearStop(joint, q)) continue;
        verdict = this.verdict(
          "stuck",
          joint.name,
          `joint '${joint.name}' did not move (${fmt(Math.abs(q - rest))} since it stopped) within ${w} cycles of its effort changing by ${fmt(100 * change)} % of its limit ${fmt(joint.effortLimit)}: seized or disconnected`
        );
      } else {
        verdict = this.verdict(
          "still",
          joint.name,
          `passive joint '${joint.name}' did not move (${fmt(Math.abs(q - rest))} since it stopped) within ${w} cycles of the drive's effort changing by ${fmt(100 * change)} % of its limit: stuck, or its sensor is`
        );
      }
    }
    return verdict;
  }
  /**
   * How far joint j's drive has changed since j last moved, as a fraction of the effort limit: its
   * own effort for an actuated joint, the largest change of any actuated joint's for a passive one.
   */
  driveChange(j, values) {
    const n = this.n;
    if (this.actuated[j] === 1) {
      return Math.abs(values[2 * n + j] - this.restEfforts[j * n + j]) / this.joints[j].effortLimit;
    }
    let largest = 0;
    for (let k = 0; k < n; k++) {
      if (this.actuated[k] === 0) continue;
      const change = Math.abs(values[2 * n + k] - this.restEfforts[j * n + k]) / this.joints[k].effortLimit;
      if (change > largest) largest = change;
    }
    return largest;
  }
  verdict(kind, joint, message) {
    this.counts[kind]++;
    return { kind, joint, message: `implausible state: ${message}` };
  }
};
function nearStop(joint, q) {
  const lo = joint.positionLower;
  const hi = joint.positionUpper;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return false;
  const margin = 0.02 * (hi - lo);
  return q <= lo + margin || q >= hi - margin;
}
function fmt(v) {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}
export {
  PlausibilityMonitor,
  defaultPlausibility
};
