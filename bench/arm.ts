/**
 * Franka-class arm benchmark: the joint-impedance reach at 1 kHz over a serial link to the emulated
 * arm rig (configs/rig/arm.yaml: 1 kHz inner loop, gravity compensation, libfranka limits and
 * reflexes), each run `tether run configs/arm-reach-serial.yaml` in its own process as a user starts
 * it (figures read back from its MCAP log and the rig's report), with and without a concurrent training job on this machine, under libfranka's strict
 * 20-lost-command limit and a relaxed 200 (what this shared machine's stalls need).
 * Reports, per run: the loop's period error of the ticks that ran (p50/p99/max; a tick starts at most
 * one period late, because the `skip` miss policy drops the deadlines it has already missed), the
 * lateness of every deadline including the skipped ones (how long a 1 ms deadline waited until a tick
 * ran: this is where stalls show), missed deadlines, the longest gap between tick starts, the rig's
 * longest gap between commands, limit and reflex trips, effort saturations, and how close the flange
 * got to its target; and a push on link7 (the collision reflex). `figures` in the JSON says what each
 * figure means.
 *
 * The learned reaching policy (configs/arm-policy-serial.yaml, controllers/policies/examples/arm-reach/)
 * runs the same way, idle and beside a training job under the 20-lost-command limit, into its own
 * file. `ARM_PARTS` picks the parts: `reach` (joint-reach, the push), `policy`, or both (default).
 *
 *   npm run bench:arm                     (about 4 minutes; writes bench/results/arm.json and arm-policy.json)
 *   ARM_SECONDS=5 ARM_REPEATS=2 npm run bench:arm
 *   ARM_PARTS=policy ARM_SECONDS=4 ARM_REPEATS=3 npm run bench:arm
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { FaultSpec } from '../hardware/rig/config.ts';
import {
  runAgainstRig,
  spawnRig,
  spawnRuntime,
  temporaryDirectory,
  useTestLinkKey,
} from '../hardware/tools/processes.ts';
import { readLog } from '../src/logging/reader.ts';
import { TimingSeries } from '../src/loop/timing.ts';
import { machineInfo, printTable, writeResults } from './report.ts';

useTestLinkKey();
const root = join(import.meta.dirname, '..');
const seconds = Number(process.env['ARM_SECONDS'] ?? 6);
const repeats = Number(process.env['ARM_REPEATS'] ?? 2);
const parts = (process.env['ARM_PARTS'] ?? 'reach,policy').split(',');
const work = temporaryDirectory('tether-bench-arm');

/** What each reported figure measures (written into the JSON beside them). */
const figures = {
  periodErrorUs:
    "ticks that ran: start minus that tick's own deadline. Under the skip miss policy a tick that would start a period or more late is moved to the next deadline, so this stays below one period however long the stall was.",
  deadlineLatenessUs:
    'every deadline of the run, the skipped ones included: when a tick serving it started, minus the deadline. A deadline skipped in a stall counts as late until the next tick ran, so a 199 ms stall shows as ~199000 us.',
  missedDeadlines: 'deadlines no tick started for (skipped by the skip miss policy)',
  deadlines:
    'deadlines up to the last tick that ran (ticks that ran + those skipped before it): the population of deadlineLatenessUs',
  longestTickGapMs:
    'longest time between the starts of two consecutive ticks that ran (one period when none was missed)',
  'rig.longestCommandGapTicks':
    'longest gap between commands the rig received, in its inner-loop periods (1 ms): what the arm saw',
  reachedAtSeconds: 'loop time of the first tick whose flange was within 1 cm of the target (null: never)',
  computeTimeP99Us:
    "the tick's work from reading the observation to writing the command (the policy's inference included), p99",
} as const;

/**
 * Per tick from the loop's records: the lateness of every deadline, skipped ones included (a skipped
 * deadline is served by the next tick that runs), and the longest gap between tick starts.
 */
class DeadlineLateness {
  readonly lateness: TimingSeries;
  longestGap = 0;
  private previousDeadline = Number.NaN;
  private previousStart = Number.NaN;

  constructor(
    private readonly period: number,
    capacity: number,
  ) {
    this.lateness = new TimingSeries(capacity);
  }

