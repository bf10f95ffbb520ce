import type { RunConfig } from '../config/load.ts';
import type { ClockMode } from '../config/schema.ts';
import type { Controller } from '../core/controller.ts';
import type { ControlEvent, EventSink } from '../core/events.ts';
import type { Robot } from '../core/robot.ts';
import { type LogSummary, McapTickLogger } from '../logging/tick-logger.ts';
import { createSafetyLayer, type SafetyOptions } from '../safety/safety-layer.ts';
import { ControlLoop, type LoopReport, type TickSink } from './control-loop.ts';

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
  /** Called once the loop exists, e.g. to wire Ctrl-C to `loop.stop()`. */
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
 * Builds robot, controller and safety layer from a validated config, runs the loop, and always
 * leaves the robot in its safe state: deactivated and shut down, whatever happened in between.
 */
export async function runFromConfig(
  config: RunConfig,
  overrides: RunOverrides = {},
  hooks: RunHooks = {},
): Promise<RunResult> {
  const events = new EventFanout([...(hooks.events ?? [])]);
  const options = { ...config.loop, mode: overrides.mode ?? config.loop.mode };
  const context = { baseDir: config.baseDir, controlDt: 1 / options.rateHz, seed: config.seed };

  const robot = await config.robot.plugin.create(config.robot.options, context);
  let controller: Controller | undefined;
  let logger: McapTickLogger | undefined;
  let logSummary: LogSummary | undefined;
  try {
    await robot.configure();
    const { observation, action, capabilities } = robot.info;
    if (options.rateHz < capabilities.minRateHz || options.rateHz > capabilities.maxRateHz) {
      throw new RangeError(
        `loop.rateHz: ${options.rateHz} Hz is outside what ${robot.info.name} accepts ` +
          `(${capabilities.minRateHz}–${capabilities.maxRateHz} Hz)`,
      );
    }
    controller = await config.controller.plugin.create(config.controller.options, context);
    await controller.configure({ observation, action, dt: context.controlDt, events });
    const safety = createSafetyLayer(config.safety as SafetyOptions, action, observation, events);
    const sinks: TickSink[] = [...(hooks.sinks ?? [])];
    if (overrides.logPath) {
      logger = await McapTickLogger.open(overrides.logPath, {
        robot: robot.info,
        controller: controller.name,
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
      message: `${robot.info.name} running under ${controller.name} at ${options.rateHz} Hz (${options.mode})`,
    });
    const first = new Float64Array(observation.signals.length);
    robot.read(first);
    controller.reset?.(first);

    const loop = new ControlLoop({ robot, controller, safety, events, options, sinks });
    hooks.onStart?.(loop, robot);
    const duration = overrides.duration ?? config.duration;
    const maxTicks =
      duration === undefined ? Number.POSITIVE_INFINITY : Math.round(duration * options.rateHz);
    const report = await loop.run(maxTicks);
    await safeShutdown(robot, controller);
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
    await safeShutdown(robot, controller);
    await logger?.close().catch(() => undefined);
  }
}

/** Idempotent: deactivates (safe action) and releases everything, once. */
async function safeShutdown(robot: Robot, controller: Controller | undefined): Promise<void> {
  if (robot.state === 'stopped') return;
  try {
    if (robot.state === 'running') await robot.deactivate();
  } finally {
    try {
      await controller?.dispose?.();
    } finally {
      await robot.shutdown();
    }
  }
}
