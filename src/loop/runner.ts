import type { RunConfig } from '../config/load.ts';
import type { ClockMode } from '../config/schema.ts';
import type { ControlEvent, EventSink } from '../core/events.ts';
import type { LinkHealth } from '../core/link-health.ts';
import type { Robot } from '../core/robot.ts';
import { type LoggerDrops, type LogSummary, McapTickLogger } from '../logging/tick-logger.ts';
import {
  assembleControl,
  checkPresentedSpecs,
  createControlParts,
  describeRobot,
  disposeParts,
} from './assemble.ts';
import { idleV8Workers } from './background-threads.ts';
import { ClockThread } from './clock.ts';
import { ControlLoop, type LoopReport, type TickSink } from './control-loop.ts';
import type { ControllerManager } from './controller-manager.ts';
import { requestedNice } from './priority.ts';
import { checkTaskAgainstRobot, type TaskOutcome, TaskOutcomeTracker, taskOfConfig } from './task-outcome.ts';

export interface RunOverrides {
  /** Seconds; overrides the config's `duration`. */
  readonly duration?: number | undefined;
  readonly mode?: ClockMode | undefined;
  /** MCAP file to log every tick to. */
  readonly logPath?: string | undefined;
  /**
   * Ticks after which the caller ends each episode itself by latching (`tether loop`), when that
   * differs from the task's horizon: the task outcome counts a latch there as the episode's end, and
   * only an earlier one as the task cut short.
   */
  readonly episodeHorizon?: number | undefined;
}

export interface RunHooks {
  /** Extra tick sinks (the MCAP logger, telemetry). */
  readonly sinks?: readonly TickSink[];
  /** Extra event listeners (the MCAP logger, the console). */
  readonly events?: readonly EventSink[];
  /**
   * Called once the loop exists, e.g. to wire Ctrl-C to `loop.stop()` or an operator console;
   * `logger` (when the run is logged) says live what the logger dropped.
   */
  readonly onStart?: (loop: ControlLoop, robot: Robot, logger: LoggerDrops | undefined) => void;
}

export interface RunResult {
  readonly report: LoopReport;
  /** Present when the run was logged. */
  readonly log: LogSummary | undefined;
  readonly robotState: Robot['state'];
  readonly events: readonly ControlEvent[];
  /** The link's health at the end (robots behind a link only): counts since configure. */
  readonly link: LinkHealth | undefined;
  /** How the run did at its task (`task:`); undefined without one. */
  readonly task: TaskOutcome | undefined;
}

/** How often a link robot's health goes to the log's `/tether/link` channel. */
const linkSampleMs = 1000;

/** Fans events out to every listener and keeps them for the run's summary. */
class EventFanout implements EventSink {
  readonly log: ControlEvent[] = [];
  constructor(private readonly listeners: EventSink[]) {}
  add(listener: EventSink): void {
    this.listeners.push(listener);
  }
  emit(event: ControlEvent): void {
    this.log.push(event);
    for (const l of this.listeners) l.emit(event);
  }
}

/**
 * Builds controllers, robot, controller manager and safety layer from a validated config, runs the
 * loop, and always leaves the robot in its safe state: deactivated and shut down, whatever happened
 * in between. Controllers (contracts, models, certificates) are loaded before the robot link opens.
 */
