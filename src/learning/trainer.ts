import { readFile, writeFile } from 'node:fs/promises';
import type { Environment, EnvironmentPair } from '../core/environment.ts';
import { Rng, type RngState } from '../core/rng.ts';
import { cpuEngine } from './cpu-engine.ts';
import { datasetToBuffer, validateDataset } from './dataset.ts';
import type { Engine } from './engine.ts';
import { H2oAgent } from './h2o.ts';
import type { ActorInit } from './init.ts';
import { type AlgorithmSettings, algorithms, createLearner, type Learner } from './learner.ts';
import { ReplayBuffer } from './replay.ts';
import { firstRows, type Transitions } from './transitions.ts';

/** The budget and schedule of one seed's run, and the algorithm with its hyperparameters. */
export type TrainerOptions = AlgorithmSettings & {
  readonly seed: number;
  /** Gradient updates in total. */
  readonly updates: number;
  /** Sim steps collected, then as many updates (UTD 1). */
  readonly chunk: number;
  /** Uniformly random sim steps before the first update. */
  readonly startSteps: number;
  /** Simulator copies stepped in lockstep. */
  readonly numEnvs: number;
  /**
   * How the start steps act: `uniform` random actions (training from scratch), or `policy`, the
   * stochastic actor as it is (fine-tuning from a deployed policy). Default uniform.
   */
  readonly startActions?: 'uniform' | 'policy';
  /** Online experience from the pair's simulator (default) or its real system (an oracle). */
  readonly onlineIn?: 'simulator' | 'real';
  readonly evalEvery: number;
  readonly evalEpisodes: number;
  readonly engine?: Engine;
};

export interface EvalPoint {
  updates: number;
  simSteps: number;
  /** Mean undiscounted return of the deterministic policy on the real system. */
  realReturn: number;
  seconds: number;
  /**
   * The learner's statistics of the update just before this evaluation (losses, α, mean Q; H2O:
   * discriminator loss, mean w, penalty). Absent in checkpoints written before they were kept.
   */
  stats?: Readonly<Record<string, number>>;
}

const CHECKPOINT_FORMAT = 'tether.checkpoint/2';

export class Trainer {
  readonly learner: Learner;
  readonly history: EvalPoint[] = [];
  updatesDone = 0;
  simSteps = 0;
  /** Mean of the last update's statistics, for progress output. */
  lastStats: Record<string, number> = {};
  private readonly simBuffer: ReplayBuffer;
  private readonly updateRng: Rng;
  private readonly actRng: Rng;
  private readonly obs: Float64Array;
  private readonly nextObs: Float64Array;
  private readonly actions: Float64Array;
  private readonly episodeStep: Int32Array;
  private elapsed = 0;

  /** Builds the environments (MuJoCo ones load asynchronously), then the trainer. */
  static async create(
    options: TrainerOptions,
    envs: EnvironmentPair,
    realData: Transitions | null,
  ): Promise<Trainer> {
    validateTrainerOptions(options);
    const sims: Environment[] = [];
    if (algorithms[options.algorithm].online) {
      for (let i = 0; i < options.numEnvs; i++) {
        const seed = options.seed * 1000 + i;
        sims.push(await (options.onlineIn === 'real' ? envs.real(seed) : envs.sim(seed)));
      }
    }
    const evalEnv = await envs.real(options.seed + 99991);
    return new Trainer(options, envs, realData, sims, evalEnv);
  }

  private constructor(
    readonly options: TrainerOptions,
    readonly envs: EnvironmentPair,
    realData: Transitions | null,
    private readonly sims: Environment[],
    private readonly evalEnv: Environment,
  ) {
    const O = evalEnv.observation.signals.length;
    const A = evalEnv.action.signals.length;
    if (realData !== null) validateDataset(realData, { obsSize: O, actSize: A }, envs.name);
    const needsReal = algorithms[options.algorithm].usesRealLog;
    if (needsReal && realData === null) {
      throw new Error(`algorithm ${options.algorithm} learns from the real log, but no dataset was given`);
    }
    const engine = options.engine ?? cpuEngine;
    const real = needsReal && realData !== null ? datasetToBuffer(realData) : null;
    const rng = new Rng(options.seed);
    this.updateRng = rng.fork();
    this.actRng = rng.fork();
    this.simBuffer = new ReplayBuffer(
      Math.max(1, options.startSteps + options.updates + options.numEnvs),
      O,
      A,
    );
    const data = { real, sim: this.simBuffer, gapRegion: envs.gapRegion };
    this.learner = createLearner(options, engine, O, A, data, rng);
    const n = options.numEnvs;
    this.obs = new Float64Array(n * O);
    this.nextObs = new Float64Array(n * O);
    this.actions = new Float64Array(n * A);
    this.episodeStep = new Int32Array(n);
    this.resetEnvs();
  }

