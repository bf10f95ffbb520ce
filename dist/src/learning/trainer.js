// Compiled from src/learning/trainer.ts by `npm run build`: edit the source, not this file.

// src/learning/trainer.ts
import { readFile, writeFile } from "node:fs/promises";
import { Rng } from "../core/rng.js";
import { cpuEngine } from "./cpu-engine.js";
import { datasetToBuffer, validateDataset } from "./dataset.js";
import { H2oAgent } from "./h2o.js";
import { algorithms, createLearner } from "./learner.js";
import { ReplayBuffer } from "./replay.js";
import { firstRows } from "./transitions.js";
var CHECKPOINT_FORMAT = "tether.checkpoint/2";
var Trainer = class _Trainer {
  constructor(options, envs, realData, sims, evalEnv) {
    this.options = options;
    this.envs = envs;
    this.sims = sims;
    this.evalEnv = evalEnv;
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
      A
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
  options;
  envs;
  sims;
  evalEnv;
  learner;
  history = [];
  updatesDone = 0;
  simSteps = 0;
  /** Mean of the last update's statistics, for progress output. */
  lastStats = {};
  simBuffer;
  updateRng;
  actRng;
  obs;
  nextObs;
  actions;
  episodeStep;
  elapsed = 0;
  /** Builds the environments (MuJoCo ones load asynchronously), then the trainer. */
  static async create(options, envs, realData) {
    validateTrainerOptions(options);
    const sims = [];
    if (algorithms[options.algorithm].online) {
      for (let i = 0; i < options.numEnvs; i++) {
        const seed = options.seed * 1e3 + i;
        sims.push(await (options.onlineIn === "real" ? envs.real(seed) : envs.sim(seed)));
      }
    }
    const evalEnv = await envs.real(options.seed + 99991);
    return new _Trainer(options, envs, realData, sims, evalEnv);
  }
  /** The real system's specs and step: what a policy trained here is deployed against. */
  get environment() {
    return this.evalEnv;
  }
  get obsSize() {
    return this.evalEnv.observation.signals.length;
  }
  get actSize() {
    return this.evalEnv.action.signals.length;
  }
  /** The H2O agent when the algorithm is one of the hybrid family (for diagnostics and w maps). */
  get hybridAgent() {
    const agent = this.learner.agent;
    return agent instanceof H2oAgent ? agent : null;
  }
  get done() {
    return this.updatesDone >= this.options.updates;
  }
  /** Runs one chunk (collect, then update) and any evaluation that falls due. */
  runChunk() {
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
          seconds: this.elapsed + (performance.now() - start) / 1e3,
          stats: { ...this.lastStats }
        });
      }
    }
    this.elapsed += (performance.now() - start) / 1e3;
  }
  /**
   * Fine-tuning: starts the actor from a deployed policy, with exploration σ `initialStd` (SAC-based
   * learners). Call before the first chunk.
   */
  initializeActor(init, initialStd) {
    if (this.updatesDone > 0) throw new Error("initializeActor: the run has already started");
    this.learner.loadActor(init, initialStd);
  }
  /**
   * Critic warm-up: `updates` critic-only updates on the real data (SAC: on the start steps), so
   * the critics value the deployed actor before the actor follows them. Returns the last update's
   * statistics, or null when the learner has no separate warm-up (TD3+BC, IQL).
   */
  warmCritics(updates) {
    let stats = null;
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
  async initializeFromCheckpoint(path) {
    if (this.updatesDone > 0) throw new Error("initializeFromCheckpoint: the run has already started");
    const body = JSON.parse(await readFile(path, "utf8"));
    if (body.format !== CHECKPOINT_FORMAT)
      throw new Error(
        `checkpoint ${path}: format ${JSON.stringify(body.format)}, expected ${CHECKPOINT_FORMAT}`
      );
    const copied = [];
    const skipped = [];
    for (const [name, target] of Object.entries(this.learner.stateArrays())) {
      if (name.startsWith("adam.")) continue;
      const source = body.arrays[name];
      if (source === void 0) continue;
      if (Buffer.from(source, "base64").byteLength !== target.byteLength) {
        skipped.push(name);
        continue;
      }
      decodeInto(source, target, `${path}:${name}`, true);
      copied.push(name);
    }
    if (!copied.includes("actor")) {
      throw new Error(
        `checkpoint ${path} (${body.algorithm}) has no actor of this run's size${skipped.length > 0 ? ` (sizes differ: ${skipped.join(", ")})` : ""}: set options.hidden to the deployed policy's`
      );
    }
    return copied;
  }
  /**
   * Every online transition collected so far, in order (views, not copies): what a replay-style
   * log of this run holds.
   */
  collected() {
    return firstRows(this.simBuffer, this.simBuffer.size);
  }
  /** Mean return of the deterministic policy over `episodes` episodes on the real system. */
  evaluate(episodes = this.options.evalEpisodes) {
    const env = this.evalEnv;
    const obs = new Float64Array(this.obsSize);
    const action = new Float64Array(this.actSize);
    let total = 0;
    for (let e = 0; e < episodes; e++) {
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
  collectStartSteps() {
    if (this.learner.online && this.simSteps === 0 && this.options.startSteps > 0) {
      this.collect(this.options.startSteps, this.options.startActions !== "policy");
    }
  }
  collect(steps, random) {
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
        const env = this.sims[i];
        const next = this.nextObs.subarray(i * O, (i + 1) * O);
        const result = env.step(this.actions.subarray(i * A, (i + 1) * A), next);
        this.simBuffer.add(this.obs, this.actions, result.reward, this.nextObs, result.terminated, i);
        this.simSteps += 1;
        this.episodeStep[i] += 1;
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
  finalWeights() {
    const agent = this.hybridAgent;
    if (agent === null || agent.dSas === null) throw new Error("final weights need the H2O discriminators");
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
          out.inside += w[j];
          out.countInside += 1;
        } else {
          out.outside += w[j];
          out.countOutside += 1;
        }
      }
    }
    out.inside /= Math.max(1, out.countInside);
    out.outside /= Math.max(1, out.countOutside);
    return out;
  }
  dispose() {
    for (const env of this.sims) env.dispose?.();
    this.evalEnv.dispose?.();
  }
  resetEnvs() {
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
  async saveCheckpoint(path) {
    const arrays = {};
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
        terminated: encode(this.simBuffer.terminated.subarray(0, this.simBuffer.size))
      }
    };
    await writeFile(path, JSON.stringify(body));
  }
  async loadCheckpoint(path) {
    const body = JSON.parse(await readFile(path, "utf8"));
    if (body.format !== CHECKPOINT_FORMAT) {
      throw new Error(
        `checkpoint ${path}: format ${JSON.stringify(body.format)}, expected ${CHECKPOINT_FORMAT}`
      );
    }
    if (body.algorithm !== this.options.algorithm || body.seed !== this.options.seed) {
      throw new Error(
        `checkpoint ${path} is for ${body.algorithm} seed ${body.seed}, not ${this.options.algorithm} seed ${this.options.seed}`
      );
    }
    const arrays = this.learner.stateArrays();
    for (const [name, target] of Object.entries(arrays)) {
      const source = body.arrays[name];
      if (source === void 0) throw new Error(`checkpoint ${path} lacks ${name}`);
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
    decodeInto(b.obs, this.simBuffer.obs, "simBuffer.obs");
    decodeInto(b.act, this.simBuffer.act, "simBuffer.act");
    decodeInto(b.reward, this.simBuffer.reward, "simBuffer.reward");
    decodeInto(b.nextObs, this.simBuffer.nextObs, "simBuffer.nextObs");
    decodeInto(b.terminated, this.simBuffer.terminated, "simBuffer.terminated");
    this.resetEnvs();
  }
};
function encode(array) {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString("base64");
}
function decodeInto(text, target, what, exact = false) {
  const bytes = Buffer.from(text, "base64");
  if (exact ? bytes.byteLength !== target.byteLength : bytes.byteLength > target.byteLength) {
    throw new Error(
      `checkpoint ${what}: has ${bytes.byteLength / 8} values, the configured run expects ${target.length} (was it trained with other network sizes or budget?)`
    );
  }
  const copy = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(copy.buffer).set(bytes);
  target.set(copy);
}
function validateTrainerOptions(o) {
  const positive = [
    ["updates", o.updates],
    ["chunk", o.chunk],
    ["numEnvs", o.numEnvs],
    ["evalEvery", o.evalEvery],
    ["evalEpisodes", o.evalEpisodes]
  ];
  for (const [name, value] of positive) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  if (!Number.isInteger(o.startSteps) || o.startSteps < 0) {
    throw new RangeError(`startSteps must be a non-negative integer, got ${o.startSteps}`);
  }
}
export {
  Trainer,
  validateTrainerOptions
};
