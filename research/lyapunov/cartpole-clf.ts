import { Rng } from '../../src/core/rng.ts';
import { Adam, adamDefaults } from '../../src/learning/adam.ts';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import { layerOffsets, type Mlp, type Pass } from '../../src/learning/engine.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { type LyapunovModel, type ModelJson, parseModel } from '../../src/verification/model.ts';
import {
  addMatrixGradient,
  addRGradient,
  heUniform,
  layersJson,
  lyapunovMatrixInto,
  neuralValue,
} from './neural-lyapunov.ts';

/**
 * A neural Lyapunov function V(x) = |φ(x) − φ(0)| + ‖(εI + RᵀR)x‖₁ (Yang et al. 2024) for a FIXED
 * closed loop: the cart-pole with the LQR of `cartpole_lqr.json`. The controller, the plant, the
 * box and the assumptions are the base model's; only V is trained. Because the controller is fixed,
 * x⁺ = f(x) comes from the verifier's own float64 forward model and nothing is differentiated through
 * the dynamics: the loss needs only ∂V/∂θ at x and at x⁺.
 *
 * Losses (per batch, states sampled in a box that grows from `regionStart` to `regionEnd` of B):
 * - decrease: the relative violation relu(V(x⁺) − (1 − κ)V(x)) / V(x) on states at or below about
 *   the target level (relative, so states near x*, where κV is tiny, pull as hard as far ones);
 * - classification: sampled states above 0.9 ρ_t are pulled into {V < ρ_t};
 * - exclusion: states on ∂B, and states whose successor leaves B, are pushed out of {V < ρ_t}
 *   (the certificate needs x⁺ ∈ B on the whole level set).
 * At every checkpoint the sampled violations just above the sampled level (states where the float64
 * closed loop breaks the condition) join a replay buffer that every later batch draws from, and the
 * checkpoint with the largest sampled share of B is kept (the fit is not monotone).
 *
 * V starts as a polyhedral Lyapunov function of the closed loop's linearisation at x*: the first
 * layer of φ holds ±wᵢ for the rows wᵢ of the inverse real eigenbasis of A = ∂f/∂x (so that
 * |φ(x) − φ(0)| = Σ|wᵢ·x| near x*, which shrinks by about the largest |eigenvalue|, 0.98, per step), the rest a
 * small He-uniform perturbation; training then shapes the level sets away from x*. Nothing here
 * claims stability: the model file is for the verifier to prove or refute.
 */

export interface CartpoleClfConfig {
  /** Hidden widths of φ (the first must hold the 2n units of the polyhedral start). */
  readonly phiHidden: readonly number[];
  readonly phiSlope: number;
  /**
   * φ without biases: V is then positively homogeneous (V(tx) = tV(x), t ≥ 0), so the polyhedral
   * shape that makes V decrease near x* holds at every scale down to the hole; a bias would make φ
   * linear below its own scale, where |φ(x) − φ(0)| + ‖Mx‖₁ has too few faces to decrease.
   */
  readonly biasFree: boolean;
  readonly rRows: number;
  /**
   * Initial scale of R. With 0, R stays 0 (its gradient R(G + Gᵀ) vanishes) and ‖Mx‖₁ = ε‖x‖₁,
   * whose faces are the coordinate planes, which branch-and-bound splits at exactly.
   */
  readonly rInit: number;
  readonly eps: number;
  /** Decrease rate used in training (the model file keeps the base model's κ). */
  readonly kappaTrain: number;
  /** Level the sampled region should lie below (the model file's ρ is whatever is verified). */
  readonly levelTarget: number;
  /** Weight of the decrease term against the classification and exclusion terms. */
  readonly decreaseWeight: number;
  readonly iterations: number;
  readonly batch: number;
  readonly learningRate: number;
  /** Sampling box as a fraction of B per axis, grown linearly from start to end over `growFraction` of training. */
  readonly regionStart: number;
  readonly regionEnd: number;
  readonly growFraction: number;
  readonly classificationWeight: number;
  /** Weight of the term keeping states on ∂B, or whose successor leaves B, out of the level set. */
  readonly exclusionWeight: number;
  /** Scale of the initial polyhedral V: V = levelTarget where ‖x / B‖∞ reaches this (roughly). */
  readonly initialReach: number;
  /** Hole half-widths relative to B's (the region near x* where only V(x⁺) < ρ is proved). */
  readonly holeSizeRelative: number;
  /** Checkpoint every this many iterations: sampled level and share, counterexamples into the replay. */
  readonly checkpointEvery: number;
  readonly checkpointSamples: number;
  /** Relative decrease margin a checkpoint's sampled states must show (slack for the verifier's bounds). */
  readonly checkpointMargin: number;
  readonly seed: number;
}

