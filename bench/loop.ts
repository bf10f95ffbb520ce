/**
 * Loop timing benchmark, in two parts.
 *
 * 1. Where the time goes: how late each way of waiting wakes up on this machine — a libuv timer
 *    (setTimeout), a futex on the main thread (Atomics.wait), the loop's clock thread (a futex on its
 *    own thread, then Atomics.waitAsync into the event loop) and a busy-wait.
 * 2. The control loop itself: period error p50/p99/p99.9/max and missed deadlines at 50, 200, 500
 *    and 1000 Hz with a trivial controller, idle (a pure-TS robot) and with MuJoCo in the loop (the
 *    cartpole), beside a naive `setInterval` loop; CPU use, GC pauses and heap growth per tick.
 *
 * By default the loop does not raise its priority (TETHER_LOOP_NICE=0): the figures are what an
 * unprivileged user gets at nice 0. Every row carries the load average when it ended. Writes
 * bench/results/loop.json (loop-nice-10.json with --loop-nice -10, loop-2-hogs.json with --hogs 2).
 *
 *   npm run bench:loop [-- --seconds 8] [--hogs 2] [--loop-nice -10] [--nice -15] [--rates 500,1000]
 *
 *   --hogs N        N busy-looping processes beside the loop (a busy machine)
 *   --loop-nice N   the priority the loop asks for (TETHER_LOOP_NICE; needs CAP_SYS_NICE to lower)
 *   --nice N        set this whole process's nice value first (needs privileges to lower)
 */
import { writeFileSync } from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { simRobotPlugin } from '../sim/sim-robot.ts';
import { DoubleIntegratorRobot } from '../sim/toy/double-integrator.ts';
import type { EventBuffer } from '../src/core/events.ts';
import type { Robot } from '../src/core/robot.ts';
import { idleV8Workers } from '../src/loop/background-threads.ts';
import { ClockThread } from '../src/loop/clock.ts';
import { quantile } from '../src/loop/timing.ts';
import { startHogs } from './hogs.ts';
import { machineInfo, printTable, resultsPath } from './report.ts';
import { trivialRealtimeLoop } from './trivial-loop.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}

const seconds = Number(flag('--seconds')) || 20;
const hogCount = Number(flag('--hogs') ?? 0);
const nice = Number(flag('--nice') ?? 0);
const loopNice = Number(flag('--loop-nice') ?? 0);
const rates = (flag('--rates') ?? '50,200,500,1000').split(',').map(Number);
process.env['TETHER_LOOP_NICE'] = String(loopNice);
if (nice !== 0) setPriority(nice);

