// Compiled from src/learning/iql.ts by `npm run build`: edit the source, not this file.

// src/learning/iql.ts
import { z } from "zod";
import { Adam, adamDefaults, loadOptimizerScalars, optimizerArrays, optimizerScalars } from "./adam.js";
import { copyParams, polyak } from "./engine.js";
import * as hyper from "./hyperparameters.js";
import { createBatch, stateStatistics } from "./replay.js";
import { concatRows, normalizeRows } from "./tensor-ops.js";
var iqlConfigSchema = z.object({
  hidden: hyper.hidden.default([256, 256]),
  gamma: hyper.discount.default(0.99),
  tau: hyper.polyakRate.default(5e-3),
  actorLr: hyper.learningRate.default(3e-4),
  criticLr: hyper.learningRate.default(3e-4),
  valueLr: hyper.learningRate.default(3e-4),
  batchSize: hyper.batchRows.default(256),
  /** τ of the expectile regression of V: 0.5 fits the mean over logged actions, towards 1 their best. */
  expectile: z.number().gt(0).lt(1).default(0.7),
  /** Inverse temperature β of the advantage weights exp(β·A): 0 is plain behaviour cloning. */
  beta: z.number().min(0).default(3),
  /** Upper clip of the advantage weights. */
  maxWeight: z.number().positive().default(100),
  normalizeStates: z.boolean().default(true),
  rewardScale: hyper.rewardScale.default(1)
}).strict();
var iqlDefaults = iqlConfigSchema.parse({});
var IqlAgent = class {
  constructor(engine, obsSize, actSize, config, data, rng, maxActRows = 64) {
    this.obsSize = obsSize;
    this.actSize = actSize;
    this.config = config;
    this.data = data;
    const { hidden: hidden2, batchSize: n } = config;
    const actorSpec = { inputSize: obsSize, hidden: hidden2, outputSize: actSize, activation: "relu" };
    const criticSpec = { inputSize: obsSize + actSize, hidden: hidden2, outputSize: 1, activation: "relu" };
    const valueSpec = { inputSize: obsSize, hidden: hidden2, outputSize: 1, activation: "relu" };
    this.actor = engine.createMlp(actorSpec, rng);
    this.q = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    this.qTarget = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    this.value = engine.createMlp(valueSpec, rng);
    copyParams(this.qTarget[0], this.q[0]);
    copyParams(this.qTarget[1], this.q[1]);
    this.optimizers = {
      actor: new Adam(this.actor.params, this.actor.grads, { ...adamDefaults, lr: config.actorLr }),
      q1: new Adam(this.q[0].params, this.q[0].grads, { ...adamDefaults, lr: config.criticLr }),
      q2: new Adam(this.q[1].params, this.q[1].grads, { ...adamDefaults, lr: config.criticLr }),
      value: new Adam(this.value.params, this.value.grads, { ...adamDefaults, lr: config.valueLr })
    };
    const statistics = stateStatistics(data, obsSize, config.normalizeStates);
    this.stateMean = statistics.mean;
    this.stateStd = statistics.std;
    this.batch = createBatch(n, obsSize, actSize);
    this.obsN = new Float64Array(n * obsSize);
    this.nextObsN = new Float64Array(n * obsSize);
    this.sa = new Float64Array(n * (obsSize + actSize));
    this.actorPass = this.actor.createPass(n);
    this.qPass = [this.q[0].createPass(n), this.q[1].createPass(n)];
    this.qTargetPass = [this.qTarget[0].createPass(n), this.qTarget[1].createPass(n)];
    this.valuePass = this.value.createPass(n);
    this.qMin = new Float64Array(n);
    this.weights = new Float64Array(n);
    this.y = new Float64Array(n);
    this.gradOut = new Float64Array(n);
    this.gradActor = new Float64Array(n * actSize);
    this.actPass = this.actor.createPass(maxActRows);
    this.actObs = new Float64Array(maxActRows * obsSize);
  }
  obsSize;
  actSize;
  config;
  data;
  actor;
  q;
  qTarget;
  value;
  optimizers;
  /** State normaliser from the log: obs_n = (obs − mean)/std. */
  stateMean;
  stateStd;
  updates = 0;
  batch;
  obsN;
  nextObsN;
  sa;
  actorPass;
  qPass;
  qTargetPass;
  valuePass;
  /** min_k Q̄_k(s, a) of the batch. */
  qMin;
  /** Advantage weights of the batch, then reused per row by `advantageWeights`. */
  weights;
  y;
  gradOut;
  gradActor;
  actPass;
  actObs;
  /** Deterministic action tanh(actor(normalised obs)). */
  act(obs, rows, out) {
    this.normalize(obs, rows, this.actObs);
    const raw = this.actor.forward(this.actPass, this.actObs, rows);
    for (let i = 0; i < rows * this.actSize; i++) out[i] = Math.tanh(raw[i]);
  }
  update(rng) {
    const { batchSize: n, gamma, expectile, rewardScale: rewardScale2 } = this.config;
    const O = this.obsSize;
    const A = this.actSize;
    const b = this.batch;
    b.rows = n;
    b.realRows = n;
    this.data.sampleInto(b, 0, n, rng);
    this.normalize(b.obs, n, this.obsN);
    this.normalize(b.nextObs, n, this.nextObsN);
    concatRows(this.obsN, O, b.act, A, n, this.sa);
    this.targetMin(this.sa, n);
    const v = this.value.forward(this.valuePass, this.obsN, n);
    let valueLoss = 0;
    let meanV = 0;
    for (let r = 0; r < n; r++) {
      const u = this.qMin[r] - v[r];
      const weight = u < 0 ? 1 - expectile : expectile;
      valueLoss += weight * u * u / n;
      meanV += v[r] / n;
      this.gradOut[r] = -2 * weight * u / n;
    }
    this.value.backward(this.valuePass, this.gradOut, null, true);
    this.optimizers["value"].step();
    const vNew = this.value.forward(this.valuePass, this.obsN, n);
    const meanWeight = this.weightsFrom(vNew, n);
    const actorLoss = this.actorGradient(b.act, n);
    this.optimizers["actor"].step();
    const vNext = this.value.forward(this.valuePass, this.nextObsN, n);
    for (let r = 0; r < n; r++) {
      this.y[r] = rewardScale2 * b.reward[r] + gamma * (1 - b.terminated[r]) * vNext[r];
    }
    let qLoss = 0;
    let meanQ = 0;
    for (let k = 0; k < 2; k++) {
      const q = this.q[k].forward(this.qPass[k], this.sa, n);
      for (let r = 0; r < n; r++) {
        const e = q[r] - this.y[r];
        qLoss += e * e / n;
        if (k === 0) meanQ += q[r] / n;
        this.gradOut[r] = 2 * e / n;
      }
      this.q[k].backward(this.qPass[k], this.gradOut, null, true);
    }
    this.optimizers["q1"].step();
    this.optimizers["q2"].step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
    this.updates += 1;
    return { qLoss: qLoss / 2, valueLoss, actorLoss, meanQ, meanV, meanWeight };
  }
  /**
   * The actor's weights w = min(exp(β·(min_k Q̄_k(s, a) − V(s))), maxWeight) of `rows` raw
   * observations and actions (at most `batchSize` rows), as the next update would weigh them.
   */
  advantageWeights(obs, act, rows, out) {
    if (rows > this.config.batchSize)
      throw new RangeError(`advantageWeights: ${rows} rows, at most ${this.config.batchSize}`);
    this.normalize(obs, rows, this.obsN);
    concatRows(this.obsN, this.obsSize, act, this.actSize, rows, this.sa);
    this.targetMin(this.sa, rows);
    this.weightsFrom(this.value.forward(this.valuePass, this.obsN, rows), rows);
    for (let r = 0; r < rows; r++) out[r] = this.weights[r];
  }
  /** qMin ← min_k Q̄_k(sa) row by row. */
  targetMin(sa, rows) {
    const t1 = this.qTarget[0].forward(this.qTargetPass[0], sa, rows);
    const t2 = this.qTarget[1].forward(this.qTargetPass[1], sa, rows);
    for (let r = 0; r < rows; r++) this.qMin[r] = Math.min(t1[r], t2[r]);
  }
  /** weights ← min(exp(β·(qMin − v)), maxWeight); returns their mean. */
  weightsFrom(v, rows) {
    const { beta, maxWeight } = this.config;
    let mean = 0;
    for (let r = 0; r < rows; r++) {
      const w = Math.min(Math.exp(beta * (this.qMin[r] - v[r])), maxWeight);
      this.weights[r] = w;
      mean += w / rows;
    }
    return mean;
  }
  /** Accumulates ∇ mean_r w_r·‖tanh(π(s_r)) − a_r‖² into the actor; returns the loss. */
  actorGradient(act, n) {
    const A = this.actSize;
    const raw = this.actor.forward(this.actorPass, this.obsN, n);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const w = this.weights[r];
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const pi = Math.tanh(raw[k]);
        const diff = pi - act[k];
        loss += w * diff * diff / n;
        this.gradActor[k] = 2 * w * diff / n * (1 - pi * pi);
      }
    }
    this.actor.backward(this.actorPass, this.gradActor, null, true);
    return loss;
  }
  normalize(obs, rows, out) {
    normalizeRows(obs, rows, this.stateMean, this.stateStd, out);
  }
  stateArrays() {
    const out = {
      actor: this.actor.params,
      q1: this.q[0].params,
      q2: this.q[1].params,
      q1Target: this.qTarget[0].params,
      q2Target: this.qTarget[1].params,
      value: this.value.params,
      stateMean: this.stateMean,
      stateStd: this.stateStd
    };
    return { ...out, ...optimizerArrays(this.optimizers) };
  }
  stateScalars() {
    return { updates: this.updates, ...optimizerScalars(this.optimizers) };
  }
  loadScalars(scalars) {
    this.updates = scalars["updates"] ?? 0;
    loadOptimizerScalars(this.optimizers, scalars);
  }
};
export {
  IqlAgent,
  iqlConfigSchema,
  iqlDefaults
};
