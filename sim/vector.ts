import { Worker } from 'node:worker_threads';
import type { ActionSpec, VectorSpec } from '../src/core/spec.ts';
import { workerEntry } from '../src/runtime/entry-points.ts';
import { type CreateEnvOptions, createEnv } from './envs/index.ts';
import { modelEntry } from './models/index.ts';
import {
  command,
  control,
  controlSlots,
  sharedBytes,
  type VectorShape,
  type VectorViews,
  vectorViews,
  type WorkerInit,
} from './vector-layout.ts';

export interface VectorEnvOptions extends Omit<CreateEnvOptions, 'seed'> {
  numEnvs: number;
  /** Worker threads (default: min(numEnvs, 2)); environments are split into contiguous slices. */
  workers?: number;
  /** Environment i is seeded with seed + i, exactly as a single-thread run would seed it. */
  seed?: number;
  /** Reset an environment when its episode ends; its last observation stays in finalObservations. */
  autoReset?: boolean;
}

/**
 * N environments of one model stepped in batches over worker threads. Callers write `actions`,
 * call `step()`, then read `observations`, `rewards`, `terminated`, `truncated` (all shared
 * memory, N rows each). Each environment is an ordinary MujocoEnv, so results are bit-identical to
 * stepping the same environments one by one on the main thread.
 */
export class VectorEnv {
  readonly numEnvs: number;
  readonly views: VectorViews;
  private readonly ctrl: Int32Array;
  private failure: string | undefined;
  private closed = false;

  private constructor(
    private readonly workers: Worker[],
    shape: VectorShape,
    buffer: SharedArrayBuffer,
    controlBuffer: SharedArrayBuffer,
    readonly observation: VectorSpec,
    readonly action: ActionSpec,
    readonly dt: number,
    readonly horizon: number,
  ) {
    this.numEnvs = shape.numEnvs;
    this.views = vectorViews(buffer, shape);
    this.ctrl = new Int32Array(controlBuffer);
    for (const worker of workers) {
      worker.on('message', (message: { type: string; message?: string }) => {
        if (message.type === 'error') this.failure ??= message.message;
      });
    }
  }

  static async create(model: string, options: VectorEnvOptions): Promise<VectorEnv> {
    modelEntry(model);
    const { numEnvs, workers: requested, seed = 0, autoReset = true, ...envOptions } = options;
    if (!Number.isInteger(numEnvs) || numEnvs < 1)
      throw new RangeError(`numEnvs must be a positive integer, got ${numEnvs}`);
    const workerCount = Math.min(numEnvs, requested ?? 2);
    if (!Number.isInteger(workerCount) || workerCount < 1)
      throw new RangeError(`workers must be a positive integer, got ${requested}`);

    // The shared buffer must exist before the workers start, so its shape (and the specs) come
    // from a short-lived environment on this thread.
    const probe = await createEnv(model, { ...envOptions });
    const { observation, action, dt, horizon } = probe;
    probe.dispose();
    const shape: VectorShape = {
      numEnvs,
      observationSize: observation.signals.length,
      actionSize: action.signals.length,
    };

    const buffer = new SharedArrayBuffer(sharedBytes(shape));
    const controlBuffer = new SharedArrayBuffer(4 * controlSlots);
    const views = vectorViews(buffer, shape);
    for (let i = 0; i < numEnvs; i++) views.seeds[i] = seed + i;

    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    const bootstrap = workerEntry(import.meta, './vector-worker.ts', './vector-bootstrap.mjs');
    let first = 0;
    for (let w = 0; w < workerCount; w++) {
      const count = Math.floor(numEnvs / workerCount) + (w < numEnvs % workerCount ? 1 : 0);
      const init: WorkerInit = {
        model,
        envOptions: envOptions as Record<string, unknown>,
        first,
        count,
        shape,
        autoReset,
        buffer,
        control: controlBuffer,
      };
      const worker = new Worker(bootstrap, { workerData: init });
      workers.push(worker);
      ready.push(
        new Promise((resolve, reject) => {
          worker.once('error', reject);
          worker.once('exit', (code) =>
            reject(new Error(`vector worker ${w} exited (code ${code}) before it was ready`)),
          );
          worker.on('message', (message) => {
            if (message.type === 'ready') resolve();
            else if (message.type === 'error') reject(new Error(`vector worker ${w}: ${message.message}`));
          });
        }),
      );
      first += count;
    }
    try {
      await Promise.all(ready);
      return new VectorEnv(workers, shape, buffer, controlBuffer, observation, action, dt, horizon);
    } catch (error) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw error;
    }
  }

  /** Resets every environment; with a seed, environment i uses seed + i. */
  async reset(seed?: number): Promise<void> {
    if (seed !== undefined) for (let i = 0; i < this.numEnvs; i++) this.views.seeds[i] = seed + i;
    this.dispatch(command.reset);
    await this.settled();
  }

  /** Steps every environment with `views.actions`. */
  async step(): Promise<void> {
    this.dispatch(command.step);
    await this.settled();
  }

  /** Same as `step` but blocks the calling thread (lower overhead for tight benchmark loops). */
  stepSync(): void {
    this.dispatch(command.step);
    for (;;) {
      const remaining = Atomics.load(this.ctrl, control.remaining);
      if (remaining === 0) break;
      Atomics.wait(this.ctrl, control.remaining, remaining);
    }
    this.checkFailure();
  }

  private dispatch(cmd: number): void {
    if (this.closed) throw new Error('VectorEnv used after close()');
    Atomics.store(this.ctrl, control.command, cmd);
    Atomics.store(this.ctrl, control.remaining, this.workers.length);
    Atomics.add(this.ctrl, control.generation, 1);
    Atomics.notify(this.ctrl, control.generation);
  }

  private async settled(): Promise<void> {
    for (;;) {
      const remaining = Atomics.load(this.ctrl, control.remaining);
      if (remaining === 0) break;
      const wait = Atomics.waitAsync(this.ctrl, control.remaining, remaining);
      if (wait.async) await wait.value;
    }
    this.checkFailure();
  }

  private checkFailure(): void {
    if (Atomics.load(this.ctrl, control.failed) === 0) return;
    Atomics.store(this.ctrl, control.failed, 0);
    throw new Error(`vector environment failed: ${this.failure ?? 'unknown error in a worker'}`);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.dispatch(command.exit);
    this.closed = true;
    await Promise.all(this.workers.map((w) => new Promise((resolve) => w.once('exit', resolve))));
  }
}
