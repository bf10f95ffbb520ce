import type { RunConfig } from '../config/load.ts';
import type { ClockMode } from '../config/schema.ts';
import type { ControlEvent, EventSink } from '../core/events.ts';
import type { Robot } from '../core/robot.ts';
import { type LogSummary, McapTickLogger } from '../logging/tick-logger.ts';
import {
  assembleControl,
  checkPresentedSpecs,
  createControlParts,
  describeRobot,
  disposeParts,
} from './assemble.ts';
import { ControlLoop, type LoopReport, type TickSink } from './control-loop.ts';
import type { ControllerManager } from './controller-manager.ts';

export interface RunOverrides {
  /** Seconds; overrides the config's `duration`. */
  readonly duration?: number | undefined;
  readonly mode?: ClockMode | undefined;
  /** MCAP file to log every tick to. */
  readonly logPath?: string | undefined;
}

export interface RunHooks {
  /** Extra tick sinks (the MCAP logger, telemetry). */
  readonly sinks?: readonly TickSink[];
  /** Extra event listeners (the MCAP logger, the console). */
  readonly events?: readonly EventSink[];
  /** Called once the loop exists, e.g. to wire Ctrl-C to `loop.stop()` or an operator console. */
  readonly onStart?: (loop: ControlLoop, robot: Robot) => void;
}

export interface RunResult {
  readonly report: LoopReport;
  /** Present when the run was logged. */
  readonly log: LogSummary | undefined;
  readonly robotState: Robot['state'];
  readonly events: readonly ControlEvent[];
}

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
  try {
    const expected = await describeRobot(config, context);
    await robot.configure();
    if (expected) checkPresentedSpecs(config, expected, robot.info);
    const assembled = await assembleControl(config, robot.info, parts, events, context.controlDt);
    manager = assembled.manager;
    const { safety } = assembled;
    const sinks: TickSink[] = [...(hooks.sinks ?? [])];
    const logPath = overrides.logPath ?? config.log.path;
    if (logPath) {
      logger = await McapTickLogger.open(logPath, {
        robot: robot.info,
        controller: manager.activeName,
        controllers: manager.names,
        config: config.source,
        rateHz: options.rateHz,
        // On a virtual clock nothing is late, so keep every tick rather than drop under load.
        whenFull: options.mode === 'fast' ? 'wait' : 'drop',
      });
      sinks.push(logger);
      events.add(logger);
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

    const loop = new ControlLoop({ robot, controllers: manager, safety, events, options, sinks });
    hooks.onStart?.(loop, robot);
    const duration = overrides.duration ?? config.duration;
    const maxTicks =
      duration === undefined ? Number.POSITIVE_INFINITY : Math.round(duration * options.rateHz);
    const report = await loop.run(maxTicks);
    await safeShutdown(robot, manager);
    events.emit({
      time: report.loopSeconds,
      kind: 'lifecycle',
      source: 'runner',
      message: `stopped after ${report.ticks} ticks; robot ${robot.state}, safe action sent`,
      data: { ticks: report.ticks, missedDeadlines: report.missedDeadlines },
    });
    // Close after shutdown so the final lifecycle events are in the file too.
    logSummary = await logger?.close();
    logger = undefined;
    return { report, log: logSummary, robotState: robot.state, events: events.log };
  } finally {
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
