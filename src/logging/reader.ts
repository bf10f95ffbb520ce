/**
 * Reads a Tether MCAP log back into typed arrays: one row per tick, one column per field.
 *
 * The whole file is streamed record by record (McapStreamReader) rather than read through the
 * index, so a log whose writer was killed (no summary, no footer, a half-written last chunk) reads
 * exactly like a complete one, minus what was lost; `truncated` says so.
 */

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import zstd from '@foxglove/wasm-zstd';
import type { TypedMcapRecords } from '@mcap/core';
import { type DecompressHandlers, MCAP_MAGIC, McapStreamReader } from '@mcap/core';
import type { ControlEvent, ControlEventKind } from '../core/events.ts';
import type { LinkHealth } from '../core/link-health.ts';
import type { RobotInfo } from '../core/robot.ts';
import {
  fromMetadataJson,
  type LoggerCounts,
  MetadataName,
  nsToSeconds,
  parseLinkMessage,
  parseLoggerMessage,
  Topic,
  tickTopics,
} from './layout.ts';

export class NotMcapError extends Error {
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`${path} is not an MCAP file: ${detail}`);
    this.name = 'NotMcapError';
  }
}

export interface LogChannel {
  readonly id: number;
  readonly topic: string;
  readonly schemaName: string;
  readonly messageEncoding: string;
  readonly messageCount: number;
}

/** Column-major tick data; row i of a vector is `observation.subarray(i * n, (i + 1) * n)`. */
export interface LogTicks {
  readonly count: number;
  readonly observationNames: readonly string[];
  readonly actionNames: readonly string[];
  readonly observationSize: number;
  readonly actionSize: number;
  readonly tick: Float64Array;
  /** The tick's deadline in loop seconds (the MCAP log time). */
  readonly time: Float64Array;
  /**
   * Wall clock when the writer thread took the tick from the ring (woken by the loop, so normally
   * well under a millisecond after the tick was handed over), seconds since the epoch.
   */
  readonly wallTime: Float64Array;
  readonly periodError: Float64Array;
  readonly computeTime: Float64Array;
  readonly observationTime: Float64Array;
  readonly missedDeadlines: Float64Array;
  /** Index of the active controller in `TetherLog.controllers` (0 in logs from before the manager). */
  readonly controller: Int32Array;
  readonly mode: Int32Array;
  readonly safetyFlags: Uint32Array;
  readonly observation: Float64Array;
  readonly action: Float64Array;
  readonly command: Float64Array;
}

/** One `/tether/link` sample: the link's health (counts since configure) at loop time `time`. */
export interface LinkSample {
  readonly time: number;
  readonly wallTime: number;
  readonly health: LinkHealth;
}

export interface LoggedEvent extends ControlEvent {
  /** Wall clock when the event was emitted, seconds since the epoch. */
  readonly wallTime: number;
}

/** Counts the writer stored when it closed the log cleanly (absent when the run was killed). */
export interface WrittenSummary {
  readonly ticks: number;
  readonly droppedTicks: number;
  readonly events: number;
  readonly closedAt: string;
}

export interface TetherLog {
  readonly path: string;
  readonly bytes: number;
  /** True when the file ends before the MCAP footer (crash, kill, full disk). */
  readonly truncated: boolean;
  /** Why reading stopped early, when it did. */
  readonly truncation: string | undefined;
  /** Chunks read completely. */
  readonly chunks: number;
  readonly library: string;
  /** Every metadata record, by name. */
  readonly metadata: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly robot: RobotInfo | undefined;
  /** The controller active at start. */
  readonly controller: string | undefined;
  /** Every controller of the run; `ticks.controller` indexes this list. */
  readonly controllers: readonly string[];
  readonly rateHz: number | undefined;
  readonly startedAt: string | undefined;
  readonly config: unknown;
  readonly channels: readonly LogChannel[];
  readonly ticks: LogTicks;
  /** Ticks seen on some but not all tick channels (a chunk boundary cut them; their rest was lost). */
  readonly incompleteTicks: number;
  readonly events: readonly LoggedEvent[];
  /** Link health samples (robots behind a link only), in order; the last one is the run's total. */
  readonly link: readonly LinkSample[];
  /**
   * The logger's latest `/tether/logger` counts (written once a second and at close): after a crash,
   * the ticks and events it had dropped by its last complete chunk. Undefined in older logs.
   */
  readonly logger: LoggerCounts | undefined;
  readonly summary: WrittenSummary | undefined;
}

