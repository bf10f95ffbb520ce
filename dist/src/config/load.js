// Compiled from src/config/load.ts by `npm run build`: edit the source, not this file.

// src/config/load.ts
import { safetyOptionsSchema } from "../safety/safety-layer.js";
import { ConfigDocument } from "./document.js";
import {
  runConfigSchema
} from "./schema.js";
function loadRunConfig(file, plugins) {
  return runConfigOf(ConfigDocument.read(file), plugins);
}
function parseRunConfig(text, file, plugins) {
  return runConfigOf(ConfigDocument.parse(text, file), plugins);
}
function runConfigOf(doc, plugins) {
  const raw = doc.validate(runConfigSchema, doc.source);
  doc.throwIfProblems();
  if (!raw) throw new Error("unreachable: validation failed without problems");
  const robot = resolvePlugin(doc, ["robot"], raw.robot, plugins.robots, "robot");
  const controllers = controllerEntries(doc, raw, plugins.controllers);
  const safety = doc.validate(safetyOptionsSchema, raw.safety ?? {}, ["safety"]);
  const names = controllers.map((c) => c.name);
  const known = (name, path) => {
    if (name !== void 0 && controllers.length > 0 && !names.includes(name))
      doc.report(path, `no controller named '${name}' (configured: ${names.join(", ")})`);
  };
  const switching = raw.switching;
  known(switching?.initial, ["switching", "initial"]);
  known(switching?.fallback, ["switching", "fallback"]);
  switching?.rules.forEach((rule, i) => {
    known(rule.from, ["switching", "rules", i, "from"]);
    known(rule.to, ["switching", "rules", i, "to"]);
    for (const [signal, [lo, hi]] of Object.entries(rule.when ?? {}))
      if (!(lo <= hi)) doc.report(["switching", "rules", i, "when", signal], `lower ${lo} > upper ${hi}`);
  });
  const guard = switching?.guard === void 0 ? void 0 : resolvePlugin(doc, ["switching", "guard"], switching.guard, plugins.guards, "guard");
  const taskPlugin = raw.task === void 0 ? void 0 : resolvePlugin(doc, ["task"], raw.task, plugins.environments, "task (environment)");
  const initial = switching?.initial ?? names[0];
  if (switching?.fallback !== void 0 && switching.fallback === initial && controllers.length === 1)
    doc.report(["switching", "fallback"], "the fallback must be another controller than the one it replaces");
  doc.throwIfProblems();
  if (!robot || !safety || initial === void 0) throw new Error("unreachable: unreported problem");
  return {
    file: doc.file,
    baseDir: doc.baseDir,
    name: raw.name ?? `${robot.plugin.kind}-${controllers.map((c) => c.plugin.kind).join("-")}`,
    duration: raw.duration,
    seed: raw.seed,
    robot,
    controllers,
    switching: { initial, fallback: switching?.fallback, rules: switching?.rules ?? [], guard },
    loop: raw.loop,
    commands: raw.commands ?? {},
    safety,
    log: { path: raw.log.path === void 0 ? void 0 : doc.resolvePath(raw.log.path) },
    operator: raw.operator,
    live: raw.live,
    task: taskPlugin === void 0 ? void 0 : { ...taskPlugin, baseDir: doc.baseDir, section: raw.task },
    source: doc.source,
    document: doc
  };
}
function controllerEntries(doc, raw, plugins) {
  if (raw.controller === void 0 === (raw.controllers === void 0)) {
    doc.report(
      raw.controller === void 0 ? [] : ["controllers"],
      "give either `controller:` (one controller) or `controllers:` (named controllers), not both or neither"
    );
    return [];
  }
  const sections = raw.controller !== void 0 ? [[raw.controller.kind, raw.controller, ["controller"]]] : Object.entries(raw.controllers ?? {}).map(([name, section]) => [
    name,
    section,
    ["controllers", name]
  ]);
  if (sections.length === 0) doc.report(["controllers"], "expected at least one controller");
  const entries = [];
  for (const [name, section, path] of sections) {
    const resolved = resolvePlugin(doc, path, section, plugins, "controller");
    if (resolved) entries.push({ name, ...resolved, path });
  }
  return entries;
}
function resolvePlugin(doc, path, value, plugins, what) {
  const plugin = plugins.find((p) => p.kind === value.kind);
  if (!plugin) {
    const known = plugins.map((p) => p.kind).join(" | ") || "(none registered)";
    doc.report([...path, "kind"], `unknown ${what} kind '${value.kind}', expected one of ${known}`);
    return void 0;
  }
  const { kind: _kind, ...options } = value;
  const parsed = doc.validate(plugin.schema, options, path);
  return parsed === void 0 ? void 0 : { plugin, options: parsed };
}
export {
  loadRunConfig,
  parseRunConfig
};
