/**
 * Logs every control tick to an MCAP file without slowing the loop down.
 *
 * `writeTick` only copies numbers into a SharedArrayBuffer ring; a worker thread encodes JSON and
 * writes chunked MCAP. If the worker falls behind (slow disk), ticks are dropped and counted, never
 * queued on the loop's thread. Chunks hold at most about one second of ticks at the nominal rate,
 * so a process killed with SIGKILL leaves a file that is readable up to its last complete chunk;
 * the drop counts sit in the ring's shared memory and reach `/tether/logger` once a second, so such
 * a file still says how many ticks were dropped.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ControlEvent, EventSink } from '../core/events.ts';
import type { LinkHealth } from '../core/link-health.ts';
import type { RobotInfo } from '../core/robot.ts';
import type { TickRecord } from '../core/tick.ts';
import { workerEntry } from '../runtime/entry-points.ts';
import { withoutMemoryReducer } from '../runtime/heap.ts';
import {
  fillTemplate,
  flatTemplate,
  safetyKeys,
  timingKeys,
  vectorLayout,
  vectorTemplate,
} from './layout.ts';
import { createTickRingBuffers, ringCapacityFor, TickRingProducer } from './tick-ring.ts';
import type { ParentMessage, WorkerMessage, WriterSetup } from './writer-worker.ts';

export interface TickLoggerOptions {
  readonly robot: RobotInfo;
  /** Name of the controller active at start (stored as metadata). */
  readonly controller: string;
  /** Every controller of the run; a tick's `controller` index refers to this list. Default: [controller]. */
  readonly controllers?: readonly string[];
  /** The run configuration, stored as JSON metadata so a log says how it was produced. */
  readonly config?: unknown;
  /** Nominal control rate; sizes chunks (≤ 1 s of ticks) and the ring (4 s of ticks by default). */
  readonly rateHz: number;
  /** Ring slots (power of two); the default holds 4 s of ticks at `rateHz`. */
  readonly ringCapacity?: number;
  /** Upper bound on a chunk's uncompressed size in bytes (default 256 KiB). */
  readonly maxChunkBytes?: number;
  /**
   * What `writeTick` does when the ring is full. `drop` (default): count the tick and return, so
   * logging never holds up a real-time loop. `wait`: block until the writer frees a slot (at most
   * 1 s per tick), for virtual-time (fast) runs that must keep every tick, e.g. to build datasets.
   */
  readonly whenFull?: 'drop' | 'wait';
  /** The robot is behind a link: log its health on `/tether/link` (see `writeLink`). */
  readonly link?: boolean;
}

/** What a running logger has lost so far (the status line and the live view show it). */
export interface LoggerDrops {
  /** Ticks dropped because the writer fell behind. */
  readonly droppedTicks: number;
  /** Events not logged. */
  readonly droppedEvents: number;
}

export interface LogSummary {
  readonly path: string;
  /** Ticks written to the file. */
  readonly ticks: number;
  /** Ticks dropped because the ring was full (the writer fell behind) or arrived after close. */
  readonly droppedTicks: number;
  readonly events: number;
  /** Events not logged: emitted after close, or not structured-cloneable. */
  readonly droppedEvents: number;
  readonly messages: number;
  readonly chunks: number;
  readonly bytes: number;
  /** Loop time from the first to the last logged tick, seconds. */
  readonly durationS: number;
}

const defaultMaxChunkBytes = 256 * 1024;
const minChunkBytes = 4 * 1024;
/**
 * How long a virtual-time run (`whenFull: wait`) lets a full ring wait for a writer thread that makes
 * no progress before it drops the tick. Lossless means lossless: a writer preempted on a loaded machine
 * (1 s and even 5 s were not enough in CI) is waited for; a writer that failed says so through the
 * ring and is not waited for at all; only a writer stuck for a minute (a hung disk) costs ticks, and
 * that wait is paid once, not per tick (TickRingProducer.push).
 */
const waitForWriterMs = 60_000;

