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
    this.position = new Float64Array(n * w);
    this.velocity = new Float64Array(n * w);
    this.effort = new Float64Array(n * w);
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
  position;
  velocity;
  effort;
  frozenCycles;
  actuated;
  passive;
  lastCommand;
  previousPosition;
  previousVelocity;
  filled = 0;
  head = 0;
  previousTime = Number.NaN;
  commandChanged = false;
  /** Cycles evaluated and verdicts by kind, for link health. */
  counts = { cycles: 0, jump: 0, frozen: 0, stuck: 0, still: 0 };
  /** Forget the history (after a recovery, a new session, a reset rig). */
  reset() {
    this.filled = 0;
    this.head = 0;
    this.previousTime = Number.NaN;
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
    const slot = this.head;
    const dt = timeS - this.previousTime;
    const hasPrevious = this.filled > 0 && dt > 0;
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
      this.position[j * w + slot] = q;
      this.velocity[j * w + slot] = v;
      this.effort[j * w + slot] = values[2 * n + j];
    }
    if (hasPrevious) this.commandChanged = false;
    this.previousTime = timeS;
    this.head = (slot + 1) % w;
    if (this.filled < w) this.filled++;
    if (verdict === void 0 && this.filled === w) verdict = this.checkWindows();
    return verdict;
  }
  checkWindows() {
    const { n, w, options } = this;
    let drive = 0;
    const lag = Math.max(2, Math.floor(w / 3));
    for (let j = 0; j < n; j++) {
      if (this.actuated[j] === 0) continue;
      const shift = this.effortRange(j, w - lag) / this.joints[j].effortLimit;
      if (shift > drive) drive = shift;
    }
    for (let j = 0; j < n; j++) {
      const joint = this.joints[j];
      const motion = range(this.position, j * w, w);
      const speed = maxAbs(this.velocity, j * w, w);
      if (motion >= options.minMotion || speed >= options.stillVelocity) continue;
      if (this.actuated[j] === 1) {
        const shift = this.effortRange(j, w - lag);
        if (shift < options.minEffortChange * joint.effortLimit) continue;
        if (nearStop(joint, this.position[j * w + (this.head + w - 1) % w])) continue;
        return this.verdict(
          "stuck",
          joint.name,
          `joint '${joint.name}' did not move (${fmt(motion)} within ${w} cycles) while its effort changed by ${fmt(shift)} (limit ${fmt(joint.effortLimit)}): seized or disconnected`
        );
      }
      if (this.passive[j] === 1 && drive >= options.minEffortChange) {
        return this.verdict(
          "still",
          joint.name,
          `passive joint '${joint.name}' did not move (${fmt(motion)} within ${w} cycles) while the drive's effort changed by ${fmt(100 * drive)} % of its limit: stuck, or its sensor is`
        );
      }
    }
    return void 0;
  }
  /** Range of joint j's efforts over the oldest `count` samples of the window. */
  effortRange(j, count) {
    const { w, head } = this;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < count; i++) {
      const v = this.effort[j * w + (head + i) % w];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return hi - lo;
  }
  verdict(kind, joint, message) {
    this.counts[kind]++;
    return { kind, joint, message: `implausible state: ${message}` };
  }
};
function range(values, start, count) {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = start; i < start + count; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return hi - lo;
}
function maxAbs(values, start, count) {
  let m = 0;
  for (let i = start; i < start + count; i++) m = Math.max(m, Math.abs(values[i]));
  return m;
}
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
