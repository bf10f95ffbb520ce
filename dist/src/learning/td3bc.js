// Compiled from src/learning/td3bc.ts by `npm run build`: edit the source, not this file.

// src/learning/td3bc.ts
import { z } from "zod";
import { Adam, adamDefaults, loadOptimizerScalars, optimizerArrays, optimizerScalars } from "./adam.js";
import { copyParams, polyak } from "./engine.js";
import * as hyper from "./hyperparameters.js";
import { createBatch, stateStatistics } from "./replay.js";
import { concatRows, normalizeRows } from "./tensor-ops.js";
var td3bcConfigSchema = z.object({
  hidden: hyper.hidden.default([256, 256]),
  gamma: hyper.discount.default(0.99),
  tau: hyper.polyakRate.default(5e-3),
  actorLr: hyper.learningRate.default(3e-4),
  criticLr: hyper.learningRate.default(3e-4),
  batchSize: hyper.batchRows.default(256),
  /** σ of the target policy smoothing noise, and the clip of that noise. */
  policyNoise: z.number().min(0).default(0.2),
  noiseClip: z.number().min(0).default(0.5),
  /** Critic updates per actor update. */
  policyDelay: z.number().int().positive().default(2),
  /** α of λ = α / mean|Q|: how much the actor trusts Q over cloning the log. */
  alpha: z.number().positive().default(2.5),
  normalizeStates: z.boolean().default(true),
  rewardScale: hyper.rewardScale.default(1)
}).strict();
var td3bcDefaults = td3bcConfigSchema.parse({});
var Td3BcAgent = class {
  constructor(engine, obsSize, actSize, config, data, rng, maxActRows = 64) {
    this.obsSize = obsSize;
    this.actSize = actSize;
    this.config = config;
    this.data = data;
    const { hidden: hidden2, batchSize: n } = config;
    const actorSpec = { inputSize: obsSize, hidden: hidden2, outputSize: actSize, activation: "relu" };
    const criticSpec = { inputSize: obsSize + actSize, hidden: hidden2, outputSize: 1, activation: "relu" };
    this.actor = engine.createMlp(actorSpec, rng);
    this.actorTarget = engine.createMlp(actorSpec, rng);
    this.q = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    this.qTarget = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    copyParams(this.actorTarget, this.actor);
    copyParams(this.qTarget[0], this.q[0]);
    copyParams(this.qTarget[1], this.q[1]);
    this.optimizers = {
      actor: new Adam(this.actor.params, this.actor.grads, { ...adamDefaults, lr: config.actorLr }),
      q1: new Adam(this.q[0].params, this.q[0].grads, { ...adamDefaults, lr: config.criticLr }),
      q2: new Adam(this.q[1].params, this.q[1].grads, { ...adamDefaults, lr: config.criticLr })
    };
    const statistics = stateStatistics(data, obsSize, config.normalizeStates);
    this.stateMean = statistics.mean;
    this.stateStd = statistics.std;
    const sa = obsSize + actSize;
    this.batch = createBatch(n, obsSize, actSize);
    this.obsN = new Float64Array(n * obsSize);
    this.nextObsN = new Float64Array(n * obsSize);
    this.actorPass = this.actor.createPass(n);
    this.actorTargetPass = this.actorTarget.createPass(n);
    this.qPass = [this.q[0].createPass(n), this.q[1].createPass(n)];
    this.qTargetPass = [this.qTarget[0].createPass(n), this.qTarget[1].createPass(n)];
    this.qPiPass = this.q[0].createPass(n);
    this.sa = new Float64Array(n * sa);
    this.nextSa = new Float64Array(n * sa);
    this.piSa = new Float64Array(n * sa);
    this.gradQ = new Float64Array(n);
    this.gradSa = new Float64Array(n * sa);
    this.gradPi = new Float64Array(n * actSize);
    this.y = new Float64Array(n);
    this.actPass = this.actor.createPass(maxActRows);
    this.actObs = new Float64Array(maxActRows * obsSize);
  }
  obsSize;
  actSize;
  config;
  data;
  actor;
  actorTarget;
  q;
  qTarget;
  optimizers;
  /** State normaliser from the log: obs_n = (obs − mean)/std. */
  stateMean;
  stateStd;
  updates = 0;
  lastActorLoss = 0;
  batch;
  obsN;
  nextObsN;
  actorPass;
  actorTargetPass;
  qPass;
  qTargetPass;
  qPiPass;
  sa;
  nextSa;
  piSa;
  gradQ;
  gradSa;
  gradPi;
  y;
  actPass;
  actObs;
  /** Deterministic action tanh(actor(normalised obs)); exploration noise is not used offline. */
  act(obs, rows, out) {
    this.normalize(obs, rows, this.actObs);
    const raw = this.actor.forward(this.actPass, this.actObs, rows);
    for (let i = 0; i < rows * this.actSize; i++) out[i] = Math.tanh(raw[i]);
  }
  update(rng) {
    const { batchSize: n, gamma, policyNoise, noiseClip, rewardScale: rewardScale2 } = this.config;
    const O = this.obsSize;
    const A = this.actSize;
    const b = this.batch;
    b.rows = n;
    b.realRows = n;
    this.data.sampleInto(b, 0, n, rng);
    this.normalize(b.obs, n, this.obsN);
    this.normalize(b.nextObs, n, this.nextObsN);
    const nextRaw = this.actorTarget.forward(this.actorTargetPass, this.nextObsN, n);
    for (let i = 0; i < n * A; i++) {
      const noise = Math.max(-noiseClip, Math.min(noiseClip, policyNoise * rng.normal()));
      this.gradPi[i] = Math.max(-1, Math.min(1, Math.tanh(nextRaw[i]) + noise));
    }
    concatRows(this.nextObsN, O, this.gradPi, A, n, this.nextSa);
    const t1 = this.qTarget[0].forward(this.qTargetPass[0], this.nextSa, n);
    const t2 = this.qTarget[1].forward(this.qTargetPass[1], this.nextSa, n);
    for (let r = 0; r < n; r++) {
      this.y[r] = rewardScale2 * b.reward[r] + gamma * (1 - b.terminated[r]) * Math.min(t1[r], t2[r]);
    }
    concatRows(this.obsN, O, b.act, A, n, this.sa);
    let qLoss = 0;
    let meanQ = 0;
    for (let k = 0; k < 2; k++) {
      const q = this.q[k].forward(this.qPass[k], this.sa, n);
      for (let r = 0; r < n; r++) {
        const e = q[r] - this.y[r];
        qLoss += e * e / n;
        if (k === 0) meanQ += q[r] / n;
        this.gradQ[r] = 2 * e / n;
      }
      this.q[k].backward(this.qPass[k], this.gradQ, null, true);
    }
    this.updates += 1;
    if (this.updates % this.config.policyDelay === 0) {
      this.lastActorLoss = this.actorGradient(b, n);
      this.optimizers["actor"].step();
    }
    this.optimizers["q1"].step();
    this.optimizers["q2"].step();
    if (this.updates % this.config.policyDelay === 0) {
      polyak(this.actorTarget, this.actor, this.config.tau);
      polyak(this.qTarget[0], this.q[0], this.config.tau);
      polyak(this.qTarget[1], this.q[1], this.config.tau);
    }
    return { qLoss: qLoss / 2, actorLoss: this.lastActorLoss, meanQ };
  }
  actorGradient(b, n) {
    const O = this.obsSize;
    const A = this.actSize;
    const raw = this.actor.forward(this.actorPass, this.obsN, n);
    const pi = this.gradPi;
    for (let i = 0; i < n * A; i++) pi[i] = Math.tanh(raw[i]);
    concatRows(this.obsN, O, pi, A, n, this.piSa);
    const q = this.q[0].forward(this.qPiPass, this.piSa, n);
    let meanAbsQ = 0;
    let meanQ = 0;
    for (let r = 0; r < n; r++) {
      meanAbsQ += Math.abs(q[r]) / n;
      meanQ += q[r] / n;
    }
    const lambda = this.config.alpha / (meanAbsQ + 1e-12);
    for (let r = 0; r < n; r++) this.gradQ[r] = -lambda / n;
    this.q[0].backward(this.qPiPass, this.gradQ, this.gradSa, false);
    let bc = 0;
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const diff = pi[k] - b.act[k];
        bc += diff * diff / (n * A);
        const grad = this.gradSa[r * (O + A) + O + i] + 2 * diff / (n * A);
        pi[k] = grad * (1 - pi[k] * pi[k]);
      }
    }
    this.actor.backward(this.actorPass, pi, null, true);
    return -lambda * meanQ + bc;
  }
  normalize(obs, rows, out) {
    normalizeRows(obs, rows, this.stateMean, this.stateStd, out);
  }
  stateArrays() {
    const out = {
      actor: this.actor.params,
      actorTarget: this.actorTarget.params,
      q1: this.q[0].params,
      q2: this.q[1].params,
      q1Target: this.qTarget[0].params,
      q2Target: this.qTarget[1].params,
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
  Td3BcAgent,
  td3bcConfigSchema,
  td3bcDefaults
};