function readVersion(): string {
  try {
    const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** Bytes of one tick on disk, from a worst-case tick (every number 24 characters long). */
function bytesPerTick(robot: RobotInfo): number {
  const wide = -1.2345678901234567e-100;
  const n = robot.observation.signals.length;
  const m = robot.action.signals.length;
  const json =
    fillTemplate(vectorTemplate(vectorLayout(robot.observation)), new Float64Array(n + 1).fill(wide)) +
    fillTemplate(vectorTemplate(vectorLayout(robot.action)), new Float64Array(m + 1).fill(wide)).repeat(2) +
    fillTemplate(flatTemplate(timingKeys), new Float64Array(timingKeys.length).fill(wide)) +
    fillTemplate(flatTemplate(safetyKeys), new Float64Array(safetyKeys.length).fill(1)) +
    '{"tick":1e21,"controller":1e21,"mode":1e21}';
  // Each MCAP message record adds 31 bytes of framing and the chunk's message index 16 more.
  return json.length + 6 * (31 + 16);
}

export function chunkSizeFor(robot: RobotInfo, rateHz: number, maxChunkBytes = defaultMaxChunkBytes): number {
  const oneSecond = Math.ceil(bytesPerTick(robot) * rateHz);
  return Math.max(minChunkBytes, Math.min(maxChunkBytes, oneSecond));
}

function validate(path: string, options: TickLoggerOptions): void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new TypeError('log path must be a non-empty string (e.g. runs/demo.mcap)');
  }
  if (!(Number.isFinite(options.rateHz) && options.rateHz > 0)) {
    throw new RangeError(`log rateHz must be a positive number of ticks per second, got ${options.rateHz}`);
  }
  const { robot } = options;
  if (!robot?.observation?.signals || !robot.action?.signals) {
    throw new TypeError('log robot must be a RobotInfo with observation and action specs');
  }
  if (options.whenFull !== undefined && options.whenFull !== 'drop' && options.whenFull !== 'wait') {
    throw new RangeError(`log whenFull must be 'drop' or 'wait', got ${String(options.whenFull)}`);
  }
  if (options.maxChunkBytes !== undefined && !(options.maxChunkBytes >= minChunkBytes)) {
    throw new RangeError(`log maxChunkBytes must be at least ${minChunkBytes}, got ${options.maxChunkBytes}`);
  }
}

export class McapTickLogger implements EventSink, LoggerDrops {
  readonly path: string;
  private readonly producer: TickRingProducer;
  private closed = false;
  private readonly waitMs: number;
  /** Set once the worker reported `closed`; its exit after that is expected. */
  private finished = false;
  private closing: Promise<LogSummary> | undefined;
  private failure: Error | undefined;
  private onClosed: ((message: Extract<WorkerMessage, { type: 'closed' }>) => void) | undefined;
  private onFailure: ((error: Error) => void) | undefined;

