/**
 * The task a run is an attempt at, and how the run did at it.
 *
 * A run config's `task:` names an environment plugin (the same section a training config calls
 * `environment:`); the composition root resolves it, and the library receives only the
 * `EnvironmentPair` it made — never the plugin. Its real side supplies the reward, the terminal
 * condition, the rate and the horizon; `TaskOutcomeTracker` scores the running loop's ticks with
 * them exactly as `buildLogDataset` scores a log of the run, so the summary's returns are the
 * dataset's.
 */
import type { RunConfig } from '../config/load.ts';
import type { ActionMapEntry, EnvironmentPair } from '../core/environment.ts';
import type { RobotInfo } from '../core/robot.ts';
import type { TickRecord } from '../core/tick.ts';
import { SafetyFlag } from '../safety/types.ts';
import type { TickSink } from './control-loop.ts';

/** A task as the runtime scores it: a function of logged signals only. */
export interface RunTask {
  /** E.g. `cartpole balance (MuJoCo)`. */
  readonly name: string;
  /** The task section it was made from (environment kind and options), kept as provenance. */
  readonly spec?: unknown;
  /** Observation signals, in the order the reward and terminal condition read them. */
  readonly observation: readonly string[];
  /** Per action signal: robot command = scale · learner action + offset. */
  readonly actionMap: readonly ActionMapEntry[];
  /** Control rate of the task, Hz. */
  readonly rateHz: number;
  /** Reward of (s, command in robot units, s′). */
  readonly reward: (observation: Float64Array, action: Float64Array, next: Float64Array) => number;
  /** s′ ends the episode inside the task (a fall); omitted: only latches end episodes. */
  readonly terminated?: ((next: Float64Array) => boolean) | undefined;
  /** The goal an episode's last observation must meet (a reach); omitted: not failing is the goal. */
  readonly goal?: ((observation: Float64Array) => boolean) | undefined;
  /** Longest episode, transitions; omitted: episodes end only at latches and gaps. */
  readonly horizon?: number | undefined;
}

/** Thrown when a task cannot score runs (its reward needs simulator state a run does not have). */
export class TaskError extends Error {
  override readonly name = 'TaskError';
}

/** The runtime view of an environment pair: its real side's signals, rate and horizon. */
export async function taskOfPair(pair: EnvironmentPair, spec?: unknown): Promise<RunTask> {
  const reward = pair.reward;
  if (reward === undefined)
    throw new TaskError(
      `task ${pair.name} has no reward that is a function of logged signals, so a run cannot be scored by it`,
    );
  const env = await pair.real(0);
  try {
    return {
      name: pair.name,
      ...(spec === undefined ? {} : { spec }),
      observation: env.observation.signals.map((s) => s.name),
      actionMap: pair.actionMap,
      rateHz: Number((1 / env.dt).toPrecision(12)),
      reward,
      terminated: pair.terminated,
      goal: pair.goal,
      horizon: env.horizon,
    };
  } finally {
    env.dispose?.();
  }
}

/** The run config's task, made by its plugin; a task that cannot score a run is refused at its key. */
export async function taskOfConfig(config: RunConfig): Promise<RunTask | undefined> {
  const entry = config.task;
  if (entry === undefined) return undefined;
  try {
    const pair = await entry.plugin.create(entry.options, { baseDir: entry.baseDir });
    return await taskOfPair(pair, entry.section);
  } catch (error) {
    config.document.report(['task'], (error as Error).message);
    config.document.throwIfProblems();
    throw error;
  }
}

/** Refuses, located at `task`, a task whose signals or rate do not fit the robot and the loop. */
export function checkTaskAgainstRobot(
  config: RunConfig,
  task: RunTask,
  robot: RobotInfo,
  rateHz: number,
): void {
  for (const problem of taskMismatches(task, robot, rateHz)) config.document.report(['task'], problem);
  config.document.throwIfProblems();
}

