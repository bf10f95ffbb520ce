/**
 * Episodes on a robot that never stops: the loop ends an episode by latching the safe state (the
 * task's terminal condition, the safety layer's own limits, or the horizon) and starts the next by
 * an operator recovery — the rig then resets its physics to a fresh initial state, as an operator
 * resetting a real rig between trials would. Every episode's return is measured live with the
 * task's reward, so the loop can count episodes per policy version while the log records them.
 *
 * The tick part (`writeTick`) runs inside the tick and only copies numbers and, at an episode's
 * end, latches the safety layer; recoveries run between ticks.
 */
import type { TickRecord } from '../../src/core/tick.ts';
import type { ControlLoop, TickSink } from '../../src/loop/control-loop.ts';
import type { OperatorConsole } from '../../src/loop/operator.ts';
import { SafetyFlag } from '../../src/safety/types.ts';
import type { ExplorationSwitch } from './exploration.ts';

export type EpisodeEnd = 'fell' | 'horizon' | 'latched';

export interface LiveEpisode {
  readonly index: number;
  /** Controllers (policy versions) that acted in it, in order. */
  readonly controllers: readonly string[];
  readonly ticks: number;
  readonly return: number;
  readonly end: EpisodeEnd;
  /** The policy explored (noise on its commands) in this episode. */
  readonly explored: boolean;
  /** Loop time at its first and last tick. */
  readonly start: number;
  readonly stop: number;
  /** Its transitions (commands in robot units), when the driver records them (a fleet's rigs publish them). */
  readonly transitions?: EpisodeTransitions;
}

export interface EpisodeTransitions {
  readonly rows: number;
  readonly obsSize: number;
  readonly obs: Float64Array;
  readonly act: Float64Array;
  readonly reward: Float64Array;
  readonly nextObs: Float64Array;
  readonly terminated: Float64Array;
}

export interface EpisodeDriverOptions {
  readonly observationSize: number;
  readonly actionSize: number;
  /** Ticks after which the loop ends an episode. */
  readonly horizonTicks: number;
  readonly reward: (obs: Float64Array, command: Float64Array, next: Float64Array) => number;
  readonly terminated?: ((next: Float64Array) => boolean) | undefined;
  readonly resetAttempts: number;
  /** Seconds between recovery attempts. */
  readonly resetPause: number;
  /** Keep every episode's transitions (copied out once, at its end). */
  readonly record?: boolean;
  /** Exploration on the robot: on for this share of the episodes (spread evenly). */
  readonly exploration?: { readonly switch: ExplorationSwitch; readonly share: number } | undefined;
}

const latchFlags = SafetyFlag.estop | SafetyFlag.fault;
/** Latch reasons of the loop's own episode ends (not faults). */
export const episodeEndPrefix = 'episode end:';
const horizonReason = `${episodeEndPrefix} horizon`;
const fellReason = `${episodeEndPrefix} task terminal state`;

export class EpisodeDriver implements TickSink {
  private loop: ControlLoop | undefined;
  private operator: OperatorConsole | undefined;
  private readonly previousObservation: Float64Array;
  private readonly previousCommand: Float64Array;
  private previousTick = -2;
  private open = false;
  private ticks = 0;
  private total = 0;
  private startTime = 0;
  private controllers: string[] = [];
  private lastController = -1;
  private endRequested: EpisodeEnd | undefined;
  private explored = false;
  private resetting = false;
  private stopped = false;
  private count = 0;
  readonly episodes: LiveEpisode[] = [];
  /** Failed recoveries in a row (a rig that will not come back). */
  failedResets = 0;
  lastResetProblem: string | undefined;
  private readonly listeners = new Set<(episode: LiveEpisode) => void>();
  /** Told when a whole series of recovery attempts failed (collect() then resolves undefined). */
  private readonly failureListeners = new Set<() => void>();

  /** Preallocated recording of the open episode (`record`). */
  private readonly recording:
    | {
        obs: Float64Array;
        act: Float64Array;
        reward: Float64Array;
        nextObs: Float64Array;
        terminated: Float64Array;
      }
    | undefined;

  constructor(private readonly options: EpisodeDriverOptions) {
    this.previousObservation = new Float64Array(options.observationSize);
    this.previousCommand = new Float64Array(options.actionSize);
    // An episode lasts at most the horizon plus the tick on which the latch is seen.
    const rows = options.horizonTicks + 2;
    const O = options.observationSize;
    const A = options.actionSize;
    this.recording = options.record
      ? {
          obs: new Float64Array(rows * O),
          act: new Float64Array(rows * A),
          reward: new Float64Array(rows),
          nextObs: new Float64Array(rows * O),
          terminated: new Float64Array(rows),
        }
      : undefined;
  }

  attach(loop: ControlLoop, operator: OperatorConsole): void {
    this.loop = loop;
    this.operator = operator;
  }

  /** No more resets (the loop is ending). */
  stop(): void {
    this.stopped = true;
  }

