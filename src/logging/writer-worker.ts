/**
 * The log writer thread: takes ticks out of the shared ring, encodes them as JSON and appends
 * them to the MCAP file. Encoding and disk I/O happen here so the control loop only copies numbers.
 *
 * Protocol with McapTickLogger (parent): workerData = WriterSetup; the worker answers `ready` or
 * `error`; the parent sends `event` and `close` messages; the worker answers `closed` with counts.
 */

import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import zstd from '@foxglove/wasm-zstd';
import { McapWriter } from '@mcap/core';
import type { ControlEvent } from '../core/events.ts';
import type { LinkHealth } from '../core/link-health.ts';
import type { RobotInfo } from '../core/robot.ts';
import { eventMessage } from './event-message.ts';
import { fileWritable } from './file-writable.ts';
import {
  eventSchema,
  linkMessage,
  linkSchema,
  loggerMessage,
  loggerSchema,
  MetadataName,
  modeSchema,
  safetySchema,
  secondsToNs,
  Topic,
  timingSchema,
  toMetadataJson,
  vectorLayout,
  vectorSchema,
} from './layout.ts';
import { TickEncoder } from './tick-encoder.ts';
import { SlotField, type TickRingBuffers, TickRingConsumer } from './tick-ring.ts';

export interface WriterSetup {
  readonly path: string;
  readonly ring: TickRingBuffers;
  readonly chunkSize: number;
  readonly robot: RobotInfo;
  readonly controller: string;
  /** Every controller of the run, in the order the per-tick `controller` index refers to. */
  readonly controllers: readonly string[];
  readonly rateHz: number;
  /** JSON of the run config, or undefined when none was given. */
  readonly configJson: string | undefined;
  readonly startedAtMs: number;
  readonly version: string;
  /** Register `/tether/link` (the robot is behind a link and reports its health). */
  readonly link?: boolean;
}

export type ParentMessage =
  | { readonly type: 'event'; readonly event: ControlEvent; readonly wallTimeMs: number }
  | {
      readonly type: 'link';
      readonly time: number;
      readonly health: LinkHealth;
      readonly wallTimeMs: number;
    }
  | {
      readonly type: 'close';
      readonly dropped: number;
      /** Extra entries of the summary record (the run's task outcome). */
      readonly summary?: Readonly<Record<string, string>>;
    };

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'error'; readonly message: string }
  | {
      readonly type: 'closed';
      readonly ticks: number;
      readonly events: number;
      readonly messages: number;
      readonly chunks: number;
      readonly bytes: number;
      readonly firstDeadline: number;
      readonly lastDeadline: number;
    };

const pollMs = 20;
/** How often the logger's own counts go to `/tether/logger` (wall time). */
const countsPeriodMs = 1000;
/** Ticks written between two looks at the message port. */
const batchTicks = 64;

function wallMsToNs(ms: number): bigint {
  return secondsToNs(ms / 1000);
}

