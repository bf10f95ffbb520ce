// Compiled from src/learning/h2o.ts by `npm run build`: edit the source, not this file.

// src/learning/h2o.ts
import { z } from "zod";
import { Adam, adamDefaults, loadOptimizerScalars, optimizerArrays, optimizerScalars } from "./adam.js";
import * as hyper from "./hyperparameters.js";
import { createBatch } from "./replay.js";
import { SacAgent, sacAgentShape } from "./sac.js";
import { concatRows } from "./tensor-ops.js";
var clipRange = z.tuple([z.number(), z.number()]).readonly().refine(([lo, hi]) => lo <= hi, "expected [lower, upper] with lower ≤ upper");
var h2oConfigSchema = z.object({
  ...sacAgentShape,
  backupEntropy: sacAgentShape.backupEntropy.unwrap().default(false),
  criticOutputGain: sacAgentShape.criticOutputGain.unwrap().default(0.01),
  /** Rows per update from the real log and from the simulator's replay buffer. */
  realBatch: z.number().int().min(0).default(128),
  simBatch: hyper.batchRows.default(128),
  importanceWeight: z.boolean().default(true),
  penalty: z.boolean().default(true),
  /** true: ω ∝ u (dynamics-gap-aware); false: uniform ω. */
  uWeighting: z.boolean().default(true),
  beta: z.number().min(0).default(0.01),
  penaltyClip: z.number().positive().default(1e3),
  weightClip: clipRange.default([1e-5, 1]),
  uClip: clipRange.default([1e-45, 10]),
  uSamples: z.number().int().positive().default(10),
  /** σ of the u estimate = uNoiseScale × per-dimension std of the real states (spec: 1). */
  uNoiseScale: z.number().min(0).default(1),
  discriminatorHidden: hyper.hidden.default([256, 256]),
  discriminatorLr: hyper.learningRate.default(3e-4),
  /** Rows per domain in the discriminators' own batch. */
  discriminatorBatch: hyper.batchRows.default(256),
  /** Std of the Gaussian noise added to the discriminators' training inputs. */
  discriminatorNoise: z.number().min(0).default(0.1),
  rewardScale: hyper.rewardScale.default(1)
}).strict();
var h2oDefaults = h2oConfigSchema.parse({});
var naiveMixConfigSchema = h2oConfigSchema.extend({
  realBatch: z.number().int().min(0).default(64),
  simBatch: hyper.batchRows.default(64),
  importanceWeight: z.boolean().default(false),
  penalty: z.boolean().default(false)
});
var naiveMixDefaults = naiveMixConfigSchema.parse({});
var H2oAgent = class {
  constructor(engine, obsSize, actSize, config, real, sim, rng, gapRegion = null) {
    this.obsSize = obsSize;
    this.actSize = actSize;
    this.config = config;
    this.real = real;
    this.sim = sim;
    this.gapRegion = gapRegion;
    validateH2oConfig(config, real);
    const rows = config.realBatch + config.simBatch;
    this.sac = new SacAgent(engine, obsSize, actSize, config, rng, rows);
    this.batch = createBatch(rows, obsSize, actSize);
    const needsDiscriminators = config.importanceWeight || config.penalty;
    const O = obsSize;
    const A = actSize;
    const discRows = 2 * config.discriminatorBatch;
    this.discBatch = createBatch(discRows, O, A);
    this.saIn = new Float64Array(discRows * (O + A));
    this.sasIn = new Float64Array(Math.max(discRows, config.simBatch) * (2 * O + A));
    this.gradSa = new Float64Array(discRows * 2);
    this.gradSas = new Float64Array(discRows * 2);
    this.uIn = new Float64Array(config.uSamples * config.simBatch * (2 * O + A));
    this.w = new Float64Array(config.simBatch).fill(1);
    this.u = new Float64Array(config.simBatch).fill(1);
    this.omega = new Float64Array(config.simBatch).fill(config.simBatch > 0 ? 1 / config.simBatch : 0);
    this.realStateStd = real === null ? new Float64Array(O).fill(1) : columnStd(real.obs, real.size, O);
    for (let c = 0; c < O; c++) this.realStateStd[c] *= config.uNoiseScale;
    if (needsDiscriminators) {
      const hidden2 = config.discriminatorHidden;
      this.dSa = engine.createMlp({ inputSize: O + A, hidden: hidden2, outputSize: 2, activation: "relu" }, rng);
      this.dSas = engine.createMlp({ inputSize: 2 * O + A, hidden: hidden2, outputSize: 2, activation: "relu" }, rng);
      const adam = { ...adamDefaults, lr: config.discriminatorLr };
      this.discriminatorOptimizers = [
        new Adam(this.dSa.params, this.dSa.grads, adam),
        new Adam(this.dSas.params, this.dSas.grads, adam)
      ];
      this.saPass = this.dSa.createPass(Math.max(discRows, config.simBatch));
      this.sasPass = this.dSas.createPass(Math.max(discRows, config.simBatch));
      this.uPass = this.dSas.createPass(config.uSamples * config.simBatch);
    } else {
      this.dSa = null;
      this.dSas = null;
      this.saPass = null;
      this.sasPass = null;
      this.uPass = null;
    }
  }
  obsSize;
  actSize;
  config;
  real;
  sim;
  gapRegion;
  sac;
  dSa;
  dSas;
  discriminatorOptimizers = [];
  diagnostics = {
    wInside: 0,
    wOutside: 0,
    uInside: 0,
    uOutside: 0,
    countInside: 0,
    countOutside: 0
  };
  /** σ of the u estimate's perturbation of s': uNoiseScale × per-dimension std of the real states. */
  realStateStd;
  batch;
  discBatch;
  saIn;
  sasIn;
  saPass;
  sasPass;
  gradSa;
  gradSas;
  /** u-estimate inputs: N perturbed copies of the sim half of the batch. */
  uIn;
  uPass;
  w;
  u;
  omega;
  act(obs, rows, out, rng) {
    this.sac.act(obs, rows, out, rng);
  }
  update(rng) {
    const { realBatch, simBatch, beta, penaltyClip } = this.config;
    const discriminator = this.dSa === null ? null : this.discriminatorStep(rng);
    const batch = this.batch;
    batch.rows = realBatch + simBatch;
    batch.realRows = realBatch;
    if (realBatch > 0) this.real.sampleInto(batch, 0, realBatch, rng);
    this.sim.sampleInto(batch, realBatch, simBatch, rng);
    const sac = this.sac;
    const y = sac.computeTargets(batch, this.config.rewardScale, rng);
    const [actorLoss] = sac.actorAndAlphaGradients(batch, rng);
    if (this.dSa !== null) this.gapWeights(batch, rng);
    const qs = sac.criticForward(batch);
    let qLoss = 0;
    let penaltyValue = 0;
    for (let k = 0; k < 2; k++) {
      const q = qs[k];
      const g = sac.gradQ[k];
      for (let r = 0; r < realBatch; r++) {
        const e = q[r] - y[r];
        qLoss += e * e / realBatch;
        g[r] = 2 * e / realBatch;
      }
      for (let j = 0; j < simBatch; j++) {
        const r = realBatch + j;
        const e = q[r] - y[r];
        const w = this.config.importanceWeight ? this.w[j] : 1;
        qLoss += w * e * e / simBatch;
        g[r] = 2 * w * e / simBatch;
      }
      if (this.config.penalty) penaltyValue += this.addPenaltyGradient(q, g, beta, penaltyClip);
    }
    sac.criticBackward();
    const alpha = sac.alpha;
    sac.step();
    let qReal = 0;
    for (let r = 0; r < realBatch; r++) qReal += qs[0][r];
    let qSim = 0;
    for (let r = realBatch; r < batch.rows; r++) qSim += qs[0][r];
    let meanW = 0;
    for (let j = 0; j < simBatch; j++) meanW += this.w[j];
    return {
      qLoss: qLoss / 2,
      actorLoss,
      alpha,
      meanQ: (qReal + qSim) / batch.rows,
      // Q on real vs simulated transitions: the penalty pushes the second below the first where
      // the simulator is wrong.
      ...realBatch > 0 ? { meanQReal: qReal / realBatch } : {},
      ...simBatch > 0 ? { meanQSim: qSim / simBatch } : {},
      discriminatorLoss: discriminator?.loss ?? 0,
      // Share of the discriminator batch the (s, a, s′) classifier put on the right side (real or sim).
      ...discriminator === null ? {} : { discriminatorAccuracy: discriminator.accuracy },
      meanW: simBatch > 0 ? meanW / simBatch : 1,
      penalty: penaltyValue / 2
    };
  }
  /**
   * β·clip(log Σ_j ω_j exp Q_j − mean_real Q): adds its gradient into g and returns its value.
   * d/dQ_j (sim) = β·softmax(log ω + Q)_j;  d/dQ_r (real) = −β/n_real; zero when clipped.
   */
  addPenaltyGradient(q, g, beta, clip) {
    const { realBatch, simBatch } = this.config;
    let maxLogit = -Infinity;
    for (let j = 0; j < simBatch; j++) {
      const z2 = Math.log(this.omega[j]) + q[realBatch + j];
      if (z2 > maxLogit) maxLogit = z2;
    }
    let sum = 0;
    for (let j = 0; j < simBatch; j++)
      sum += Math.exp(Math.log(this.omega[j]) + q[realBatch + j] - maxLogit);
    const logSumExp = maxLogit + Math.log(sum);
    let meanReal = 0;
    for (let r = 0; r < realBatch; r++) meanReal += q[r] / realBatch;
    const gap = logSumExp - meanReal;
    if (gap > clip || gap < -clip) return beta * Math.max(-clip, Math.min(clip, gap));
    for (let j = 0; j < simBatch; j++) {
      g[realBatch + j] += beta * Math.exp(Math.log(this.omega[j]) + q[realBatch + j] - maxLogit) / sum;
    }
    for (let r = 0; r < realBatch; r++) g[r] -= beta / realBatch;
    return beta * gap;
  }
  /** One step of both discriminators on their own real+sim batch with input noise. Returns the loss. */
  discriminatorStep(rng) {
    const dSa = this.dSa;
    const dSas = this.dSas;
    const n = this.config.discriminatorBatch;
    const O = this.obsSize;
    const A = this.actSize;
    const b = this.discBatch;
    b.rows = 2 * n;
    b.realRows = n;
    this.real.sampleInto(b, 0, n, rng);
    this.sim.sampleInto(b, n, n, rng);
    const sigma = this.config.discriminatorNoise;
    for (let i = 0; i < b.rows * O; i++) {
      b.obs[i] += sigma * rng.normal();
      b.nextObs[i] += sigma * rng.normal();
    }
    for (let i = 0; i < b.rows * A; i++) b.act[i] += sigma * rng.normal();
    concatRows(b.obs, O, b.act, A, b.rows, this.saIn);
    concatRows(this.saIn, O + A, b.nextObs, O, b.rows, this.sasIn);
    const outSa = dSa.forward(this.saPass, this.saIn, b.rows);
    const outSas = dSas.forward(this.sasPass, this.sasIn, b.rows);
    let loss = 0;
    let correct = 0;
    for (let r = 0; r < b.rows; r++) {
      const label = r < n ? 0 : 1;
      const ta0 = Math.tanh(outSa[2 * r]);
      const ta1 = Math.tanh(outSa[2 * r + 1]);
      const tb0 = Math.tanh(outSas[2 * r]);
      const tb1 = Math.tanh(outSas[2 * r + 1]);
      const pSa1 = sigmoid(2 * ta1 - 2 * ta0);
      const pSas1 = sigmoid(2 * tb1 + 2 * ta1 - 2 * tb0 - 2 * ta0);
      loss -= (Math.log(label === 1 ? pSa1 : 1 - pSa1) + Math.log(label === 1 ? pSas1 : 1 - pSas1)) / n;
      if (pSas1 > 0.5 === (label === 1)) correct += 1;
      const gSa = (pSa1 - label) / n;
      const gSas = (pSas1 - label) / n;
      const gLogitSa1 = gSa + gSas;
      this.gradSa[2 * r] = -gLogitSa1 * 2 * (1 - ta0 * ta0);
      this.gradSa[2 * r + 1] = gLogitSa1 * 2 * (1 - ta1 * ta1);
      this.gradSas[2 * r] = -gSas * 2 * (1 - tb0 * tb0);
      this.gradSas[2 * r + 1] = gSas * 2 * (1 - tb1 * tb1);
    }
    dSa.backward(this.saPass, this.gradSa, null, true);
    dSas.backward(this.sasPass, this.gradSas, null, true);
    for (const optimizer of this.discriminatorOptimizers) optimizer.step();
    return { loss, accuracy: correct / b.rows };
  }
  /** w, u and ω for the sim half of `batch`, from the current discriminators (no gradient). */
  gapWeights(batch, rng) {
    const { realBatch, simBatch, uSamples, weightClip, uClip } = this.config;
    const O = this.obsSize;
    const A = this.actSize;
    const width = 2 * O + A;
    const simObs = batch.obs.subarray(realBatch * O);
    const simAct = batch.act.subarray(realBatch * A);
    const simNext = batch.nextObs.subarray(realBatch * O);
    concatRows(simObs, O, simAct, A, simBatch, this.saIn);
    concatRows(this.saIn, O + A, simNext, O, simBatch, this.sasIn);
    const out = this.dSas.forward(this.sasPass, this.sasIn, simBatch);
    for (let j = 0; j < simBatch; j++) {
      const ratio = Math.exp(2 * Math.tanh(out[2 * j]) - 2 * Math.tanh(out[2 * j + 1]));
      this.w[j] = Math.min(weightClip[1], Math.max(weightClip[0], ratio));
    }
    for (let k = 0; k < uSamples; k++) {
      for (let j = 0; j < simBatch; j++) {
        const row = (k * simBatch + j) * width;
        for (let c = 0; c < O + A; c++) this.uIn[row + c] = this.sasIn[j * width + c];
        for (let c = 0; c < O; c++) {
          this.uIn[row + O + A + c] = simNext[j * O + c] + this.realStateStd[c] * rng.normal();
        }
      }
    }
    const uOut = this.dSas.forward(this.uPass, this.uIn, uSamples * simBatch);
    let uSum = 0;
    for (let j = 0; j < simBatch; j++) {
      let mean = 0;
      for (let k = 0; k < uSamples; k++) {
        const r = k * simBatch + j;
        mean += (2 * Math.tanh(uOut[2 * r + 1]) - 2 * Math.tanh(uOut[2 * r])) / uSamples;
      }
      this.u[j] = Math.min(uClip[1], Math.max(uClip[0], mean));
      uSum += this.u[j];
    }
    for (let j = 0; j < simBatch; j++)
      this.omega[j] = this.config.uWeighting ? this.u[j] / uSum : 1 / simBatch;
    if (this.gapRegion !== null) {
      const d = this.diagnostics;
      for (let j = 0; j < simBatch; j++) {
        if (this.gapRegion(simObs, j)) {
          d.wInside += this.w[j];
          d.uInside += this.u[j];
          d.countInside += 1;
        } else {
          d.wOutside += this.w[j];
          d.uOutside += this.u[j];
          d.countOutside += 1;
        }
      }
    }
  }
  /** w(s, a, s') for arbitrary rows, e.g. to map it over a state grid (rows ≤ the sim batch). */
  importanceWeights(obs, act, nextObs, rows, out) {
    if (this.dSas === null)
      throw new Error("importance weights need the discriminators (weight or penalty on)");
    concatRows(obs, this.obsSize, act, this.actSize, rows, this.saIn);
    concatRows(this.saIn, this.obsSize + this.actSize, nextObs, this.obsSize, rows, this.sasIn);
    const o = this.dSas.forward(this.sasPass, this.sasIn, rows);
    for (let j = 0; j < rows; j++) {
      const ratio = Math.exp(2 * Math.tanh(o[2 * j]) - 2 * Math.tanh(o[2 * j + 1]));
      out[j] = Math.min(this.config.weightClip[1], Math.max(this.config.weightClip[0], ratio));
    }
  }
  /** The discriminators' optimisers by checkpoint name (`disc0`, `disc1`). */
  namedDiscriminatorOptimizers() {
    return Object.fromEntries(this.discriminatorOptimizers.map((adam, i) => [`disc${i}`, adam]));
  }
  stateArrays() {
    const out = { ...this.sac.stateArrays() };
    if (this.dSa !== null && this.dSas !== null) {
      out["dSa"] = this.dSa.params;
      out["dSas"] = this.dSas.params;
      Object.assign(out, optimizerArrays(this.namedDiscriminatorOptimizers()));
    }
    return out;
  }
  stateScalars() {
    return { ...this.sac.stateScalars(), ...optimizerScalars(this.namedDiscriminatorOptimizers()) };
  }
  loadScalars(scalars) {
    this.sac.loadScalars(scalars);
    loadOptimizerScalars(this.namedDiscriminatorOptimizers(), scalars);
  }
};
function sigmoid(x) {
  return 1 / (1 + Math.exp(-x));
}
function columnStd(x, rows, cols) {
  const std = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    let mean = 0;
    for (let r = 0; r < rows; r++) mean += x[r * cols + c] / rows;
    let variance = 0;
    for (let r = 0; r < rows; r++) variance += (x[r * cols + c] - mean) ** 2 / rows;
    std[c] = Math.sqrt(variance) || 1;
  }
  return std;
}
function validateH2oConfig(config, real) {
  if (!Number.isInteger(config.realBatch) || config.realBatch < 0) {
    throw new RangeError(`realBatch must be a non-negative integer, got ${config.realBatch}`);
  }
  if (!Number.isInteger(config.simBatch) || config.simBatch < 1) {
    throw new RangeError(`simBatch must be a positive integer, got ${config.simBatch}`);
  }
  const needsReal = config.realBatch > 0 || config.importanceWeight || config.penalty;
  if (needsReal && real === null) {
    throw new Error(
      "this configuration samples the real log (realBatch > 0, importance weight or penalty) but no real dataset was given"
    );
  }
  if (config.penalty && config.realBatch === 0) throw new RangeError("the H2O penalty needs realBatch > 0");
}
export {
  H2oAgent,
  h2oConfigSchema,
  h2oDefaults,
  naiveMixConfigSchema,
  naiveMixDefaults,
  validateH2oConfig
};
