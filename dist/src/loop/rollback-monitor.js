// Compiled from src/loop/rollback-monitor.ts by `npm run build`: edit the source, not this file.

// src/loop/rollback-monitor.ts
import { returnBound } from "../core/environment.js";
import { SafetyFlag } from "../safety/types.js";
var interventionFlags = SafetyFlag.clampedPosition | SafetyFlag.clampedVelocity | SafetyFlag.clampedEffort | SafetyFlag.rateLimited | SafetyFlag.smoothed;
var latchFlags = SafetyFlag.estop | SafetyFlag.fault;
var RollbackMonitor = class {
  constructor(options) {
    this.options = options;
    const capacity = Math.max(1, Math.ceil((options.maxWindow ?? 120) / options.dt));
    this.ringController = new Int32Array(capacity);
    this.ringReward = new Float64Array(capacity);
    this.previousObservation = new Float64Array(options.observationSize);
    this.previousCommand = new Float64Array(options.actionSize);
  }
  options;
  /** Ring of the last `capacity` running ticks: controller index and reward. */
  ringController;
  ringReward;
  ringAt = 0;
  ringSize = 0;
  previousObservation;
  previousCommand;
  havePrevious = false;
  previousTick = -2;
  wasFallen = false;
  verdict = "idle";
  candidateIndex = -1;
  candidate;
  previous;
  bounds = { window: 0 };
  windowTicks = 0;
  ticks = 0;
  falls = 0;
  interventions = 0;
  rewardSum = 0;
  rewardTicks = 0;
  baseline = Number.NaN;
  reason;
  /**
   * Starts judging `candidate` (just installed, about to be swapped in) against `previous`, whose
   * recent ticks give the baseline. Ticks count only once the candidate is active.
   */
  watch(candidate, previous, bounds) {
    const names = this.options.manager.names;
    this.candidateIndex = names.indexOf(candidate);
    if (this.candidateIndex < 0) throw new Error(`rollback monitor: no controller '${candidate}'`);
    const previousIndex = names.indexOf(previous);
    if (previousIndex < 0) throw new Error(`rollback monitor: no controller '${previous}'`);
    const windowTicks = Math.max(1, Math.round(bounds.window / this.options.dt));
    if (windowTicks > this.ringReward.length)
      throw new RangeError(
        `rollback monitor: window ${bounds.window} s is longer than the ${this.ringReward.length * this.options.dt} s it was sized for`
      );
    let sum = 0;
    let count = 0;
    for (let k = 0; k < this.ringSize && count < windowTicks; k++) {
      const at = (this.ringAt - 1 - k + this.ringReward.length) % this.ringReward.length;
      if (this.ringController[at] !== previousIndex) continue;
      const r = this.ringReward[at];
      if (Number.isNaN(r)) continue;
      sum += r;
      count++;
    }
    this.baseline = count === 0 ? Number.NaN : sum / count;
    this.candidate = candidate;
    this.previous = previous;
    this.bounds = bounds;
    this.windowTicks = windowTicks;
    this.ticks = 0;
    this.falls = 0;
    this.interventions = 0;
    this.rewardSum = 0;
    this.rewardTicks = 0;
    this.reason = void 0;
    this.verdict = "watching";
  }
  /**
   * Rolls back now on a bound judged outside the ticks (e.g. a return drop over whole episodes):
   * the same request, event and verdict as a bound the monitor crossed itself.
   */
  rollBack(reason, time) {
    if (this.verdict !== "watching") return;
    this.decide(reason, time);
  }
  /** Stops judging (e.g. the candidate was replaced before its window ended). */
  cancel() {
    if (this.verdict === "watching") this.verdict = "idle";
  }
  get status() {
    return {
      verdict: this.verdict,
      candidate: this.candidate,
      previous: this.previous,
      ticks: this.ticks,
      falls: this.falls,
      interventionRate: this.ticks === 0 ? 0 : this.interventions / this.ticks,
      rewardPerTick: this.rewardTicks === 0 ? Number.NaN : this.rewardSum / this.rewardTicks,
      baselineRewardPerTick: this.baseline,
      reason: this.reason
    };
  }
  writeTick(r) {
    const latched = (r.safetyFlags & latchFlags) !== 0;
    const consecutive = r.tick === this.previousTick + 1;
    let reward = Number.NaN;
    const rewardOf = this.options.reward;
    if (rewardOf !== void 0 && this.havePrevious && consecutive && !latched) {
      reward = rewardOf(this.previousObservation, this.previousCommand, r.observation);
    }
    const fallen = this.options.fell?.(r.observation) ?? false;
    const fellNow = fallen && !this.wasFallen;
    this.wasFallen = fallen;
    if (!latched) {
      this.ringController[this.ringAt] = r.controller;
      this.ringReward[this.ringAt] = reward;
      this.ringAt = (this.ringAt + 1) % this.ringReward.length;
      if (this.ringSize < this.ringReward.length) this.ringSize++;
    }
    if (this.verdict === "watching" && r.controller === this.candidateIndex) {
      if (fellNow) this.falls++;
      if (!latched) {
        this.ticks++;
        if ((r.safetyFlags & interventionFlags) !== 0) this.interventions++;
        if (!Number.isNaN(reward)) {
          this.rewardSum += reward;
          this.rewardTicks++;
        }
      }
      this.judge(r.deadline);
    }
    this.previousTick = r.tick;
    this.havePrevious = !latched;
    if (!latched) {
      this.previousObservation.set(r.observation);
      this.previousCommand.set(r.command);
    }
  }
  data() {
    return {
      candidate: this.candidate ?? "",
      previous: this.previous ?? "",
      ticks: this.ticks,
      falls: this.falls,
      interventions: this.interventions,
      rewardPerTick: this.rewardTicks === 0 ? 0 : this.rewardSum / this.rewardTicks,
      baselineRewardPerTick: Number.isFinite(this.baseline) ? this.baseline : 0
    };
  }
  decide(reason, time) {
    this.verdict = "rolled-back";
    this.reason = reason;
    const problem = this.options.manager.requestRollback(this.previous, `${this.candidate}: ${reason}`);
    this.options.events.emit({
      time,
      kind: "controller-switch",
      source: "rollback-monitor",
      message: `rolling back ${this.candidate} → ${this.previous}: ${reason}${problem ? ` (${problem})` : ""}`,
      data: { ...this.data(), verdict: "rolled-back" }
    });
  }
  judge(time) {
    const b = this.bounds;
    let reason;
    if (b.maxFalls !== void 0 && this.falls >= b.maxFalls) {
      reason = `${this.falls} fall${this.falls === 1 ? "" : "s"} within ${(this.ticks * this.options.dt).toFixed(1)} s (bound ${b.maxFalls})`;
    } else if (b.maxInterventionRate !== void 0 && this.ticks >= this.windowTicks / 4 && this.interventions / this.ticks > b.maxInterventionRate) {
      reason = `the safety layer changed ${(100 * this.interventions / this.ticks).toFixed(0)} % of the commands (bound ${(100 * b.maxInterventionRate).toFixed(0)} %)`;
    } else if (b.minRewardRatio !== void 0 && Number.isFinite(this.baseline) && this.rewardTicks >= this.windowTicks / 4 && this.rewardSum / this.rewardTicks < returnBound(this.baseline, b.minRewardRatio)) {
      reason = `mean reward per tick ${(this.rewardSum / this.rewardTicks).toFixed(3)} is below ${returnBound(this.baseline, b.minRewardRatio).toFixed(3)} (${b.minRewardRatio} of ${this.baseline.toFixed(3)} of ${this.previous} kept)`;
    }
    const data = this.data();
    if (reason !== void 0) {
      this.decide(reason, time);
    } else if (this.ticks >= this.windowTicks) {
      this.verdict = "kept";
      this.options.events.emit({
        time,
        kind: "controller-switch",
        source: "rollback-monitor",
        message: `${this.candidate} kept after ${(this.ticks * this.options.dt).toFixed(1)} s: ${this.falls} falls, ${(100 * this.interventions / Math.max(1, this.ticks)).toFixed(0)} % interventions`,
        data: { ...data, verdict: "kept" }
      });
    }
  }
};
export {
  RollbackMonitor
};