  /** One tick that ran: its deadline (loop seconds) and how late it started. */
  writeTick(deadline: number, periodError: number): void {
    const start = deadline + periodError;
    const skipped = Number.isNaN(this.previousDeadline)
      ? 0
      : Math.max(0, Math.round((deadline - this.previousDeadline) / this.period) - 1);
    // The oldest skipped deadline waited longest: `skipped` periods more than this tick's own.
    for (let i = skipped; i >= 0; i--) this.lateness.record(periodError + i * this.period);
    if (!Number.isNaN(this.previousStart))
      this.longestGap = Math.max(this.longestGap, start - this.previousStart);
    this.previousDeadline = deadline;
    this.previousStart = start;
  }
}

function startTrainingLoad(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/training-load.ts')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve) => child.stdout!.once('data', () => resolve(child)));
}

/**
 * One run as a user starts it: the rig process, then `tether run configs/arm-reach-serial.yaml` as its
 * own process with its MCAP log; every figure is read back from that log and the rig's report.
 */
async function armRun(
  name: string,
  lostCommands: number,
  faults: FaultSpec[] = [],
  runConfig = 'configs/arm-reach-serial.yaml',
) {
  const rigConfig = parse(readFileSync(join(root, 'configs/rig/arm.yaml'), 'utf8'));
  rigConfig['transport'] = { kind: 'serial', link: join(work.path, name) };
  rigConfig['faults'] = faults;
  rigConfig['limits']['lostCommands'] = lostCommands;
  const rig = await spawnRig(rigConfig, work.path, `rig-${name}`);
  const config = parse(readFileSync(join(root, runConfig), 'utf8'));
  config['robot']['path'] = rig.hostLink;
  config['robot']['helloTimeoutMs'] = 10000;
  if (config['controller']['contract'])
    config['controller']['contract'] = join(root, 'configs', config['controller']['contract']);
  // joint-reach names its goal; the policy reads the `target` command channel.
  const target = (config['controller']['target'] ?? config['commands']['target']['initial']) as number[];
  const period = 1 / (config['loop']['rateHz'] as number);
  const configPath = join(work.path, `${name}.yaml`);
  const logPath = join(work.path, `${name}.mcap`);
  writeFileSync(configPath, stringify(config));
  const load = loadavg()[0]!;
  const { result: outcome, rigReport: report } = await runAgainstRig(rig, async () => {
    const runtime = spawnRuntime(configPath, ['--duration', String(seconds), '--log', logPath]);
    if (!(await runtime.started)) {
      await runtime.exited;
      throw new Error(`tether run did not start: ${runtime.output.stderr.split('\n').slice(-3).join(' | ')}`);
    }
    return { code: await runtime.exited, log: await readLog(logPath), stdout: runtime.output.stdout };
  });
  const ticks = outcome.log.ticks;
  const deadlines = new DeadlineLateness(period, Math.ceil((seconds + 1) / period));
  const periodError = new TimingSeries(ticks.count);
  const computeTime = new TimingSeries(ticks.count);
  let reachedAt: number | null = null;
  for (let i = 0; i < ticks.count; i++) {
    deadlines.writeTick(ticks.time[i]!, ticks.periodError[i]!);
    periodError.record(ticks.periodError[i]!);
    computeTime.record(ticks.computeTime[i]!);
    const o = i * ticks.observationSize;
    const [x, y, z] = [14, 15, 16].map((k) => ticks.observation[o + k]!);
    if (reachedAt === null && Math.hypot(x! - target[0]!, y! - target[1]!, z! - target[2]!) < 0.01)
      reachedAt = ticks.time[i]!;
  }
  const last = (ticks.count - 1) * ticks.observationSize;
  const flange = [14, 15, 16].map((k) => ticks.observation[last + k]!);
  const lateness = deadlines.lateness.summary();
  const timing = periodError.summary();
  const latch = outcome.log.events.find(
    (e) => e.source === 'safety' && (e.kind === 'estop' || e.kind === 'fault'),
  );
  return {
    name,
    lostCommandLimit: lostCommands,
    loadAverage1m: load,
    exitCode: outcome.code,
    stoppedAtSeconds: latch?.time ?? null,
    ticks: ticks.count,
    periodErrorP50Us: timing.p50 * 1e6,
    periodErrorP99Us: timing.p99 * 1e6,
    periodErrorMaxUs: timing.max * 1e6,
    deadlineLatenessP50Us: lateness.p50 * 1e6,
    deadlineLatenessP99Us: lateness.p99 * 1e6,
    deadlineLatenessMaxUs: lateness.max * 1e6,
    deadlines: lateness.count,
    missedDeadlines: lateness.count - ticks.count,
    longestTickGapMs: deadlines.longestGap * 1e3,
    latched: latch?.message ?? null,
    flangeErrorM: Math.hypot(flange[0]! - target[0]!, flange[1]! - target[1]!, flange[2]! - target[2]!),
    reachedAtSeconds: reachedAt,
    computeTimeP99Us: computeTime.summary().p99 * 1e6,
    rig: {
      longestCommandGapTicks: report.longestCommandGap,
      trips: report.trips,
      torqueSaturations: report.torqueSaturations,
      overruns: report.overruns,
      commandsReceived: report.commandsReceived,
    },
  };
}

