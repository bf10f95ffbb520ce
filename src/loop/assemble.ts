import { ConfigError } from '../config/errors.ts';
import type { RunConfig } from '../config/load.ts';
import type { PluginContext } from '../config/plugin.ts';
import type { ClockMode } from '../config/schema.ts';
import { CommandBoard } from '../core/commands.ts';
import { EventBuffer, type EventSink } from '../core/events.ts';
import type { RobotInfo } from '../core/robot.ts';
import type { VectorSpec } from '../core/spec.ts';
import type { SwitchGuard } from '../core/switch-guard.ts';
import { createSafetyLayer } from '../safety/safety-layer.ts';
import type { SafetyLayer } from '../safety/types.ts';
import { ControllerManager, type ManagedController } from './controller-manager.ts';
import { checkTaskAgainstRobot, taskOfConfig } from './task-outcome.ts';

/** What a run config creates before any robot link opens. */
export interface ControlParts {
  readonly controllers: readonly ManagedController[];
  readonly guard: SwitchGuard | undefined;
}

/**
 * Creates every controller of a run config and its switch guard: contracts, policy files and
 * certificates are read here, before any robot link is opened. A failure is reported at the
 * section's key path.
 */
export async function createControlParts(config: RunConfig, context: PluginContext): Promise<ControlParts> {
  const controllers: ManagedController[] = [];
  let guard: SwitchGuard | undefined;
  try {
    for (const entry of config.controllers) {
      const controller = await locate(config, entry.path, () => entry.plugin.create(entry.options, context));
      controllers.push({ name: entry.name, controller });
    }
    const guardSection = config.switching.guard;
    if (guardSection)
      guard = await locate(config, ['switching', 'guard'], () =>
        guardSection.plugin.create(guardSection.options, context),
      );
    return { controllers, guard };
  } catch (error) {
    await disposeParts({ controllers, guard });
    throw error;
  }
}

/**
 * Checks a run config against the robot's specs exactly as a run does — controllers configured
 * against the robot (contract vs robot, contract vs model), the safety layer built, switching rules
 * resolved — and returns the manager and safety layer. `tether run` calls it once the robot has
 * introduced itself; `tether config check` calls it with the specs a plugin can describe offline.
 */
export async function assembleControl(
  config: RunConfig,
  info: RobotInfo,
  parts: ControlParts,
  events: EventSink,
  controlDt: number,
  mode: ClockMode = config.loop.mode,
): Promise<{ manager: ControllerManager; safety: SafetyLayer; commands: CommandBoard }> {
  const { controllers, guard } = parts;
  const { observation, action } = info;
  const doc = config.document;
  const rate = config.loop.rateHz;
  const { minRateHz, maxRateHz } = info.capabilities;
  if (rate < minRateHz || rate > maxRateHz)
    doc.report(
      ['loop', 'rateHz'],
      `${rate} Hz is outside what ${info.name} accepts (${minRateHz}–${maxRateHz} Hz)`,
    );

  const signals = observation.signals.map((s) => s.name);
  const unknownSignal = (name: string, path: (string | number)[]): void => {
    if (!signals.includes(name))
      doc.report(path, `no observation '${name}' on ${info.name} (known: ${signals.join(', ')})`);
  };
  for (const name of Object.keys(config.safety.observationLimits ?? {}))
    unknownSignal(name, ['safety', 'observationLimits', name]);
  config.switching.rules.forEach((rule, i) => {
    for (const name of Object.keys(rule.when ?? {}))
      unknownSignal(name, ['switching', 'rules', i, 'when', name]);
  });

  let safety: SafetyLayer | undefined;
  if (!doc.hasProblems) {
    try {
      safety = createSafetyLayer(config.safety, action, observation, events);
    } catch (error) {
      doc.report(['safety'], (error as Error).message);
    }
  }
  const manager = new ControllerManager(controllers, {
    initial: config.switching.initial,
    fallback: config.switching.fallback,
    rules: config.switching.rules,
    guard,
  });
  let commands = new CommandBoard();
  try {
    commands = new CommandBoard(config.commands);
  } catch (error) {
    doc.report(['commands'], (error as Error).message);
  }
  commands.bind(events);
  const context = {
    observation,
    action,
    dt: controlDt,
    events,
    realtime: mode === 'realtime',
    commands,
    robot: info,
  };
  for (const { name, controller } of controllers) {
    const entry = config.controllers.find((c) => c.name === name)!;
    try {
      await controller.configure(context);
    } catch (error) {
      doc.report(entry.path, (error as Error).message);
    }
  }
  if (guard?.configure) {
    try {
      await guard.configure({
        ...context,
        controllers: manager.names,
        controllerInstances: new Map(controllers.map((c) => [c.name, c.controller])),
      });
    } catch (error) {
      doc.report(['switching', 'guard'], (error as Error).message);
    }
  }
  if (!doc.hasProblems) {
    try {
      manager.bind(context);
    } catch (error) {
      doc.report(['switching'], (error as Error).message);
    }
  }
  doc.throwIfProblems();
  return { manager, safety: safety!, commands };
}

