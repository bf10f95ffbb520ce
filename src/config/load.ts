import type { SafetyOptions } from '../safety/safety-layer.ts';
import { safetyOptionsSchema } from '../safety/safety-layer.ts';
import { ConfigDocument } from './document.ts';
import type {
  ControllerPlugin,
  EnvironmentPlugin,
  GuardPlugin,
  Plugin,
  PluginSet,
  RobotPlugin,
} from './plugin.ts';
import {
  type CommandChannelOptions,
  type LiveOptions,
  type LoopOptions,
  type OperatorOptions,
  type RawRunConfig,
  runConfigSchema,
  type SwitchRuleOptions,
} from './schema.ts';

/** One named controller of a run, validated by its plugin's schema. */
export interface ControllerEntry {
  readonly name: string;
  readonly plugin: ControllerPlugin;
  readonly options: unknown;
  /** Key path of its section in the file, for located errors found later (e.g. by `config check`). */
  readonly path: readonly (string | number)[];
}

/** The task of a run: an environment plugin and its options, made into an `EnvironmentPair` at run time. */
export interface TaskEntry {
  readonly plugin: EnvironmentPlugin;
  readonly options: unknown;
  /** Its relative paths resolve against this directory (the file that wrote the section). */
  readonly baseDir: string;
  /** The section as written, logged with the run. */
  readonly section: unknown;
}

/** A run config after every section has been validated by its own schema. */
export interface RunConfig {
  readonly file: string;
  /** Directory of the config file: every relative path in the config resolves against it. */
  readonly baseDir: string;
  readonly name: string;
  readonly duration: number | undefined;
  readonly seed: number;
  readonly robot: { readonly plugin: RobotPlugin; readonly options: unknown };
  /** In the order written; `switching.initial` names the one active at start. */
  readonly controllers: readonly ControllerEntry[];
  readonly switching: {
    readonly initial: string;
    readonly fallback: string | undefined;
    readonly rules: readonly SwitchRuleOptions[];
    readonly guard: { readonly plugin: GuardPlugin; readonly options: unknown } | undefined;
  };
  readonly loop: LoopOptions;
  /** Command channels (`commands:`), by name; empty when the config has none. */
  readonly commands: Readonly<Record<string, CommandChannelOptions>>;
  readonly safety: SafetyOptions;
  /** `path` is absolute (resolved against the config file). */
  readonly log: { readonly path?: string | undefined };
  readonly operator: OperatorOptions;
  /** The live view (`live:`); undefined when the config has no such section. */
  readonly live: LiveOptions | undefined;
  /** The task (`task:`), validated by its environment plugin; undefined when the config has none. */
  readonly task: TaskEntry | undefined;
  /** The parsed YAML as written, stored in logs for provenance. */
  readonly source: unknown;
  /** The document, to locate problems found after loading (signal names, contract mismatches). */
  readonly document: ConfigDocument;
}

export function loadRunConfig(file: string, plugins: PluginSet): RunConfig {
  return runConfigOf(ConfigDocument.read(file), plugins);
}

/** Parses and validates a run config; every problem is reported at once, with its line. */
export function parseRunConfig(text: string, file: string, plugins: PluginSet): RunConfig {
  return runConfigOf(ConfigDocument.parse(text, file), plugins);
}