  /** The real system's specs and step: what a policy trained here is deployed against. */
  get environment(): Pick<Environment, 'name' | 'observation' | 'action' | 'dt'> {
    return this.evalEnv;
  }

  get obsSize(): number {
    return this.evalEnv.observation.signals.length;
  }

  get actSize(): number {
    return this.evalEnv.action.signals.length;
  }

  /** The H2O agent when the algorithm is one of the hybrid family (for diagnostics and w maps). */
  get hybridAgent(): H2oAgent | null {
    const agent = (this.learner as { agent?: unknown }).agent;
    return agent instanceof H2oAgent ? agent : null;
  }

  get done(): boolean {
    return this.updatesDone >= this.options.updates;
  }

  /** Runs one chunk (collect, then update) and any evaluation that falls due. */
  runChunk(): void {
    const start = performance.now();
    const { chunk, evalEvery, updates } = this.options;
    this.collectStartSteps();
    const n = Math.min(chunk, updates - this.updatesDone);
    if (this.learner.online) this.collect(n, false);
    for (let i = 0; i < n; i++) {
      this.lastStats = this.learner.update(this.updateRng);
      this.updatesDone += 1;
      if (this.updatesDone % evalEvery === 0 || this.updatesDone === updates) {
        for (const [key, value] of Object.entries(this.lastStats)) {
          if (!Number.isFinite(value)) {
            throw new Error(`training diverged at update ${this.updatesDone}: ${key} = ${value}`);
          }
        }
        const realReturn = this.evaluate();
        this.history.push({
          updates: this.updatesDone,
          simSteps: this.simSteps,
          realReturn,
          seconds: this.elapsed + (performance.now() - start) / 1000,
          stats: { ...this.lastStats },
        });
      }
    }
    this.elapsed += (performance.now() - start) / 1000;
  }

  /**
   * Fine-tuning: starts the actor from a deployed policy, with exploration σ `initialStd` (SAC-based
   * learners). Call before the first chunk.
   */
  initializeActor(init: ActorInit, initialStd: number): void {
    if (this.updatesDone > 0) throw new Error('initializeActor: the run has already started');
    this.learner.loadActor(init, initialStd);
  }

  /**
   * Critic warm-up: `updates` critic-only updates on the real data (SAC: on the start steps), so
   * the critics value the deployed actor before the actor follows them. Returns the last update's
   * statistics, or null when the learner has no separate warm-up (TD3+BC, IQL).
   */
  warmCritics(updates: number): Record<string, number> | null {
    let stats: Record<string, number> | null = null;
    // A learner without real data warms its critics on the start steps (the deployed actor in sim).
    this.collectStartSteps();
    for (let i = 0; i < updates; i++) {
      stats = this.learner.warmCritics(this.updateRng);
      if (stats === null) return null;
    }
    if (stats !== null) {
      for (const [key, value] of Object.entries(stats))
        if (!Number.isFinite(value)) throw new Error(`critic warm-up diverged: ${key} = ${value}`);
    }
    return stats;
  }

  /**
   * Starts from a checkpoint of another run, possibly of another algorithm (a SAC run fine-tuned by
   * H2O): every parameter array both learners have with the same size is copied — actor, critics,
   * their targets, temperature; optimiser moments and the replay buffer are not. Returns the names
   * copied; throws when the actor is not among them.
   */
  async initializeFromCheckpoint(path: string): Promise<string[]> {
    if (this.updatesDone > 0) throw new Error('initializeFromCheckpoint: the run has already started');
    const body = JSON.parse(await readFile(path, 'utf8')) as CheckpointBody;
    if (body.format !== CHECKPOINT_FORMAT)
      throw new Error(
        `checkpoint ${path}: format ${JSON.stringify(body.format)}, expected ${CHECKPOINT_FORMAT}`,
      );
    const copied: string[] = [];
    const skipped: string[] = [];
    for (const [name, target] of Object.entries(this.learner.stateArrays())) {
      if (name.startsWith('adam.')) continue;
      const source = body.arrays[name];
      if (source === undefined) continue;
      if (Buffer.from(source, 'base64').byteLength !== target.byteLength) {
        skipped.push(name);
        continue;
      }
      decodeInto(source, target, `${path}:${name}`, true);
      copied.push(name);
    }
    if (!copied.includes('actor')) {
      throw new Error(
        `checkpoint ${path} (${body.algorithm}) has no actor of this run's size${skipped.length > 0 ? ` (sizes differ: ${skipped.join(', ')})` : ''}: set options.hidden to the deployed policy's`,
      );
    }
    return copied;
  }