/** A growable Float64/Int32/Uint32 column; the reader does not know the tick count up front. */
class Column<T extends Float64Array | Int32Array | Uint32Array> {
  length = 0;
  constructor(
    private data: T,
    private readonly make: (size: number) => T,
    readonly width = 1,
  ) {}
  push(values: ArrayLike<number>): void {
    const needed = (this.length + 1) * this.width;
    if (needed > this.data.length) {
      const grown = this.make(Math.max(needed, this.data.length * 2));
      grown.set(this.data);
      this.data = grown;
    }
    for (let i = 0; i < this.width; i++) this.data[this.length * this.width + i] = values[i]!;
    this.length++;
  }
  pushOne(value: number): void {
    scalar[0] = value;
    this.push(scalar);
  }
  result(): T {
    return this.data.slice(0, this.length * this.width) as T;
  }
}
const scalar = new Float64Array(1);
const floats = (width = 1) =>
  new Column(new Float64Array(256 * width), (size) => new Float64Array(size), width);

function numberOrNaN(value: unknown): number {
  return typeof value === 'number' ? value : Number.NaN;
}

function valueAt(message: unknown, path: readonly string[]): number {
  let node: unknown = message;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return Number.NaN;
    node = (node as Record<string, unknown>)[key];
  }
  return numberOrNaN(node);
}

function readVector(message: unknown, paths: readonly (readonly string[])[], out: Float64Array): void {
  for (let i = 0; i < paths.length; i++) out[i] = valueAt(message, paths[i]!);
}

/** Joins the six per-tick messages (written consecutively, in `tickTopics` order) into one row. */
class TickAssembler {
  readonly tick = floats();
  readonly time = floats();
  readonly wallTime = floats();
  readonly periodError = floats();
  readonly computeTime = floats();
  readonly observationTime = floats();
  readonly missedDeadlines = floats();
  readonly controller = new Column(new Int32Array(256), (size) => new Int32Array(size));
  readonly mode = new Column(new Int32Array(256), (size) => new Int32Array(size));
  readonly safetyFlags = new Column(new Uint32Array(256), (size) => new Uint32Array(size));
  observation = floats(0);
  action = floats(0);
  command = floats(0);
  observationPaths: readonly (readonly string[])[] = [];
  actionPaths: readonly (readonly string[])[] = [];
  incomplete = 0;

  private current = Number.NaN;
  private parts = 0;
  private readonly row = {
    observation: new Float64Array(0),
    action: new Float64Array(0),
    command: new Float64Array(0),
    time: 0,
    wallTime: 0,
    periodError: 0,
    computeTime: 0,
    observationTime: 0,
    missedDeadlines: 0,
    controller: 0,
    mode: 0,
    safetyFlags: 0,
  };

  /** Called when a vector channel's record is read; it always precedes that channel's messages. */
  setLayout(vector: 'observation' | 'action', paths: readonly (readonly string[])[]): void {
    if (this.tick.length > 0) {
      const known = vector === 'observation' ? this.observationPaths : this.actionPaths;
      if (JSON.stringify(known) === JSON.stringify(paths)) return;
      throw new Error(`the ${vector} layout changed after the first tick; the log mixes two runs`);
    }
    if (vector === 'observation') {
      this.observationPaths = paths;
      this.observation = floats(paths.length);
      this.row.observation = new Float64Array(paths.length);
    } else {
      this.actionPaths = paths;
      this.action = floats(paths.length);
      this.command = floats(paths.length);
      this.row.action = new Float64Array(paths.length);
      this.row.command = new Float64Array(paths.length);
    }
  }

  add(part: number, message: Record<string, unknown>, publishTime: bigint): void {
    const tick = numberOrNaN(message['tick']);
    if (tick !== this.current) {
      if (this.parts !== 0) this.incomplete++;
      this.current = tick;
      this.parts = 0;
    }
    const row = this.row;
    switch (tickTopics[part]) {
      case Topic.observation:
        readVector(message, this.observationPaths, row.observation);
        break;
      case Topic.action:
        readVector(message, this.actionPaths, row.action);
        break;
      case Topic.command:
        readVector(message, this.actionPaths, row.command);
        break;
      case Topic.timing:
        row.time = numberOrNaN(message['deadline']);
        row.wallTime = nsToSeconds(publishTime);
        row.periodError = numberOrNaN(message['period_error']);
        row.computeTime = numberOrNaN(message['compute_time']);
        row.observationTime = numberOrNaN(message['observation_time']);
        row.missedDeadlines = numberOrNaN(message['missed_deadlines']);
        break;
      case Topic.mode:
        row.controller = numberOrNaN(message['controller'] ?? 0);
        row.mode = numberOrNaN(message['mode']);
        break;
      case Topic.safety:
        row.safetyFlags = numberOrNaN(message['flags']);
        break;
    }
    this.parts |= 1 << part;
    if (this.parts === (1 << tickTopics.length) - 1) {
      this.commit(tick);
      this.parts = 0;
      this.current = Number.NaN;
    }
  }

