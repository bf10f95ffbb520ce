// Compiled from sim/vector.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../sim/vector.ts", import.meta.url).href;

// sim/vector.ts
import { Worker } from "node:worker_threads";
import { workerEntry } from "../src/runtime/entry-points.js";
import { createEnv } from "./envs/index.js";
import { modelEntry } from "./models/index.js";
import {
  command,
  control,
  controlSlots,
  sharedBytes,
  vectorViews
} from "./vector-layout.js";
var VectorEnv = class _VectorEnv {
  constructor(workers, shape, buffer, controlBuffer, observation, action, dt, horizon) {
    this.workers = workers;
    this.observation = observation;
    this.action = action;
    this.dt = dt;
    this.horizon = horizon;
    this.numEnvs = shape.numEnvs;
    this.views = vectorViews(buffer, shape);
    this.ctrl = new Int32Array(controlBuffer);
    for (const worker of workers) {
      worker.on("message", (message) => {
        if (message.type === "error") this.failure ??= message.message;
      });
    }
  }
  workers;
  observation;
  action;
  dt;
  horizon;
  numEnvs;
  views;
  ctrl;
  failure;
  closed = false;
  static async create(model, options) {
    modelEntry(model);
    const { numEnvs, workers: requested, seed = 0, autoReset = true, ...envOptions } = options;
    if (!Number.isInteger(numEnvs) || numEnvs < 1)
      throw new RangeError(`numEnvs must be a positive integer, got ${numEnvs}`);
    const workerCount = Math.min(numEnvs, requested ?? 2);
    if (!Number.isInteger(workerCount) || workerCount < 1)
      throw new RangeError(`workers must be a positive integer, got ${requested}`);
    const probe = await createEnv(model, { ...envOptions });
    const { observation, action, dt, horizon } = probe;
    probe.dispose();
    const shape = {
      numEnvs,
      observationSize: observation.signals.length,
      actionSize: action.signals.length
    };
    const buffer = new SharedArrayBuffer(sharedBytes(shape));
    const controlBuffer = new SharedArrayBuffer(4 * controlSlots);
    const views = vectorViews(buffer, shape);
    for (let i = 0; i < numEnvs; i++) views.seeds[i] = seed + i;
    const workers = [];
    const ready = [];
    const bootstrap = workerEntry(import.meta, "./vector-worker.ts", "./vector-bootstrap.mjs");
    let first = 0;
    for (let w = 0; w < workerCount; w++) {
      const count = Math.floor(numEnvs / workerCount) + (w < numEnvs % workerCount ? 1 : 0);
      const init = {
        model,
        envOptions,
        first,
        count,
        shape,
        autoReset,
        buffer,
        control: controlBuffer
      };
      const worker = new Worker(bootstrap, { workerData: init });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once("error", reject);
          worker.once(
            "exit",
            (code) => reject(new Error(`vector worker ${w} exited (code ${code}) before it was ready`))
          );
          worker.on("message", (message) => {
            if (message.type === "ready") resolve();
            else if (message.type === "error") reject(new Error(`vector worker ${w}: ${message.message}`));
          });
        })
      );
      first += count;
    }
    try {
      await Promise.all(ready);
      return new _VectorEnv(workers, shape, buffer, controlBuffer, observation, action, dt, horizon);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
  }
  /** Resets every environment; with a seed, environment i uses seed + i. */
  async reset(seed) {
    if (seed !== void 0) for (let i = 0; i < this.numEnvs; i++) this.views.seeds[i] = seed + i;
    this.dispatch(command.reset);
    await this.settled();
  }
  /** Steps every environment with `views.actions`. */
  async step() {
    this.dispatch(command.step);
    await this.settled();
  }
  /** Same as `step` but blocks the calling thread (lower overhead for tight benchmark loops). */
  stepSync() {
    this.dispatch(command.step);
    for (; ; ) {
      const remaining = Atomics.load(this.ctrl, control.remaining);
      if (remaining === 0) break;
      Atomics.wait(this.ctrl, control.remaining, remaining);
    }
    this.checkFailure();
  }
  dispatch(cmd) {
    if (this.closed) throw new Error("VectorEnv used after close()");
    Atomics.store(this.ctrl, control.command, cmd);
    Atomics.store(this.ctrl, control.remaining, this.workers.length);
    Atomics.add(this.ctrl, control.generation, 1);
    Atomics.notify(this.ctrl, control.generation);
  }
  async settled() {
    for (; ; ) {
      const remaining = Atomics.load(this.ctrl, control.remaining);
      if (remaining === 0) break;
      const wait = Atomics.waitAsync(this.ctrl, control.remaining, remaining);
      if (wait.async) await wait.value;
    }
    this.checkFailure();
  }
  checkFailure() {
    if (Atomics.load(this.ctrl, control.failed) === 0) return;
    Atomics.store(this.ctrl, control.failed, 0);
    throw new Error(`vector environment failed: ${this.failure ?? "unknown error in a worker"}`);
  }
  async close() {
    if (this.closed) return;
    this.dispatch(command.exit);
    this.closed = true;
    await Promise.all(this.workers.map((w) => new Promise((resolve) => w.once("exit", resolve))));
  }
};
export {
  VectorEnv
};
