// Compiled from src/loop/task-outcome.ts by `npm run build`: edit the source, not this file.

// src/loop/task-outcome.ts
import { SafetyFlag } from "../safety/types.js";
var TaskError = class extends Error {
  name = "TaskError";
};
async function taskOfPair(pair, spec) {
  const reward = pair.reward;
  if (reward === void 0)
    throw new TaskError(
      `task ${pair.name} has no reward that is a function of logged signals, so a run cannot be scored by it`
    );
  const env = await pair.real(0);
  try {
    return {
      name: pair.name,
      ...spec === void 0 ? {} : { spec },
      observation: env.observation.signals.map((s) => s.name),
      actionMap: pair.actionMap,
      rateHz: Number((1 / env.dt).toPrecision(12)),
      reward,
      terminated: pair.terminated,
      goal: pair.goal,
      horizon: env.horizon
    };
  } finally {
    env.dispose?.();
  }
}
async function taskOfConfig(config) {
  const entry = config.task;
  if (entry === void 0) return void 0;
  try {
    const pair = await entry.plugin.create(entry.options, { baseDir: entry.baseDir });
    return await taskOfPair(pair, entry.section);
  } catch (error) {
    config.document.report(["task"], error.message);
    config.document.throwIfProblems();
    throw error;
  }
}
function checkTaskAgainstRobot(config, task, robot, rateHz) {
  for (const problem of taskMismatches(task, robot, rateHz)) config.document.report(["task"], problem);
  config.document.throwIfProblems();
}
function taskMismatches(task, robot, rateHz) {
  const problems = [];
  const observed = robot.observation.signals.map((s) => s.name);
  const missing = task.observation.filter((name) => !observed.includes(name));
  if (missing.length > 0)
    problems.push(
      `task ${task.name} reads [${missing.join(", ")}], which robot '${robot.name}' does not observe (it observes [${observed.join(", ")}])`
    );
  const actions = robot.action.signals.map((s) => s.name);
  const unknown = task.actionMap.map((m) => m.name).filter((name) => !actions.includes(name));
  if (unknown.length > 0)
    problems.push(
      `task ${task.name} scores the command [${unknown.join(", ")}], which robot '${robot.name}' does not take (it takes [${actions.join(", ")}])`
    );
  if (Math.abs(task.rateHz - rateHz) > 1e-6 * task.rateHz)
    problems.push(
      `task ${task.name} runs at ${task.rateHz} Hz, the loop at ${rateHz} Hz: its rewards and horizon are per tick of ${task.rateHz} Hz`
    );
  return problems;
}
var latchFlags = SafetyFlag.estop | SafetyFlag.fault;
var TaskOutcomeTracker = class {
  constructor(task, robot) {
    this.task = task;
    const observed = robot.observation.signals.map((s) => s.name);
    const actions = robot.action.signals.map((s) => s.name);
    this.observationIndex = Int32Array.from(task.observation, (name) => observed.indexOf(name));
    this.actionIndex = Int32Array.from(task.actionMap, (m) => actions.indexOf(m.name));
    if (this.observationIndex.includes(-1) || this.actionIndex.includes(-1))
      throw new TaskError(taskMismatches(task, robot, task.rateHz).join("; "));
    this.previous = new Float64Array(task.observation.length);
    this.current = new Float64Array(task.observation.length);
    this.command = new Float64Array(task.actionMap.length);
    this.episodeEnd = new Float64Array(task.observation.length);
    this.dt = 1 / task.rateHz;
  }
  task;
  observationIndex;
  actionIndex;
  previous;
  current;
  command;
  /** s′ of the open episode's latest transition: what the goal is checked on when it closes. */
  episodeEnd;
  dt;
  previousTick = -2;
  /** The previous tick may start a transition. */
  previousOpen = false;
  skippingAfterTerminal = false;
  open = false;
  openReturn = 0;
  openTransitions = 0;
  returns = [];
  falls = 0;
  /** Episodes that ran to their end, where a goal was checked, and those that missed it. */
  goalChecked = 0;
  goalMissed = 0;
  /** The last tick revealed a gap in the ticks that cut the open episode, unjudged. */
  lastTickCutByGap = false;
  firstFall;
  /** Loop time of the latch that ended the last episode before its horizon, until another opens. */
  lastCutByLatchAt;
  inLimitsTicks = 0;
  ticks = 0;
  writeTick(record) {
    this.ticks++;
    this.lastTickCutByGap = false;
    const latched = (record.safetyFlags & latchFlags) !== 0;
    const obs = this.current;
    for (let i = 0; i < obs.length; i++) obs[i] = record.observation[this.observationIndex[i]];
    const finite = allFinite(obs);
    const terminal = finite && this.task.terminated?.(obs) === true;
    if (!latched && finite && !terminal) this.inLimitsTicks++;
    const consecutive = record.tick === this.previousTick + 1;
    if (this.previousOpen && consecutive && finite) {
      const r = this.task.reward(this.previous, this.command, obs);
      if (!this.open) this.lastCutByLatchAt = void 0;
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
        const short = this.task.horizon === void 0 || this.openTransitions < this.task.horizon;
        this.close(true);
        if (short) this.lastCutByLatchAt = record.deadline;
      } else if (this.task.horizon !== void 0 && this.openTransitions >= this.task.horizon)
        this.close(true);
    } else if (this.open) {
      this.close(false);
      this.lastTickCutByGap = !consecutive;
    }
    if (latched || !consecutive) this.skippingAfterTerminal = false;
    let commandFinite = true;
    for (let i = 0; i < this.command.length; i++) {
      const value = record.command[this.actionIndex[i]];
      this.command[i] = value;
      if (!Number.isFinite(value)) commandFinite = false;
    }
    this.previousOpen = !latched && finite && commandFinite && !terminal && !this.skippingAfterTerminal;
    if (!this.previousOpen && this.open) this.close(false);
    this.previous.set(obs);
    this.previousTick = record.tick;
  }
  /** The outcome so far; call after the loop stopped for the run's. */
  outcome() {
    if (this.open) this.close(true);
    else if (this.lastTickCutByGap) {
      this.judgeGoal();
    }
    this.lastTickCutByGap = false;
    const episodes = this.returns.length;
    const meanReturn = episodes === 0 ? 0 : this.returns.reduce((a, b) => a + b, 0) / episodes;
    const goal = this.task.goal !== void 0;
    const success = episodes > 0 && this.falls === 0 && this.lastCutByLatchAt === void 0 && (!goal || this.goalChecked > 0 && this.goalMissed === 0);
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
      duration: this.ticks * this.dt
    };
  }
  /** Why the run succeeded or failed, in words. */
  verdict(episodes, goal) {
    const plural = (n, noun) => `${n} ${noun}${n === 1 ? "" : "s"}`;
    if (episodes === 0)
      return "no episode of the task (no two consecutive ticks with the safety layer clear)";
    if (this.falls > 0)
      return `the task's terminal state was reached in ${this.falls} of ${plural(episodes, "episode")}, first at ${this.firstFall.toFixed(2)} s`;
    if (this.lastCutByLatchAt !== void 0)
      return `the run ended latched: the safety layer stopped its last episode at ${this.lastCutByLatchAt.toFixed(2)} s, before the task's horizon`;
    if (!goal) return `no terminal state in ${plural(episodes, "episode")}`;
    const checked = this.goalChecked;
    if (checked === 0)
      return `no episode ended where it is judged (all ${episodes} were cut by gaps in the ticks), so the goal was never checked`;
    const cut = episodes - checked > 0 ? ` (${episodes - checked} more cut by gaps)` : "";
    if (this.goalMissed > 0)
      return `the goal was not met at the end of ${this.goalMissed} of ${plural(checked, "episode")}${cut}`;
    return `goal met at the end of ${plural(checked, "episode")}${cut}, no terminal state`;
  }
  /**
   * Ends the open episode. `judged`: it ended at the horizon, the end of the run or a latch (an
   * e-stop, a fault, the loop's reset between episodes), so its last observation is where the attempt
   * got to and the goal is checked there. An episode cut by a gap in the ticks (a missed deadline, a
   * non-finite value) is not: the robot went on regardless of the cut (`outcome` still judges the
   * last one if the run ended in its gap).
   */
  close(judged) {
    if (this.open) {
      this.returns.push(this.openReturn);
      if (judged) this.judgeGoal();
    }
    this.open = false;
    this.openReturn = 0;
    this.openTransitions = 0;
  }
  /** Checks the task's goal, if it has one, on the last episode's last observation. */
  judgeGoal() {
    if (this.task.goal === void 0) return;
    this.goalChecked++;
    if (!this.task.goal(this.episodeEnd)) this.goalMissed++;
  }
};
function allFinite(values) {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
function formatTaskOutcome(o) {
  const returns = o.episodes === 0 ? "no return" : o.episodes === 1 ? `return ${o.meanReturn.toFixed(2)}` : `mean return ${o.meanReturn.toFixed(2)} over ${o.episodes} episodes (${Math.min(...o.returns).toFixed(2)} to ${Math.max(...o.returns).toFixed(2)})`;
  return `${o.task}: ${o.success ? "SUCCESS" : "FAILED"} (${o.verdict}); ${returns}; ${o.timeInLimits.toFixed(2)} of ${o.duration.toFixed(2)} s within limits`;
}
export {
  TaskError,
  TaskOutcomeTracker,
  checkTaskAgainstRobot,
  formatTaskOutcome,
  taskMismatches,
  taskOfConfig,
  taskOfPair
};