function runConfigOf(doc: ConfigDocument, plugins: PluginSet): RunConfig {
  const raw: RawRunConfig | undefined = doc.validate(runConfigSchema, doc.source);
  doc.throwIfProblems();
  if (!raw) throw new Error('unreachable: validation failed without problems');

  const robot = resolvePlugin(doc, ['robot'], raw.robot, plugins.robots, 'robot');
  const controllers = controllerEntries(doc, raw, plugins.controllers);
  const safety = doc.validate(safetyOptionsSchema, raw.safety ?? {}, ['safety']);
  const names = controllers.map((c) => c.name);
  const known = (name: string | undefined, path: (string | number)[]): void => {
    if (name !== undefined && controllers.length > 0 && !names.includes(name))
      doc.report(path, `no controller named '${name}' (configured: ${names.join(', ')})`);
  };
  const switching = raw.switching;
  known(switching?.initial, ['switching', 'initial']);
  known(switching?.fallback, ['switching', 'fallback']);
  switching?.rules.forEach((rule, i) => {
    known(rule.from, ['switching', 'rules', i, 'from']);
    known(rule.to, ['switching', 'rules', i, 'to']);
    for (const [signal, [lo, hi]] of Object.entries(rule.when ?? {}))
      if (!(lo <= hi)) doc.report(['switching', 'rules', i, 'when', signal], `lower ${lo} > upper ${hi}`);
  });
  const guard =
    switching?.guard === undefined
      ? undefined
      : resolvePlugin(doc, ['switching', 'guard'], switching.guard, plugins.guards, 'guard');
  const taskPlugin =
    raw.task === undefined
      ? undefined
      : resolvePlugin(doc, ['task'], raw.task, plugins.environments, 'task (environment)');
  const initial = switching?.initial ?? names[0];
  if (switching?.fallback !== undefined && switching.fallback === initial && controllers.length === 1)
    doc.report(['switching', 'fallback'], 'the fallback must be another controller than the one it replaces');
  doc.throwIfProblems();
  if (!robot || !safety || initial === undefined) throw new Error('unreachable: unreported problem');

  return {
    file: doc.file,
    baseDir: doc.baseDir,
    name: raw.name ?? `${robot.plugin.kind}-${controllers.map((c) => c.plugin.kind).join('-')}`,
    duration: raw.duration,
    seed: raw.seed,
    robot,
    controllers,
    switching: { initial, fallback: switching?.fallback, rules: switching?.rules ?? [], guard },
    loop: raw.loop,
    commands: raw.commands ?? {},
    safety,
    log: { path: raw.log.path === undefined ? undefined : doc.resolvePath(raw.log.path) },
    operator: raw.operator,
    live: raw.live,
    task: taskPlugin === undefined ? undefined : { ...taskPlugin, baseDir: doc.baseDir, section: raw.task },
    source: doc.source,
    document: doc,
  };
}

function controllerEntries(
  doc: ConfigDocument,
  raw: RawRunConfig,
  plugins: readonly ControllerPlugin[],
): ControllerEntry[] {
  if ((raw.controller === undefined) === (raw.controllers === undefined)) {
    doc.report(
      raw.controller === undefined ? [] : ['controllers'],
      'give either `controller:` (one controller) or `controllers:` (named controllers), not both or neither',
    );
    return [];
  }
  const sections: [string, { kind: string } & Record<string, unknown>, (string | number)[]][] =
    raw.controller !== undefined
      ? [[raw.controller.kind, raw.controller, ['controller']]]
      : Object.entries(raw.controllers ?? {}).map(([name, section]) => [
          name,
          section,
          ['controllers', name],
        ]);
  if (sections.length === 0) doc.report(['controllers'], 'expected at least one controller');
  const entries: ControllerEntry[] = [];
  for (const [name, section, path] of sections) {
    const resolved = resolvePlugin(doc, path, section, plugins, 'controller');
    if (resolved) entries.push({ name, ...resolved, path });
  }
  return entries;
}

function resolvePlugin<P extends Plugin<unknown, unknown>>(
  doc: ConfigDocument,
  path: (string | number)[],
  value: { kind: string } & Record<string, unknown>,
  plugins: readonly P[],
  what: string,
): { plugin: P; options: unknown } | undefined {
  const plugin = plugins.find((p) => p.kind === value.kind);
  if (!plugin) {
    const known = plugins.map((p) => p.kind).join(' | ') || '(none registered)';
    doc.report([...path, 'kind'], `unknown ${what} kind '${value.kind}', expected one of ${known}`);
    return undefined;
  }
  const { kind: _kind, ...options } = value;
  const parsed = doc.validate(plugin.schema, options, path);
  return parsed === undefined ? undefined : { plugin, options: parsed };
}
