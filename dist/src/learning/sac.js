// Compiled from src/learning/sac.ts by `npm run build`: edit the source, not this file.

// src/learning/sac.ts
import { z } from "zod";
import {
  Adam,
  adamDefaults,
  loadOptimizerScalars,
  optimizerArrays,
  optimizerScalars
} from "./adam.js";
import { copyParams, polyak } from "./engine.js";
import * as hyper from "./hyperparameters.js";
import { TanhGaussianHead } from "./tanh-gaussian.js";
import { concatRows } from "./tensor-ops.js";
var sacAgentShape = {
  hidden: hyper.hidden.default([256, 256]),
  gamma: hyper.discount.default(0.99),
  tau: hyper.polyakRate.default(5e-3),
  actorLr: hyper.learningRate.default(3e-4),
  criticLr: hyper.learningRate.default(3e-4),
  alphaLr: hyper.learningRate.default(3e-4),
  /** Include −α·log π(a'|s') in the critic target (SAC paper: yes; H2O: no). */
  backupEntropy: z.boolean().default(true),
  /** Initial log α. */
  initLogAlpha: z.number().default(0),
  /** Entropy target; null = −dim(A). */
  targetEntropy: z.number().nullable().default(null),
  /** Gain of the Xavier-uniform init of the critics' last layer (H2O: 0.01); null = default init. */
  criticOutputGain: z.number().positive().nullable().default(null)
};
var sacAgentSchema = z.object(sacAgentShape);
var sacConfigSchema = z.object({
  ...sacAgentShape,
  batchSize: hyper.batchRows.default(256),
  rewardScale: hyper.rewardScale.default(1)
}).strict();
var sacDefaults = sacConfigSchema.parse({});
var SacAgent = class {
  constructor(engine, obsSize, actSize, config, rng, maxRows, maxActRows = 64) {
    this.obsSize = obsSize;
    this.actSize = actSize;
    this.config = config;
    const hidden2 = config.hidden;
    this.actor = engine.createMlp(
      { inputSize: obsSize, hidden: hidden2, outputSize: 2 * actSize, activation: "relu" },
      rng
    );
    const criticSpec = {
      inputSize: obsSize + actSize,
      hidden: hidden2,
      outputSize: 1,
      activation: "relu",
      ...config.criticOutputGain === null ? {} : { outputGain: config.criticOutputGain }
    };
    this.q = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    this.qTarget = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    copyParams(this.qTarget[0], this.q[0]);
    copyParams(this.qTarget[1], this.q[1]);
    this.logAlpha = Float64Array.of(config.initLogAlpha);
    this.targetEntropy = config.targetEntropy ?? -actSize;
    const adam = (lr) => ({ ...adamDefaults, lr });
    this.optimizers = {
      actor: new Adam(this.actor.params, this.actor.grads, adam(config.actorLr)),
      logStdScale: new Adam(this.logStdScale, this.logStdScaleGrad, adam(config.actorLr)),
      q1: new Adam(this.q[0].params, this.q[0].grads, adam(config.criticLr)),
      q2: new Adam(this.q[1].params, this.q[1].grads, adam(config.criticLr)),
      logAlpha: new Adam(this.logAlpha, this.logAlphaGrad, adam(config.alphaLr))
    };
    const sa = obsSize + actSize;
    this.actorPass = this.actor.createPass(maxRows);
    this.head = new TanhGaussianHead(actSize, maxRows);
    this.qPass = [this.q[0].createPass(maxRows), this.q[1].createPass(maxRows)];
    this.qPiPass = [this.q[0].createPass(maxRows), this.q[1].createPass(maxRows)];
    this.qTargetPass = [this.qTarget[0].createPass(maxRows), this.qTarget[1].createPass(maxRows)];
    this.stateAction = new Float64Array(maxRows * sa);
    this.statePiAction = new Float64Array(maxRows * sa);
    this.nextStateAction = new Float64Array(maxRows * sa);
    this.gradStateAction = new Float64Array(maxRows * sa);
    this.gradAction = new Float64Array(maxRows * actSize);
    this.gradLogProb = new Float64Array(maxRows);
    this.gradActorOut = new Float64Array(maxRows * 2 * actSize);
    this.policyLogProb = new Float64Array(maxRows);
    this.target = new Float64Array(maxRows);
    this.qValues = [new Float64Array(maxRows), new Float64Array(maxRows)];
    this.gradQ = [new Float64Array(maxRows), new Float64Array(maxRows)];
    this.actPass = this.actor.createPass(maxActRows);
    this.actHead = new TanhGaussianHead(actSize, maxActRows);
  }
  obsSize;
  actSize;
  config;
  actor;
  /** [m, o] of log σ = m·raw + o. */
  logStdScale = Float64Array.of(1, -1);
  logStdScaleGrad = new Float64Array(2);
  q;
  qTarget;
  logAlpha;
  logAlphaGrad = new Float64Array(1);
  optimizers;
  targetEntropy;
  // Buffers for one update; sized for the largest batch this agent will see.
  actorPass;
  head;
  qPass;
  qPiPass;
  qTargetPass;
  stateAction;
  statePiAction;
  nextStateAction;
  gradStateAction;
  gradAction;
  gradLogProb;
  gradActorOut;
  policyLogProb;
  target;
  qValues;
  gradQ;
  /** Deterministic/stochastic acting on a few rows (environment copies). */
  actPass;
  actHead;
  get alpha() {
    return Math.exp(this.logAlpha[0]);
  }
  /** Actions for `rows` observations; `rng` null = deterministic tanh(μ). */
  act(obs, rows, out, rng) {
    const netOut = this.actor.forward(this.actPass, obs, rows);
    this.actHead.sample(netOut, rows, this.logStdScale, rng);
    out.set(this.actHead.action.subarray(0, rows * this.actSize));
  }
  /** y = r·rewardScale + γ(1 − d)·(min_k Q̄_k(s', a') [− α log π(a'|s')]). */
  computeTargets(batch, rewardScale2, rng) {
    const rows = batch.rows;
    const netOut = this.actor.forward(this.actorPass, batch.nextObs, rows);
    this.head.sample(netOut, rows, this.logStdScale, rng);
    concatRows(batch.nextObs, this.obsSize, this.head.action, this.actSize, rows, this.nextStateAction);
    const q1 = this.qTarget[0].forward(this.qTargetPass[0], this.nextStateAction, rows);
    const q2 = this.qTarget[1].forward(this.qTargetPass[1], this.nextStateAction, rows);
    const alpha = this.alpha;
    const { gamma, backupEntropy } = this.config;
    for (let r = 0; r < rows; r++) {
      let next = Math.min(q1[r], q2[r]);
      if (backupEntropy) next -= alpha * this.head.logProb[r];
      this.target[r] = rewardScale2 * batch.reward[r] + gamma * (1 - batch.terminated[r]) * next;
    }
    return this.target;
  }
  /**
   * Accumulates ∇L_π into the actor and ∇L_α into log α, over all batch rows (real ∪ sim), using
   * the critics and α as they are now (before this update's steps). Returns [L_π, mean log π].
   */
  actorAndAlphaGradients(batch, rng) {
    const rows = batch.rows;
    const A = this.actSize;
    const netOut = this.actor.forward(this.actorPass, batch.obs, rows);
    this.head.sample(netOut, rows, this.logStdScale, rng);
    this.policyLogProb.set(this.head.logProb.subarray(0, rows));
    concatRows(batch.obs, this.obsSize, this.head.action, A, rows, this.statePiAction);
    const q1 = this.q[0].forward(this.qPiPass[0], this.statePiAction, rows);
    const q2 = this.q[1].forward(this.qPiPass[1], this.statePiAction, rows);
    const alpha = this.alpha;
    let loss = 0;
    let meanLogProb = 0;
    const g1 = this.gradQ[0];
    const g2 = this.gradQ[1];
    for (let r = 0; r < rows; r++) {
      const first = q1[r] <= q2[r];
      loss += alpha * this.policyLogProb[r] - (first ? q1[r] : q2[r]);
      meanLogProb += this.policyLogProb[r];
      g1[r] = first ? -1 / rows : 0;
      g2[r] = first ? 0 : -1 / rows;
      this.gradLogProb[r] = alpha / rows;
    }
    this.gradAction.fill(0, 0, rows * A);
    for (let k = 0; k < 2; k++) {
      this.q[k].backward(this.qPiPass[k], this.gradQ[k], this.gradStateAction, false);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < A; i++) {
          this.gradAction[r * A + i] += this.gradStateAction[r * (this.obsSize + A) + this.obsSize + i];
        }
      }
    }
    this.head.backward(this.gradAction, this.gradLogProb, rows, this.gradActorOut, this.logStdScaleGrad);
    this.actor.backward(this.actorPass, this.gradActorOut, null, true);
    meanLogProb /= rows;
    this.logAlphaGrad[0] += -(meanLogProb + this.targetEntropy);
    return [loss / rows, meanLogProb];
  }
  /** Q_k(s, a) for the batch; fills `qValues`. */
  criticForward(batch) {
    concatRows(batch.obs, this.obsSize, batch.act, this.actSize, batch.rows, this.stateAction);
    this.qValues[0].set(
      this.q[0].forward(this.qPass[0], this.stateAction, batch.rows).subarray(0, batch.rows)
    );
    this.qValues[1].set(
      this.q[1].forward(this.qPass[1], this.stateAction, batch.rows).subarray(0, batch.rows)
    );
    return this.qValues;
  }
  /** Accumulates critic parameter gradients from dL/dQ_k (`gradQ`, filled by the caller). */
  criticBackward() {
    this.q[0].backward(this.qPass[0], this.gradQ[0], null, true);
    this.q[1].backward(this.qPass[1], this.gradQ[1], null, true);
  }
  /** Steps α, the actor and the critics on their accumulated gradients, then moves the targets. */
  step() {
    this.optimizers["logAlpha"].step();
    this.optimizers["actor"].step();
    this.optimizers["logStdScale"].step();
    this.optimizers["q1"].step();
    this.optimizers["q2"].step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
  }
  /** Steps only the critics and moves their targets (critic warm-up: the actor and α stay). */
  stepCritics() {
    this.optimizers["q1"].step();
    this.optimizers["q2"].step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
  }
  /** Every array that changes during training, by name (parameters and optimiser moments). */
  stateArrays() {
    const out = {
      actor: this.actor.params,
      logStdScale: this.logStdScale,
      q1: this.q[0].params,
      q2: this.q[1].params,
      q1Target: this.qTarget[0].params,
      q2Target: this.qTarget[1].params,
      logAlpha: this.logAlpha
    };
    return { ...out, ...optimizerArrays(this.optimizers) };
  }
  stateScalars() {
    return optimizerScalars(this.optimizers);
  }
  loadScalars(scalars) {
    loadOptimizerScalars(this.optimizers, scalars);
  }
};
function criticRegression(agent, batch, y) {
  const rows = batch.rows;
  const [q1, q2] = agent.criticForward(batch);
  let qLoss = 0;
  let meanQ = 0;
  for (let r = 0; r < rows; r++) {
    const e1 = q1[r] - y[r];
    const e2 = q2[r] - y[r];
    qLoss += e1 * e1 + e2 * e2;
    meanQ += q1[r];
    agent.gradQ[0][r] = 2 * e1 / rows;
    agent.gradQ[1][r] = 2 * e2 / rows;
  }
  agent.criticBackward();
  return { qLoss: qLoss / rows, meanQ: meanQ / rows };
}
function sacUpdate(agent, batch, rewardScale2, rng) {
  const y = agent.computeTargets(batch, rewardScale2, rng);
  const [actorLoss, meanLogProb] = agent.actorAndAlphaGradients(batch, rng);
  const { qLoss, meanQ } = criticRegression(agent, batch, y);
  const alpha = agent.alpha;
  agent.step();
  return { qLoss, actorLoss, alpha, meanQ, entropy: -meanLogProb };
}
function criticWarmupUpdate(agent, batch, rewardScale2, rng) {
  const y = agent.computeTargets(batch, rewardScale2, rng);
  const stats = criticRegression(agent, batch, y);
  agent.stepCritics();
  return stats;
}
export {
  SacAgent,
  criticWarmupUpdate,
  sacAgentShape,
  sacConfigSchema,
  sacDefaults,
  sacUpdate
};