type Run = Awaited<ReturnType<typeof armRun>> | { name: string; error: string };
const ok = (runs: Run[]) => runs.filter((r): r is Awaited<ReturnType<typeof armRun>> => !('error' in r));
const summarise = (all: Run[]) => {
  const runs = ok(all);
  return {
    runs: all.length,
    failedToStart: all.length - runs.length,
    stoppedByTheRig: runs.filter((r) => Object.keys(r.rig.trips).length > 0).length,
    reachedWithin1cm: runs.filter((r) => r.flangeErrorM < 0.01).length,
    stoppedAtSeconds: runs.map((r) => r.stoppedAtSeconds),
    periodErrorP99Us: runs.map((r) => Math.round(r.periodErrorP99Us)),
    periodErrorMaxUs: runs.map((r) => Math.round(r.periodErrorMaxUs)),
    deadlineLatenessP99Us: runs.map((r) => Math.round(r.deadlineLatenessP99Us)),
    deadlineLatenessMaxUs: runs.map((r) => Math.round(r.deadlineLatenessMaxUs)),
    missedDeadlines: runs.map((r) => r.missedDeadlines),
    longestTickGapMs: runs.map((r) => Math.round(r.longestTickGapMs * 10) / 10),
    longestCommandGapTicks: runs.map((r) => r.rig.longestCommandGapTicks),
    ticks: runs.map((r) => r.ticks),
  };
};

async function attempt(
  name: string,
  lostCommands: number,
  faults: FaultSpec[] = [],
  runConfig?: string,
): Promise<Run> {
  try {
    const run = await armRun(name, lostCommands, faults, runConfig);
    process.stdout.write(`${name}: ${JSON.stringify(run)}\n`);
    return run;
  } catch (error) {
    process.stdout.write(`${name} failed: ${(error as Error).message}\n`);
    return { name, error: (error as Error).message };
  }
}

async function main(): Promise<void> {
  const started = new Date();
  const conditions: Record<string, Run[]> = {};
  for (const limit of [20, 200]) {
    const idle: Run[] = [];
    for (let k = 0; k < repeats; k++) idle.push(await attempt(`idle-lost${limit}-${k}`, limit));
    conditions[`idle, lostCommands ${limit}`] = idle;
    const busy: Run[] = [];
    const load = await startTrainingLoad();
    try {
      for (let k = 0; k < repeats; k++) busy.push(await attempt(`training-lost${limit}-${k}`, limit));
    } finally {
      load.kill('SIGKILL');
    }
    conditions[`with a training job, lostCommands ${limit}`] = busy;
  }
  const push = await attempt('push', 200, [
    { kind: 'push', body: 'link7', force: [0, 60, 0], at: 3, duration: 0.5 },
  ]);
  const out = {
    ...machineInfo(),
    date: started.toISOString(),
    note: 'Shared 2-core machine: other engineers\' jobs ran too (loadAverage1m per run). "training" adds one training process (bench/training-load.ts).',
    seconds,
    figures,
    summary: Object.fromEntries(Object.entries(conditions).map(([k, runs]) => [k, summarise(runs)])),
    conditions,
    collisionReflex: push,
  };
  const rows = [...Object.values(conditions).flat(), push].map((run) =>
    'error' in run
      ? [run.name, 'failed', '', '', '', '', '', '', '']
      : [
          run.name,
          run.loadAverage1m,
          run.periodErrorP99Us,
          run.periodErrorMaxUs,
          run.deadlineLatenessP99Us,
          run.deadlineLatenessMaxUs,
          `${run.missedDeadlines}/${run.deadlines}`,
          run.rig.longestCommandGapTicks,
          run.flangeErrorM < 0.01 ? 'yes' : `no (${run.stoppedAtSeconds ?? '–'} s)`,
        ],
  );
  printTable(
    `Arm at 1 kHz over a pty, ${seconds} s per run`,
    [
      'run',
      'load 1m',
      'period err p99 us',
      'max us',
      'deadline lateness p99 us',
      'max us',
      'missed/deadlines',
      'rig cmd gap ticks',
      'reached',
    ],
    rows,
  );
  for (const [name, meaning] of Object.entries(figures)) console.log(`  ${name}: ${meaning}`);
  writeResults('arm.json', out);
  work.remove();
  process.stdout.write('wrote bench/results/arm.json\n');
}