/** What does not fit between a task and a robot or a loop rate; empty when they fit. */
export function taskMismatches(task: RunTask, robot: RobotInfo, rateHz: number): string[] {
  const problems: string[] = [];
  const observed = robot.observation.signals.map((s) => s.name);
  const missing = task.observation.filter((name) => !observed.includes(name));
  if (missing.length > 0)
    problems.push(
      `task ${task.name} reads [${missing.join(', ')}], which robot '${robot.name}' does not observe (it observes [${observed.join(', ')}])`,
    );
  const actions = robot.action.signals.map((s) => s.name);
  const unknown = task.actionMap.map((m) => m.name).filter((name) => !actions.includes(name));
  if (unknown.length > 0)
    problems.push(
      `task ${task.name} scores the command [${unknown.join(', ')}], which robot '${robot.name}' does not take (it takes [${actions.join(', ')}])`,
    );
  if (Math.abs(task.rateHz - rateHz) > 1e-6 * task.rateHz)
    problems.push(
      `task ${task.name} runs at ${task.rateHz} Hz, the loop at ${rateHz} Hz: its rewards and horizon are per tick of ${task.rateHz} Hz`,
    );
  return problems;
}

/** How a run did at its task. */
export interface TaskOutcome {
  readonly task: string;
  /**
   * There was at least one episode, none ended in the task's terminal state, the run did not end in
   * a latch that cut its last episode short, and where the task has
   * a goal, at least one episode ended where it is judged and every such episode's last observation
   * met it.
   */
  readonly success: boolean;
  /** Why, in words. */
  readonly verdict: string;
  /** Episodes of at least one transition: cut by latches, tick gaps, terminal states and the horizon. */
  readonly episodes: number;
  /** Episodes that ended in the task's terminal state (a fall). */
  readonly falls: number;
  /**
   * Loop time of the latch (e-stop, fault) that ended the run's last episode before the task's
   * horizon, with no episode after it: the run ended latched and the task did not run its course.
   */
  readonly endedLatchedAt: number | undefined;
  /**
   * Episodes that ended at the horizon, a latch or the run's end and whose last observation missed
   * the task's goal (0 for a task without one). Episodes cut by gaps in the ticks are not checked,
   * but for the last when the run ended in that gap.
   */
  readonly goalMissed: number;
  /** Undiscounted return of each episode, in order. */
  readonly returns: readonly number[];
  readonly meanReturn: number;
  /** Loop seconds at the first terminal state; undefined without one. */
  readonly firstFall: number | undefined;
  /** Seconds on which the safety layer was clear and the state outside the task's terminal set. */
  readonly timeInLimits: number;
  /** Seconds of loop time scored (every tick the loop ran). */
  readonly duration: number;
}

const latchFlags = SafetyFlag.estop | SafetyFlag.fault;

/**
 * A tick sink that scores the run against its task as it runs, with the dataset builder's rules:
 * a transition (s, command, s′) needs two consecutive ticks, the first one unlatched; the
 * transition into a terminal state or a latch ends the episode; after a terminal state without a
 * latch, ticks are off the task until the next latch or gap; the horizon cuts long stretches.
 * Allocates only when an episode ends.
 */
export class TaskOutcomeTracker implements TickSink {
  private readonly observationIndex: Int32Array;
  private readonly actionIndex: Int32Array;
  private readonly previous: Float64Array;
  private readonly current: Float64Array;
  private readonly command: Float64Array;
  /** s′ of the open episode's latest transition: what the goal is checked on when it closes. */
  private readonly episodeEnd: Float64Array;
  private readonly dt: number;
  private previousTick = -2;
  /** The previous tick may start a transition. */
  private previousOpen = false;
  private skippingAfterTerminal = false;
  private open = false;
  private openReturn = 0;
  private openTransitions = 0;
  private readonly returns: number[] = [];
  private falls = 0;
  /** Episodes that ran to their end, where a goal was checked, and those that missed it. */
  private goalChecked = 0;
  private goalMissed = 0;
  /** The last tick revealed a gap in the ticks that cut the open episode, unjudged. */
  private lastTickCutByGap = false;
  private firstFall: number | undefined;
  /** Loop time of the latch that ended the last episode before its horizon, until another opens. */
  private lastCutByLatchAt: number | undefined;
  private inLimitsTicks = 0;
  private ticks = 0;