export const defaultCartpoleClfConfig: CartpoleClfConfig = {
  phiHidden: [16, 16],
  phiSlope: 0.01,
  biasFree: true,
  rRows: 4,
  rInit: 0.01,
  eps: 0.001,
  kappaTrain: 0.02,
  levelTarget: 1,
  decreaseWeight: 100,
  iterations: 3000,
  batch: 256,
  learningRate: 3e-4,
  regionStart: 0.05,
  regionEnd: 0.4,
  growFraction: 0.7,
  classificationWeight: 0.2,
  exclusionWeight: 1,
  initialReach: 0.15,
  holeSizeRelative: 0.001,
  checkpointEvery: 250,
  checkpointSamples: 60_000,
  checkpointMargin: 0.002,
  seed: 0,
};

export interface TrainingLog {
  readonly iteration: number;
  readonly region: number;
  readonly decreaseLoss: number;
  readonly violations: number;
}

export class CartpoleClfTrainer {
  readonly phi: Mlp;
  readonly r: Float64Array;
  readonly n: number;
  private readonly rGrad: Float64Array;
  private readonly optimizers: Adam[];
  private learningRate: number;
  private readonly rng: Rng;
  /** The fixed closed loop (controller and plant) the successors come from. */
  private readonly loop: ForwardModel;
  /** φ sees 2·batch + 1 rows: [x; x⁺; 0]. */
  private phiPass: Pass;
  /** Extra states (counterexamples) mixed into every batch. */
  readonly replay: number[][] = [];

  constructor(
    /** The base model (controller, plant, box, κ, assumptions); its V is replaced. */
    readonly base: ModelJson,
    readonly config: CartpoleClfConfig = defaultCartpoleClfConfig,
  ) {
    const baseModel = parseModel(base);
    this.n = baseModel.stateDim;
    if (config.phiHidden[0]! < 2 * this.n)
      throw new RangeError(`phiHidden[0] must be at least ${2 * this.n} (the polyhedral start)`);
    this.loop = new ForwardModel(baseModel);
    this.rng = new Rng(config.seed);
    this.phi = heUniform(
      cpuEngine.createMlp(
        {
          inputSize: this.n,
          hidden: config.phiHidden,
          outputSize: 1,
          activation: 'relu',
          negativeSlope: config.phiSlope,
        },
        this.rng,
      ),
      this.rng,
    );
    this.phiPass = this.phi.createPass(2 * config.batch + 1);
    this.r = new Float64Array(config.rRows * this.n);
    this.rGrad = new Float64Array(this.r.length);
    this.initialisePolyhedral(baseModel);
    this.learningRate = config.learningRate;
    const adam = { ...adamDefaults, lr: config.learningRate };
    this.optimizers = [new Adam(this.phi.params, this.phi.grads, adam), new Adam(this.r, this.rGrad, adam)];
  }

