/**
 * MCAP logging benchmark:
 *  1. cost of `writeTick` on the loop's thread (per call, with GC count and heap growth),
 *  2. sustained writer-thread throughput (ticks/s encoded and written) and bytes per tick,
 *  3. reader throughput,
 *  4. the control loop's period error at 500 and 1000 Hz with and without the logger attached.
 *
 *   npm run bench:logging [-- --seconds 5]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DoubleIntegratorRobot } from '../sim/toy/double-integrator.ts';
import type { RobotInfo } from '../src/core/robot.ts';
import { signal } from '../src/core/spec.ts';
import { createTickRecord } from '../src/core/tick.ts';
import { readLog } from '../src/logging/reader.ts';
import { McapTickLogger } from '../src/logging/tick-logger.ts';
import { quantile } from '../src/loop/timing.ts';
import {
  fillTick,
  gcCounter,
  loopTiming,
  machineInfo,
  numberFlag,
  printTable,
  writeResults,
} from './report.ts';
import { trivialRealtimeLoop } from './trivial-loop.ts';

const seconds = numberFlag('--seconds', 5);
const dir = mkdtempSync(join(tmpdir(), 'tether-bench-log-'));

const collections = gcCounter();

/** A 12-DoF legged robot's worth of signals: 36 observations, 12 actions. */
const quadruped: RobotInfo = {
  name: 'quadruped',
  transport: 'mqtt',
  observation: {
    signals: ['q', 'dq', 'tau'].flatMap((kind) =>
      Array.from({ length: 12 }, (_, j) =>
        signal(`${['fl', 'fr', 'rl', 'rr'][j >> 2]}_${['hip', 'thigh', 'calf'][j % 3]}.${kind}`, 'rad'),
      ),
    ),
  },
  action: {
    signals: Array.from({ length: 12 }, (_, j) => signal(`j${j}.target`, 'rad')),
    mode: 'position',
    safe: Array.from({ length: 12 }, () => 0),
  },
  capabilities: { minRateHz: 1, maxRateHz: 1000, lockStep: false, features: [] },
};

/**
 * 1. writeTick on the caller's thread: one synchronous run of calls into a ring large enough that
 * none drop, so the heap and GC counters see nothing but writeTick (after a JIT warm-up run).
 */
async function writeTickCost() {
  const total = 100_000;
  const record = createTickRecord(36, 12);
  const samples = new Float64Array(total);
  let result:
    | {
        calls: number;
        p50us: number;
        p99us: number;
        maxUs: number;
        gcDuringCalls: number;
        heapGrowthBytesPerCall: number;
        dropped: number;
      }
    | undefined;
  // Timing each call reads performance.now(), which boxes its result in Node 20, so heap and GC
  // are measured on an untimed pass and latency on a separate timed one.
  let heap = { gcDuringCalls: 0, heapGrowthBytesPerCall: 0 };
  for (const run of ['warm-up', 'heap', 'timed']) {
    const logger = await McapTickLogger.open(join(dir, `cost-${run}.mcap`), {
      robot: quadruped,
      controller: 'bench',
      rateHz: 1000,
      ringCapacity: 1 << 17,
    });
    global.gc?.();
    const gcBefore = collections.count;
    const heapBefore = process.memoryUsage().heapUsed;
    if (run === 'timed') {
      for (let tick = 0; tick < total; tick++) {
        fillTick(record, tick);
        const start = performance.now();
        logger.writeTick(record);
        samples[tick] = performance.now() - start;
      }
    } else {
      for (let tick = 0; tick < total; tick++) {
        fillTick(record, tick);
        logger.writeTick(record);
      }
    }
    const heapAfter = process.memoryUsage().heapUsed;
    if (run === 'heap')
      heap = {
        gcDuringCalls: collections.count - gcBefore,
        heapGrowthBytesPerCall: (heapAfter - heapBefore) / total,
      };
    const summary = await logger.close();
    samples.sort();
    result = {
      calls: total,
      p50us: quantile(samples, 0.5) * 1e3,
      p99us: quantile(samples, 0.99) * 1e3,
      maxUs: samples[total - 1]! * 1e3,
      ...heap,
      dropped: summary.droppedTicks,
    };
  }
  return result!;
}

