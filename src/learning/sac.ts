import { z } from 'zod';
import type { Rng } from '../core/rng.ts';
import {
  Adam,
  type AdamConfig,
  adamDefaults,
  loadOptimizerScalars,
  optimizerArrays,
  optimizerScalars,
} from './adam.ts';
import type { Engine, Mlp, Pass } from './engine.ts';
import { copyParams, polyak } from './engine.ts';
import * as hyper from './hyperparameters.ts';
import type { Batch } from './replay.ts';
import { TanhGaussianHead } from './tanh-gaussian.ts';
import { concatRows } from './tensor-ops.ts';

/**
 * Soft Actor-Critic (Haarnoja et al. 2018, "Soft Actor-Critic Algorithms and Applications"):
 * twin Q critics with Polyak targets, a tanh-squashed Gaussian actor and automatic temperature.
 *
 *   y      = r + γ(1 − d)·[min_k Q̄_k(s', a') − α·log π(a'|s') if backupEntropy],  a' ~ π(·|s')
 *   L_Qk   = mean (Q_k(s, a) − y)²
 *   L_π    = mean [α·log π(ã|s) − min_k Q_k(s, ã)],   ã ~ π(·|s) (reparameterised)
 *   L_α    = −mean [log α · (log π(ã|s) + H̄)],        H̄ = −dim(A)
 *
 * The update is exposed in pieces (targets, actor/α gradients, critic forward/backward, step) so
 * H2O and naive mixing reuse exactly this code and only change the critic loss.
 */

/**
 * What the SAC agent itself needs (networks, optimisers, targets, temperature). Every SAC-based
 * algorithm's schema starts from this shape: SAC's own below, H2O's and naive mixing's in h2o.ts.
 */
export const sacAgentShape = {
  hidden: hyper.hidden.default([256, 256]),
  gamma: hyper.discount.default(0.99),
  tau: hyper.polyakRate.default(0.005),
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
  criticOutputGain: z.number().positive().nullable().default(null),
};

const sacAgentSchema = z.object(sacAgentShape);
export type SacAgentConfig = Readonly<z.output<typeof sacAgentSchema>>;

/** `algorithm: sac`: plain SAC on batches from the simulator's replay buffer. */
export const sacConfigSchema = z
  .object({
    ...sacAgentShape,
    batchSize: hyper.batchRows.default(256),
    rewardScale: hyper.rewardScale.default(1),
  })
  .strict();
export type SacConfig = Readonly<z.output<typeof sacConfigSchema>>;
export const sacDefaults: SacConfig = sacConfigSchema.parse({});

export interface SacStats {
  qLoss: number;
  actorLoss: number;
  alpha: number;
  meanQ: number;
  entropy: number;
}

export class SacAgent {
  readonly actor: Mlp;
  /** [m, o] of log σ = m·raw + o. */
  readonly logStdScale = Float64Array.of(1, -1);
  readonly logStdScaleGrad = new Float64Array(2);
  readonly q: [Mlp, Mlp];
  readonly qTarget: [Mlp, Mlp];
  readonly logAlpha: Float64Array;
  readonly logAlphaGrad = new Float64Array(1);
  readonly optimizers: Record<string, Adam>;
  readonly targetEntropy: number;

  // Buffers for one update; sized for the largest batch this agent will see.
  private readonly actorPass: Pass;
  private readonly head: TanhGaussianHead;
  private readonly qPass: [Pass, Pass];
  private readonly qPiPass: [Pass, Pass];
  private readonly qTargetPass: [Pass, Pass];
  private readonly stateAction: Float64Array;
  private readonly statePiAction: Float64Array;
  private readonly nextStateAction: Float64Array;
  private readonly gradStateAction: Float64Array;
  private readonly gradAction: Float64Array;
  private readonly gradLogProb: Float64Array;
  private readonly gradActorOut: Float64Array;
  private readonly policyLogProb: Float64Array;
  readonly target: Float64Array;
  readonly qValues: [Float64Array, Float64Array];
  readonly gradQ: [Float64Array, Float64Array];
  /** Deterministic/stochastic acting on a few rows (environment copies). */
  private readonly actPass: Pass;
  private readonly actHead: TanhGaussianHead;

