// Compiled from src/live/server.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/live/server.ts", import.meta.url).href;

// src/live/server.ts
import { Worker } from "node:worker_threads";
import { secondsToNs } from "../logging/layout.js";
import { workerEntry } from "../runtime/entry-points.js";
import { withoutMemoryReducer } from "../runtime/heap.js";
import { isLoopback } from "./auth.js";
import { nowNs } from "./endpoint.js";
import { LiveTickSink } from "./tick-sink.js";
import { operatorService } from "./endpoint.js";
var stateIntervalMs = 100;
var stateRefreshMs = 1e3;
var LiveServer = class _LiveServer {
  constructor(options, worker, port) {
    this.options = options;
    this.worker = worker;
    this.port = port;
    this.warn = options.warn ?? ((line) => process.stderr.write(`live: ${line}
`));
    worker.on("message", (message) => this.onMessage(message));
    worker.on("error", (error) => this.warn(`the live view stopped: ${error.message}`));
    worker.unref();
  }
  options;
  worker;
  port;
  /** Give to the run as a tick sink. */
  sink = new LiveTickSink();
  /** Give to the run as an event sink. */
  events = {
    emit: (event) => {
      if (this.closed) return;
      const epoch = this.epochNs;
      const stampNs = epoch !== void 0 && Number.isFinite(event.time) ? epoch + secondsToNs(event.time) : nowNs();
      try {
        this.post({ type: "event", event, stampNs });
      } catch {
      }
    }
  };
  run;
  epochNs;
  stateTimer;
  lastStateKey = "";
  lastStateMs = 0;
  statusRequests = /* @__PURE__ */ new Map();
  nextStatusRequest = 1;
  closed = false;
  warn;
  /** Starts the worker, which binds; throws a plain message when the port is taken. */
  static async start(options) {
    const { warn: _warn, tickHz: _tickHz, ...endpoint } = options;
    withoutMemoryReducer();
    const worker = new Worker(workerEntry(import.meta, "./endpoint-worker.ts", "./endpoint-worker.mjs"), {
      workerData: endpoint
    });
    const port = await new Promise((resolve, reject) => {
      const onMessage = (message) => {
        if (message.type === "listening") done(void 0, message.port);
        else if (message.type === "error") done(new Error(message.message));
      };
      const onError = (error) => done(new Error(`live view: ${error.message}`));
      const onExit = (code) => done(new Error(`live view: the server thread exited (${code})`));
      const done = (error, port2 = 0) => {
        worker.off("message", onMessage).off("error", onError).off("exit", onExit);
        if (error) {
          void worker.terminate();
          reject(error);
        } else resolve(port2);
      };
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    });
    return new _LiveServer(options, worker, port);
  }
  /** The page, e.g. `http://127.0.0.1:8765/`. */
  get url() {
    const host = this.options.host.includes(":") ? `[${this.options.host}]` : this.options.host;
    return `http://${host}:${this.port}/`;
  }
  /** The Foxglove connection URL (a token query when streaming needs it). */
  get wsUrl() {
    return `${this.url.replace(/^http/, "ws")}${this.streamNeedsToken ? `?token=${this.options.token}` : ""}`;
  }
  /** Streaming is open on loopback; bound anywhere else it needs the token too. */
  get streamNeedsToken() {
    return !isLoopback(this.options.host);
  }
  /** Starts streaming a loop (call from the runner's `onStart`); replaces any previous one. */
  attach(run) {
    if (this.closed) return;
    if (this.run) this.detach();
    const info = run.robot.info;
    const ring = this.sink.attach(
      { observationSize: info.observation.signals.length, actionSize: info.action.signals.length },
      run.info.rateHz / this.options.tickHz
    );
    this.run = run;
    this.epochNs = nowNs() - secondsToNs(run.loop.record.deadline);
    this.post({
      type: "attach",
      attachment: { ring, robot: info, info: run.info, epochNs: this.epochNs, state: this.state(run) }
    });
    this.lastStateKey = "";
    this.stateTimer = setInterval(() => this.sendState(false), stateIntervalMs);
    this.stateTimer.unref();
  }
  /** Stops streaming the loop (the worker sends what is buffered first); the server stays up. */
  detach() {
    if (!this.run) return;
    this.sendState(true);
    clearInterval(this.stateTimer);
    this.post({ type: "detach" });
    this.sink.detach();
    this.run = void 0;
  }
  /** Changes what the status says about the run (e.g. a new policy version in a fine-tuning loop). */
  update(patch) {
    if (this.run) this.run = { ...this.run, info: { ...this.run.info, ...patch } };
    this.post({ type: "update", patch });
  }
  /** What `/tether/status` says now (the stream's counters included). */
  status() {
    return new Promise((resolve) => {
      const id = this.nextStatusRequest++;
      this.statusRequests.set(id, resolve);
      this.post({ type: "status", id });
    });
  }
  async close() {
    if (this.closed) return;
    this.detach();
    this.closed = true;
    const closed = new Promise((resolve) => {
      const timer = setTimeout(resolve, 2e3);
      this.worker.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.worker.on("message", (message) => {
        if (message.type === "closed") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    this.worker.postMessage({ type: "close" });
    await closed;
    await this.worker.terminate();
  }
  post(message) {
    if (!this.closed) this.worker.postMessage(message);
  }
  state(run) {
    const { controllers, safety } = run.loop;
    return {
      controller: controllers.activeName,
      controllers: controllers.names,
      pendingSwitch: controllers.pendingSwitch ?? "",
      latched: safety.latched,
      latchReason: safety.latchReason ?? "",
      robotState: run.robot.state,
      operator: run.operator !== void 0,
      droppedTicks: this.sink.dropped,
      logging: run.logger !== void 0,
      loggerDroppedTicks: run.logger?.droppedTicks ?? 0,
      loggerDroppedEvents: run.logger?.droppedEvents ?? 0
    };
  }
  /** Posts the loop's state when it changed, and at least once a second. */
  sendState(force) {
    const run = this.run;
    if (!run) return;
    const { controllers, safety } = run.loop;
    const key = `${controllers.activeName}|${controllers.pendingSwitch ?? ""}|${safety.latched}|${safety.latchReason ?? ""}|${run.robot.state}|${run.logger?.droppedTicks}|${run.logger?.droppedEvents}`;
    const now = performance.now();
    if (!force && key === this.lastStateKey && now - this.lastStateMs < stateRefreshMs) return;
    this.lastStateKey = key;
    this.lastStateMs = now;
    this.post({ type: "state", state: this.state(run) });
  }
  onMessage(message) {
    switch (message.type) {
      case "command":
        void this.execute(message.line, message.source).then((reply) => {
          this.sendState(true);
          this.post({ type: "reply", id: message.id, reply });
        });
        break;
      case "refused": {
        this.warn(`refused ${message.what}`);
        const loop = this.run?.loop;
        loop?.events.emit({
          time: loop.record.deadline,
          kind: "info",
          source: "live",
          message: `refused ${message.what}`
        });
        break;
      }
      case "warn":
        this.warn(message.line);
        break;
      case "status":
        this.statusRequests.get(message.id)?.(message.status);
        this.statusRequests.delete(message.id);
        break;
      default:
        break;
    }
  }
  async execute(line, source) {
    const operator = this.run?.operator;
    if (!operator) return { ok: false, message: "no run with an operator console is attached" };
    return operator.execute(line, source);
  }
};
export {
  LiveServer,
  operatorService
};