  /** A = ∂f/∂x at x* by central differences of the closed loop (float64; only a starting point). */
  linearisation(): number[][] {
    const n = this.n;
    const { boxLo, boxUp } = this.loop.model.spec;
    const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const x = new Float64Array(n);
    const plus = new Float64Array(n);
    const minus = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const h = 1e-7 * (boxUp[j]! - boxLo[j]!);
      x.fill(0);
      x[j] = h;
      this.loop.stepClosedLoop(x, plus);
      x[j] = -h;
      this.loop.stepClosedLoop(x, minus);
      for (let i = 0; i < n; i++) a[i]![j] = (plus[i]! - minus[i]!) / (2 * h);
    }
    return a;
  }

  /**
   * φ's first layer: ±wᵢ (rows of W, W A W⁻¹ real block-diagonal), then units that pass the 2n
   * values on and an output that sums them, so |φ(x) − φ(0)| = Σ|wᵢ·x| (leaky units: each pair
   * gives (1 − slope)|z|, undone by the output weight). Every other weight is a small perturbation.
   */
  private initialisePolyhedral(baseModel: LyapunovModel): void {
    const n = this.n;
    const c = this.config;
    const w = realLeftEigenbasis(this.linearisation());
    // Scale so that V ≈ levelTarget at about `initialReach` of B along each axis.
    const half = baseModel.spec.boxUp.map((u, i) => 0.5 * (u - baseModel.spec.boxLo[i]!));
    let reach = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(w[i]![j]! * half[j]! * c.initialReach);
      reach = Math.max(reach, s);
    }
    const scale = c.levelTarget / reach;
    const params = this.phi.params;
    const layers = layerOffsets(this.phi.spec);
    layers.forEach(({ inSize, outSize, weight, bias }, k) => {
      for (let i = weight; i < bias; i++) params[i] = params[i]! * 0.02;
      params.fill(0, bias, bias + outSize);
      const set = (i: number, j: number, v: number) => (params[weight + i * inSize + j] = v);
      if (k === 0)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            set(i, j, w[i]![j]! * scale);
            set(n + i, j, -w[i]![j]! * scale);
          }
      else if (k < layers.length - 1)
        for (let i = 0; i < outSize; i++) for (let j = 0; j < 2 * n; j++) set(i, j, i === j ? 1 : 0);
      else for (let j = 0; j < 2 * n; j++) set(0, j, 1 / (1 - c.phiSlope));
    });
    // ‖Mx‖₁ starts as ε‖x‖₁ plus a small R (or none).
    for (let i = 0; i < this.r.length; i++) this.r[i] = this.rng.range(-1, 1) * c.rInit * Math.sqrt(scale);
  }

  /** One gradient step on a batch; `exclude` marks states that must end up outside {V < ρ_t}. */
  step(states: Float64Array, batch: number, exclude?: Uint8Array): { loss: number; violations: number } {
    const c = this.config;
    const n = this.n;
    const m = new Float64Array(n * n);
    lyapunovMatrixInto(this.r, c.rRows, n, c.eps, m);
    if (this.phiPass.maxRows < 2 * batch + 1) this.phiPass = this.phi.createPass(2 * batch + 1);
    const pIn = new Float64Array((2 * batch + 1) * n);
    pIn.set(states.subarray(0, batch * n));
    const next = pIn.subarray(batch * n, 2 * batch * n);
    for (let s = 0; s < batch; s++)
      this.loop.stepClosedLoop(states.subarray(s * n, (s + 1) * n), next.subarray(s * n, (s + 1) * n));
    const pOut = this.phi.forward(this.phiPass, pIn, 2 * batch + 1);
    const phi0 = pOut[2 * batch]!;
    const dPhi = new Float64Array(2 * batch + 1);
    const gM = new Float64Array(n * n);
    const sx = new Float64Array(n + 1);
    const sn = new Float64Array(n + 1);
    let loss = 0;
    let violations = 0;
    const inv = 1 / batch;
    for (let s = 0; s < batch; s++) {
      const vx = neuralValue(pOut[s]! - phi0, m, pIn, n * s, n, sx);
      let gx = 0;
      let gn = 0;
      if (exclude?.[s]) {
        if (vx < c.levelTarget) gx -= c.exclusionWeight * inv;
      } else {
        const vn = neuralValue(pOut[batch + s]! - phi0, m, pIn, n * (batch + s), n, sn);
        const gap = vn - (1 - c.kappaTrain) * vx;
        if (vx <= 2 * c.levelTarget && gap > 0) {
          const w = (c.decreaseWeight * inv) / (vx + 1e-4);
          loss += gap / (vx + 1e-4);
          violations++;
          gn += w;
          gx -= (1 - c.kappaTrain) * w;
        }
        if (vx > 0.9 * c.levelTarget) gx += c.classificationWeight * inv;
        dPhi[batch + s] = gn * sn[0]!;
        addMatrixGradient(gM, gn, sn, pIn, n * (batch + s), n);
      }
      dPhi[s] = gx * sx[0]!;
      dPhi[2 * batch] = dPhi[2 * batch]! - gx * sx[0]! - dPhi[batch + s]!;
      addMatrixGradient(gM, gx, sx, pIn, n * s, n);
    }
    this.phi.backward(this.phiPass, dPhi, null, true);
    // Zero bias gradients keep the biases at exactly 0 (Adam's moments stay 0 as well).
    if (c.biasFree)
      for (const { outSize, bias } of layerOffsets(this.phi.spec))
        this.phi.grads.fill(0, bias, bias + outSize);
    addRGradient(this.r, c.rRows, n, gM, this.rGrad);
    for (const o of this.optimizers) o.step(this.learningRate);
    return { loss: loss * inv, violations };
  }

  /** Runs the schedule (or part of it); `onLog` sees progress every 250 iterations. */
  train(onLog?: (log: TrainingLog) => void, iterations = this.config.iterations, fromIteration = 0): void {
    const c = this.config;
    const n = this.n;
    const { boxLo, boxUp } = this.loop.model.spec;
    const states = new Float64Array(c.batch * n);
    const exclude = new Uint8Array(c.batch);
    const boundaryCount = Math.floor(c.batch / 16);
    const next = new Float64Array(n);
    for (let it = fromIteration; it < fromIteration + iterations; it++) {
      const progress = Math.min(1, it / (c.growFraction * c.iterations));
      this.learningRate = c.learningRate * (1 - 0.9 * Math.min(1, it / c.iterations));
      const region = c.regionStart + (c.regionEnd - c.regionStart) * progress;
      const replayed = Math.min(this.replay.length, Math.floor(c.batch / 4));
      exclude.fill(0);
      for (let s = 0; s < c.batch; s++) {
        const x = states.subarray(s * n, (s + 1) * n);
        if (s >= c.batch - boundaryCount) {
          // A point on ∂B: one coordinate at a face, the others uniform.
          const face = this.rng.int(2 * n);
          for (let i = 0; i < n; i++) x[i] = this.rng.range(boxLo[i]!, boxUp[i]!);
          x[face >> 1] = face & 1 ? boxUp[face >> 1]! : boxLo[face >> 1]!;
          exclude[s] = 1;
          continue;
        }
        if (s < replayed) x.set(this.replay[this.rng.int(this.replay.length)]!);
        else {
          // Half the batch at log-uniform scales, so the neighbourhood of x* is sampled densely.
          const scale = region * (s % 2 === 0 ? 1 : 10 ** this.rng.range(-3, 0));
          for (let i = 0; i < n; i++) x[i] = scale * this.rng.range(boxLo[i]!, boxUp[i]!);
        }
        this.loop.stepClosedLoop(x, next);
        for (let i = 0; i < n; i++) if (!(next[i]! >= boxLo[i]! && next[i]! <= boxUp[i]!)) exclude[s] = 1;
      }
      const { loss, violations } = this.step(states, c.batch, exclude);
      if (onLog && (it % 250 === 0 || it === fromIteration + iterations - 1))
        onLog({ iteration: it, region, decreaseLoss: loss, violations });
    }
  }

  /** The model file at level ρ: the base model with this V and the configured hole; verify it before trusting ρ. */
  toModel(name: string, rho: number): ModelJson {
    const c = this.config;
    const n = this.n;
    const { lyapunov: _quadratic, ...base } = this.base;
    return {
      ...base,
      format: 'tether-lyapunov-model/v1',
      name,
      lyapunov: {
        phi: { negative_slope: c.phiSlope, layers: layersJson(this.phi) },
        R: Array.from({ length: c.rRows }, (_, k) => Array.from(this.r.subarray(k * n, (k + 1) * n))),
        eps: c.eps,
      },
      spec: { ...this.base.spec, rho, hole_size_relative: c.holeSizeRelative },
    };
  }
}

