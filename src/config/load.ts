import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { controllerPlugins } from '../../controllers/registry.ts';
import { robotPlugins } from '../robots/registry.ts';
import { ConfigError, type ConfigProblem, problemsFromZod } from './errors.ts';
import type { ControllerPlugin, Plugin, RobotPlugin } from './plugin.ts';
import { type LoopOptions, type RawRunConfig, runConfigSchema } from './schema.ts';

/** A run config after every section has been validated by its own schema. */
export interface RunConfig {
  readonly file: string;
  readonly baseDir: string;
  readonly name: string;
  readonly duration: number | undefined;
  readonly seed: number;
  readonly robot: { readonly plugin: RobotPlugin; readonly options: unknown };
  readonly controller: { readonly plugin: ControllerPlugin; readonly options: unknown };
  readonly loop: LoopOptions;
  readonly safety: Record<string, unknown>;
  readonly log: { readonly path?: string | undefined };
  /** The parsed YAML as written, stored in logs for provenance. */
  readonly source: unknown;
}

export function loadRunConfig(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: [], message: `cannot read file (${(error as Error).message})` }]);
  }
  return parseRunConfig(text, file);
}

/** Parses and validates a run config; every problem is reported at once, with its line. */
export function parseRunConfig(text: string, file: string): RunConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new ConfigError(
      file,
      document.errors.map((e) => {
        const position = lineCounter.linePos(e.pos[0]);
        return {
          path: [],
          message: `YAML syntax: ${e.message.split('\n')[0]}`,
          ...position,
          column: position.col,
        };
      }),
    );
  }
  const source: unknown = document.toJS();
  const locate = (problems: ConfigProblem[]): ConfigProblem[] =>
    problems.map((p) => ({ ...p, ...positionOf(document.contents, p.path, lineCounter) }));

  const top = runConfigSchema.safeParse(source ?? {}, { reportInput: true });
  if (!top.success) throw new ConfigError(file, locate(problemsFromZod(top.error)));
  const raw: RawRunConfig = top.data;

  const problems: ConfigProblem[] = [];
  const robot = resolvePlugin('robot', raw.robot, robotPlugins, problems);
  const controller = resolvePlugin('controller', raw.controller, controllerPlugins, problems);
  if (problems.length > 0 || !robot || !controller) throw new ConfigError(file, locate(problems));

  return {
    file,
    baseDir: dirname(resolve(file)),
    name: raw.name ?? `${robot.plugin.kind}-${controller.plugin.kind}`,
    duration: raw.duration,
    seed: raw.seed,
    robot,
    controller,
    loop: raw.loop,
    safety: raw.safety,
    log: raw.log,
    source,
  };
}

function resolvePlugin<P extends Plugin<unknown, unknown>>(
  section: string,
  value: { kind: string } & Record<string, unknown>,
  plugins: readonly P[],
  problems: ConfigProblem[],
): { plugin: P; options: unknown } | undefined {
  const plugin = plugins.find((p) => p.kind === value.kind);
  if (!plugin) {
    const known = plugins.map((p) => p.kind).join(' | ') || '(none registered)';
    problems.push({
      path: [section, 'kind'],
      message: `unknown ${section} kind '${value.kind}', expected one of ${known}`,
    });
    return undefined;
  }
  const { kind: _kind, ...options } = value;
  const parsed = (plugin.schema as z.ZodType).safeParse(options, { reportInput: true });
  if (!parsed.success) {
    problems.push(...problemsFromZod(parsed.error, [section]));
    return undefined;
  }
  return { plugin, options: parsed.data };
}

/** Line and column of the deepest YAML node that exists along `path`. */
function positionOf(
  root: Node | null,
  path: readonly (string | number)[],
  lineCounter: LineCounter,
): { line?: number; column?: number } {
  let node: unknown = root;
  let found: { range?: [number, number, number] | null } | undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key);
      if (!pair) break;
      found = (pair.key as { range?: [number, number, number] }) ?? found;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      found = node as typeof found;
    } else break;
  }
  const offset = found?.range?.[0] ?? (root as { range?: [number, number, number] } | null)?.range?.[0];
  if (offset === undefined) return {};
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}