  constructor(
    private readonly task: RunTask,
    robot: RobotInfo,
  ) {
    const observed = robot.observation.signals.map((s) => s.name);
    const actions = robot.action.signals.map((s) => s.name);
    this.observationIndex = Int32Array.from(task.observation, (name) => observed.indexOf(name));
    this.actionIndex = Int32Array.from(task.actionMap, (m) => actions.indexOf(m.name));
    if (this.observationIndex.includes(-1) || this.actionIndex.includes(-1))
      throw new TaskError(taskMismatches(task, robot, task.rateHz).join('; '));
    this.previous = new Float64Array(task.observation.length);
    this.current = new Float64Array(task.observation.length);
    this.command = new Float64Array(task.actionMap.length);
    this.episodeEnd = new Float64Array(task.observation.length);
    this.dt = 1 / task.rateHz;
  }

  writeTick(record: TickRecord): void {
    this.ticks++;
    this.lastTickCutByGap = false;
    const latched = (record.safetyFlags & latchFlags) !== 0;
    const obs = this.current;
    for (let i = 0; i < obs.length; i++) obs[i] = record.observation[this.observationIndex[i]!]!;
    const finite = allFinite(obs);
    const terminal = finite && this.task.terminated?.(obs) === true;
    if (!latched && finite && !terminal) this.inLimitsTicks++;
    const consecutive = record.tick === this.previousTick + 1;

    if (this.previousOpen && consecutive && finite) {
      const r = this.task.reward(this.previous, this.command, obs);
      if (!this.open) this.lastCutByLatchAt = undefined;
      this.open = true;
      this.openReturn += r;
      this.openTransitions++;
      this.episodeEnd.set(obs);
      if (terminal) {
        this.falls++;
        this.firstFall ??= record.deadline;
        this.close(false);
        if (!latched) this.skippingAfterTerminal = true;
      } else if (latched) {
        // A safety stop before the horizon (the loop's own episode ends latch at the horizon). One
        // the run recovers from is a pause; one the run ends in cut the task short.
        const short = this.task.horizon === undefined || this.openTransitions < this.task.horizon;
        this.close(true);
        if (short) this.lastCutByLatchAt = record.deadline;
      } else if (this.task.horizon !== undefined && this.openTransitions >= this.task.horizon)
        this.close(true);
    } else if (this.open) {
      this.close(false);
      this.lastTickCutByGap = !consecutive;
    }

    if (latched || !consecutive) this.skippingAfterTerminal = false;
    let commandFinite = true;
    for (let i = 0; i < this.command.length; i++) {
      const value = record.command[this.actionIndex[i]!]!;
      this.command[i] = value;
      if (!Number.isFinite(value)) commandFinite = false;
    }
    this.previousOpen = !latched && finite && commandFinite && !terminal && !this.skippingAfterTerminal;
    if (!this.previousOpen && this.open) this.close(false);
    this.previous.set(obs);
    this.previousTick = record.tick;
  }

