/**
 * How fast the `tether` CLI starts: `tether --help` wall time, and the time from spawning
 * `tether run` to its first tick, for the compiled CLI (dist/, `npm run build`) and for the
 * TypeScript sources under tsx (TETHER_FROM_SOURCE=1, which is what bin/tether.mjs always ran
 * before dist/ existed), with tsx's compile cache warm and cold (a fresh TMPDIR per run).
 *
 * The first tick is read from the run's own MCAP log: the wall clock at which the log writer took
 * tick 0 from the ring (normally well under a millisecond after the loop produced it), minus the
 * wall clock just before the process was spawned. So it includes Node's start, loading the CLI,
 * the config, MuJoCo's WASM, the controller and the log writer's thread: everything a user waits
 * for. Runs alternate between the variants so a busy machine's load falls on all of them alike.
 *
 *   npm run bench:startup [-- --runs 15]
 *
 * It measures a copy of the package as it is when the benchmark starts, built there
 * (bench/package-snapshot.ts), so edits to the working tree meanwhile cannot make dist/ stale
 * halfway; a compiled run that fell back to tsx anyway is refused.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLog } from '../src/logging/reader.ts';
import { builtSnapshot } from './package-snapshot.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

const repo = join(import.meta.dirname, '..');
mkdirSync(join(repo, '.tmp'), { recursive: true });
// In the repository's own (ignored) .tmp/: the same file system as a checkout.
const snapshot = builtSnapshot(repo, join(repo, '.tmp'));
const cli = join(snapshot, 'bin/tether.mjs');
const config = 'configs/cartpole.yaml';
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
if (!(Number.isInteger(runs) && runs >= 3)) throw new Error(`--runs: expected an integer ≥ 3, got ${runs}`);
const targets = { helpSeconds: 0.3, firstTickSeconds: 1 };

type Variant = 'compiled' | 'tsx warm cache' | 'tsx cold cache';
const variants: readonly Variant[] = ['compiled', 'tsx warm cache', 'tsx cold cache'];

const scratch = mkdtempSync(join(tmpdir(), 'tether-startup-'));
const warmTmp = join(scratch, 'warm');
mkdirSync(warmTmp);

function environment(variant: Variant): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TETHER_DEBUG: '1' };
  delete env['TETHER_FROM_SOURCE'];
  if (variant === 'compiled') return env;
  env['TETHER_FROM_SOURCE'] = '1';
  // tsx keeps its compile cache under os.tmpdir(): a fresh folder per run is a cold cache.
  env['TMPDIR'] = variant === 'tsx warm cache' ? warmTmp : mkdtempSync(join(scratch, 'cold-'));
  return env;
}

interface Spawned {
  startedMs: number;
  wallSeconds: number;
  stdout: string;
  stderr: string;
}

function runCli(args: readonly string[], variant: Variant): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const env = environment(variant);
    const startedMs = performance.timeOrigin + performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: snapshot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wallSeconds = (performance.timeOrigin + performance.now() - startedMs) / 1000;
      if (variant !== 'compiled' && env['TMPDIR'] !== warmTmp) rmSync(env['TMPDIR']!, { recursive: true });
      if (code !== 0) reject(new Error(`tether ${args.join(' ')} (${variant}) exited ${code}: ${stderr}`));
      // With TETHER_DEBUG the CLI says when it falls back to tsx: a compiled row must not have.
      else if (variant === 'compiled' && stderr.includes('through tsx'))
        reject(
          new Error(`the compiled CLI fell back to tsx (${stderr.trim()}): run \`npm run build\` first`),
        );
      else resolve({ startedMs, wallSeconds, stdout, stderr });
    });
  });
}

/** Node's own start and exit, for scale: no CLI can start faster on this machine at this load. */
function nodeSeconds(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve((performance.now() - started) / 1000));
  });
}

async function helpSeconds(variant: Variant): Promise<number> {
  const result = await runCli(['--help'], variant);
  if (!result.stdout.includes('Commands:')) throw new Error(`tether --help (${variant}) listed no commands`);
  return result.wallSeconds;
}