  private constructor(
    path: string,
    private readonly worker: Worker,
    producer: TickRingProducer,
    whenFull: 'drop' | 'wait',
  ) {
    this.path = path;
    this.producer = producer;
    this.waitMs = whenFull === 'wait' ? waitForWriterMs : 0;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'closed') this.onClosed?.(message);
      else if (message.type === 'error') this.fail(new Error(`log ${path}: ${message.message}`));
    });
    worker.on('error', (error) =>
      this.fail(new Error(`log ${path}: writer thread crashed: ${error.message}`)),
    );
    worker.on('exit', (code) => {
      if (!this.finished) this.fail(new Error(`log ${path}: writer thread exited (code ${code})`));
    });
  }

  /** Opens (creates or truncates) `path`, writes the header and metadata, and starts the writer thread. */
  static async open(path: string, options: TickLoggerOptions): Promise<McapTickLogger> {
    validate(path, options);
    const absolute = resolve(path);
    try {
      await mkdir(dirname(absolute), { recursive: true });
    } catch (error) {
      throw new Error(`cannot open log ${path}: cannot create its folder (${(error as Error).message})`);
    }
    const { robot } = options;
    const ring = createTickRingBuffers({
      capacity: options.ringCapacity ?? ringCapacityFor(options.rateHz, 4),
      observationSize: robot.observation.signals.length,
      actionSize: robot.action.signals.length,
    });
    const setup: WriterSetup = {
      path: absolute,
      ring,
      chunkSize: chunkSizeFor(robot, options.rateHz, options.maxChunkBytes),
      robot,
      controller: options.controller,
      controllers: options.controllers ?? [options.controller],
      rateHz: options.rateHz,
      configJson: options.config === undefined ? undefined : JSON.stringify(options.config),
      startedAtMs: Date.now(),
      version: readVersion(),
      link: options.link === true,
    };
    withoutMemoryReducer();
    const worker = new Worker(workerEntry(import.meta, './writer-worker.ts', './writer-worker.mjs'), {
      workerData: setup,
    });
    await new Promise<void>((resolveReady, reject) => {
      const onMessage = (message: WorkerMessage) => {
        if (message.type === 'ready') done();
        else if (message.type === 'error') done(new Error(`cannot open log ${path}: ${message.message}`));
      };
      const onError = (error: Error) => done(new Error(`cannot open log ${path}: ${error.message}`));
      const onExit = (code: number) =>
        done(new Error(`cannot open log ${path}: writer exited (code ${code})`));
      const done = (error?: Error) => {
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolveReady();
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    const logger = new McapTickLogger(path, worker, new TickRingProducer(ring), options.whenFull ?? 'drop');
    // Not holding the process open: a run that ends without close() exits and leaves a truncated
    // but readable log; close() takes the reference back until the file is finished. (After the
    // listeners are attached: attaching a 'message' listener refs the worker's port again.)
    worker.unref();
    return logger;
  }

  /** Ticks dropped so far because the writer fell behind. */
  get droppedTicks(): number {
    return this.producer.dropped;
  }

  /** Events not logged: emitted after close, or not structured-cloneable. */
  get droppedEvents(): number {
    return this.producer.lostEvents;
  }

  /** Ticks handed over but not yet taken by the writer thread (ring fill level). */
  get backlog(): number {
    return this.producer.backlog();
  }

  /** Set when the writer thread failed (e.g. disk full); ticks are dropped from then on. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Hot path: copies the record into the ring. Never blocks, never allocates, never throws. */
  writeTick(record: TickRecord): void {
    if (this.closed || this.failure) {
      this.producer.countDrop();
      return;
    }
    this.producer.push(record, this.waitMs);
  }

  /** Events are rare, so they travel by message; one that cannot be cloned is counted, not thrown. */
  emit(event: ControlEvent): void {
    if (this.closed || this.failure) {
      this.producer.countLostEvent();
      return;
    }
    try {
      this.worker.postMessage({
        type: 'event',
        event,
        wallTimeMs: performance.timeOrigin + performance.now(),
      } satisfies ParentMessage);
    } catch {
      this.producer.countLostEvent();
    }
  }

  /** One link health sample on `/tether/link` (rare: about once a second), stamped with loop time. */
  writeLink(time: number, health: LinkHealth): void {
    if (this.closed || this.failure) return;
    try {
      this.worker.postMessage({
        type: 'link',
        time,
        health,
        wallTimeMs: performance.timeOrigin + performance.now(),
      } satisfies ParentMessage);
    } catch {
      // a health sample that cannot be cloned is not worth failing a run for
    }
  }

  /**
   * Flushes every queued tick and event, writes the summary and index, and closes the file.
   * `summary` entries join the summary record (e.g. `task`: the run's task outcome as JSON).
   */
  close(summary?: Readonly<Record<string, string>>): Promise<LogSummary> {
    this.closing ??= this.finish(summary);
    return this.closing;
  }

  private async finish(summary: Readonly<Record<string, string>> | undefined): Promise<LogSummary> {
    this.closed = true;
    if (this.failure) throw this.failure;
    this.worker.ref();
    const closed = await new Promise<Extract<WorkerMessage, { type: 'closed' }>>((resolveClosed, reject) => {
      this.onClosed = resolveClosed;
      this.onFailure = reject;
      this.worker.postMessage({
        type: 'close',
        dropped: this.producer.dropped,
        ...(summary ? { summary } : {}),
      } satisfies ParentMessage);
    });
    this.finished = true;
    await this.worker.terminate();
    return {
      path: this.path,
      ticks: closed.ticks,
      droppedTicks: this.producer.dropped,
      events: closed.events,
      droppedEvents: this.producer.lostEvents,
      messages: closed.messages,
      chunks: closed.chunks,
      bytes: closed.bytes,
      durationS: closed.ticks > 0 ? closed.lastDeadline - closed.firstDeadline : 0,
    };
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }
}
