// Compiled from src/loop/runner.ts by `npm run build`: edit the source, not this file.

// src/loop/runner.ts
import { McapTickLogger } from "../logging/tick-logger.js";
import {
  assembleControl,
  checkPresentedSpecs,
  createControlParts,
  describeRobot,
  disposeParts
} from "./assemble.js";
import { idleV8Workers } from "./background-threads.js";
import { ClockThread } from "./clock.js";
import { ControlLoop } from "./control-loop.js";
import { requestedNice } from "./priority.js";
import { checkTaskAgainstRobot, TaskOutcomeTracker, taskOfConfig } from "./task-outcome.js";
var linkSampleMs = 1e3;
var EventFanout = class {
  constructor(listeners) {
    this.listeners = listeners;
  }
  listeners;
  log = [];
  add(listener) {
    this.listeners.push(listener);
  }
  emit(event) {
    this.log.push(event);
    for (const l of this.listeners) l.emit(event);
  }
};
async function runFromConfig(config, overrides = {}, hooks = {}) {
  const events = new EventFanout([...hooks.events ?? []]);
  const options = { ...config.loop, mode: overrides.mode ?? config.loop.mode };
  const context = { baseDir: config.baseDir, controlDt: 1 / options.rateHz, seed: config.seed };
  const configuredTask = await taskOfConfig(config);
  const task = configuredTask && overrides.episodeHorizon !== void 0 ? { ...configuredTask, horizon: overrides.episodeHorizon } : configuredTask;
  const parts = await createControlParts(config, context);
  let robot;
  try {
    robot = await config.robot.plugin.create(config.robot.options, context);
  } catch (error) {
    await disposeParts(parts);
    throw error;
  }
  let manager;
  let logger;
  let logSummary;
  let loop;
  let linkTimer;
  let clockThread;
  robot.onLinkEvent?.(
    (message, data) => events.emit({
      time: loop?.record.deadline ?? 0,
      kind: "link",
      source: "link",
      message,
      ...data !== void 0 ? { data } : {}
    })
  );
  try {
    const expected = await describeRobot(config, context);
    await robot.configure();
    if (expected) checkPresentedSpecs(config, expected, robot.info);
    if (task) checkTaskAgainstRobot(config, task, robot.info, options.rateHz);
    const assembled = await assembleControl(
      config,
      robot.info,
      parts,
      events,
      context.controlDt,
      options.mode
    );
    manager = assembled.manager;
    const { safety, commands } = assembled;
    const tracker = task && new TaskOutcomeTracker(task, robot.info);
    const sinks = [...tracker ? [tracker] : [], ...hooks.sinks ?? []];
    const logPath = overrides.logPath ?? config.log.path;
    if (logPath) {
      logger = await McapTickLogger.open(logPath, {
        robot: robot.info,
        controller: manager.activeName,
        controllers: manager.names,
        // Relative paths in the task resolve against taskBaseDir, wherever the log is read.
        config: config.task === void 0 ? config.source : { ...config.source, task: config.task.section, taskBaseDir: config.task.baseDir },
        rateHz: options.rateHz,
        // On a virtual clock nothing is late, so keep every tick rather than drop under load.
        whenFull: options.mode === "fast" ? "wait" : "drop",
        link: robot.linkHealth !== void 0
      });
      sinks.push(logger);
      events.add(logger);
    }
    if (options.mode === "realtime") {
      const v8Workers = await idleV8Workers();
      if (v8Workers !== void 0)
        events.emit({ time: 0, kind: "lifecycle", source: "runner", message: v8Workers });
      clockThread = await ClockThread.start(requestedNice());
    }
    await robot.activate();
    events.emit({
      time: 0,
      kind: "lifecycle",
      source: "runner",
      message: `${robot.info.name} running under ${manager.activeName} at ${options.rateHz} Hz (${options.mode})`
    });
    const first = new Float64Array(robot.info.observation.signals.length);
    robot.read(first);
    manager.start(first);
    loop = new ControlLoop({
      robot,
      controllers: manager,
      safety,
      events,
      options,
      sinks,
      commands,
      ...clockThread ? { clockThread } : {}
    });
    const running = loop;
    const sampleLink = () => {
      const health = robot.linkHealth?.();
      if (health !== void 0) logger?.writeLink(running.record.deadline, health);
    };
    if (robot.linkHealth !== void 0 && logger !== void 0) {
      sampleLink();
      linkTimer = setInterval(sampleLink, linkSampleMs);
      linkTimer.unref();
    }
    hooks.onStart?.(running, robot, logger);
    const duration = overrides.duration ?? config.duration;
    const maxTicks = duration === void 0 ? Number.POSITIVE_INFINITY : Math.round(duration * options.rateHz);
    const report = await running.run(maxTicks);
    clearInterval(linkTimer);
    await safeShutdown(robot, manager);
    sampleLink();
    events.emit({
      time: report.loopSeconds,
      kind: "lifecycle",
      source: "runner",
      message: `stopped after ${report.ticks} ticks; robot ${robot.state}, safe action sent`,
      data: { ticks: report.ticks, missedDeadlines: report.missedDeadlines }
    });
    const outcome = tracker?.outcome();
    if (outcome)
      events.emit({
        time: report.loopSeconds,
        kind: "info",
        source: "task",
        message: `${outcome.task}: ${outcome.success ? "success" : "failed"} (${outcome.verdict})`,
        data: {
          success: outcome.success,
          episodes: outcome.episodes,
          falls: outcome.falls,
          ...outcome.endedLatchedAt === void 0 ? {} : { endedLatchedAt: outcome.endedLatchedAt },
          goalMissed: outcome.goalMissed,
          meanReturn: outcome.meanReturn,
          timeInLimits: outcome.timeInLimits
        }
      });
    logSummary = await logger?.close(outcome ? { task: JSON.stringify(outcome) } : void 0);
    logger = void 0;
    return {
      report,
      log: logSummary,
      robotState: robot.state,
      events: events.log,
      link: robot.linkHealth?.(),
      task: outcome
    };
  } finally {
    clearInterval(linkTimer);
    clockThread?.stop();
    robot.onLinkEvent?.(void 0);
    await safeShutdown(robot, manager);
    if (manager) await Promise.resolve(parts.guard?.dispose?.()).catch(() => void 0);
    else await disposeParts(parts);
    await logger?.close().catch(() => void 0);
  }
}
async function safeShutdown(robot, manager) {
  if (robot.state === "stopped") return;
  try {
    if (robot.state === "running") await robot.deactivate();
  } finally {
    try {
      await manager?.dispose();
    } finally {
      await robot.shutdown();
    }
  }
}
export {
  runFromConfig
};
