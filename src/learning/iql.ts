import { z } from 'zod';
import type { Rng } from '../core/rng.ts';
import { Adam, adamDefaults, loadOptimizerScalars, optimizerArrays, optimizerScalars } from './adam.ts';
import type { Engine, Mlp, Pass } from './engine.ts';
import { copyParams, polyak } from './engine.ts';
import * as hyper from './hyperparameters.ts';
import { type Batch, createBatch, type ReplayBuffer, stateStatistics } from './replay.ts';
import { concatRows, normalizeRows } from './tensor-ops.ts';

/**
 * IQL (Kostrikov, Nair & Levine 2022, "Offline Reinforcement Learning with Implicit Q-Learning"):
 * the critics never query an action the log does not contain. V is fitted to an upper expectile of
 * the target critics over the logged actions, which approximates a maximum over the actions the
 * log supports; Q bootstraps from V; the actor clones the log, weighted by the advantage.
 *
 *   u = min_k Q̄_k(s, a) − V(s),   L_V = mean |τ − 1(u < 0)|·u²            (τ = expectile)
 *   y = r·rewardScale + γ(1 − terminated)·V(s'),   L_Qk = mean (Q_k(s, a) − y)²
 *   w = min(exp(β·(min_k Q̄_k(s, a) − V(s))), maxWeight),   L_π = mean w·‖tanh(π(s)) − a‖²
 *   Q̄_k ← (1 − τ_polyak)·Q̄_k + τ_polyak·Q_k every update
 *
 * τ = 0.5 makes V the mean of Q̄ over the logged actions (SARSA-like policy evaluation of the
 * behaviour policy); τ → 1 approaches the best logged action. β is an inverse temperature: 0 is
 * plain behaviour cloning, large β imitates only the best logged actions. The paper's actor is a
 * Gaussian trained by advantage-weighted log-likelihood; here it is a deterministic tanh actor like
 * TD3+BC's (so the exported policy and the deployment path are the same), and L_π is that
 * log-likelihood for a Gaussian of fixed variance around tanh(π(s)), up to a scale and constants.
 * States are normalised with the log's mean/std, as in TD3+BC; the normaliser goes into the export.
 *
 * Each update runs in the order of the authors' implementation: the V step first, then the
 * advantages (for the actor) and V(s') (for the critics' target) from the stepped V, then the
 * actor and critic steps, then Polyak. Left out: the paper's cosine decay of the actor's learning
 * rate (a constant rate here, as for every other algorithm) and its dropout (off in the paper's
 * MuJoCo runs).
 */

/** `algorithm: iql`: the paper's hyperparameters (its MuJoCo locomotion settings) as defaults. */
export const iqlConfigSchema = z
  .object({
    hidden: hyper.hidden.default([256, 256]),
    gamma: hyper.discount.default(0.99),
    tau: hyper.polyakRate.default(0.005),
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
    rewardScale: hyper.rewardScale.default(1),
  })
  .strict();
export type IqlConfig = Readonly<z.output<typeof iqlConfigSchema>>;
export const iqlDefaults: IqlConfig = iqlConfigSchema.parse({});

export interface IqlStats {
  qLoss: number;
  valueLoss: number;
  actorLoss: number;
  meanQ: number;
  meanV: number;
  /** Mean advantage weight of the batch (1 everywhere when β = 0). */
  meanWeight: number;
}

export class IqlAgent {
  readonly actor: Mlp;
  readonly q: [Mlp, Mlp];
  readonly qTarget: [Mlp, Mlp];
  readonly value: Mlp;
  readonly optimizers: Record<string, Adam>;
  /** State normaliser from the log: obs_n = (obs − mean)/std. */
  readonly stateMean: Float64Array;
  readonly stateStd: Float64Array;
  updates = 0;

  private readonly batch: Batch;
  private readonly obsN: Float64Array;
  private readonly nextObsN: Float64Array;
  private readonly sa: Float64Array;
  private readonly actorPass: Pass;
  private readonly qPass: [Pass, Pass];
  private readonly qTargetPass: [Pass, Pass];
  private readonly valuePass: Pass;
  /** min_k Q̄_k(s, a) of the batch. */
  private readonly qMin: Float64Array;
  /** Advantage weights of the batch, then reused per row by `advantageWeights`. */
  private readonly weights: Float64Array;
  private readonly y: Float64Array;
  private readonly gradOut: Float64Array;
  private readonly gradActor: Float64Array;
  private readonly actPass: Pass;
  private readonly actObs: Float64Array;

