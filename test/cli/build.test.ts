import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../app/cli/commands/index.ts';
import { builtSnapshot, linkPackage } from '../../bench/package-snapshot.ts';
import { readLog } from '../../src/logging/reader.ts';
import { childEntry, workerEntry } from '../../src/runtime/entry-points.ts';

const repo = join(import.meta.dirname, '../..');
const fallback = 'running the TypeScript sources through tsx';

/**
 * The compiled CLI (npm run build → dist/), in a built copy of the package whose node_modules
 * lacks tsx: it must start, find its assets and start its workers with no TypeScript loader. Then
 * tsx comes back and a source is edited: the stale dist/ must not run.
 */
describe('the compiled CLI', () => {
  let root: string;
  const tether = (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const result = spawnSync(process.execPath, [join(root, 'bin/tether.mjs'), ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, TETHER_FROM_SOURCE: '', TETHER_DEBUG: '', ...env },
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  beforeAll(() => {
    mkdirSync(join(repo, '.tmp'), { recursive: true });
    root = builtSnapshot(repo, join(repo, '.tmp'), ['tsx']);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists every command from dist/ without tsx installed', () => {
    const help = tether(['--help'], { TETHER_DEBUG: '1' });
    expect(help.stderr).toBe('');
    expect(help.code).toBe(0);
    for (const { name } of commands) expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('runs a shipped config: the MuJoCo model found from dist/, every tick logged by the compiled writer thread', async () => {
    const log = join(root, 'run.mcap');
    const run = tether(['run', 'configs/cartpole.yaml', '--fast', '--duration', '0.2', '--log', log]);
    expect(run.stderr).not.toContain(fallback);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('cartpole-lqr: 10 ticks');
    expect((await readLog(log)).ticks.count).toBe(10);
  });

  it('checks fresh, then refuses a dist/ that is not what the sources compile to', () => {
    const check = () =>
      spawnSync(process.execPath, ['scripts/build.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(check().status).toBe(0);
    writeFileSync(join(root, 'dist/app/cli/format.js'), '// edited by hand\n');
    const stale = check();
    expect(stale.status).toBe(1);
    expect(stale.stderr).toContain('dist/app/cli/format.js');
    expect(stale.stderr).toContain('Run `npm run build` and commit dist/.');
  });

  it('falls back to the edited sources through tsx when they no longer match the stamp, saying why only when asked', () => {
    linkPackage(repo, root, 'tsx');
    const main = join(root, 'app/cli/main.ts');
    writeFileSync(main, readFileSync(main, 'utf8').replace('Tie learned', 'Edited. Tie learned'));
    const quiet = tether(['--help']);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toContain('Edited. Tie learned');
    const told = tether(['--help'], { TETHER_DEBUG: '1' });
    expect(told.stderr).toBe(
      `tether: ${fallback} (slower start): app/cli/main.ts changed since dist/ was built; \`npm run build\` compiles them\n`,
    );
    expect(told.stdout).toContain('Edited. Tie learned');
  });
});

describe('worker entry points', () => {
  const source = { url: 'file:///pkg/src/live/server.ts' } as ImportMeta;
  const compiled = { url: 'file:///pkg/dist/src/live/server.js' } as ImportMeta;

  it('start the tsx bootstrap from the sources and the compiled module from dist/', () => {
    expect(workerEntry(source, './endpoint-worker.ts', './endpoint-worker.mjs').href).toBe(
      'file:///pkg/src/live/endpoint-worker.mjs',
    );
    expect(workerEntry(compiled, './endpoint-worker.ts', './endpoint-worker.mjs').href).toBe(
      'file:///pkg/dist/src/live/endpoint-worker.js',
    );
  });

  it('fork the TypeScript module under tsx, the compiled one with no loader', () => {
    expect(childEntry(source, './seed-worker.ts')).toEqual({
      modulePath: '/pkg/src/live/seed-worker.ts',
      execArgv: ['--import', 'tsx'],
    });
    expect(childEntry(compiled, './seed-worker.ts')).toEqual({
      modulePath: '/pkg/dist/src/live/seed-worker.js',
      execArgv: [],
    });
  });
});
