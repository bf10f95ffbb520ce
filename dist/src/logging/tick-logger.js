// Compiled from src/logging/tick-logger.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/logging/tick-logger.ts", import.meta.url).href;

// src/logging/tick-logger.ts
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../runtime/entry-points.js";
import { withoutMemoryReducer } from "../runtime/heap.js";
import {
  fillTemplate,
  flatTemplate,
  safetyKeys,
  timingKeys,
  vectorLayout,
  vectorTemplate
} from "./layout.js";
import { createTickRingBuffers, ringCapacityFor, TickRingProducer } from "./tick-ring.js";
var defaultMaxChunkBytes = 256 * 1024;
var minChunkBytes = 4 * 1024;
var waitForWriterMs = 6e4;
function readVersion() {
  try {
    const text = readFileSync(new URL("../../package.json", __sourceUrl), "utf8");
    return String(JSON.parse(text).version ?? "unknown");
  } catch {
    return "unknown";
  }
}
function bytesPerTick(robot) {
  const wide = -12345678901234567e-116;
  const n = robot.observation.signals.length;
  const m = robot.action.signals.length;
  const json = fillTemplate(vectorTemplate(vectorLayout(robot.observation)), new Float64Array(n + 1).fill(wide)) + fillTemplate(vectorTemplate(vectorLayout(robot.action)), new Float64Array(m + 1).fill(wide)).repeat(2) + fillTemplate(flatTemplate(timingKeys), new Float64Array(timingKeys.length).fill(wide)) + fillTemplate(flatTemplate(safetyKeys), new Float64Array(safetyKeys.length).fill(1)) + '{"tick":1e21,"controller":1e21,"mode":1e21}';
  return json.length + 6 * (31 + 16);
}
function chunkSizeFor(robot, rateHz, maxChunkBytes = defaultMaxChunkBytes) {
  const oneSecond = Math.ceil(bytesPerTick(robot) * rateHz);
  return Math.max(minChunkBytes, Math.min(maxChunkBytes, oneSecond));
}
function validate(path, options) {
  if (typeof path !== "string" || path.length === 0) {
    throw new TypeError("log path must be a non-empty string (e.g. runs/demo.mcap)");
  }
  if (!(Number.isFinite(options.rateHz) && options.rateHz > 0)) {
    throw new RangeError(`log rateHz must be a positive number of ticks per second, got ${options.rateHz}`);
  }
  const { robot } = options;
  if (!robot?.observation?.signals || !robot.action?.signals) {
    throw new TypeError("log robot must be a RobotInfo with observation and action specs");
  }
  if (options.whenFull !== void 0 && options.whenFull !== "drop" && options.whenFull !== "wait") {
    throw new RangeError(`log whenFull must be 'drop' or 'wait', got ${String(options.whenFull)}`);
  }
  if (options.maxChunkBytes !== void 0 && !(options.maxChunkBytes >= minChunkBytes)) {
    throw new RangeError(`log maxChunkBytes must be at least ${minChunkBytes}, got ${options.maxChunkBytes}`);
  }
}
var McapTickLogger = class _McapTickLogger {
  constructor(path, worker, producer, whenFull) {
    this.worker = worker;
    this.path = path;
    this.producer = producer;
    this.waitMs = whenFull === "wait" ? waitForWriterMs : 0;
    worker.on("message", (message) => {
      if (message.type === "closed") this.onClosed?.(message);
      else if (message.type === "error") this.fail(new Error(`log ${path}: ${message.message}`));
    });
    worker.on(
      "error",
      (error) => this.fail(new Error(`log ${path}: writer thread crashed: ${error.message}`))
    );
    worker.on("exit", (code) => {
      if (!this.finished) this.fail(new Error(`log ${path}: writer thread exited (code ${code})`));
    });
  }
  worker;
  path;
  producer;
  closed = false;
  waitMs;
  /** Set once the worker reported `closed`; its exit after that is expected. */
  finished = false;
  closing;
  failure;
  onClosed;
  onFailure;
  /** Opens (creates or truncates) `path`, writes the header and metadata, and starts the writer thread. */
  static async open(path, options) {
    validate(path, options);
    const absolute = resolve(path);
    try {
      await mkdir(dirname(absolute), { recursive: true });
    } catch (error) {
      throw new Error(`cannot open log ${path}: cannot create its folder (${error.message})`);
    }
    const { robot } = options;
    const ring = createTickRingBuffers({
      capacity: options.ringCapacity ?? ringCapacityFor(options.rateHz, 4),
      observationSize: robot.observation.signals.length,
      actionSize: robot.action.signals.length
    });
    const setup = {
      path: absolute,
      ring,
      chunkSize: chunkSizeFor(robot, options.rateHz, options.maxChunkBytes),
      robot,
      controller: options.controller,
      controllers: options.controllers ?? [options.controller],
      rateHz: options.rateHz,
      configJson: options.config === void 0 ? void 0 : JSON.stringify(options.config),
      startedAtMs: Date.now(),
      version: readVersion(),
      link: options.link === true
    };
    withoutMemoryReducer();
    const worker = new Worker(workerEntry(import.meta, "./writer-worker.ts", "./writer-worker.mjs"), {
      workerData: setup
    });
    await new Promise((resolveReady, reject) => {
      const onMessage = (message) => {
        if (message.type === "ready") done();
        else if (message.type === "error") done(new Error(`cannot open log ${path}: ${message.message}`));
      };
      const onError = (error) => done(new Error(`cannot open log ${path}: ${error.message}`));
      const onExit = (code) => done(new Error(`cannot open log ${path}: writer exited (code ${code})`));
      const done = (error) => {
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolveReady();
      };
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    });
    const logger = new _McapTickLogger(path, worker, new TickRingProducer(ring), options.whenFull ?? "drop");
    worker.unref();
    return logger;
  }
  /** Ticks dropped so far because the writer fell behind. */
  get droppedTicks() {
    return this.producer.dropped;
  }
  /** Events not logged: emitted after close, or not structured-cloneable. */
  get droppedEvents() {
    return this.producer.lostEvents;
  }
  /** Ticks handed over but not yet taken by the writer thread (ring fill level). */
  get backlog() {
    return this.producer.backlog();
  }
  /** Set when the writer thread failed (e.g. disk full); ticks are dropped from then on. */
  get error() {
    return this.failure;
  }
  /** Hot path: copies the record into the ring. Never blocks, never allocates, never throws. */
  writeTick(record) {
    if (this.closed || this.failure) {
      this.producer.countDrop();
      return;
    }
    this.producer.push(record, this.waitMs);
  }
  /** Events are rare, so they travel by message; one that cannot be cloned is counted, not thrown. */
  emit(event) {
    if (this.closed || this.failure) {
      this.producer.countLostEvent();
      return;
    }
    try {
      this.worker.postMessage({
        type: "event",
        event,
        wallTimeMs: performance.timeOrigin + performance.now()
      });
    } catch {
      this.producer.countLostEvent();
    }
  }
  /** One link health sample on `/tether/link` (rare: about once a second), stamped with loop time. */
  writeLink(time, health) {
    if (this.closed || this.failure) return;
    try {
      this.worker.postMessage({
        type: "link",
        time,
        health,
        wallTimeMs: performance.timeOrigin + performance.now()
      });
    } catch {
    }
  }
  /**
   * Flushes every queued tick and event, writes the summary and index, and closes the file.
   * `summary` entries join the summary record (e.g. `task`: the run's task outcome as JSON).
   */
  close(summary) {
    this.closing ??= this.finish(summary);
    return this.closing;
  }
  async finish(summary) {
    this.closed = true;
    if (this.failure) throw this.failure;
    this.worker.ref();
    const closed = await new Promise((resolveClosed, reject) => {
      this.onClosed = resolveClosed;
      this.onFailure = reject;
      this.worker.postMessage({
        type: "close",
        dropped: this.producer.dropped,
        ...summary ? { summary } : {}
      });
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
      durationS: closed.ticks > 0 ? closed.lastDeadline - closed.firstDeadline : 0
    };
  }
  fail(error) {
    if (this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
  }
};
export {
  McapTickLogger,
  chunkSizeFor
};
