/**
 * The demo and the serial run beside CPU hogs: runs `tether demo` (the bundled ONNX policy, the rig
 * over MQTT through the embedded broker) and `tether run configs/cartpole-serial.yaml` (LQR, the rig
 * over a socat pty) N times each while busy-looping processes load the machine, and counts the runs
 * that latched, failed or missed deadlines, and why. The shipped configs run unchanged (only the
 * serial run's pty path is filled in).
 *
 *   npm run bench:demo-load [-- --runs 20] [--hogs 2] [--hog-nice 10] [--duration 10] [--only demo|serial] [--loop-nice 0]
 *
 * --loop-nice sets TETHER_LOOP_NICE for the runs (default: unset, so the loop, the rig and its
 * relay ask for nice -10 and say whether they got it; 0 measures what an unprivileged user gets).
 * --hog-nice runs the hogs at that niceness (as `tether loop` runs its learner at nice 10) and
 * writes bench/results/demo-load-hogs-nice-N.json instead.
 * A run that latched keeps its log, its output and (serial) the rig's report in
 * runs/bench/demo-load/<kind>-<run>/ for a look at why (`tether log info`, `tether log ticks`).
 *
 * Writes bench/results/demo-load.json.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { RigConfigInput } from '../hardware/rig/config.ts';
import { spawnRig, temporaryDirectory, useTestLinkKey } from '../hardware/tools/processes.ts';
import { requestedNice, setProcessNice } from '../src/loop/priority.ts';
import { startHogs } from './hogs.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const runs = Number(flag('--runs') ?? 20);
const hogCount = Number(flag('--hogs') ?? 2);
const hogNice = Number(flag('--hog-nice') ?? 0);
if (!Number.isInteger(hogNice) || hogNice < 0 || hogNice > 19) {
  throw new Error(`--hog-nice: expected an integer from 0 to 19, got '${flag('--hog-nice')}'`);
}
const duration = Number(flag('--duration') ?? 10);
const only = flag('--only');
if (!(Number.isInteger(runs) && runs > 0))
  throw new Error(`--runs: expected a positive integer, got '${flag('--runs')}'`);
if (only !== undefined && only !== 'demo' && only !== 'serial')
  throw new Error(`--only: expected 'demo' or 'serial', got '${only}'`);

const loopNice = flag('--loop-nice');
if (loopNice !== undefined) process.env['TETHER_LOOP_NICE'] = loopNice;
// Rig and runtime share the public test key (TETHER_LINK_KEY, unless set).
useTestLinkKey();
const root = join(import.meta.dirname, '..');
const cli = join(root, 'bin/tether.mjs');
const work = temporaryDirectory('tether-bench-demo-load');
const keptRoot = join(root, 'runs', 'bench', 'demo-load');
rmSync(keptRoot, { recursive: true, force: true });

/** Keeps what a latched run leaves behind, where the temporary folder's removal does not reach. */
function keep(kind: string, run: number, log: string, output: string, rigReport?: unknown): void {
  const dir = join(keptRoot, `${kind}-${run}`);
  mkdirSync(dir, { recursive: true });
  try {
    copyFileSync(log, join(dir, 'run.mcap'));
  } catch {
    // a run that failed before its log opened leaves none
  }
  writeFileSync(join(dir, 'output.txt'), output);
  if (rigReport !== undefined)
    writeFileSync(join(dir, 'rig.json'), `${JSON.stringify(rigReport, null, 2)}\n`);
}

interface RunOutcome {
  kind: 'demo' | 'serial';
  run: number;
  exitCode: number | null;
  /** 'ok', 'LATCHED (…)', or what went wrong before a summary was printed. */
  safety: string;
  latched: boolean;
  ticks: number;
  missedDeadlines: number;
  periodErrorP99: string;
  priority: string;
  /** What the run did with V8's worker threads (src/loop/background-threads.ts). */
  v8Workers: string;
  loadAverage1m: number;
  seconds: number;
}