export async function runFromConfig(
  config: RunConfig,
  overrides: RunOverrides = {},
  hooks: RunHooks = {},
): Promise<RunResult> {
  const events = new EventFanout([...(hooks.events ?? [])]);
  const options = { ...config.loop, mode: overrides.mode ?? config.loop.mode };
  const context = { baseDir: config.baseDir, controlDt: 1 / options.rateHz, seed: config.seed };

  const configuredTask = await taskOfConfig(config);
  const task =
    configuredTask && overrides.episodeHorizon !== undefined
      ? { ...configuredTask, horizon: overrides.episodeHorizon }
      : configuredTask;
  const parts = await createControlParts(config, context);
  let robot: Robot;
  try {
    robot = await config.robot.plugin.create(config.robot.options, context);
  } catch (error) {
    await disposeParts(parts);
    throw error;
  }
  let manager: ControllerManager | undefined;
  let logger: McapTickLogger | undefined;
  let logSummary: LogSummary | undefined;
  let loop: ControlLoop | undefined;
  let linkTimer: NodeJS.Timeout | undefined;
  let clockThread: ClockThread | undefined;
  // Link events (refused frames, a second would-be owner, sessions) go where every event goes.
  robot.onLinkEvent?.((message, data) =>
    events.emit({
      time: loop?.record.deadline ?? 0,
      kind: 'link',
      source: 'link',
      message,
      ...(data !== undefined ? { data } : {}),
    }),
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
      options.mode,
    );
    manager = assembled.manager;
    const { safety, commands } = assembled;
    const tracker = task && new TaskOutcomeTracker(task, robot.info);
    const sinks: TickSink[] = [...(tracker ? [tracker] : []), ...(hooks.sinks ?? [])];
    const logPath = overrides.logPath ?? config.log.path;
    if (logPath) {
      logger = await McapTickLogger.open(logPath, {
        robot: robot.info,
        controller: manager.activeName,
        controllers: manager.names,
        // Relative paths in the task resolve against taskBaseDir, wherever the log is read.
        config:
          config.task === undefined
            ? config.source
            : { ...(config.source as object), task: config.task.section, taskBaseDir: config.task.baseDir },
        rateHz: options.rateHz,
        // On a virtual clock nothing is late, so keep every tick rather than drop under load.
        whenFull: options.mode === 'fast' ? 'wait' : 'drop',
        link: robot.linkHealth !== undefined,
      });
      sinks.push(logger);
      events.add(logger);
    }

    // The clock thread runs before the robot does: its first deadline then has the thread's
    // precision, and the rig's watchdog never waits for a thread to start.
    if (options.mode === 'realtime') {
      const v8Workers = await idleV8Workers();
      if (v8Workers !== undefined)
        events.emit({ time: 0, kind: 'lifecycle', source: 'runner', message: v8Workers });
      clockThread = await ClockThread.start(requestedNice());
    }
    await robot.activate();
    events.emit({
      time: 0,
      kind: 'lifecycle',
      source: 'runner',
      message: `${robot.info.name} running under ${manager.activeName} at ${options.rateHz} Hz (${options.mode})`,
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
      ...(clockThread ? { clockThread } : {}),
    });
    const running = loop;
    const sampleLink = (): void => {
      const health = robot.linkHealth?.();
      if (health !== undefined) logger?.writeLink(running.record.deadline, health);
    };
    if (robot.linkHealth !== undefined && logger !== undefined) {
      sampleLink();
      linkTimer = setInterval(sampleLink, linkSampleMs);
      linkTimer.unref();
    }
    hooks.onStart?.(running, robot, logger);
    const duration = overrides.duration ?? config.duration;
    const maxTicks =
      duration === undefined ? Number.POSITIVE_INFINITY : Math.round(duration * options.rateHz);
    const report = await running.run(maxTicks);
    clearInterval(linkTimer);
    await safeShutdown(robot, manager);
    // The final counts, after the link closed: what the summary and the log's last sample say.
    sampleLink();
    events.emit({
      time: report.loopSeconds,
      kind: 'lifecycle',
      source: 'runner',
      message: `stopped after ${report.ticks} ticks; robot ${robot.state}, safe action sent`,
      data: { ticks: report.ticks, missedDeadlines: report.missedDeadlines },
    });
    const outcome = tracker?.outcome();
    if (outcome)
      events.emit({
        time: report.loopSeconds,
        kind: 'info',
        source: 'task',
        message: `${outcome.task}: ${outcome.success ? 'success' : 'failed'} (${outcome.verdict})`,
        data: {
          success: outcome.success,
          episodes: outcome.episodes,
          falls: outcome.falls,
          ...(outcome.endedLatchedAt === undefined ? {} : { endedLatchedAt: outcome.endedLatchedAt }),
          goalMissed: outcome.goalMissed,
          meanReturn: outcome.meanReturn,
          timeInLimits: outcome.timeInLimits,
        },
      });
    // Close after shutdown so the final lifecycle events are in the file too.
    logSummary = await logger?.close(outcome ? { task: JSON.stringify(outcome) } : undefined);
    logger = undefined;
    return {
      report,
      log: logSummary,
      robotState: robot.state,
      events: events.log,
      link: robot.linkHealth?.(),
      task: outcome,
    };
  } finally {
    clearInterval(linkTimer);
    // Stopped by the loop when it ran; here when the run failed before.
    clockThread?.stop();
    robot.onLinkEvent?.(undefined);
    // Only reached with `logger` still open when something failed: keep that failure, not the log's.
    await safeShutdown(robot, manager);
    // The manager disposes the controllers; the guard and, if no manager was built, the rest here.
    if (manager) await Promise.resolve(parts.guard?.dispose?.()).catch(() => undefined);
    else await disposeParts(parts);
    await logger?.close().catch(() => undefined);
  }
}

/** Idempotent: deactivates (safe action) and releases everything, once. */
async function safeShutdown(robot: Robot, manager: ControllerManager | undefined): Promise<void> {
  if (robot.state === 'stopped') return;
  try {
    if (robot.state === 'running') await robot.deactivate();
  } finally {
    try {
      await manager?.dispose();
    } finally {
      await robot.shutdown();
    }
  }
}