  /**
   * Every online transition collected so far, in order (views, not copies): what a replay-style
   * log of this run holds.
   */
  collected(): Transitions {
    return firstRows(this.simBuffer, this.simBuffer.size);
  }

  /** Mean return of the deterministic policy over `episodes` episodes on the real system. */
  evaluate(episodes = this.options.evalEpisodes): number {
    const env = this.evalEnv;
    const obs = new Float64Array(this.obsSize);
    const action = new Float64Array(this.actSize);
    let total = 0;
    for (let e = 0; e < episodes; e++) {
      // Fixed episode seeds: every evaluation faces the same start states and noise.
      env.reset(obs, 777 + e);
      for (let t = 0; t < env.horizon; t++) {
        this.learner.act(obs, 1, action, null);
        const step = env.step(action, obs);
        total += step.reward;
        if (step.terminated) break;
      }
    }
    return total / episodes;
  }

  /** The start steps, once: before the first update or the critic warm-up. */
  private collectStartSteps(): void {
    if (this.learner.online && this.simSteps === 0 && this.options.startSteps > 0) {
      this.collect(this.options.startSteps, this.options.startActions !== 'policy');
    }
  }

  private collect(steps: number, random: boolean): void {
    const n = this.sims.length;
    const O = this.obsSize;
    const A = this.actSize;
    for (let s = 0; s < steps; s += n) {
      if (random) {
        for (let i = 0; i < n * A; i++) this.actions[i] = this.actRng.range(-1, 1);
      } else {
        this.learner.act(this.obs, n, this.actions, this.actRng);
      }
      for (let i = 0; i < n; i++) {
        const env = this.sims[i]!;
        const next = this.nextObs.subarray(i * O, (i + 1) * O);
        const result = env.step(this.actions.subarray(i * A, (i + 1) * A), next);
        this.simBuffer.add(this.obs, this.actions, result.reward, this.nextObs, result.terminated, i);
        this.simSteps += 1;
        this.episodeStep[i]! += 1;
        if (result.terminated || result.truncated) {
          env.reset(this.obs.subarray(i * O, (i + 1) * O));
          this.episodeStep[i] = 0;
        } else {
          this.obs.set(next, i * O);
        }
      }
    }
  }

  /**
   * Mean importance weight of the current discriminators over every sim transition in the buffer,
   * split by the pair's gap region (null region: everything counts as outside).
   */
  finalWeights(): { inside: number; outside: number; countInside: number; countOutside: number } {
    const agent = this.hybridAgent;
    if (agent === null || agent.dSas === null) throw new Error('final weights need the H2O discriminators');
    const O = this.obsSize;
    const A = this.actSize;
    const rows = agent.config.simBatch;
    const w = new Float64Array(rows);
    const b = this.simBuffer;
    const out = { inside: 0, outside: 0, countInside: 0, countOutside: 0 };
    for (let start = 0; start < b.size; start += rows) {
      const n = Math.min(rows, b.size - start);
      const obs = b.obs.subarray(start * O);
      agent.importanceWeights(obs, b.act.subarray(start * A), b.nextObs.subarray(start * O), n, w);
      for (let j = 0; j < n; j++) {
        if (this.envs.gapRegion?.(obs, j)) {
          out.inside += w[j]!;
          out.countInside += 1;
        } else {
          out.outside += w[j]!;
          out.countOutside += 1;
        }
      }
    }
    out.inside /= Math.max(1, out.countInside);
    out.outside /= Math.max(1, out.countOutside);
    return out;
  }

  dispose(): void {
    for (const env of this.sims) env.dispose?.();
    this.evalEnv.dispose?.();
  }

  private resetEnvs(): void {
    const O = this.obsSize;
    this.sims.forEach((env, i) => {
      env.reset(this.obs.subarray(i * O, (i + 1) * O));
      this.episodeStep[i] = 0;
    });
  }

