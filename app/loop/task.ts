/**
 * The task a run log is an attempt at, resolved through the environment plugins: the same
 * `{ kind, ...options }` section that a training config calls `environment:` and a run config
 * `task:`. Its real side supplies the reward, the terminal condition, the action map, the signals a
 * log must record, the rate and the horizon, so run logs become datasets of that task.
 */
import path from 'node:path';
import { ConfigDocument } from '../../src/config/document.ts';
import { ConfigError } from '../../src/config/errors.ts';
import type { EnvironmentPair } from '../../src/core/environment.ts';
import { DatasetError, type DatasetTask } from '../../src/learning/log-dataset.ts';
import { TaskError, taskOfPair } from '../../src/loop/task-outcome.ts';
import { environmentPlugins } from '../plugins.ts';

/** A task section: an environment plugin's kind and its options. */
export interface TaskSection {
  readonly kind: string;
  readonly [option: string]: unknown;
}

/** Where a task section came from, for messages. */
export interface TaskOrigin {
  readonly what: string;
  /** Directory its relative paths resolve against. */
  readonly baseDir: string;
}

/** Validates a task section with its plugin's schema and makes the environment pair. */
export async function pairOfTask(section: unknown, origin: TaskOrigin): Promise<EnvironmentPair> {
  if (typeof section !== 'object' || section === null || typeof (section as TaskSection).kind !== 'string')
    throw new DatasetError(`${origin.what}: a task needs a 'kind' naming an environment plugin`);
  const { kind, ...options } = section as TaskSection;
  const plugin = environmentPlugins.find((p) => p.kind === kind);
  if (plugin === undefined)
    throw new DatasetError(
      `${origin.what}: unknown task kind '${kind}' (known: ${environmentPlugins.map((p) => p.kind).join(', ')})`,
    );
  const parsed = plugin.schema.safeParse(options);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || kind}: ${i.message}`).join('; ');
    throw new DatasetError(`${origin.what}: task ${kind}: ${issues}`);
  }
  return plugin.create(parsed.data, { baseDir: origin.baseDir });
}

/** The dataset view of a task: built from the pair's real side (specs, rate, horizon). */
export async function datasetTaskOf(section: unknown, origin: TaskOrigin): Promise<DatasetTask> {
  const pair = await pairOfTask(section, origin);
  try {
    return await taskOfPair(pair, section);
  } catch (error) {
    if (error instanceof TaskError) throw new DatasetError(`${origin.what}: ${error.message}`);
    throw error;
  }
}

/**
 * The task section of a config file: `environment:` of a training config or `task:` of a run or
 * loop config. Relative paths in it resolve against that file.
 */
export function taskSectionOfFile(file: string): { section: unknown; origin: TaskOrigin } {
  const doc = ConfigDocument.read(file);
  const source = doc.source as Record<string, unknown>;
  const section = source['task'] ?? source['environment'];
  if (section === undefined)
    throw new ConfigError(file, [
      {
        path: [],
        message: 'no task here: expected a training config (environment:) or a run config with task:',
      },
    ]);
  return { section, origin: { what: file, baseDir: path.dirname(path.resolve(file)) } };
}