/**
 * The learned reaching policy as a user runs it (configs/arm-policy-serial.yaml), idle and beside a
 * training job, under libfranka's 20-lost-command limit: bench/results/arm-policy.json. Each policy
 * run is followed by a joint-reach run (configs/arm-reach-serial.yaml) under the same conditions, so
 * the two controllers meet the same machine load.
 */
async function policyBench(): Promise<void> {
  const started = new Date();
  const runConfig = 'configs/arm-policy-serial.yaml';
  const conditions: Record<string, Run[]> = {};
  const pair = async (condition: string, label: string) => {
    const policy: Run[] = [];
    const baseline: Run[] = [];
    for (let k = 0; k < repeats; k++) {
      policy.push(await attempt(`policy-${label}-lost20-${k}`, 20, [], runConfig));
      baseline.push(await attempt(`joint-reach-${label}-lost20-${k}`, 20));
    }
    conditions[`policy, ${condition}`] = policy;
    conditions[`joint-reach, ${condition}`] = baseline;
  };
  await pair('idle, lostCommands 20', 'idle');
  const load = await startTrainingLoad();
  try {
    await pair('with a training job, lostCommands 20', 'training');
  } finally {
    load.kill('SIGKILL');
  }
  const summary = Object.fromEntries(
    Object.entries(conditions).map(([k, runs]) => [
      k,
      {
        ...summarise(runs),
        flangeErrorMm: ok(runs).map((r) => Math.round(r.flangeErrorM * 1e4) / 10),
        reachedAtSeconds: ok(runs).map((r) => r.reachedAtSeconds),
        computeTimeP99Us: ok(runs).map((r) => Math.round(r.computeTimeP99Us)),
      },
    ]),
  );
  writeResults('arm-policy.json', {
    ...machineInfo(),
    date: started.toISOString(),
    note: 'Shared 2-core machine: other engineers\' jobs ran too (loadAverage1m per run). "training" adds one training process (bench/training-load.ts).',
    config: runConfig,
    seconds,
    figures: { ...figures, flangeErrorMm: 'distance from the flange to the target at the last tick, mm' },
    summary,
    conditions,
  });
  printTable(
    `Learned reaching policy (and joint-reach beside it) at 1 kHz over a pty, lostCommands 20, ${seconds} s per run`,
    [
      'run',
      'load 1m',
      'deadline lateness max us',
      'missed/deadlines',
      'compute p99 us',
      'rig cmd gap ticks',
      'trips',
      'within 1 cm at s',
      'final error mm',
    ],
    Object.values(conditions)
      .flat()
      .map((run) =>
        'error' in run
          ? [run.name, 'failed', '', '', '', '', '', '', '']
          : [
              run.name,
              run.loadAverage1m,
              run.deadlineLatenessMaxUs,
              `${run.missedDeadlines}/${run.deadlines}`,
              run.computeTimeP99Us,
              run.rig.longestCommandGapTicks,
              Object.keys(run.rig.trips).join(' ') || 'none',
              run.reachedAtSeconds ?? 'never',
              run.flangeErrorM * 1e3,
            ],
      ),
  );
  process.stdout.write('wrote bench/results/arm-policy.json\n');
}

if (parts.includes('policy')) await policyBench();
if (parts.includes('reach')) await main();
else work.remove();
