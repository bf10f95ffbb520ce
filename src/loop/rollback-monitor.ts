/**
 * Automatic rollback after a hot-swap: watches the live ticks of a newly swapped-in controller and,
 * when they cross a configured bound, asks the controller manager to return to the controller that
 * ran before (`requestRollback`, at the next tick boundary, past any guard).
 *
 * A tick sink: it sees every tick after the command was written, copies a few numbers and never
 * allocates. It judges only ticks the candidate had authority over (not latched by the safety
 * layer), so the stretches between episodes do not count, and compares with a baseline measured
 * on the same ticks of the controller before it, over the same length of running time:
 *
 *   falls          onsets of the task's terminal condition (the pole past its limit) in the window
 *   interventions  share of ticks on which the safety layer changed the command (clamps, rate limits)
 *   reward         mean task reward per tick, against the previous controller's
 *
 * The verdict is reached once the window is full (kept) or as soon as a bound is crossed (rolled
 * back); either way one `controller-switch` event says so with the numbers.
 */
import { returnBound } from '../core/environment.ts';
import type { EventSink } from '../core/events.ts';
import type { TickRecord } from '../core/tick.ts';
import { SafetyFlag } from '../safety/types.ts';
import type { TickSink } from './control-loop.ts';
import type { ControllerManager } from './controller-manager.ts';

export interface RollbackBounds {
  /** Seconds of running (unlatched) ticks under the candidate before it is kept. */
  readonly window: number;
  /** Roll back at this many falls within the window (omitted: falls are not judged). */
  readonly maxFalls?: number | undefined;
  /** Roll back when the safety layer changed more than this share of the candidate's commands. */
  readonly maxInterventionRate?: number | undefined;
  /**
   * Roll back when the candidate's mean reward per tick, over at least a quarter of the window, is
   * below this share of the previous controller's (for positive rewards; see `rewardMargin`).
   */
  readonly minRewardRatio?: number | undefined;
}

export interface RollbackMonitorOptions {
  readonly manager: ControllerManager;
  /** Control period, seconds. */
  readonly dt: number;
  readonly events: EventSink;
  readonly observationSize: number;
  readonly actionSize: number;
  /** Longest window the monitor can be asked to use, seconds (sizes the baseline ring); default 120. */
  readonly maxWindow?: number;
  /** The task's terminal condition on an observation (a fall); omitted: falls are not counted. */
  readonly fell?: ((observation: Float64Array) => boolean) | undefined;
  /** The task's reward of a transition, with the command in robot units. */
  readonly reward?:
    | ((observation: Float64Array, command: Float64Array, next: Float64Array) => number)
    | undefined;
}

export type RollbackVerdict = 'idle' | 'watching' | 'kept' | 'rolled-back';

export interface RollbackStatus {
  readonly verdict: RollbackVerdict;
  readonly candidate: string | undefined;
  readonly previous: string | undefined;
  readonly ticks: number;
  readonly falls: number;
  readonly interventionRate: number;
  readonly rewardPerTick: number;
  readonly baselineRewardPerTick: number;
  readonly reason: string | undefined;
}

const interventionFlags =
  SafetyFlag.clampedPosition |
  SafetyFlag.clampedVelocity |
  SafetyFlag.clampedEffort |
  SafetyFlag.rateLimited |
  SafetyFlag.smoothed;
const latchFlags = SafetyFlag.estop | SafetyFlag.fault;

export class RollbackMonitor implements TickSink {
  /** Ring of the last `capacity` running ticks: controller index and reward. */
  private readonly ringController: Int32Array;
  private readonly ringReward: Float64Array;
  private ringAt = 0;
  private ringSize = 0;
  private readonly previousObservation: Float64Array;
  private readonly previousCommand: Float64Array;
  private havePrevious = false;
  private previousTick = -2;
  private wasFallen = false;

  private verdict: RollbackVerdict = 'idle';
  private candidateIndex = -1;
  private candidate: string | undefined;
  private previous: string | undefined;
  private bounds: RollbackBounds = { window: 0 };
  private windowTicks = 0;
  private ticks = 0;
  private falls = 0;
  private interventions = 0;
  private rewardSum = 0;
  private rewardTicks = 0;
  private baseline = Number.NaN;
  private reason: string | undefined;

  constructor(private readonly options: RollbackMonitorOptions) {
    const capacity = Math.max(1, Math.ceil((options.maxWindow ?? 120) / options.dt));
    this.ringController = new Int32Array(capacity);
    this.ringReward = new Float64Array(capacity);
    this.previousObservation = new Float64Array(options.observationSize);
    this.previousCommand = new Float64Array(options.actionSize);
  }

