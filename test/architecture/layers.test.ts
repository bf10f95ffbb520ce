import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const depcruise = join(repo, 'node_modules/.bin/depcruise');
const rules = join(repo, '.dependency-cruiser.cjs');

/** Runs the layering check (`npm run lint:layers`) on a small tree written for the test. */
function cruise(files: Record<string, string>): { code: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tether-layers-'));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true } }),
  );
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const folders = [...new Set(Object.keys(files).map((f) => f.split('/')[0]!))];
  const run = spawnSync(depcruise, [...folders, '--config', rules], { cwd: dir, encoding: 'utf8' });
  // A CI runner may force colour on; the report's words are what the assertions read.
  return { code: run.status, output: stripVTControlCharacters(run.stdout + run.stderr) };
}

describe('the layering rules CI enforces', () => {
  it('pass a tree that only imports downwards', () => {
    const result = cruise({
      'src/core.ts': 'export const x = 1;\n',
      'sim/model.ts': "import { x } from '../src/core.ts';\nexport const y = x;\n",
      'app/plugins.ts': "import { y } from '../sim/model.ts';\nexport const z = y;\n",
    });
    expect(result.output).toMatch(/no dependency violations/);
    expect(result.code).toBe(0);
  });

  it('fail when the library imports a plugin', () => {
    const result = cruise({
      'src/config.ts': "import { y } from '../sim/model.ts';\nexport const x = y;\n",
      'sim/model.ts': 'export const y = 1;\n',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/src:library: src\/config\.ts → sim\/model\.ts/);
  });

  it('fail on an import cycle', () => {
    const result = cruise({
      'src/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/no-cycles/);
  });

  it('fail when a controller reaches into the hardware plugins', () => {
    const result = cruise({
      'controllers/lqr.ts': "import { link } from '../hardware/link.ts';\nexport const c = link;\n",
      'hardware/link.ts': 'export const link = 1;\n',
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/controllers:plugins/);
  });
});