  /** The outcome so far; call after the loop stopped for the run's. */
  outcome(): TaskOutcome {
    if (this.open) this.close(true);
    else if (this.lastTickCutByGap) {
      // The run ended in the gap that cut its last episode (its last tick came late): that episode
      // ran to the end, so it is judged where it got to, as one the run's end closes.
      this.judgeGoal();
    }
    this.lastTickCutByGap = false;
    const episodes = this.returns.length;
    const meanReturn = episodes === 0 ? 0 : this.returns.reduce((a, b) => a + b, 0) / episodes;
    const goal = this.task.goal !== undefined;
    const success =
      episodes > 0 &&
      this.falls === 0 &&
      this.lastCutByLatchAt === undefined &&
      (!goal || (this.goalChecked > 0 && this.goalMissed === 0));
    const verdict = this.verdict(episodes, goal);
    return {
      task: this.task.name,
      success,
      verdict,
      episodes,
      falls: this.falls,
      endedLatchedAt: this.lastCutByLatchAt,
      goalMissed: this.goalMissed,
      returns: [...this.returns],
      meanReturn,
      firstFall: this.firstFall,
      timeInLimits: this.inLimitsTicks * this.dt,
      duration: this.ticks * this.dt,
    };
  }

  /** Why the run succeeded or failed, in words. */
  private verdict(episodes: number, goal: boolean): string {
    const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
    if (episodes === 0)
      return 'no episode of the task (no two consecutive ticks with the safety layer clear)';
    if (this.falls > 0)
      return `the task's terminal state was reached in ${this.falls} of ${plural(episodes, 'episode')}, first at ${this.firstFall!.toFixed(2)} s`;
    if (this.lastCutByLatchAt !== undefined)
      return `the run ended latched: the safety layer stopped its last episode at ${this.lastCutByLatchAt.toFixed(2)} s, before the task's horizon`;
    if (!goal) return `no terminal state in ${plural(episodes, 'episode')}`;
    const checked = this.goalChecked;
    if (checked === 0)
      return `no episode ended where it is judged (all ${episodes} were cut by gaps in the ticks), so the goal was never checked`;
    const cut = episodes - checked > 0 ? ` (${episodes - checked} more cut by gaps)` : '';
    if (this.goalMissed > 0)
      return `the goal was not met at the end of ${this.goalMissed} of ${plural(checked, 'episode')}${cut}`;
    return `goal met at the end of ${plural(checked, 'episode')}${cut}, no terminal state`;
  }

  /**
   * Ends the open episode. `judged`: it ended at the horizon, the end of the run or a latch (an
   * e-stop, a fault, the loop's reset between episodes), so its last observation is where the attempt
   * got to and the goal is checked there. An episode cut by a gap in the ticks (a missed deadline, a
   * non-finite value) is not: the robot went on regardless of the cut (`outcome` still judges the
   * last one if the run ended in its gap).
   */
  private close(judged: boolean): void {
    if (this.open) {
      this.returns.push(this.openReturn);
      if (judged) this.judgeGoal();
    }
    this.open = false;
    this.openReturn = 0;
    this.openTransitions = 0;
  }

  /** Checks the task's goal, if it has one, on the last episode's last observation. */
  private judgeGoal(): void {
    if (this.task.goal === undefined) return;
    this.goalChecked++;
    if (!this.task.goal(this.episodeEnd)) this.goalMissed++;
  }
}

function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/** One line: `SUCCESS (no terminal state in 1 episode); return 497.31; 10.00 of 10.00 s within limits`. */
export function formatTaskOutcome(
  o: Pick<
    TaskOutcome,
    'task' | 'success' | 'verdict' | 'episodes' | 'returns' | 'meanReturn' | 'timeInLimits' | 'duration'
  >,
): string {
  const returns =
    o.episodes === 0
      ? 'no return'
      : o.episodes === 1
        ? `return ${o.meanReturn.toFixed(2)}`
        : `mean return ${o.meanReturn.toFixed(2)} over ${o.episodes} episodes (${Math.min(...o.returns).toFixed(2)} to ${Math.max(...o.returns).toFixed(2)})`;
  return `${o.task}: ${o.success ? 'SUCCESS' : 'FAILED'} (${o.verdict}); ${returns}; ${o.timeInLimits.toFixed(2)} of ${o.duration.toFixed(2)} s within limits`;
}
