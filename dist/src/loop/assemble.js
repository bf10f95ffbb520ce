// Compiled from src/loop/assemble.ts by `npm run build`: edit the source, not this file.

// src/loop/assemble.ts
import { ConfigError } from "../config/errors.js";
import { CommandBoard } from "../core/commands.js";
import { EventBuffer } from "../core/events.js";
import { createSafetyLayer } from "../safety/safety-layer.js";
import { ControllerManager } from "./controller-manager.js";
import { checkTaskAgainstRobot, taskOfConfig } from "./task-outcome.js";
async function createControlParts(config, context) {
  const controllers = [];
  let guard;
  try {
    for (const entry of config.controllers) {
      const controller = await locate(config, entry.path, () => entry.plugin.create(entry.options, context));
      controllers.push({ name: entry.name, controller });
    }
    const guardSection = config.switching.guard;
    if (guardSection)
      guard = await locate(
        config,
        ["switching", "guard"],
        () => guardSection.plugin.create(guardSection.options, context)
      );
    return { controllers, guard };
  } catch (error) {
    await disposeParts({ controllers, guard });
    throw error;
  }
}
async function assembleControl(config, info, parts, events, controlDt, mode = config.loop.mode) {
  const { controllers, guard } = parts;
  const { observation, action } = info;
  const doc = config.document;
  const rate = config.loop.rateHz;
  const { minRateHz, maxRateHz } = info.capabilities;
  if (rate < minRateHz || rate > maxRateHz)
    doc.report(
      ["loop", "rateHz"],
      `${rate} Hz is outside what ${info.name} accepts (${minRateHz}–${maxRateHz} Hz)`
    );
  const signals = observation.signals.map((s) => s.name);
  const unknownSignal = (name, path) => {
    if (!signals.includes(name))
      doc.report(path, `no observation '${name}' on ${info.name} (known: ${signals.join(", ")})`);
  };
  for (const name of Object.keys(config.safety.observationLimits ?? {}))
    unknownSignal(name, ["safety", "observationLimits", name]);
  config.switching.rules.forEach((rule, i) => {
    for (const name of Object.keys(rule.when ?? {}))
      unknownSignal(name, ["switching", "rules", i, "when", name]);
  });
  let safety;
  if (!doc.hasProblems) {
    try {
      safety = createSafetyLayer(config.safety, action, observation, events);
    } catch (error) {
      doc.report(["safety"], error.message);
    }
  }
  const manager = new ControllerManager(controllers, {
    initial: config.switching.initial,
    fallback: config.switching.fallback,
    rules: config.switching.rules,
    guard
  });
  let commands = new CommandBoard();
  try {
    commands = new CommandBoard(config.commands);
  } catch (error) {
    doc.report(["commands"], error.message);
  }
  commands.bind(events);
  const context = {
    observation,
    action,
    dt: controlDt,
    events,
    realtime: mode === "realtime",
    commands,
    robot: info
  };
  for (const { name, controller } of controllers) {
    const entry = config.controllers.find((c) => c.name === name);
    try {
      await controller.configure(context);
    } catch (error) {
      doc.report(entry.path, error.message);
    }
  }
  if (guard?.configure) {
    try {
      await guard.configure({
        ...context,
        controllers: manager.names,
        controllerInstances: new Map(controllers.map((c) => [c.name, c.controller]))
      });
    } catch (error) {
      doc.report(["switching", "guard"], error.message);
    }
  }
  if (!doc.hasProblems) {
    try {
      manager.bind(context);
    } catch (error) {
      doc.report(["switching"], error.message);
    }
  }
  doc.throwIfProblems();
  return { manager, safety, commands };
}
async function locate(config, path, make) {
  try {
    return await make();
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    config.document.report(path, error.message);
    config.document.throwIfProblems();
    throw error;
  }
}
async function disposeParts(parts) {
  const all = [...parts.controllers.map((c) => c.controller)];
  if (parts.guard) all.push(parts.guard);
  for (const part of all) await Promise.resolve(part.dispose?.()).catch(() => void 0);
}
async function describeRobot(config, context) {
  const { plugin, options } = config.robot;
  if (!plugin.describe) return void 0;
  return locate(config, ["robot"], () => plugin.describe(options, context));
}
function checkPresentedSpecs(config, expected, actual) {
  const problems = [];
  const compare = (what, a, b) => {
    const names = (v) => v.signals.map((s) => s.name).join(", ");
    if (names(a) !== names(b)) {
      problems.push(`${what} signals: expected [${names(a)}], the robot presents [${names(b)}]`);
      return;
    }
    a.signals.forEach((s, i) => {
      const t = b.signals[i];
      if (s.unit !== t.unit)
        problems.push(`${what} '${s.name}': expected unit ${s.unit}, the robot uses ${t.unit}`);
      else if (s.lower !== t.lower || s.upper !== t.upper)
        problems.push(
          `${what} '${s.name}': expected limits [${s.lower}, ${s.upper}], the robot presents [${t.lower}, ${t.upper}]`
        );
    });
  };
  compare("observation", expected.observation, actual.observation);
  compare("action", expected.action, actual.action);
  if (expected.action.mode !== actual.action.mode)
    problems.push(`command mode: expected ${expected.action.mode}, the robot takes ${actual.action.mode}`);
  for (const p of problems) config.document.report(["robot"], `${actual.name}: ${p}`);
  config.document.throwIfProblems();
}
async function checkRunConfig(config) {
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
export {
  assembleControl,
  checkPresentedSpecs,
  checkRunConfig,
  createControlParts,
  describeRobot,
  disposeParts
};