async function run(setup: WriterSetup): Promise<void> {
  const port = parentPort!;
  await zstd.isLoaded;
  // Log time is the Unix epoch: the run's wall-clock start plus loop time, so viewers show when the
  // run happened and log time stays monotonic within a run even if the wall clock is adjusted.
  const epochNs = BigInt(Math.round(setup.startedAtMs)) * 1_000_000n;
  const logTimeOf = (loopSeconds: number): bigint => epochNs + secondsToNs(loopSeconds);
  const file = await open(setup.path, 'w');
  const writable = fileWritable(file, setup.path);
  const writer = new McapWriter({
    writable,
    chunkSize: setup.chunkSize,
    // zstd level 3: a fifth of the size of plain JSON chunks at a small fraction of the writer's time.
    compressChunk: (data: Uint8Array) => ({ compression: 'zstd', compressedData: zstd.compress(data, 3) }),
  });
  await writer.start({ profile: '', library: `tether ${setup.version}` });

  const { robot } = setup;
  const observationLayout = vectorLayout(robot.observation);
  const actionLayout = vectorLayout(robot.action);
  const encoder = new TextEncoder();

  const channel = async (topic: string, schema: { title: string }, metadata: Record<string, string> = {}) => {
    const schemaId = await writer.registerSchema({
      name: schema.title,
      encoding: 'jsonschema',
      data: encoder.encode(JSON.stringify(schema)),
    });
    return writer.registerChannel({
      topic,
      schemaId,
      messageEncoding: 'json',
      metadata: new Map(Object.entries(metadata)),
    });
  };
  const vectorMetadata = (layout: typeof observationLayout) => ({
    names: JSON.stringify(layout.names),
    paths: JSON.stringify(layout.paths),
    layout: layout.kind,
  });
  const ids = {
    observation: await channel(
      Topic.observation,
      vectorSchema(
        'tether.Observation',
        `Observation of ${robot.name}`,
        robot.observation,
        observationLayout,
      ),
      vectorMetadata(observationLayout),
    ),
    action: await channel(
      Topic.action,
      vectorSchema('tether.Action', 'Action proposed by the controller', robot.action, actionLayout),
      vectorMetadata(actionLayout),
    ),
    command: await channel(
      Topic.command,
      vectorSchema(
        'tether.Command',
        'Command sent to the robot after the safety layer',
        robot.action,
        actionLayout,
      ),
      vectorMetadata(actionLayout),
    ),
    timing: await channel(Topic.timing, timingSchema),
    mode: await channel(Topic.mode, modeSchema),
    safety: await channel(Topic.safety, safetySchema),
    events: await channel(Topic.events, eventSchema),
    link: setup.link ? await channel(Topic.link, linkSchema) : undefined,
    logger: await channel(Topic.logger, loggerSchema),
  };

  // Metadata goes straight to the file (outside chunks), so a crashed run still says what it was.
  await writer.addMetadata({
    name: MetadataName.robot,
    metadata: new Map([
      ['name', robot.name],
      ['transport', robot.transport],
      ['json', toMetadataJson(robot)],
    ]),
  });
  await writer.addMetadata({
    name: MetadataName.run,
    metadata: new Map([
      ['controller', setup.controller],
      ['controllers', JSON.stringify(setup.controllers)],
      ['rate_hz', String(setup.rateHz)],
      ['started_at', new Date(setup.startedAtMs).toISOString()],
      ['tether_version', setup.version],
    ]),
  });
  if (setup.configJson !== undefined) {
    await writer.addMetadata({ name: MetadataName.config, metadata: new Map([['json', setup.configJson]]) });
  }

  const tickEncoder = new TickEncoder(robot);
  const consumer = new TickRingConsumer(setup.ring);
  const slot = new Float64Array(consumer.stride);
  // In tickTopics order: the reader joins one tick's channels in this order.
  const tickChannelIds = [ids.observation, ids.action, ids.command, ids.timing, ids.mode, ids.safety];

  let sequence = 0;
  let ticks = 0;
  let events = 0;
  let firstDeadline = Number.NaN;
  let lastDeadline = Number.NaN;

  const add = (channelId: number, logTime: bigint, publishTime: bigint, json: string) =>
    writer.addMessage({ channelId, sequence: sequence++, logTime, publishTime, data: encoder.encode(json) });

  /** `takenAtMs`: wall clock when the slot left the ring; the producer wakes us for every tick. */
  const writeTick = async (takenAtMs: number): Promise<void> => {
    const deadline = slot[SlotField.deadline]!;
    const logTime = logTimeOf(deadline);
    const publishTime = wallMsToNs(takenAtMs);
    for (let c = 0; c < tickChannelIds.length; c++)
      await add(tickChannelIds[c]!, logTime, publishTime, tickEncoder.encode(slot, c));
    if (ticks === 0) firstDeadline = deadline;
    lastDeadline = deadline;
    ticks++;
  };

  const writeEvent = async (event: ControlEvent, wallTimeMs: number): Promise<void> => {
    const logTime = logTimeOf(event.time);
    await add(ids.events, logTime, wallMsToNs(wallTimeMs), eventMessage(event, logTime));
    events++;
  };

  const writeLink = async (time: number, health: LinkHealth, wallTimeMs: number): Promise<void> => {
    if (ids.link === undefined) return;
    await add(ids.link, logTimeOf(time), wallMsToNs(wallTimeMs), linkMessage(time, health));
  };

  /**
   * The logger's counts, once a second of wall time: ticks and events dropped reach the file while
   * the run goes on, so a log cut short by a crash still says how many it lost (up to its last chunk).
   */
  let countsWrittenAtMs = Number.NEGATIVE_INFINITY;
  const writeCounts = async (nowMs: number): Promise<void> => {
    countsWrittenAtMs = nowMs;
    const time = Number.isNaN(lastDeadline) ? 0 : lastDeadline;
    const json = loggerMessage({
      time,
      ticks,
      droppedTicks: consumer.dropped(),
      droppedEvents: consumer.lostEvents(),
      backlog: consumer.available(),
    });
    await add(ids.logger, logTimeOf(time), wallMsToNs(nowMs), json);
  };

  const pendingEvents: ParentMessage[] = [];
  let closeRequest: { dropped: number; summary?: Readonly<Record<string, string>> } | undefined;
  port.on('message', (message: ParentMessage) => {
    if (message.type === 'close') closeRequest = message;
    else pendingEvents.push(message);
    consumer.wake();
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);

  for (;;) {
    let batch = 0;
    while (batch < batchTicks && consumer.take(slot)) {
      await writeTick(performance.timeOrigin + performance.now());
      batch++;
    }
    while (pendingEvents.length > 0) {
      const next = pendingEvents.shift()!;
      if (next.type === 'event') await writeEvent(next.event, next.wallTimeMs);
      else if (next.type === 'link') await writeLink(next.time, next.health, next.wallTimeMs);
    }
    const nowMs = performance.timeOrigin + performance.now();
    if (nowMs - countsWrittenAtMs >= countsPeriodMs) await writeCounts(nowMs);
    if (closeRequest && consumer.available() === 0) break;
    // Port messages (events, close) are macrotasks: a full batch yields so they are not starved
    // while the ring stays busy; an empty ring sleeps until the producer publishes.
    if (batch === batchTicks) await new Promise((resolve) => setImmediate(resolve));
    else await consumer.waitForData(pollMs);
  }

  await writeCounts(performance.timeOrigin + performance.now());
  await writer.addMetadata({
    name: MetadataName.summary,
    metadata: new Map([
      ['ticks', String(ticks)],
      ['dropped_ticks', String(closeRequest.dropped)],
      ['events', String(events)],
      ['closed_at', new Date().toISOString()],
      ...Object.entries(closeRequest.summary ?? {}),
    ]),
  });
  await writer.end();
  await file.datasync();
  await file.close();
  const stats = writer.statistics;
  port.postMessage({
    type: 'closed',
    ticks,
    events,
    messages: Number(stats?.messageCount ?? 0n),
    chunks: stats?.chunkCount ?? 0,
    bytes: Number(writable.position()),
    firstDeadline,
    lastDeadline,
  } satisfies WorkerMessage);
}

run(workerData as WriterSetup).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // A producer blocked on a full ring (whenFull: wait) learns it here, not after its wait runs out.
  new TickRingConsumer((workerData as WriterSetup).ring).fail();
  parentPort?.postMessage({ type: 'error', message } satisfies WorkerMessage);
});