/**
 * Rows W of a real basis in which A is block-diagonal (1×1 blocks for real eigenvalues, 2×2
 * rotation-scaling blocks for complex pairs): W = T⁻¹ with T's columns the eigenvectors' real and
 * imaginary parts. Eigenvalues from the unshifted QR algorithm (enough for the 4×4 it is used on;
 * slow when two eigenvalues have nearly equal modulus), eigenvectors by inverse iteration in complex
 * arithmetic written as a real system of twice the size.
 */
export function realLeftEigenbasis(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const values = eigenvalues(a);
  const columns: number[][] = [];
  for (const [re, im] of values) {
    if (im < 0) continue;
    const [vr, vi] = inverseIteration(a, re, im);
    columns.push(vr);
    if (im > 0) columns.push(vi);
  }
  const t = Array.from({ length: n }, (_, i) => columns.map((col) => col[i]!));
  return invert(t);
}

/** Eigenvalues (re, im) by the unshifted QR iteration; conjugate pairs both listed. */
function eigenvalues(a: readonly (readonly number[])[]): [number, number][] {
  const n = a.length;
  let h = a.map((row) => [...row]);
  for (let it = 0; it < 20000; it++) {
    const { q, r } = qr(h);
    h = multiply(r, q);
  }
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const sub = i + 1 < n ? Math.abs(h[i + 1]![i]!) : 0;
    if (i + 1 < n && sub > 1e-9 * (Math.abs(h[i]![i]!) + Math.abs(h[i + 1]![i + 1]!))) {
      // A 2×2 block: its eigenvalues.
      const p = h[i]![i]!;
      const q = h[i]![i + 1]!;
      const rr = h[i + 1]![i]!;
      const s = h[i + 1]![i + 1]!;
      const mean = 0.5 * (p + s);
      const disc = 0.25 * (p - s) ** 2 + q * rr;
      if (disc >= 0) out.push([mean + Math.sqrt(disc), 0], [mean - Math.sqrt(disc), 0]);
      else out.push([mean, Math.sqrt(-disc)], [mean, -Math.sqrt(-disc)]);
      i++;
    } else out.push([h[i]![i]!, 0]);
  }
  return out;
}