async function locate<T>(config: RunConfig, path: readonly (string | number)[], make: () => T | Promise<T>) {
  try {
    return await make();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    config.document.report(path, (error as Error).message);
    config.document.throwIfProblems();
    throw error;
  }
}

/** Releases what `createControlParts` made, best effort (used when a run cannot start). */
export async function disposeParts(parts: ControlParts): Promise<void> {
  const all: { dispose?(): void | Promise<void> }[] = [...parts.controllers.map((c) => c.controller)];
  if (parts.guard) all.push(parts.guard);
  for (const part of all) await Promise.resolve(part.dispose?.()).catch(() => undefined);
}

/** The specs the robot section says to expect, when its plugin can tell without a device. */
export async function describeRobot(
  config: RunConfig,
  context: PluginContext,
): Promise<RobotInfo | undefined> {
  const { plugin, options } = config.robot;
  if (!plugin.describe) return undefined;
  return locate(config, ['robot'], () => plugin.describe!(options, context));
}

/**
 * Refuses a robot that presents other specs than its config expects (a rig whose HELLO announces
 * other signals, units, limits or command mode than `robot.expect`), before anything moves.
 */
export function checkPresentedSpecs(config: RunConfig, expected: RobotInfo, actual: RobotInfo): void {
  const problems: string[] = [];
  const compare = (what: string, a: VectorSpec, b: VectorSpec) => {
    const names = (v: VectorSpec) => v.signals.map((s) => s.name).join(', ');
    if (names(a) !== names(b)) {
      problems.push(`${what} signals: expected [${names(a)}], the robot presents [${names(b)}]`);
      return;
    }
    a.signals.forEach((s, i) => {
      const t = b.signals[i]!;
      if (s.unit !== t.unit)
        problems.push(`${what} '${s.name}': expected unit ${s.unit}, the robot uses ${t.unit}`);
      else if (s.lower !== t.lower || s.upper !== t.upper)
        problems.push(
          `${what} '${s.name}': expected limits [${s.lower}, ${s.upper}], the robot presents [${t.lower}, ${t.upper}]`,
        );
    });
  };
  compare('observation', expected.observation, actual.observation);
  compare('action', expected.action, actual.action);
  if (expected.action.mode !== actual.action.mode)
    problems.push(`command mode: expected ${expected.action.mode}, the robot takes ${actual.action.mode}`);
  for (const p of problems) config.document.report(['robot'], `${actual.name}: ${p}`);
  config.document.throwIfProblems();
}

/** What `checkRunConfig` could verify without opening any device. */
export interface ConfigCheck {
  /** The robot specs checked against, or undefined when only the robot can tell (a rig's HELLO). */
  readonly robot: RobotInfo | undefined;
  readonly controllers: readonly string[];
}

/**
 * Everything `tether run` checks before it moves anything, without opening a device: the config's
 * schema (already done by loading it), every controller created (contracts, models, certificates
 * read), and — when the robot plugin can describe its specs offline — the controllers configured,
 * the safety layer built and the switching rules resolved against those specs.
 */
export async function checkRunConfig(config: RunConfig): Promise<ConfigCheck> {
  const controlDt = 1 / config.loop.rateHz;
  const context = { baseDir: config.baseDir, controlDt, seed: config.seed };
  const parts = await createControlParts(config, context);
  try {
    const info = await describeRobot(config, context);
    if (info) await assembleControl(config, info, parts, new EventBuffer(), controlDt);
    const task = await taskOfConfig(config);
    if (task && info) checkTaskAgainstRobot(config, task, info, config.loop.rateHz);
    return { robot: info, controllers: parts.controllers.map((c) => c.name) };
  } finally {
    await disposeParts(parts);
  }
}