  constructor(
    engine: Engine,
    readonly obsSize: number,
    readonly actSize: number,
    readonly config: SacAgentConfig,
    rng: Rng,
    /** Largest batch `update` will see. */
    maxRows: number,
    maxActRows = 64,
  ) {
    const hidden = config.hidden;
    this.actor = engine.createMlp(
      { inputSize: obsSize, hidden, outputSize: 2 * actSize, activation: 'relu' },
      rng,
    );
    const criticSpec = {
      inputSize: obsSize + actSize,
      hidden,
      outputSize: 1,
      activation: 'relu' as const,
      ...(config.criticOutputGain === null ? {} : { outputGain: config.criticOutputGain }),
    };
    this.q = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    this.qTarget = [engine.createMlp(criticSpec, rng), engine.createMlp(criticSpec, rng)];
    copyParams(this.qTarget[0], this.q[0]);
    copyParams(this.qTarget[1], this.q[1]);
    this.logAlpha = Float64Array.of(config.initLogAlpha);
    this.targetEntropy = config.targetEntropy ?? -actSize;
    const adam = (lr: number): AdamConfig => ({ ...adamDefaults, lr });
    this.optimizers = {
      actor: new Adam(this.actor.params, this.actor.grads, adam(config.actorLr)),
      logStdScale: new Adam(this.logStdScale, this.logStdScaleGrad, adam(config.actorLr)),
      q1: new Adam(this.q[0].params, this.q[0].grads, adam(config.criticLr)),
      q2: new Adam(this.q[1].params, this.q[1].grads, adam(config.criticLr)),
      logAlpha: new Adam(this.logAlpha, this.logAlphaGrad, adam(config.alphaLr)),
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

  get alpha(): number {
    return Math.exp(this.logAlpha[0]!);
  }

  /** Actions for `rows` observations; `rng` null = deterministic tanh(μ). */
  act(obs: Float64Array, rows: number, out: Float64Array, rng: Rng | null): void {
    const netOut = this.actor.forward(this.actPass, obs, rows);
    this.actHead.sample(netOut, rows, this.logStdScale, rng);
    out.set(this.actHead.action.subarray(0, rows * this.actSize));
  }

  /** y = r·rewardScale + γ(1 − d)·(min_k Q̄_k(s', a') [− α log π(a'|s')]). */
  computeTargets(batch: Batch, rewardScale: number, rng: Rng): Float64Array {
    const rows = batch.rows;
    const netOut = this.actor.forward(this.actorPass, batch.nextObs, rows);
    this.head.sample(netOut, rows, this.logStdScale, rng);
    concatRows(batch.nextObs, this.obsSize, this.head.action, this.actSize, rows, this.nextStateAction);
    const q1 = this.qTarget[0].forward(this.qTargetPass[0], this.nextStateAction, rows);
    const q2 = this.qTarget[1].forward(this.qTargetPass[1], this.nextStateAction, rows);
    const alpha = this.alpha;
    const { gamma, backupEntropy } = this.config;
    for (let r = 0; r < rows; r++) {
      let next = Math.min(q1[r]!, q2[r]!);
      if (backupEntropy) next -= alpha * this.head.logProb[r]!;
      this.target[r] = rewardScale * batch.reward[r]! + gamma * (1 - batch.terminated[r]!) * next;
    }
    return this.target;
  }

  /**
   * Accumulates ∇L_π into the actor and ∇L_α into log α, over all batch rows (real ∪ sim), using
   * the critics and α as they are now (before this update's steps). Returns [L_π, mean log π].
   */
  actorAndAlphaGradients(batch: Batch, rng: Rng): [number, number] {
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
    // dL/dQ_min = −1/n flows into whichever critic is the smaller one on that row.
    const g1 = this.gradQ[0];
    const g2 = this.gradQ[1];
    for (let r = 0; r < rows; r++) {
      const first = q1[r]! <= q2[r]!;
      loss += alpha * this.policyLogProb[r]! - (first ? q1[r]! : q2[r]!);
      meanLogProb += this.policyLogProb[r]!;
      g1[r] = first ? -1 / rows : 0;
      g2[r] = first ? 0 : -1 / rows;
      this.gradLogProb[r] = alpha / rows;
    }
    this.gradAction.fill(0, 0, rows * A);
    for (let k = 0; k < 2; k++) {
      this.q[k]!.backward(this.qPiPass[k]!, this.gradQ[k]!, this.gradStateAction, false);
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < A; i++) {
          this.gradAction[r * A + i]! += this.gradStateAction[r * (this.obsSize + A) + this.obsSize + i]!;
        }
      }
    }
    this.head.backward(this.gradAction, this.gradLogProb, rows, this.gradActorOut, this.logStdScaleGrad);
    this.actor.backward(this.actorPass, this.gradActorOut, null, true);
    meanLogProb /= rows;
    // L_α = −log α · mean(log π + H̄), with log π treated as a constant.
    this.logAlphaGrad[0]! += -(meanLogProb + this.targetEntropy);
    return [loss / rows, meanLogProb];
  }