function qr(a: number[][]): { q: number[][]; r: number[][] } {
  const n = a.length;
  const q = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const r = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    const v = a.map((row) => row[j]!);
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i]![k]! * a[i]![j]!;
      r[k]![j] = d;
      for (let i = 0; i < n; i++) v[i] = v[i]! - d * q[i]![k]!;
    }
    const norm = Math.hypot(...v);
    r[j]![j] = norm;
    for (let i = 0; i < n; i++) q[i]![j] = v[i]! / norm;
  }
  return { q, r };
}

function multiply(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

/** Right eigenvector for λ = re + i·im: a few steps of inverse iteration on (A − λ(1 + δ)I). */
function inverseIteration(a: readonly (readonly number[])[], re: number, im: number): [number[], number[]] {
  const n = a.length;
  // Complex n×n system as a real 2n×2n one: [[A − re, im], [−im, A − re]] acting on (vr; vi).
  const shiftRe = re * (1 + 1e-10);
  const m = Array.from({ length: 2 * n }, (_, i) =>
    Array.from({ length: 2 * n }, (_, j) => {
      const ii = i % n;
      const jj = j % n;
      const same = i < n === j < n;
      if (same) return a[ii]![jj]! - (ii === jj ? shiftRe : 0);
      if (ii !== jj) return 0;
      return i < n ? im : -im;
    }),
  );
  let v = Array.from({ length: 2 * n }, (_, i) => 1 / (i + 1));
  for (let it = 0; it < 8; it++) {
    v = solve(m, v);
    const norm = Math.hypot(...v);
    v = v.map((x) => x / norm);
  }
  return [v.slice(0, n), v.slice(n)];
}

function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(m[i]![col]!) > Math.abs(m[pivot]![col]!)) pivot = i;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]![col]! || 1e-300;
    for (let i = col + 1; i < n; i++) {
      const f = m[i]![col]! / p;
      for (let j = col; j <= n; j++) m[i]![j] = m[i]![j]! - f * m[col]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= m[i]![j]! * x[j]!;
    x[i] = s / (m[i]![i]! || 1e-300);
  }
  return x;
}

function invert(a: readonly (readonly number[])[]): number[][] {
  const n = a.length;
  const columns = Array.from({ length: n }, (_, j) =>
    solve(
      a,
      Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)),
    ),
  );
  return Array.from({ length: n }, (_, i) => columns.map((col) => col[i]!));
}

/**
 * Sampling estimates (never a proof): `level` is the smallest V(x) over sampled states that break
 * the certificate's condition (outside the hole: decrease or x⁺ ∈ B; inside: x⁺ ∈ B), so the
 * verifier can only hope to prove levels below it; `share(ρ)` is the fraction of uniform samples of
 * B in {V < ρ}, with its standard error.
 */
export class SampledRegion {
  private readonly states: Float64Array;
  private readonly values: Float64Array;
  private readonly bad: Uint8Array;

