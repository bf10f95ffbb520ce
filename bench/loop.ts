/**
 * Loop timing benchmark: period error p50/p99/max and missed deadlines of the control loop at
 * 50, 200, 500 and 1000 Hz with a trivial controller, idle (a pure-TS robot) and with MuJoCo in the
 * loop (the cartpole), compared in the same run with a naive `setInterval` loop.
 *
 *   npm run bench:loop [-- --seconds 20] [--nice -15]
 */
import { writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { simRobotPlugin } from '../sim/sim-robot.ts';
import { DoubleIntegratorRobot } from '../sim/toy/double-integrator.ts';
import type { Robot } from '../src/core/robot.ts';
import { quantile } from '../src/loop/timing.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';
import { trivialRealtimeLoop } from './trivial-loop.ts';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 20;
/** Like a control process on a real rig, the loop may run at raised priority (`--nice -15`, needs root). */
const nice = process.argv.includes('--nice') ? Number(process.argv[process.argv.indexOf('--nice') + 1]) : 0;
if (nice !== 0) setPriority(nice);
const rates = [50, 200, 500, 1000];

interface Row {
  loop: string;
  robot: string;
  rateHz: number;
  ticks: number;
  p50us: number;
  p99us: number;
  maxUs: number;
  missed: number;
  gcPauses: number;
  gcMaxPauseUs: number;
  heapGrowthBytesPerTick: number;
}

let gcCount = 0;
let gcMaxMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcCount++;
    gcMaxMs = Math.max(gcMaxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

async function tetherLoop(
  robotName: string,
  makeRobot: (dt: number) => Promise<Robot>,
  rateHz: number,
): Promise<Row> {
  const robot = await makeRobot(1 / rateHz);
  const loop = await trivialRealtimeLoop(robot, rateHz);
  global.gc?.();
  // Let the observer report the forced collection before counting starts.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const heapBefore = process.memoryUsage().heapUsed;
  const gcBefore = gcCount;
  gcMaxMs = 0;
  const report = await loop.run(Math.round(seconds * rateHz));
  const heapAfter = process.memoryUsage().heapUsed;
  await robot.deactivate();
  await robot.shutdown();
  return {
    loop: 'tether',
    robot: robotName,
    rateHz,
    ticks: report.ticks,
    p50us: report.periodError.p50 * 1e6,
    p99us: report.periodError.p99 * 1e6,
    maxUs: report.periodError.max * 1e6,
    missed: report.missedDeadlines,
    gcPauses: gcCount - gcBefore,
    gcMaxPauseUs: gcMaxMs * 1000,
    heapGrowthBytesPerTick: (heapAfter - heapBefore) / report.ticks,
  };
}

/** The loop most people write first: setInterval with the period, error measured against k·period. */
function naiveInterval(rateHz: number): Promise<Row> {
  return new Promise((resolve) => {
    const periodMs = 1000 / rateHz;
    const total = Math.round(seconds * rateHz);
    const errors = new Float64Array(total);
    let k = 0;
    let missed = 0;
    const gcBefore = gcCount;
    const t0 = performance.now();
    const timer = setInterval(() => {
      const error = performance.now() - (t0 + (k + 1) * periodMs);
      errors[k] = error / 1000;
      if (error > periodMs) missed++;
      if (++k === total) {
        clearInterval(timer);
        const sorted = errors.slice().sort();
        resolve({
          loop: 'setInterval',
          robot: 'none',
          rateHz,
          ticks: total,
          p50us: quantile(sorted, 0.5) * 1e6,
          p99us: quantile(sorted, 0.99) * 1e6,
          maxUs: sorted[sorted.length - 1]! * 1e6,
          missed,
          gcPauses: gcCount - gcBefore,
          gcMaxPauseUs: Number.NaN,
          heapGrowthBytesPerTick: Number.NaN,
        });
      }
    }, periodMs);
  });
}

const robots: [string, (dt: number) => Promise<Robot>][] = [
  ['idle (pure TS)', async (dt) => new DoubleIntegratorRobot(dt)],
  [
    'MuJoCo cartpole',
    async (dt) =>
      simRobotPlugin.create(
        simRobotPlugin.schema.parse({ model: 'cartpole', dynamics: { timestep: 0.001 } }),
        { baseDir: '.', controlDt: dt, seed: 0 },
      ),
  ],
];

const rows: Row[] = [];
for (const rateHz of rates) {
  for (const [name, make] of robots) rows.push(await tetherLoop(name, make, rateHz));
  rows.push(await naiveInterval(rateHz));
}

printTable(
  `loop timing, ${seconds} s per row, nice ${nice} (period error = actual tick start − absolute deadline)`,
  [
    'loop',
    'robot',
    'rate Hz',
    'ticks',
    'p50 µs',
    'p99 µs',
    'max µs',
    'missed',
    'GCs',
    'GC max µs',
    'heap B/tick',
  ],
  rows.map((r) => [
    r.loop,
    r.robot,
    r.rateHz,
    r.ticks,
    r.p50us,
    r.p99us,
    r.maxUs,
    r.missed,
    r.gcPauses,
    r.gcMaxPauseUs,
    r.heapGrowthBytesPerTick,
  ]),
);
const out = resultsPath('loop.json');
writeFileSync(
  out,
  `${JSON.stringify({ benchmark: 'loop', ...machineInfo(), secondsPerRow: seconds, nice, rows }, null, 2)}\n`,
);
console.log(`wrote ${out}`);
process.exit(0);
