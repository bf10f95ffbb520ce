import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import { plugins } from '../../app/plugins.ts';
import { loadRunConfig } from '../../src/config/load.ts';
import type { PluginSet } from '../../src/config/plugin.ts';
import { type RunHooks, type RunResult, runFromConfig } from '../../src/loop/runner.ts';

/**
 * A temporary folder for the calling test file: made before its tests run and removed after them.
 * Read `path` from inside hooks and tests (it is empty until then).
 */
export function temporaryFolder(prefix: string): { readonly path: string } {
  const folder = { path: '' };
  beforeAll(() => {
    folder.path = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  });
  afterAll(() => rmSync(folder.path, { recursive: true, force: true }));
  return folder;
}

/**
 * Writes `config` to `<folder>/<name>.yaml` and runs it from that file (as `tether run` would, so
 * its relative paths resolve against the folder) for `seconds`, with `hooks` and `pluginSet`.
 */
export async function runConfigFile(
  folder: string,
  name: string,
  config: Record<string, unknown>,
  seconds: number,
  hooks: RunHooks = {},
  pluginSet: PluginSet = plugins,
): Promise<RunResult> {
  const file = path.join(folder, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return runFromConfig(loadRunConfig(file, pluginSet), { duration: seconds }, hooks);
}

/**
 * A shipped config with its `../controllers/` paths made absolute and `edit` applied, written to
 * `<folder>/<name>.yaml` (so it can live outside configs/); returns the file.
 */
export function shippedConfigVariant(
  shipped: string,
  repo: string,
  folder: string,
  name: string,
  edit: (text: string) => string,
): string {
  const text = edit(readFileSync(shipped, 'utf8').replaceAll('../controllers/', `${repo}/controllers/`));
  const file = path.join(folder, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}