let gcCount = 0;
let gcMaxMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcCount++;
    gcMaxMs = Math.max(gcMaxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

const load1m = (): number => loadavg()[0]!;

// ---------------------------------------------------------------------------------------------
// 1. Wake-up error of each way of waiting.

interface WakeRow {
  mechanism: string;
  samples: number;
  p50us: number;
  p99us: number;
  p999us: number;
  maxUs: number;
  loadAverage1m: number;
}

const wakeSamples = 1000;
const wakeAfterMs = 1;

function wakeRow(mechanism: string, lateMs: Float64Array): WakeRow {
  const sorted = lateMs.slice().sort();
  return {
    mechanism,
    samples: sorted.length,
    p50us: quantile(sorted, 0.5) * 1000,
    p99us: quantile(sorted, 0.99) * 1000,
    p999us: quantile(sorted, 0.999) * 1000,
    maxUs: sorted[sorted.length - 1]! * 1000,
    loadAverage1m: load1m(),
  };
}

async function wakeErrors(): Promise<WakeRow[]> {
  const rows: WakeRow[] = [];
  const late = new Float64Array(wakeSamples);
  for (let i = 0; i < wakeSamples; i++) {
    const target = performance.now() + wakeAfterMs;
    await new Promise((resolve) => setTimeout(resolve, wakeAfterMs));
    late[i] = performance.now() - target;
  }
  rows.push(wakeRow('setTimeout (libuv timer, main thread)', late));

  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < wakeSamples; i++) {
    const target = performance.now() + wakeAfterMs;
    Atomics.wait(cell, 0, 0, wakeAfterMs);
    late[i] = performance.now() - target;
    // Let the event loop turn, as a loop serving I/O between ticks would.
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  rows.push(wakeRow('Atomics.wait (futex, main thread)', late));

  const thread = new ClockThread(0);
  await thread.ready;
  for (let i = 0; i < wakeSamples; i++) {
    const target = performance.now() + wakeAfterMs;
    await thread.arm(target);
    late[i] = performance.now() - target;
  }
  thread.stop();
  rows.push(wakeRow('clock thread → Atomics.waitAsync', late));

  for (let i = 0; i < wakeSamples; i++) {
    const target = performance.now() + wakeAfterMs;
    let now = performance.now();
    while (now < target) now = performance.now();
    late[i] = now - target;
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  rows.push(wakeRow('busy-wait (performance.now)', late));
  return rows;
}

// ---------------------------------------------------------------------------------------------
// 2. The control loop.

interface Row {
  loop: string;
  robot: string;
  rateHz: number;
  ticks: number;
  p50us: number;
  p99us: number;
  p999us: number;
  maxUs: number;
  missed: number;
  missedPercent: number;
  cpuPercent: number;
  gcPauses: number;
  gcMaxPauseUs: number;
  heapGrowthBytesPerTick: number;
  loadAverage1m: number;
}

let priorityLine = 'not reported';

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
  const cpuBefore = process.cpuUsage();
  gcMaxMs = 0;
  const report = await loop.run(Math.round(seconds * rateHz));
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = process.memoryUsage().heapUsed;
  const events = (loop.events as EventBuffer).events;
  priorityLine = events.find((e) => e.message.startsWith('loop priority'))?.message ?? priorityLine;
  await robot.deactivate();
  await robot.shutdown();
  return {
    loop: 'tether',
    robot: robotName,
    rateHz,
    ticks: report.ticks,
    p50us: report.periodError.p50 * 1e6,
    p99us: report.periodError.p99 * 1e6,
    p999us: report.periodError.p999 * 1e6,
    maxUs: report.periodError.max * 1e6,
    missed: report.missedDeadlines,
    missedPercent: (100 * report.missedDeadlines) / Math.round(seconds * rateHz),
    cpuPercent: (100 * (cpu.user + cpu.system)) / 1e6 / report.wallSeconds,
    gcPauses: gcCount - gcBefore,
    gcMaxPauseUs: gcMaxMs * 1000,
    heapGrowthBytesPerTick: (heapAfter - heapBefore) / report.ticks,
    loadAverage1m: load1m(),
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
    const cpuBefore = process.cpuUsage();
    const t0 = performance.now();
    const timer = setInterval(() => {
      const error = performance.now() - (t0 + (k + 1) * periodMs);
      errors[k] = error / 1000;
      if (error > periodMs) missed++;
      if (++k === total) {
        clearInterval(timer);
        const cpu = process.cpuUsage(cpuBefore);
        const sorted = errors.slice().sort();
        resolve({
          loop: 'setInterval',
          robot: 'none',
          rateHz,
          ticks: total,
          p50us: quantile(sorted, 0.5) * 1e6,
          p99us: quantile(sorted, 0.99) * 1e6,
          p999us: quantile(sorted, 0.999) * 1e6,
          maxUs: sorted[sorted.length - 1]! * 1e6,
          missed,
          missedPercent: (100 * missed) / total,
          cpuPercent: (100 * (cpu.user + cpu.system)) / 1e3 / (performance.now() - t0),
          gcPauses: gcCount - gcBefore,
          gcMaxPauseUs: Number.NaN,
          heapGrowthBytesPerTick: Number.NaN,
          loadAverage1m: load1m(),
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

const loadAtStart = loadavg();
const hogs = startHogs(hogCount);
const wake = await wakeErrors();
printTable(
  `wake-up error: asked to wake ${wakeAfterMs} ms later, ${wakeSamples} times each; ${hogCount} CPU hogs`,
  ['mechanism', 'p50 µs', 'p99 µs', 'p99.9 µs', 'max µs', 'load 1m'],
  wake.map((r) => [r.mechanism, r.p50us, r.p99us, r.p999us, r.maxUs, r.loadAverage1m]),
);

// As `tether run` does before its first tick (src/loop/background-threads.ts).
const v8Workers = (await idleV8Workers()) ?? 'V8 worker threads: normal priority';
const rows: Row[] = [];
for (const rateHz of rates) {
  for (const [name, make] of robots) rows.push(await tetherLoop(name, make, rateHz));
  rows.push(await naiveInterval(rateHz));
}
await hogs.stop();

printTable(
  `loop timing, ${seconds} s per row, process nice ${nice}, ${hogCount} CPU hogs ` +
    `(period error = actual tick start − absolute deadline)\n${priorityLine}\n${v8Workers}`,
  [
    'loop',
    'robot',
    'rate Hz',
    'ticks',
    'p50 µs',
    'p99 µs',
    'p99.9 µs',
    'max µs',
    'missed',
    'missed %',
    'CPU %',
    'GCs',
    'GC max µs',
    'heap B/tick',
    'load 1m',
  ],
  rows.map((r) => [
    r.loop,
    r.robot,
    r.rateHz,
    r.ticks,
    r.p50us,
    r.p99us,
    r.p999us,
    r.maxUs,
    r.missed,
    r.missedPercent,
    r.cpuPercent,
    r.gcPauses,
    r.gcMaxPauseUs,
    r.heapGrowthBytesPerTick,
    r.loadAverage1m,
  ]),
);
// Runs beside hogs or at a raised priority keep their own files, so the nice-0 figures stay.
const out = resultsPath(
  `loop${loopNice !== 0 ? `-nice${loopNice}` : ''}${hogCount > 0 ? `-${hogCount}-hogs` : ''}${process.env['TETHER_V8_WORKERS'] === 'idle' ? '-v8-idle' : ''}.json`,
);
writeFileSync(
  out,
  `${JSON.stringify(
    {
      benchmark: 'loop',
      ...machineInfo(),
      loadAverageAtStart: loadAtStart,
      secondsPerRow: seconds,
      nice,
      loopNice,
      hogs: hogCount,
      priority: priorityLine,
      v8Workers,
      method:
        'period error = when the tick started − its absolute deadline t0 + k·period; a wake-up more than a period late counts the skipped deadlines as missed. CPU % = this process (loop, clock thread, simulator) over the row. Hogs are `node -e "for(;;){}"` children at nice 0.',
      wake,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`wrote ${out}`);
process.exit(0);