  /** Q_k(s, a) for the batch; fills `qValues`. */
  criticForward(batch: Batch): [Float64Array, Float64Array] {
    concatRows(batch.obs, this.obsSize, batch.act, this.actSize, batch.rows, this.stateAction);
    this.qValues[0].set(
      this.q[0].forward(this.qPass[0], this.stateAction, batch.rows).subarray(0, batch.rows),
    );
    this.qValues[1].set(
      this.q[1].forward(this.qPass[1], this.stateAction, batch.rows).subarray(0, batch.rows),
    );
    return this.qValues;
  }

  /** Accumulates critic parameter gradients from dL/dQ_k (`gradQ`, filled by the caller). */
  criticBackward(): void {
    this.q[0].backward(this.qPass[0], this.gradQ[0], null, true);
    this.q[1].backward(this.qPass[1], this.gradQ[1], null, true);
  }

  /** Steps α, the actor and the critics on their accumulated gradients, then moves the targets. */
  step(): void {
    this.optimizers['logAlpha']!.step();
    this.optimizers['actor']!.step();
    this.optimizers['logStdScale']!.step();
    this.optimizers['q1']!.step();
    this.optimizers['q2']!.step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
  }

  /** Steps only the critics and moves their targets (critic warm-up: the actor and α stay). */
  stepCritics(): void {
    this.optimizers['q1']!.step();
    this.optimizers['q2']!.step();
    polyak(this.qTarget[0], this.q[0], this.config.tau);
    polyak(this.qTarget[1], this.q[1], this.config.tau);
  }

  /** Every array that changes during training, by name (parameters and optimiser moments). */
  stateArrays(): Record<string, Float64Array> {
    const out: Record<string, Float64Array> = {
      actor: this.actor.params,
      logStdScale: this.logStdScale,
      q1: this.q[0].params,
      q2: this.q[1].params,
      q1Target: this.qTarget[0].params,
      q2Target: this.qTarget[1].params,
      logAlpha: this.logAlpha,
    };
    return { ...out, ...optimizerArrays(this.optimizers) };
  }

  stateScalars(): Record<string, number> {
    return optimizerScalars(this.optimizers);
  }

  loadScalars(scalars: Record<string, number>): void {
    loadOptimizerScalars(this.optimizers, scalars);
  }
}

/**
 * The critics' plain regression onto targets `y`: forward on the batch, the mean squared TD error of
 * both critics back-propagated (not yet stepped). Returns that loss (summed over the critics) and
 * the first critic's mean value.
 */
function criticRegression(agent: SacAgent, batch: Batch, y: Float64Array): { qLoss: number; meanQ: number } {
  const rows = batch.rows;
  const [q1, q2] = agent.criticForward(batch);
  let qLoss = 0;
  let meanQ = 0;
  for (let r = 0; r < rows; r++) {
    const e1 = q1[r]! - y[r]!;
    const e2 = q2[r]! - y[r]!;
    qLoss += e1 * e1 + e2 * e2;
    meanQ += q1[r]!;
    agent.gradQ[0][r] = (2 * e1) / rows;
    agent.gradQ[1][r] = (2 * e2) / rows;
  }
  agent.criticBackward();
  return { qLoss: qLoss / rows, meanQ: meanQ / rows };
}

/** One plain SAC update on a batch: mean squared TD error on every row. */
export function sacUpdate(agent: SacAgent, batch: Batch, rewardScale: number, rng: Rng): SacStats {
  const y = agent.computeTargets(batch, rewardScale, rng);
  const [actorLoss, meanLogProb] = agent.actorAndAlphaGradients(batch, rng);
  const { qLoss, meanQ } = criticRegression(agent, batch, y);
  const alpha = agent.alpha;
  agent.step();
  return { qLoss, actorLoss, alpha, meanQ, entropy: -meanLogProb };
}

/**
 * Policy evaluation of the current actor on a batch: the critics regress onto
 * y = r + γ(1 − d)·min_k Q̄_k(s′, a′), a′ ~ π(·|s′), and only they step. Fine-tuning runs this on the
 * real data first, so the critics describe the deployed policy before the actor follows them.
 */
export function criticWarmupUpdate(
  agent: SacAgent,
  batch: Batch,
  rewardScale: number,
  rng: Rng,
): { qLoss: number; meanQ: number } {
  const y = agent.computeTargets(batch, rewardScale, rng);
  const stats = criticRegression(agent, batch, y);
  agent.stepCritics();
  return stats;
}