  /**
   * Starts judging `candidate` (just installed, about to be swapped in) against `previous`, whose
   * recent ticks give the baseline. Ticks count only once the candidate is active.
   */
  watch(candidate: string, previous: string, bounds: RollbackBounds): void {
    const names = this.options.manager.names;
    this.candidateIndex = names.indexOf(candidate);
    if (this.candidateIndex < 0) throw new Error(`rollback monitor: no controller '${candidate}'`);
    const previousIndex = names.indexOf(previous);
    if (previousIndex < 0) throw new Error(`rollback monitor: no controller '${previous}'`);
    const windowTicks = Math.max(1, Math.round(bounds.window / this.options.dt));
    if (windowTicks > this.ringReward.length)
      throw new RangeError(
        `rollback monitor: window ${bounds.window} s is longer than the ${this.ringReward.length * this.options.dt} s it was sized for`,
      );
    let sum = 0;
    let count = 0;
    for (let k = 0; k < this.ringSize && count < windowTicks; k++) {
      const at = (this.ringAt - 1 - k + this.ringReward.length) % this.ringReward.length;
      if (this.ringController[at] !== previousIndex) continue;
      const r = this.ringReward[at]!;
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
    this.reason = undefined;
    this.verdict = 'watching';
  }

  /**
   * Rolls back now on a bound judged outside the ticks (e.g. a return drop over whole episodes):
   * the same request, event and verdict as a bound the monitor crossed itself.
   */
  rollBack(reason: string, time: number): void {
    if (this.verdict !== 'watching') return;
    this.decide(reason, time);
  }

  /** Stops judging (e.g. the candidate was replaced before its window ended). */
  cancel(): void {
    if (this.verdict === 'watching') this.verdict = 'idle';
  }

  get status(): RollbackStatus {
    return {
      verdict: this.verdict,
      candidate: this.candidate,
      previous: this.previous,
      ticks: this.ticks,
      falls: this.falls,
      interventionRate: this.ticks === 0 ? 0 : this.interventions / this.ticks,
      rewardPerTick: this.rewardTicks === 0 ? Number.NaN : this.rewardSum / this.rewardTicks,
      baselineRewardPerTick: this.baseline,
      reason: this.reason,
    };
  }

  writeTick(r: TickRecord): void {
    const latched = (r.safetyFlags & latchFlags) !== 0;
    const consecutive = r.tick === this.previousTick + 1;
    let reward = Number.NaN;
    const rewardOf = this.options.reward;
    if (rewardOf !== undefined && this.havePrevious && consecutive && !latched) {
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
    if (this.verdict === 'watching' && r.controller === this.candidateIndex) {
      // The tick on which the pole passed its limit is the one the safety layer latched on.
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

  private data(): Record<string, number | string> {
    return {
      candidate: this.candidate ?? '',
      previous: this.previous ?? '',
      ticks: this.ticks,
      falls: this.falls,
      interventions: this.interventions,
      rewardPerTick: this.rewardTicks === 0 ? 0 : this.rewardSum / this.rewardTicks,
      baselineRewardPerTick: Number.isFinite(this.baseline) ? this.baseline : 0,
    };
  }

  private decide(reason: string, time: number): void {
    this.verdict = 'rolled-back';
    this.reason = reason;
    const problem = this.options.manager.requestRollback(this.previous!, `${this.candidate}: ${reason}`);
    this.options.events.emit({
      time,
      kind: 'controller-switch',
      source: 'rollback-monitor',
      message: `rolling back ${this.candidate} → ${this.previous}: ${reason}${problem ? ` (${problem})` : ''}`,
      data: { ...this.data(), verdict: 'rolled-back' },
    });
  }

  private judge(time: number): void {
    const b = this.bounds;
    let reason: string | undefined;
    if (b.maxFalls !== undefined && this.falls >= b.maxFalls) {
      reason = `${this.falls} fall${this.falls === 1 ? '' : 's'} within ${(this.ticks * this.options.dt).toFixed(1)} s (bound ${b.maxFalls})`;
    } else if (
      b.maxInterventionRate !== undefined &&
      this.ticks >= this.windowTicks / 4 &&
      this.interventions / this.ticks > b.maxInterventionRate
    ) {
      reason = `the safety layer changed ${((100 * this.interventions) / this.ticks).toFixed(0)} % of the commands (bound ${(100 * b.maxInterventionRate).toFixed(0)} %)`;
    } else if (
      b.minRewardRatio !== undefined &&
      Number.isFinite(this.baseline) &&
      this.rewardTicks >= this.windowTicks / 4 &&
      this.rewardSum / this.rewardTicks < returnBound(this.baseline, b.minRewardRatio)
    ) {
      reason = `mean reward per tick ${(this.rewardSum / this.rewardTicks).toFixed(3)} is below ${returnBound(this.baseline, b.minRewardRatio).toFixed(3)} (${b.minRewardRatio} of ${this.baseline.toFixed(3)} of ${this.previous} kept)`;
    }
    const data = this.data();
    if (reason !== undefined) {
      this.decide(reason, time);
    } else if (this.ticks >= this.windowTicks) {
      this.verdict = 'kept';
      this.options.events.emit({
        time,
        kind: 'controller-switch',
        source: 'rollback-monitor',
        message: `${this.candidate} kept after ${(this.ticks * this.options.dt).toFixed(1)} s: ${this.falls} falls, ${((100 * this.interventions) / Math.max(1, this.ticks)).toFixed(0)} % interventions`,
        data: { ...data, verdict: 'kept' },
      });
    }
  }
}