  constructor(
    engine: Engine,
    readonly obsSize: number,
    readonly actSize: number,
    readonly config: IqlConfig,
    readonly data: ReplayBuffer,
    rng: Rng,
    maxActRows = 64,
  ) {
    const { hidden, batchSize: n } = config;
    const actorSpec = { inputSize: obsSize, hidden, outputSize: actSize, activation: 'relu' as const };
    const criticSpec = { inputSize: obsSize + actSize, hidden, outputSize: 1, activation: 'relu' as const };
    const valueSpec = { inputSize: obsSize, hidden, outputSize: 1, activation: 'relu' as const };
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
      value: new Adam(this.value.params, this.value.grads, { ...adamDefaults, lr: config.valueLr }),
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

  /** Deterministic action tanh(actor(normalised obs)). */
  act(obs: Float64Array, rows: number, out: Float64Array): void {
    this.normalize(obs, rows, this.actObs);
    const raw = this.actor.forward(this.actPass, this.actObs, rows);
    for (let i = 0; i < rows * this.actSize; i++) out[i] = Math.tanh(raw[i]!);
  }

  update(rng: Rng): IqlStats {
    const { batchSize: n, gamma, expectile, rewardScale } = this.config;
    const O = this.obsSize;
    const A = this.actSize;
    const b = this.batch;
    b.rows = n;
    b.realRows = n;
    this.data.sampleInto(b, 0, n, rng);
    this.normalize(b.obs, n, this.obsN);
    this.normalize(b.nextObs, n, this.nextObsN);
    concatRows(this.obsN, O, b.act, A, n, this.sa);

    // V: expectile regression on the target critics at the logged actions.
    this.targetMin(this.sa, n);
    const v = this.value.forward(this.valuePass, this.obsN, n);
    let valueLoss = 0;
    let meanV = 0;
    for (let r = 0; r < n; r++) {
      const u = this.qMin[r]! - v[r]!;
      const weight = u < 0 ? 1 - expectile : expectile;
      valueLoss += (weight * u * u) / n;
      meanV += v[r]! / n;
      this.gradOut[r] = (-2 * weight * u) / n;
    }
    this.value.backward(this.valuePass, this.gradOut, null, true);
    this.optimizers['value']!.step();

    // Actor: advantage-weighted regression onto the logged actions, with the stepped V.
    const vNew = this.value.forward(this.valuePass, this.obsN, n);
    const meanWeight = this.weightsFrom(vNew, n);
    const actorLoss = this.actorGradient(b.act, n);
    this.optimizers['actor']!.step();

    // Critics: y = r + γ(1 − d)·V(s'), with the stepped V.
    const vNext = this.value.forward(this.valuePass, this.nextObsN, n);
    for (let r = 0; r < n; r++) {
      this.y[r] = rewardScale * b.reward[r]! + gamma * (1 - b.terminated[r]!) * vNext[r]!;
    }
    let qLoss = 0;
    let meanQ = 0;
    for (let k = 0; k < 2; k++) {
      const q = this.q[k]!.forward(this.qPass[k]!, this.sa, n);
      for (let r = 0; r < n; r++) {
        const e = q[r]! - this.y[r]!;
        qLoss += (e * e) / n;
        if (k === 0) meanQ += q[r]! / n;
        this.gradOut[r] = (2 * e) / n;
      }
      this.q[k]!.backward(this.qPass[k]!, this.gradOut, null, true);
    }
    this.optimizers['q1']!.step();
    this.optimizers['q2']!.step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
    this.updates += 1;
    return { qLoss: qLoss / 2, valueLoss, actorLoss, meanQ, meanV, meanWeight };
  }

  /**
   * The actor's weights w = min(exp(β·(min_k Q̄_k(s, a) − V(s))), maxWeight) of `rows` raw
   * observations and actions (at most `batchSize` rows), as the next update would weigh them.
   */
  advantageWeights(obs: Float64Array, act: Float64Array, rows: number, out: Float64Array): void {
    if (rows > this.config.batchSize)
      throw new RangeError(`advantageWeights: ${rows} rows, at most ${this.config.batchSize}`);
    this.normalize(obs, rows, this.obsN);
    concatRows(this.obsN, this.obsSize, act, this.actSize, rows, this.sa);
    this.targetMin(this.sa, rows);
    this.weightsFrom(this.value.forward(this.valuePass, this.obsN, rows), rows);
    for (let r = 0; r < rows; r++) out[r] = this.weights[r]!;
  }

  /** qMin ← min_k Q̄_k(sa) row by row. */
  private targetMin(sa: Float64Array, rows: number): void {
    const t1 = this.qTarget[0].forward(this.qTargetPass[0], sa, rows);
    const t2 = this.qTarget[1].forward(this.qTargetPass[1], sa, rows);
    for (let r = 0; r < rows; r++) this.qMin[r] = Math.min(t1[r]!, t2[r]!);
  }

  /** weights ← min(exp(β·(qMin − v)), maxWeight); returns their mean. */
  private weightsFrom(v: Float64Array, rows: number): number {
    const { beta, maxWeight } = this.config;
    let mean = 0;
    for (let r = 0; r < rows; r++) {
      const w = Math.min(Math.exp(beta * (this.qMin[r]! - v[r]!)), maxWeight);
      this.weights[r] = w;
      mean += w / rows;
    }
    return mean;
  }

  /** Accumulates ∇ mean_r w_r·‖tanh(π(s_r)) − a_r‖² into the actor; returns the loss. */
  private actorGradient(act: Float64Array, n: number): number {
    const A = this.actSize;
    const raw = this.actor.forward(this.actorPass, this.obsN, n);
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const w = this.weights[r]!;
      for (let i = 0; i < A; i++) {
        const k = r * A + i;
        const pi = Math.tanh(raw[k]!);
        const diff = pi - act[k]!;
        loss += (w * diff * diff) / n;
        this.gradActor[k] = ((2 * w * diff) / n) * (1 - pi * pi);
      }
    }
    this.actor.backward(this.actorPass, this.gradActor, null, true);
    return loss;
  }

  private normalize(obs: Float64Array, rows: number, out: Float64Array): void {
    normalizeRows(obs, rows, this.stateMean, this.stateStd, out);
  }

  stateArrays(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {
      actor: this.actor.params,
      q1: this.q[0].params,
      q2: this.q[1].params,
      q1Target: this.qTarget[0].params,
      q2Target: this.qTarget[1].params,
      value: this.value.params,
      stateMean: this.stateMean,
      stateStd: this.stateStd,
    };
    return { ...out, ...optimizerArrays(this.optimizers) };
  }

  stateScalars(): Record<string, number> {
    return { updates: this.updates, ...optimizerScalars(this.optimizers) };
  }

  loadScalars(scalars: Record<string, number>): void {
    this.updates = scalars['updates'] ?? 0;
    loadOptimizerScalars(this.optimizers, scalars);
  }
}