  /**
   * Everything needed to continue: parameters, optimiser moments, random streams, the sim replay
   * buffer, counters and the learning curve. Simulator episodes in flight restart on resume.
   */
  async saveCheckpoint(path: string): Promise<void> {
    const arrays: Record<string, string> = {};
    for (const [name, array] of Object.entries(this.learner.stateArrays())) arrays[name] = encode(array);
    const body = {
      format: CHECKPOINT_FORMAT,
      algorithm: this.options.algorithm,
      seed: this.options.seed,
      updatesDone: this.updatesDone,
      simSteps: this.simSteps,
      elapsed: this.elapsed,
      history: this.history,
      rng: { update: this.updateRng.getState(), act: this.actRng.getState() },
      scalars: this.learner.stateScalars(),
      arrays,
      simBuffer: {
        size: this.simBuffer.size,
        cursor: this.simBuffer.cursor,
        obs: encode(this.simBuffer.obs.subarray(0, this.simBuffer.size * this.obsSize)),
        act: encode(this.simBuffer.act.subarray(0, this.simBuffer.size * this.actSize)),
        reward: encode(this.simBuffer.reward.subarray(0, this.simBuffer.size)),
        nextObs: encode(this.simBuffer.nextObs.subarray(0, this.simBuffer.size * this.obsSize)),
        terminated: encode(this.simBuffer.terminated.subarray(0, this.simBuffer.size)),
      },
    };
    await writeFile(path, JSON.stringify(body));
  }

  async loadCheckpoint(path: string): Promise<void> {
    const body = JSON.parse(await readFile(path, 'utf8')) as CheckpointBody;
    if (body.format !== CHECKPOINT_FORMAT) {
      throw new Error(
        `checkpoint ${path}: format ${JSON.stringify(body.format)}, expected ${CHECKPOINT_FORMAT}`,
      );
    }
    if (body.algorithm !== this.options.algorithm || body.seed !== this.options.seed) {
      throw new Error(
        `checkpoint ${path} is for ${body.algorithm} seed ${body.seed}, not ${this.options.algorithm} seed ${this.options.seed}`,
      );
    }
    const arrays = this.learner.stateArrays();
    for (const [name, target] of Object.entries(arrays)) {
      const source = body.arrays[name];
      if (source === undefined) throw new Error(`checkpoint ${path} lacks ${name}`);
      decodeInto(source, target, `${path}:${name}`, true);
    }
    this.learner.loadScalars(body.scalars);
    this.updateRng.setState(body.rng.update);
    this.actRng.setState(body.rng.act);
    this.updatesDone = body.updatesDone;
    this.simSteps = body.simSteps;
    this.elapsed = body.elapsed;
    this.history.splice(0, this.history.length, ...body.history);
    const b = body.simBuffer;
    this.simBuffer.size = b.size;
    this.simBuffer.cursor = b.cursor;
    decodeInto(b.obs, this.simBuffer.obs, 'simBuffer.obs');
    decodeInto(b.act, this.simBuffer.act, 'simBuffer.act');
    decodeInto(b.reward, this.simBuffer.reward, 'simBuffer.reward');
    decodeInto(b.nextObs, this.simBuffer.nextObs, 'simBuffer.nextObs');
    decodeInto(b.terminated, this.simBuffer.terminated, 'simBuffer.terminated');
    this.resetEnvs();
  }
}

interface CheckpointBody {
  format: string;
  algorithm: string;
  seed: number;
  updatesDone: number;
  simSteps: number;
  elapsed: number;
  history: EvalPoint[];
  rng: { update: RngState; act: RngState };
  scalars: Record<string, number>;
  arrays: Record<string, string>;
  simBuffer: {
    size: number;
    cursor: number;
    obs: string;
    act: string;
    reward: string;
    nextObs: string;
    terminated: string;
  };
}

function encode(array: Float64Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** `exact`: parameters must match the configured network sizes; buffers may be partly filled. */
function decodeInto(text: string, target: Float64Array, what: string, exact = false): void {
  const bytes = Buffer.from(text, 'base64');
  if (exact ? bytes.byteLength !== target.byteLength : bytes.byteLength > target.byteLength) {
    throw new Error(
      `checkpoint ${what}: has ${bytes.byteLength / 8} values, the configured run expects ${target.length} ` +
        '(was it trained with other network sizes or budget?)',
    );
  }
  const copy = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(copy.buffer).set(bytes);
  target.set(copy);
}

export function validateTrainerOptions(o: TrainerOptions): void {
  const positive: [string, number][] = [
    ['updates', o.updates],
    ['chunk', o.chunk],
    ['numEnvs', o.numEnvs],
    ['evalEvery', o.evalEvery],
    ['evalEpisodes', o.evalEpisodes],
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(o.startSteps) || o.startSteps < 0) {
    throw new RangeError(`startSteps must be a non-negative integer, got ${o.startSteps}`);
  }
}