async function firstTickSeconds(variant: Variant, clock: '--fast' | '--realtime'): Promise<number> {
  const log = join(scratch, `run-${clock.slice(2)}.mcap`);
  const result = await runCli(['run', config, clock, '--duration', '0.1', '--log', log], variant);
  const ticks = (await readLog(log)).ticks;
  if (ticks.count === 0) throw new Error(`tether run (${variant}, ${clock}) logged no tick`);
  return ticks.wallTime[0]! - result.startedMs / 1000;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
  return {
    n: sorted.length,
    median: at(0.5),
    p90: at(0.9),
    max: sorted[sorted.length - 1]!,
    seconds: values,
  };
}

/**
 * What bin/tether.mjs spends deciding whether dist/ matches the sources, as it pays it: the first
 * check in a fresh process (reading and hashing every input, crypto's start included).
 */
function stampCheckMs() {
  const probe = `const { checkStamp } = await import(${JSON.stringify(join(snapshot, 'bin/build-stamp.mjs'))});
    const t = performance.now(); const r = checkStamp(${JSON.stringify(snapshot)});
    if (!r.fresh) throw new Error(r.reason); console.log(performance.now() - t);`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++)
    times.push(
      Number(execFileSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' })),
    );
  return summary(times);
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  // One untimed run per variant: fills tsx's warm cache and the OS file cache alike.
  for (const v of variants) await firstTickSeconds(v, '--fast');

  const help = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const fast = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const realtime = new Map<Variant, number[]>(variants.map((v) => [v, []]));
  const bareNode: number[] = [];
  for (let i = 0; i < runs; i++) {
    bareNode.push(await nodeSeconds());
    for (const v of variants) help.get(v)!.push(await helpSeconds(v));
    for (const v of variants) fast.get(v)!.push(await firstTickSeconds(v, '--fast'));
    for (const v of variants) realtime.get(v)!.push(await firstTickSeconds(v, '--realtime'));
    process.stderr.write(`\r${i + 1}/${runs} rounds`);
  }
  process.stderr.write('\n');
  const stamp = stampCheckMs();

  const rows = [
    { what: 'node -e 0 (Node itself, for scale)', variant: 'node', target: Number.NaN, ...summary(bareNode) },
    ...variants.map((v) => ({
      what: 'tether --help',
      variant: v,
      target: targets.helpSeconds,
      ...summary(help.get(v)!),
    })),
    ...variants.map((v) => ({
      what: 'tether run: first tick, virtual clock (--fast)',
      variant: v,
      target: targets.firstTickSeconds,
      ...summary(fast.get(v)!),
    })),
    ...variants.map((v) => ({
      what: 'tether run: first tick, real clock (--realtime)',
      variant: v,
      target: targets.firstTickSeconds,
      ...summary(realtime.get(v)!),
    })),
  ];
  const info = machineInfo();
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  writeFileSync(
    resultsPath('startup.json'),
    `${JSON.stringify(
      {
        ...info,
        loadAverageBefore: loadBefore,
        commit: git('rev-parse', '--short', 'HEAD'),
        uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '',
        config,
        method:
          'a copy of the package built with npm run build; wall seconds from just before spawn: --help until exit; run until the log writer took tick 0 (its MCAP wall time). compiled = dist/ (npm run build); tsx = TETHER_FROM_SOURCE=1, the path bin/tether.mjs always took before dist/ existed; cold cache = a fresh TMPDIR per run',
        runsPerVariant: runs,
        stampCheckMs: { median: stamp.median, p90: stamp.p90, max: stamp.max },
        targets,
        results: rows,
      },
      null,
      2,
    )}\n`,
  );
  printTable(
    `tether start-up, ${runs} runs each (load average ${loadBefore.map((l) => l.toFixed(2)).join(' ')} before, ${info.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')} after; ${info.machine.cores} cores)`,
    ['what', 'variant', 'median s', 'p90 s', 'max s', 'target s', 'median within'],
    rows.map((r) => [
      r.what,
      r.variant,
      r.median,
      r.p90,
      r.max,
      r.target,
      Number.isNaN(r.target) ? '' : r.median <= r.target ? 'yes' : 'NO',
    ]),
  );
  console.log(
    `\nstamp check (hashing the build's inputs before using dist/): median ${stamp.median.toFixed(1)} ms, p90 ${stamp.p90.toFixed(1)} ms`,
  );
  console.log(`wrote ${resultsPath('startup.json')}`);
}

try {
  await main();
} finally {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(snapshot, { recursive: true, force: true });
}