  finish(): void {
    if (this.parts !== 0) this.incomplete++;
    this.parts = 0;
  }

  private commit(tick: number): void {
    const row = this.row;
    this.tick.pushOne(tick);
    this.time.pushOne(row.time);
    this.wallTime.pushOne(row.wallTime);
    this.periodError.pushOne(row.periodError);
    this.computeTime.pushOne(row.computeTime);
    this.observationTime.pushOne(row.observationTime);
    this.missedDeadlines.pushOne(row.missedDeadlines);
    this.controller.pushOne(row.controller);
    this.mode.pushOne(row.mode);
    this.safetyFlags.pushOne(row.safetyFlags);
    this.observation.push(row.observation);
    this.action.push(row.action);
    this.command.push(row.command);
  }
}

async function checkMagic(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `log file not found: ${path}` : `cannot read log ${path}: ${String(error)}`,
    );
  }
  if (!info.isFile()) throw new Error(`${path} is not a file (expected an .mcap log)`);
  if (info.size === 0) throw new NotMcapError(path, 'the file is empty (the writer never started)');
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(MCAP_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const matches = bytesRead === MCAP_MAGIC.length && MCAP_MAGIC.every((byte, i) => head[i] === byte);
    if (!matches) {
      const found = Buffer.from(head.subarray(0, bytesRead)).toString('hex');
      throw new NotMcapError(
        path,
        `expected the magic bytes 894d434150300d0a at the start, found ${found || 'nothing'}`,
      );
    }
  } finally {
    await handle.close();
  }
  return info.size;
}

function channelJson<T>(channel: TypedMcapRecords['Channel'], key: string): T {
  const text = channel.metadata.get(key);
  if (text === undefined) {
    throw new Error(`channel ${channel.topic} lacks the '${key}' metadata a Tether log writes`);
  }
  return JSON.parse(text) as T;
}

/**
 * Chunk decompressors for @mcap/core readers: Tether writes zstd chunks (older logs: uncompressed).
 * The official MCAP tools read the same codec.
 */
export async function decompressHandlers(): Promise<DecompressHandlers> {
  await zstd.isLoaded;
  return { zstd: (data, size) => zstd.decompress(data, Number(size)) };
}

