/**
 * Live view benchmark:
 *  1. cost of the live tick sink's `writeTick` on the loop's thread (mean ns per call from batches,
 *     minus the cost of filling the record; GCs and heap growth on an untimed pass), for a cartpole
 *     and a 12-DoF robot, copying every tick and every 10th (a 500 Hz loop streamed at 50 Hz);
 *  2. the publisher step (on the live view's own thread): encode and send one timer period of ticks
 *     to a real Foxglove client subscribed to every channel;
 *  3. the real-time loop at 500 Hz with no live view and with the live view and a client attached.
 *
 *   npm run bench:live [-- --seconds 5]
 */
import { Worker } from 'node:worker_threads';
import { DoubleIntegratorRobot } from '../sim/toy/double-integrator.ts';
import { createTickRecord } from '../src/core/tick.ts';
import { LiveServer } from '../src/live/server.ts';
import { LiveTickSink } from '../src/live/tick-sink.ts';
import { TickRingConsumer } from '../src/logging/tick-ring.ts';
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

const collections = gcCounter();

/**
 * 1. Cost of writeTick: batches of calls on one record (only `tick` changes), timed as a whole so the
 * clock's own cost is spread over the batch; the ring is drained between batches (no drops, which
 * would be cheaper). Median and fastest batch; heap growth on an untimed pass.
 */
function sinkCost(observationSize: number, actionSize: number, every: number) {
  const batch = 20_000;
  const record = createTickRecord(observationSize, actionSize);
  fillTick(record, 1);
  const sink = new LiveTickSink();
  const consumer = new TickRingConsumer(sink.attach({ observationSize, actionSize }, every, 1 << 15));
  const out = new Float64Array(consumer.stride);
  const drain = () => {
    while (consumer.take(out));
  };
  const run = (): void => {
    for (let tick = 0; tick < batch; tick++) {
      record.tick = tick;
      sink.writeTick(record);
    }
  };
  const costs: number[] = [];
  for (let i = 0; i < 60; i++) {
    const start = performance.now();
    run();
    const ns = ((performance.now() - start) * 1e6) / batch;
    drain();
    if (i >= 10) costs.push(ns);
  }
  costs.sort((a, b) => a - b);
  global.gc?.();
  const gcBefore = collections.count;
  const heapBefore = process.memoryUsage().heapUsed;
  run();
  const heapAfter = process.memoryUsage().heapUsed;
  drain();
  return {
    signals: `${observationSize} obs, ${actionSize} act`,
    every,
    nsPerTickMedian: costs[Math.floor(costs.length / 2)]!,
    nsPerTickMin: costs[0]!,
    gcDuringCalls: collections.count - gcBefore,
    heapGrowthBytesPerCall: (heapAfter - heapBefore) / batch,
    dropped: sink.dropped,
  };
}

/** A real Foxglove client subscribed to every channel, on its own thread so its work is not the loop's. */
async function connectClient(url: string): Promise<{ close(): Promise<number> }> {
  const worker = new Worker(
    `const { FoxgloveClient } = require('@foxglove/ws-protocol');
     const { WebSocket } = require('ws');
     const { workerData, parentPort } = require('node:worker_threads');
     const client = new FoxgloveClient({ ws: new WebSocket(workerData, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]) });
     let messages = 0;
     client.on('advertise', (channels) => { for (const c of channels) client.subscribe(c.id); });
     client.on('message', () => { messages++; });
     parentPort.on('message', () => { client.close(); parentPort.postMessage(messages); parentPort.close(); });`,
    { eval: true, workerData: url },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  return {
    close: async () => {
      const count = new Promise<number>((resolve) => worker.once('message', resolve));
      worker.postMessage('close');
      const messages = await count;
      await worker.terminate();
      return messages;
    },
  };
}

/** 3 (and 2: the publisher's longest step, from the status it reports). */
async function loopImpact(rateHz: number, live: boolean) {
  const robot = new DoubleIntegratorRobot(1 / rateHz);
  await robot.configure();
  const server = live
    ? await LiveServer.start({
        host: '127.0.0.1',
        port: 0,
        token: 'bench-token-0123456789',
        allowOrigins: [],
        tickHz: 50,
        publishHz: 25,
      })
    : undefined;
  const loop = await trivialRealtimeLoop(robot, rateHz, server ? [server.sink] : []);
  server?.attach({ loop, robot, info: { name: 'bench', rateHz } });
  const client = server ? await connectClient(server.url.replace('http', 'ws')) : undefined;
  const report = await loop.run(Math.round(seconds * rateHz));
  await new Promise((resolve) => setTimeout(resolve, 100));
  const status = (await server?.status()) as {
    live: { streamed_ticks: number; dropped_ticks: number; publish_ms_max: number; publish_ms_mean: number };
  };
  const received = (await client?.close()) ?? 0;
  await server?.close();
  await robot.deactivate();
  await robot.shutdown();
  return {
    rateHz,
    live: live ? 'server + 1 client (all channels)' : 'none',
    ...loopTiming(report),
    streamedTicks: status?.live.streamed_ticks ?? 0,
    droppedTicks: status?.live.dropped_ticks ?? 0,
    messagesReceived: received,
    publishMsMean: status?.live.publish_ms_mean ?? 0,
    publishMsMax: status?.live.publish_ms_max ?? 0,
  };
}

const costs = [sinkCost(4, 1, 1), sinkCost(4, 1, 10), sinkCost(36, 12, 1), sinkCost(36, 12, 10)];
printTable(
  'live tick sink writeTick on the loop thread',
  ['signals', 'every', 'ns/tick (median)', 'ns/tick (min)', 'GCs', 'heap B/call', 'dropped'],
  costs.map((c) => [
    c.signals,
    c.every,
    c.nsPerTickMedian,
    c.nsPerTickMin,
    c.gcDuringCalls,
    c.heapGrowthBytesPerCall,
    c.dropped,
  ]),
);

const loops = [];
for (const live of [false, true, false, true]) loops.push(await loopImpact(500, live));
printTable(
  `real-time loop at 500 Hz, ${seconds} s each (period error)`,
  [
    'live view',
    'ticks',
    'p50 µs',
    'p99 µs',
    'max µs',
    'missed',
    'streamed',
    'dropped',
    'msgs',
    'publish mean ms',
    'max ms',
  ],
  loops.map((l) => [
    l.live,
    l.ticks,
    l.p50us,
    l.p99us,
    l.maxUs,
    l.missed,
    l.streamedTicks,
    l.droppedTicks,
    l.messagesReceived,
    l.publishMsMean,
    l.publishMsMax,
  ]),
);

const out = writeResults('live.json', { ...machineInfo(), seconds, sinkCost: costs, loop: loops });
console.log(`\nwrote ${out}`);