  onEpisode(listener: (episode: LiveEpisode) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The episode in progress: ticks so far and return so far. */
  get current(): { ticks: number; return: number } | undefined {
    return this.open ? { ticks: this.ticks, return: this.total } : undefined;
  }

  /**
   * Resolves with the next `n` episodes that ran under `controller` alone from start to end and
   * without exploration (an episode during which a swap happened counts for neither version), or
   * undefined when the robot could not be recovered between two episodes.
   */
  collect(n: number, controller: () => string): Promise<LiveEpisode[] | undefined> {
    return new Promise((resolve) => {
      const got: LiveEpisode[] = [];
      const failed = () => {
        off();
        this.failureListeners.delete(failed);
        resolve(undefined);
      };
      this.failureListeners.add(failed);
      const off = this.onEpisode((episode) => {
        if (episode.explored || episode.controllers.length !== 1 || episode.controllers[0] !== controller())
          return;
        got.push(episode);
        if (got.length >= n) {
          off();
          this.failureListeners.delete(failed);
          resolve(got);
        }
      });
    });
  }

  writeTick(r: TickRecord): void {
    const loop = this.loop;
    if (loop === undefined) return;
    const latched = (r.safetyFlags & latchFlags) !== 0;
    const consecutive = r.tick === this.previousTick + 1;
    if (this.open && consecutive) {
      const reward = this.options.reward(this.previousObservation, this.previousCommand, r.observation);
      const rec = this.recording;
      if (rec !== undefined && this.ticks < rec.reward.length) {
        const O = this.options.observationSize;
        const A = this.options.actionSize;
        rec.obs.set(this.previousObservation, this.ticks * O);
        rec.act.set(this.previousCommand, this.ticks * A);
        rec.nextObs.set(r.observation, this.ticks * O);
        rec.reward[this.ticks] = reward;
        rec.terminated[this.ticks] = this.options.terminated?.(r.observation) ? 1 : 0;
      }
      this.total += reward;
      this.ticks++;
    }
    if (latched) {
      if (this.open) this.close(r, this.endRequested ?? this.fellOrLatched(r.observation));
      this.explored = false;
      this.scheduleReset();
    } else {
      if (!this.open) {
        this.open = true;
        this.ticks = 0;
        this.total = 0;
        this.startTime = r.deadline;
        this.controllers = [];
        this.lastController = -1;
        this.endRequested = undefined;
        const exploration = this.options.exploration;
        if (exploration !== undefined) {
          const k = this.count;
          this.explored = Math.floor((k + 1) * exploration.share) > Math.floor(k * exploration.share);
          exploration.switch.on = this.explored;
        }
      }
      if (r.controller !== this.lastController) {
        this.lastController = r.controller;
        const name = loop.controllers.names[r.controller] ?? `#${r.controller}`;
        if (!this.controllers.includes(name)) this.controllers.push(name);
      }
      if (this.endRequested === undefined) {
        if (this.options.terminated?.(r.observation)) {
          this.endRequested = 'fell';
          loop.safety.estop(fellReason);
        } else if (this.ticks >= this.options.horizonTicks - 1) {
          // The transition into the latched tick is the horizon-th: its s′ still follows this
          // tick's command, so an episode holds exactly the horizon's transitions.
          this.endRequested = 'horizon';
          loop.safety.estop(horizonReason);
        }
      }
    }
    this.previousTick = r.tick;
    this.previousObservation.set(r.observation);
    this.previousCommand.set(r.command);
  }

  private fellOrLatched(observation: Float64Array): EpisodeEnd {
    return this.options.terminated?.(observation) ? 'fell' : 'latched';
  }

  private close(r: TickRecord, end: EpisodeEnd): void {
    this.open = false;
    if (this.options.exploration) this.options.exploration.switch.on = false;
    const episode: LiveEpisode = {
      index: this.count++,
      controllers: this.controllers,
      ticks: this.ticks,
      return: this.total,
      end,
      explored: this.explored,
      start: this.startTime,
      stop: r.deadline,
      ...(this.recording ? { transitions: this.copyRecording() } : {}),
    };
    this.episodes.push(episode);
    for (const listener of [...this.listeners]) listener(episode);
  }

  private copyRecording(): EpisodeTransitions {
    const rec = this.recording!;
    const rows = Math.min(this.ticks, rec.reward.length);
    const O = this.options.observationSize;
    const A = this.options.actionSize;
    return {
      rows,
      obsSize: O,
      obs: rec.obs.slice(0, rows * O),
      act: rec.act.slice(0, rows * A),
      reward: rec.reward.slice(0, rows),
      nextObs: rec.nextObs.slice(0, rows * O),
      terminated: rec.terminated.slice(0, rows),
    };
  }

  /** Recovers between ticks, retrying while the rig is still resetting (stale observation). */
  private scheduleReset(): void {
    if (this.resetting || this.stopped || this.operator === undefined) return;
    this.resetting = true;
    const operator = this.operator;
    const attempt = async (): Promise<void> => {
      for (let i = 0; i < this.options.resetAttempts && !this.stopped; i++) {
        await new Promise((done) => setTimeout(done, this.options.resetPause * 1000));
        if (this.stopped) break;
        const reply = await operator.execute('recover', 'loop');
        if (reply.ok) {
          this.failedResets = 0;
          this.lastResetProblem = undefined;
          return;
        }
        this.lastResetProblem = reply.message;
      }
      if (this.stopped) return;
      this.failedResets++;
      for (const listener of [...this.failureListeners]) listener();
    };
    void attempt().finally(() => {
      this.resetting = false;
    });
  }
}
