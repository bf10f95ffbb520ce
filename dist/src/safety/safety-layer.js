// Compiled from src/safety/safety-layer.ts by `npm run build`: edit the source, not this file.

// src/safety/safety-layer.ts
import { z } from "zod";
import { SafetyFlag } from "./types.js";
var safetyOptionsSchema = z.object({
  /** Command limits per action component; default: the ActionSpec's signal limits. */
  lower: z.array(z.number()).optional(),
  upper: z.array(z.number()).optional(),
  /** Largest change per control tick: one number for all components or one per component. */
  maxDeltaPerTick: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
  /** Exponential smoothing weight of the new command, in (0, 1]; 1 disables smoothing. */
  smoothing: z.number().gt(0).lte(1).default(1),
  /** Latch a fault when the observation timestamp has not advanced for this many ticks. */
  staleAfterTicks: z.number().int().positive().default(10),
  /**
   * Observation ranges by signal name, e.g. `pole.angle: [-0.8, 0.8]`; leaving one latches a fault.
   * This is where joint position and velocity limits on the measured state go.
   */
  observationLimits: z.record(z.string(), z.tuple([z.number(), z.number()])).default({})
}).strict();
var clampFlagByMode = {
  position: SafetyFlag.clampedPosition,
  velocity: SafetyFlag.clampedVelocity,
  torque: SafetyFlag.clampedEffort,
  // A pose target clamped to the workspace is a position clamp (in Cartesian space).
  cartesian: SafetyFlag.clampedPosition
};
var smoothingFlagEpsilon = 1e-12;
function perComponent(what, value, fallback, size) {
  if (value === void 0) return Float64Array.from({ length: size }, (_, i) => fallback(i));
  if (typeof value === "number") return new Float64Array(size).fill(value);
  if (value.length !== size) {
    throw new RangeError(
      `safety.${what}: expected ${size} values (one per action component), got ${value.length}`
    );
  }
  return Float64Array.from(value);
}
function refuseRotationFilters(actionSpec, smoothing, maxDelta) {
  if (smoothing < 1)
    throw new RangeError(
      `safety.smoothing: ${smoothing} would blend the pose's rotation vector component by component, across its 2π ambiguity at a half turn; leave it at 1 for a cartesian robot (the controller shapes the motion)`
    );
  actionSpec.signals.forEach((signal, i) => {
    if (signal.unit === "rad" && Number.isFinite(maxDelta[i]))
      throw new RangeError(
        `safety.maxDeltaPerTick: ${maxDelta[i]} on '${signal.name}' would cap a rotation-vector component, which jumps by 2π between equivalent forms near a half turn; leave it unset for a cartesian robot (the controller shapes the motion, the rig limits the torque rate)`
      );
  });
}
function createSafetyLayer(options, actionSpec, observationSpec, events) {
  const parsed = safetyOptionsSchema.parse(options);
  const n = actionSpec.signals.length;
  const lower = perComponent("lower", parsed.lower, (i) => actionSpec.signals[i].lower, n);
  const upper = perComponent("upper", parsed.upper, (i) => actionSpec.signals[i].upper, n);
  const maxDelta = perComponent(
    "maxDeltaPerTick",
    parsed.maxDeltaPerTick ?? actionSpec.maxDeltaPerTick,
    () => Infinity,
    n
  );
  if (actionSpec.safe.length !== n) {
    throw new RangeError(`action spec: safe action has ${actionSpec.safe.length} values, expected ${n}`);
  }
  const safe = Float64Array.from(actionSpec.safe);
  if (actionSpec.mode === "cartesian") refuseRotationFilters(actionSpec, parsed.smoothing, maxDelta);
  for (let i = 0; i < n; i++) {
    const name = actionSpec.signals[i].name;
    if (!(lower[i] <= upper[i])) {
      throw new RangeError(`safety: lower ${lower[i]} > upper ${upper[i]} for action '${name}'`);
    }
    if (!(safe[i] >= lower[i] && safe[i] <= upper[i])) {
      throw new RangeError(
        `safety: safe action ${safe[i]} for '${name}' lies outside the limits [${lower[i]}, ${upper[i]}]`
      );
    }
  }
  const observedNames = observationSpec.signals.map((s) => s.name);
  const limited = Object.entries(parsed.observationLimits).map(([name, [lo, hi]]) => {
    const index = observedNames.indexOf(name);
    if (index < 0) {
      throw new RangeError(
        `safety.observationLimits.${name}: no such observation (known: ${observedNames.join(", ")})`
      );
    }
    if (!(lo <= hi)) throw new RangeError(`safety.observationLimits.${name}: lower ${lo} > upper ${hi}`);
    return { index, name, lo, hi };
  });
  const limitIndex = Int32Array.from(limited, (l) => l.index);
  const limitLower = Float64Array.from(limited, (l) => l.lo);
  const limitUpper = Float64Array.from(limited, (l) => l.hi);
  return new FilteringSafetyLayer({
    lower,
    upper,
    maxDelta,
    safe,
    alpha: parsed.smoothing,
    staleAfterTicks: parsed.staleAfterTicks,
    clampFlag: clampFlagByMode[actionSpec.mode],
    actionNames: actionSpec.signals.map((s) => s.name),
    observationNames: observedNames,
    limitIndex,
    limitLower,
    limitUpper,
    events
  });
}
var FilteringSafetyLayer = class {
  constructor(p) {
    this.p = p;
    this.events = p.events;
    this.previous = Float64Array.from(p.safe);
  }
  p;
  events;
  latchedFlags = 0;
  reason;
  /** Last command sent: the reference for smoothing and the change cap. */
  previous;
  lastObservationTime = Number.NaN;
  staleTicks = 0;
  /** Flags of the previous tick, so an event is emitted when an intervention starts, not every tick. */
  previousFlags = 0;
  /** Loop time of the last filtered tick: e-stops and recoveries from outside the tick are stamped with it. */
  lastTime = 0;
  get latched() {
    return this.latchedFlags !== 0;
  }
  get latchReason() {
    return this.reason;
  }
  filter(time, observationTime, observation, proposed, command) {
    this.lastTime = time;
    const flags = this.check(time, observationTime, observation, proposed, command);
    if (flags !== this.previousFlags && flags !== 0 && !this.latched) this.reportShaping(time, flags);
    this.previousFlags = flags;
    return flags;
  }
  estop(reason) {
    this.latch(this.lastTime, SafetyFlag.estop, reason);
  }
  recover() {
    if (!this.latched) return;
    const reason = this.reason;
    this.latchedFlags = 0;
    this.reason = void 0;
    this.staleTicks = 0;
    this.previous.set(this.p.safe);
    this.p.events.emit({
      time: this.lastTime,
      kind: "recover",
      source: "safety",
      message: `operator recovery (was: ${reason})`
    });
  }
  observationProblem(observation) {
    for (let i = 0; i < observation.length; i++)
      if (!Number.isFinite(observation[i]))
        return `observation '${this.p.observationNames[i]}' is not finite (${observation[i]})`;
    const { limitIndex, limitLower, limitUpper } = this.p;
    for (let k = 0; k < limitIndex.length; k++) {
      const value = observation[limitIndex[k]];
      if (value < limitLower[k] || value > limitUpper[k])
        return `observation '${this.p.observationNames[limitIndex[k]]}' = ${value} is outside [${limitLower[k]}, ${limitUpper[k]}]`;
    }
    return void 0;
  }
  reset(lastCommand) {
    this.previous.set(lastCommand);
  }
  check(time, observationTime, observation, proposed, command) {
    if (this.latched) return this.holdSafe(command);
    for (let i = 0; i < observation.length; i++) {
      if (!Number.isFinite(observation[i])) {
        return this.latch(
          time,
          SafetyFlag.fault | SafetyFlag.nonFiniteObservation,
          `non-finite observation '${this.p.observationNames[i]}' (${observation[i]})`,
          command
        );
      }
    }
    if (Number.isNaN(observationTime) || observationTime === this.lastObservationTime) this.staleTicks++;
    else this.staleTicks = 0;
    this.lastObservationTime = observationTime;
    if (this.staleTicks >= this.p.staleAfterTicks) {
      return this.latch(
        time,
        SafetyFlag.fault | SafetyFlag.staleObservation,
        `observation stale for ${this.staleTicks} ticks (limit ${this.p.staleAfterTicks})`,
        command
      );
    }
    const { limitIndex, limitLower, limitUpper } = this.p;
    for (let k = 0; k < limitIndex.length; k++) {
      const value = observation[limitIndex[k]];
      if (value < limitLower[k] || value > limitUpper[k]) {
        return this.latch(
          time,
          SafetyFlag.fault,
          `observation '${this.p.observationNames[limitIndex[k]]}' = ${value} left [${limitLower[k]}, ${limitUpper[k]}]`,
          command
        );
      }
    }
    for (let i = 0; i < proposed.length; i++) {
      if (!Number.isFinite(proposed[i])) {
        return this.latch(
          time,
          SafetyFlag.fault | SafetyFlag.nonFiniteAction,
          `non-finite action '${this.p.actionNames[i]}' (${proposed[i]})`,
          command
        );
      }
    }
    return this.shape(proposed, command);
  }
  shape(proposed, command) {
    const { lower, upper, maxDelta, alpha, clampFlag } = this.p;
    const previous = this.previous;
    let flags = 0;
    for (let i = 0; i < proposed.length; i++) {
      let value = proposed[i];
      if (value < lower[i]) {
        value = lower[i];
        flags |= clampFlag;
      } else if (value > upper[i]) {
        value = upper[i];
        flags |= clampFlag;
      }
      if (alpha < 1) {
        const smoothed = previous[i] + alpha * (value - previous[i]);
        if (Math.abs(smoothed - value) > smoothingFlagEpsilon) flags |= SafetyFlag.smoothed;
        value = smoothed;
      }
      const delta = value - previous[i];
      if (delta > maxDelta[i]) {
        value = previous[i] + maxDelta[i];
        flags |= SafetyFlag.rateLimited;
      } else if (delta < -maxDelta[i]) {
        value = previous[i] - maxDelta[i];
        flags |= SafetyFlag.rateLimited;
      }
      command[i] = value;
      previous[i] = value;
    }
    return flags;
  }
  holdSafe(command) {
    command.set(this.p.safe);
    this.previous.set(this.p.safe);
    return this.latchedFlags;
  }
  latch(time, flags, reason, command) {
    if (!this.latched) {
      this.latchedFlags = flags & (SafetyFlag.estop | SafetyFlag.fault);
      this.reason = reason;
      this.p.events.emit({
        time,
        kind: flags & SafetyFlag.estop ? "estop" : "fault",
        source: "safety",
        message: reason,
        data: { flags }
      });
    }
    if (command === void 0) return flags;
    this.holdSafe(command);
    return flags;
  }
  reportShaping(time, flags) {
    const reasons = [];
    if (flags & this.p.clampFlag) reasons.push("clamped to limits");
    if (flags & SafetyFlag.smoothed) reasons.push("smoothed");
    if (flags & SafetyFlag.rateLimited) reasons.push("change per tick capped");
    this.p.events.emit({
      time,
      kind: "safety",
      source: "safety",
      message: `command ${reasons.join(", ")}`,
      data: { flags }
    });
  }
};
export {
  createSafetyLayer,
  safetyOptionsSchema
};