/** Reads a log written by McapTickLogger; tolerates truncation, rejects files that are not MCAP. */
export async function readLog(path: string): Promise<TetherLog> {
  const bytes = await checkMagic(path);
  const reader = new McapStreamReader({
    includeChunks: true,
    decompressHandlers: await decompressHandlers(),
  });
  const metadata = new Map<string, Record<string, string>>();
  const schemas = new Map<number, string>();
  const channels = new Map<number, TypedMcapRecords['Channel']>();
  const counts = new Map<number, number>();
  const partOf = new Map<number, number>();
  const events: LoggedEvent[] = [];
  const link: LinkSample[] = [];
  let logger: LoggerCounts | undefined;
  const assembler = new TickAssembler();
  let observationNames: string[] = [];
  let actionNames: string[] = [];
  let library = '';
  let chunks = 0;
  let truncation: string | undefined;

  const onChannel = (channel: TypedMcapRecords['Channel']): void => {
    channels.set(channel.id, channel);
    const part = tickTopics.indexOf(channel.topic as (typeof tickTopics)[number]);
    if (part >= 0) partOf.set(channel.id, part);
    if (channel.topic === Topic.observation) {
      observationNames = channelJson<string[]>(channel, 'names');
      assembler.setLayout('observation', channelJson<string[][]>(channel, 'paths'));
    } else if (channel.topic === Topic.action) {
      actionNames = channelJson<string[]>(channel, 'names');
      assembler.setLayout('action', channelJson<string[][]>(channel, 'paths'));
    }
  };

  const onMessage = (message: TypedMcapRecords['Message']): void => {
    counts.set(message.channelId, (counts.get(message.channelId) ?? 0) + 1);
    const channel = channels.get(message.channelId);
    if (channel?.messageEncoding !== 'json') return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(Buffer.from(message.data).toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new Error(
        `${path}: message ${message.sequence} on ${channel.topic} is not valid JSON (${(error as Error).message})`,
      );
    }
    const part = partOf.get(message.channelId);
    if (part !== undefined) {
      assembler.add(part, body, message.publishTime);
    } else if (channel.topic === Topic.events) {
      const data = body['data'];
      events.push({
        time: numberOrNaN(body['time']),
        kind: String(body['kind']) as ControlEventKind,
        source: String(body['source']),
        message: String(body['message']),
        ...(data && typeof data === 'object' && Object.keys(data).length > 0
          ? { data: data as Record<string, number | string | boolean> }
          : {}),
        wallTime: nsToSeconds(message.publishTime),
      });
    } else if (channel.topic === Topic.link) {
      link.push({ ...parseLinkMessage(body), wallTime: nsToSeconds(message.publishTime) });
    } else if (channel.topic === Topic.logger) {
      logger = parseLoggerMessage(body);
    }
  };

  const stream = createReadStream(path, { highWaterMark: 1 << 20 });
  try {
    reading: for await (const piece of stream) {
      reader.append(piece as Buffer);
      for (;;) {
        let record: ReturnType<McapStreamReader['nextRecord']>;
        try {
          record = reader.nextRecord();
        } catch (error) {
          truncation = `unreadable data after ${chunks} complete chunks: ${(error as Error).message}`;
          break reading;
        }
        if (!record) break;
        switch (record.type) {
          case 'Header':
            library = record.library;
            break;
          case 'Schema':
            schemas.set(record.id, record.name);
            break;
          case 'Channel':
            onChannel(record);
            break;
          case 'Message':
            onMessage(record);
            break;
          case 'Chunk':
            chunks++;
            break;
          case 'Metadata':
            metadata.set(record.name, Object.fromEntries(record.metadata));
            break;
        }
      }
    }
  } finally {
    stream.destroy();
  }
  if (truncation === undefined && !reader.done()) {
    truncation = `the file ends before the MCAP footer; ${reader.bytesRemaining()} trailing bytes (an unfinished record) were lost`;
  }
  assembler.finish();

  const robotJson = metadata.get(MetadataName.robot)?.['json'];
  const run = metadata.get(MetadataName.run);
  const configJson = metadata.get(MetadataName.config)?.['json'];
  const written = metadata.get(MetadataName.summary);
  const a = assembler;
  const ticks: LogTicks = {
    count: a.tick.length,
    observationNames,
    actionNames,
    observationSize: a.observationPaths.length,
    actionSize: a.actionPaths.length,
    tick: a.tick.result(),
    time: a.time.result(),
    wallTime: a.wallTime.result(),
    periodError: a.periodError.result(),
    computeTime: a.computeTime.result(),
    observationTime: a.observationTime.result(),
    missedDeadlines: a.missedDeadlines.result(),
    controller: a.controller.result(),
    mode: a.mode.result(),
    safetyFlags: a.safetyFlags.result(),
    observation: a.observation.result(),
    action: a.action.result(),
    command: a.command.result(),
  };
  return {
    path,
    bytes,
    truncated: truncation !== undefined,
    truncation,
    chunks,
    library,
    metadata,
    robot: robotJson === undefined ? undefined : (fromMetadataJson(robotJson) as RobotInfo),
    controller: run?.['controller'],
    controllers:
      run?.['controllers'] === undefined
        ? run?.['controller'] === undefined
          ? []
          : [run['controller']]
        : (JSON.parse(run['controllers']) as string[]),
    rateHz: run?.['rate_hz'] === undefined ? undefined : Number(run['rate_hz']),
    startedAt: run?.['started_at'],
    config: configJson === undefined ? undefined : JSON.parse(configJson),
    channels: [...channels.values()].map((channel) => ({
      id: channel.id,
      topic: channel.topic,
      schemaName: schemas.get(channel.schemaId) ?? '',
      messageEncoding: channel.messageEncoding,
      messageCount: counts.get(channel.id) ?? 0,
    })),
    ticks,
    incompleteTicks: a.incomplete,
    events,
    link,
    logger,
    summary:
      written === undefined
        ? undefined
        : {
            ticks: Number(written['ticks']),
            droppedTicks: Number(written['dropped_ticks']),
            events: Number(written['events']),
            closedAt: written['closed_at'] ?? '',
          },
  };
}

/** One tick as views into the log's columns (allocates per row: for analysis, not for control). */
export interface TickRow {
  readonly index: number;
  readonly tick: number;
  readonly time: number;
  readonly controller: number;
  readonly mode: number;
  readonly safetyFlags: number;
  readonly observation: Float64Array;
  readonly action: Float64Array;
  readonly command: Float64Array;
}

export function* iterateTicks(log: Pick<TetherLog, 'ticks'>): Generator<TickRow> {
  const t = log.ticks;
  const n = t.observationSize;
  const m = t.actionSize;
  for (let i = 0; i < t.count; i++) {
    yield {
      index: i,
      tick: t.tick[i]!,
      time: t.time[i]!,
      controller: t.controller[i]!,
      mode: t.mode[i]!,
      safetyFlags: t.safetyFlags[i]!,
      observation: t.observation.subarray(i * n, (i + 1) * n),
      action: t.action.subarray(i * m, (i + 1) * m),
      command: t.command.subarray(i * m, (i + 1) * m),
    };
  }
}