function tether(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Reads the summary both commands print: the safety line, ticks, missed deadlines, period error. */
function outcome(
  kind: RunOutcome['kind'],
  run: number,
  result: { code: number | null; stdout: string; stderr: string },
  started: number,
): RunOutcome {
  const text = `${result.stdout}\n${result.stderr}`;
  const safety = /safety: (ok|LATCHED \(.*?\)|CERTIFICATE VIOLATED.*?)(;|$)/m.exec(result.stdout)?.[1];
  const failure = /^tether: (.*)$/m.exec(result.stderr)?.[1];
  return {
    kind,
    run,
    exitCode: result.code,
    safety: safety ?? `no summary: ${failure ?? `exit ${result.code}`}`,
    latched: safety !== 'ok',
    ticks: Number(/(\d+) ticks/.exec(result.stdout)?.[1] ?? Number.NaN),
    missedDeadlines: Number(/missed deadlines:? (\d+)/.exec(result.stdout)?.[1] ?? Number.NaN),
    periodErrorP99:
      /period error\s+(?:p50 \S+ \S+\s+)?p99 (\S+ \S+?)(,|\s|$)/.exec(result.stdout)?.[1] ?? '?',
    priority: /loop priority: (.*)$/m.exec(text)?.[1] ?? 'not reported',
    v8Workers: /V8 worker threads: (.*)$/m.exec(text)?.[1] ?? 'not reported',
    loadAverage1m: loadavg()[0]!,
    seconds: (performance.now() - started) / 1000,
  };
}

async function demoRun(run: number): Promise<RunOutcome> {
  const started = performance.now();
  const log = join(work.path, `demo-${run}.mcap`);
  const result = await tether(['demo', '--duration', String(duration), '--log', log]);
  const o = outcome('demo', run, result, started);
  if (o.latched) keep('demo', run, log, `${result.stdout}\n${result.stderr}`);
  return o;
}

/** The shipped rig config on a fresh pty, and the shipped serial run config pointed at it. */
async function serialRun(run: number): Promise<RunOutcome> {
  const started = performance.now();
  const rigConfig = parse(readFileSync(join(root, 'configs/rig/cartpole.yaml'), 'utf8')) as RigConfigInput;
  const rig = await spawnRig(
    { ...rigConfig, transport: { kind: 'serial', link: join(work.path, `pty-${run}`) } },
    work.path,
    `rig-${run}`,
  );
  // As `tether demo` does for its rig: the rig gets the loop's priority where that is permitted.
  setProcessNice(rig.child.pid!, requestedNice());
  const config = join(work.path, `cartpole-serial-${run}.yaml`);
  const text = readFileSync(join(root, 'configs/cartpole-serial.yaml'), 'utf8').replace(
    'path: ../runs/cartpole-link.host',
    `path: ${rig.hostLink}`,
  );
  writeFileSync(config, text);
  const log = join(work.path, `serial-${run}.mcap`);
  const result = await tether(['run', config, '--duration', String(duration), '--log', log]);
  const rigReport = await rig.stop();
  const o = outcome('serial', run, result, started);
  if (o.latched) keep('serial', run, log, `${result.stdout}\n${result.stderr}`, rigReport);
  return o;
}

const loadAtStart = loadavg();
const hogs = startHogs(hogCount, hogNice);
const outcomes: RunOutcome[] = [];
try {
  for (let run = 1; run <= runs; run++) {
    for (const kind of ['demo', 'serial'] as const) {
      if (only !== undefined && only !== kind) continue;
      const o = kind === 'demo' ? await demoRun(run) : await serialRun(run);
      outcomes.push(o);
      console.log(
        `${kind.padEnd(6)} ${String(run).padStart(2)}/${runs}  ${o.safety}  ticks ${o.ticks}  missed ${o.missedDeadlines}  p99 ${o.periodErrorP99}  load ${o.loadAverage1m.toFixed(2)}`,
      );
    }
  }
} finally {
  await hogs.stop();
  work.remove();
}

const summary = (['demo', 'serial'] as const)
  .map((kind) => {
    const of = outcomes.filter((o) => o.kind === kind);
    if (of.length === 0) return undefined;
    const reasons: Record<string, number> = {};
    for (const o of of) if (o.latched) reasons[o.safety] = (reasons[o.safety] ?? 0) + 1;
    return {
      kind,
      runs: of.length,
      clean: of.filter((o) => !o.latched && o.exitCode === 0).length,
      latched: of.filter((o) => o.latched).length,
      withMissedDeadlines: of.filter((o) => o.missedDeadlines > 0).length,
      missedDeadlinesTotal: of.reduce(
        (n, o) => n + (Number.isNaN(o.missedDeadlines) ? 0 : o.missedDeadlines),
        0,
      ),
      reasons,
    };
  })
  .filter((s) => s !== undefined);

printTable(
  `tether demo and the serial run, ${duration} s each, beside ${hogCount} CPU hogs at nice ${hogNice} (${outcomes[0]?.priority ?? ''})`,
  ['run', 'runs', 'clean', 'latched', 'runs with misses', 'missed total', 'why latched'],
  summary.map((s) => [
    s.kind,
    s.runs,
    s.clean,
    s.latched,
    s.withMissedDeadlines,
    s.missedDeadlinesTotal,
    Object.entries(s.reasons)
      .map(([why, n]) => `${n}× ${why}`)
      .join('; ') || '–',
  ]),
);
const out = resultsPath(hogNice === 0 ? 'demo-load.json' : `demo-load-hogs-nice-${hogNice}.json`);
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'demo-load',
      ...machineInfo(),
      loadAverageAtStart: loadAtStart,
      hogs: hogCount,
      hogNice,
      loopNice: process.env['TETHER_LOOP_NICE'] ?? 'unset (-10)',
      durationSeconds: duration,
      method:
        'Each run is a fresh `tether demo --duration D` (bundled ONNX policy, 50 Hz, rig over MQTT through the embedded broker) or `tether run configs/cartpole-serial.yaml --duration D` (LQR, 100 Hz, rig from configs/rig/cartpole.yaml on a socat pty), one after the other, while `hogs` processes busy-loop at nice 0. A run is clean when it exits 0 with `safety: ok`. The loop priority line says whether the loop could raise its priority.',
      summary,
      runs: outcomes,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