  constructor(
    readonly model: LyapunovModel,
    readonly samples: number,
    seed: number,
    /** Relative decrease a sample must show to count as safe: g(x) < −margin·V(x) (slack for the bounds). */
    readonly margin = 0,
  ) {
    const n = model.stateDim;
    const f = new ForwardModel(model);
    const rng = new Rng(seed);
    const { boxLo, boxUp } = model.spec;
    this.states = new Float64Array(samples * n);
    this.values = new Float64Array(samples);
    this.bad = new Uint8Array(samples);
    for (let s = 0; s < samples; s++) {
      const x = this.states.subarray(s * n, (s + 1) * n);
      // Half uniform in B, half log-uniform towards x* (where the decrease margin is smallest).
      const scale = s % 2 === 0 ? 1 : 10 ** rng.range(-3, 0);
      for (let i = 0; i < n; i++) x[i] = scale * rng.range(boxLo[i]!, boxUp[i]!);
      this.values[s] = f.value(x);
      const decreaseFails = !f.inHole(x) && f.decrease(x) >= -margin * this.values[s]!;
      this.bad[s] = decreaseFails || f.boxExcess(x) > 0 ? 1 : 0;
    }
  }

  /** Smallest V over the sampled violations (Infinity when none). */
  level(): number {
    let level = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.samples; s++) if (this.bad[s]) level = Math.min(level, this.values[s]!);
    return level;
  }

  /** The violating states with V below `limit`. */
  violations(limit: number): number[][] {
    const n = this.model.stateDim;
    const out: number[][] = [];
    for (let s = 0; s < this.samples; s++)
      if (this.bad[s] && this.values[s]! < limit)
        out.push(Array.from(this.states.subarray(s * n, (s + 1) * n)));
    return out;
  }

  /** Share of B in {V < ρ} (the uniform half of the samples only), with its standard error. */
  share(rho: number): { share: number; standardError: number } {
    let inside = 0;
    let count = 0;
    for (let s = 0; s < this.samples; s += 2) {
      count++;
      if (this.values[s]! < rho) inside++;
    }
    const share = inside / count;
    return { share, standardError: Math.sqrt((share * (1 - share)) / count) };
  }
}

export interface Checkpoint {
  readonly iteration: number;
  /** Sampled level (an upper estimate of what the verifier can prove) and the share of B below it. */
  readonly sampledLevel: number;
  readonly sampledShare: number;
  readonly counterexamplesAdded: number;
}

/**
 * The whole schedule with checkpoints: every `checkpointEvery` iterations the sampled level and share
 * are measured, the violations below twice the level join the replay, and the best checkpoint (by
 * sampled share) is restored at the end. Returns every checkpoint and the best.
 */
export function trainWithCheckpoints(
  trainer: CartpoleClfTrainer,
  onCheckpoint?: (checkpoint: Checkpoint) => void,
): { checkpoints: Checkpoint[]; best: Checkpoint } {
  const c = trainer.config;
  const checkpoints: Checkpoint[] = [];
  let best: Checkpoint | undefined;
  let bestParams: Float64Array[] = [];
  for (let done = 0; ; ) {
    const model = parseModel(trainer.toModel('checkpoint', c.levelTarget));
    const sampled = new SampledRegion(model, c.checkpointSamples, c.seed + done + 1, c.checkpointMargin);
    const level = sampled.level();
    const found = sampled.violations(2 * level).slice(0, 64);
    trainer.replay.push(...found);
    const checkpoint = {
      iteration: done,
      sampledLevel: level,
      sampledShare: sampled.share(level).share,
      counterexamplesAdded: found.length,
    };
    checkpoints.push(checkpoint);
    onCheckpoint?.(checkpoint);
    if (!best || checkpoint.sampledShare > best.sampledShare) {
      best = checkpoint;
      bestParams = [Float64Array.from(trainer.phi.params), Float64Array.from(trainer.r)];
    }
    if (done >= c.iterations) break;
    const chunk = Math.min(c.checkpointEvery, c.iterations - done);
    trainer.train(undefined, chunk, done);
    done += chunk;
  }
  trainer.phi.params.set(bestParams[0]!);
  trainer.r.set(bestParams[1]!);
  return { checkpoints, best: best! };
}