/** 2 + 3. Fill a large ring at once and time the writer thread draining it, then read it back. */
async function throughput(robot: RobotInfo, ticks: number) {
  const path = join(dir, `${robot.name}-throughput.mcap`);
  const logger = await McapTickLogger.open(path, {
    robot,
    controller: 'bench',
    rateHz: 1000,
    ringCapacity: 2 ** Math.ceil(Math.log2(ticks)),
  });
  const record = createTickRecord(robot.observation.signals.length, robot.action.signals.length);
  const start = performance.now();
  for (let tick = 0; tick < ticks; tick++) {
    fillTick(record, tick);
    logger.writeTick(record);
  }
  const summary = await logger.close();
  const writeSeconds = (performance.now() - start) / 1000;
  const readStart = performance.now();
  const log = await readLog(path);
  const readSeconds = (performance.now() - readStart) / 1000;
  if (log.ticks.count !== summary.ticks) throw new Error(`read ${log.ticks.count} of ${summary.ticks} ticks`);
  return {
    robot: `${robot.name} (${robot.observation.signals.length} obs, ${robot.action.signals.length} act)`,
    ticks: summary.ticks,
    dropped: summary.droppedTicks,
    writeTicksPerS: summary.ticks / writeSeconds,
    bytesPerTick: summary.bytes / summary.ticks,
    chunks: summary.chunks,
    readTicksPerS: log.ticks.count / readSeconds,
    readMiBPerS: summary.bytes / 2 ** 20 / readSeconds,
  };
}

/** 4. The real control loop, real-time clock, with and without the logger as a sink. */
async function loopImpact(rateHz: number, withLogger: boolean) {
  const robot = new DoubleIntegratorRobot(1 / rateHz);
  await robot.configure();
  const logger = withLogger
    ? await McapTickLogger.open(join(dir, `loop-${rateHz}.mcap`), {
        robot: robot.info,
        controller: 'constant',
        rateHz,
      })
    : undefined;
  const loop = await trivialRealtimeLoop(robot, rateHz, logger ? [logger] : []);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const gcBefore = collections.count;
  const report = await loop.run(Math.round(seconds * rateHz));
  const heapAfter = process.memoryUsage().heapUsed;
  const gcs = collections.count - gcBefore;
  const summary = await logger?.close();
  await robot.deactivate();
  await robot.shutdown();
  return {
    rateHz,
    logger: withLogger ? 'mcap' : 'none',
    ...loopTiming(report),
    gcs,
    heapGrowthBytesPerTick: (heapAfter - heapBefore) / report.ticks,
    logged: summary?.ticks ?? 0,
    dropped: summary?.droppedTicks ?? 0,
  };
}

try {
  const cost = await writeTickCost();
  printTable(
    'writeTick on the loop thread (36 obs, 12 act)',
    ['calls', 'p50 µs', 'p99 µs', 'max µs', 'GCs', 'heap B/call', 'dropped'],
    [
      [
        cost.calls,
        cost.p50us,
        cost.p99us,
        cost.maxUs,
        cost.gcDuringCalls,
        cost.heapGrowthBytesPerCall,
        cost.dropped,
      ],
    ],
  );

  const cartpole: RobotInfo = {
    name: 'cartpole',
    transport: 'sim',
    observation: { signals: ['cart.pos', 'cart.vel', 'pole.angle', 'pole.vel'].map((n) => signal(n, '1')) },
    action: { signals: [signal('cart.force', 'N')], mode: 'torque', safe: [0] },
    capabilities: { minRateHz: 1, maxRateHz: 1000, lockStep: true, features: [] },
  };
  const rates = [await throughput(cartpole, 100_000), await throughput(quadruped, 50_000)];
  printTable(
    'writer thread and reader throughput',
    ['robot', 'ticks', 'dropped', 'write ticks/s', 'bytes/tick', 'chunks', 'read ticks/s', 'read MiB/s'],
    rates.map((r) => [
      r.robot,
      r.ticks,
      r.dropped,
      r.writeTicksPerS,
      r.bytesPerTick,
      r.chunks,
      r.readTicksPerS,
      r.readMiBPerS,
    ]),
  );

  const loops = [];
  for (const rateHz of [500, 1000])
    for (const withLogger of [false, true]) loops.push(await loopImpact(rateHz, withLogger));
  printTable(
    `control loop period error, real time, ${seconds} s each (double integrator, constant controller)`,
    [
      'rate Hz',
      'logger',
      'ticks',
      'p50 µs',
      'p99 µs',
      'max µs',
      'missed',
      'GCs',
      'heap B/tick',
      'logged',
      'dropped',
    ],
    loops.map((r) => [
      r.rateHz,
      r.logger,
      r.ticks,
      r.p50us,
      r.p99us,
      r.maxUs,
      r.missed,
      r.gcs,
      r.heapGrowthBytesPerTick,
      r.logged,
      r.dropped,
    ]),
  );

  const out = writeResults('logging.json', {
    ...machineInfo(),
    seconds,
    writeTick: cost,
    throughput: rates,
    loop: loops,
  });
  console.log(`\nwrote ${out}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
