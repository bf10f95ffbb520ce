// Compiled from research/lyapunov/cartpole-clf.ts by `npm run build`: edit the source, not this file.

// research/lyapunov/cartpole-clf.ts
import { Rng } from "../../src/core/rng.js";
import { Adam, adamDefaults } from "../../src/learning/adam.js";
import { cpuEngine } from "../../src/learning/cpu-engine.js";
import { layerOffsets } from "../../src/learning/engine.js";
import { ForwardModel } from "../../src/verification/forward.js";
import { parseModel } from "../../src/verification/model.js";
import {
  addMatrixGradient,
  addRGradient,
  heUniform,
  layersJson,
  lyapunovMatrixInto,
  neuralValue
} from "./neural-lyapunov.js";
var defaultCartpoleClfConfig = {
  phiHidden: [16, 16],
  phiSlope: 0.01,
  biasFree: true,
  rRows: 4,
  rInit: 0.01,
  eps: 1e-3,
  kappaTrain: 0.02,
  levelTarget: 1,
  decreaseWeight: 100,
  iterations: 3e3,
  batch: 256,
  learningRate: 3e-4,
  regionStart: 0.05,
  regionEnd: 0.4,
  growFraction: 0.7,
  classificationWeight: 0.2,
  exclusionWeight: 1,
  initialReach: 0.15,
  holeSizeRelative: 1e-3,
  checkpointEvery: 250,
  checkpointSamples: 6e4,
  checkpointMargin: 2e-3,
  seed: 0
};
var CartpoleClfTrainer = class {
  constructor(base, config = defaultCartpoleClfConfig) {
    this.base = base;
    this.config = config;
    const baseModel = parseModel(base);
    this.n = baseModel.stateDim;
    if (config.phiHidden[0] < 2 * this.n)
      throw new RangeError(`phiHidden[0] must be at least ${2 * this.n} (the polyhedral start)`);
    this.loop = new ForwardModel(baseModel);
    this.rng = new Rng(config.seed);
    this.phi = heUniform(
      cpuEngine.createMlp(
        {
          inputSize: this.n,
          hidden: config.phiHidden,
          outputSize: 1,
          activation: "relu",
          negativeSlope: config.phiSlope
        },
        this.rng
      ),
      this.rng
    );
    this.phiPass = this.phi.createPass(2 * config.batch + 1);
    this.r = new Float64Array(config.rRows * this.n);
    this.rGrad = new Float64Array(this.r.length);
    this.initialisePolyhedral(baseModel);
    this.learningRate = config.learningRate;
    const adam = { ...adamDefaults, lr: config.learningRate };
    this.optimizers = [new Adam(this.phi.params, this.phi.grads, adam), new Adam(this.r, this.rGrad, adam)];
  }
  base;
  config;
  phi;
  r;
  n;
  rGrad;
  optimizers;
  learningRate;
  rng;
  /** The fixed closed loop (controller and plant) the successors come from. */
  loop;
  /** φ sees 2·batch + 1 rows: [x; x⁺; 0]. */
  phiPass;
  /** Extra states (counterexamples) mixed into every batch. */
  replay = [];
  /** A = ∂f/∂x at x* by central differences of the closed loop (float64; only a starting point). */
  linearisation() {
    const n = this.n;
    const { boxLo, boxUp } = this.loop.model.spec;
    const a = Array.from({ length: n }, () => new Array(n).fill(0));
    const x = new Float64Array(n);
    const plus = new Float64Array(n);
    const minus = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const h = 1e-7 * (boxUp[j] - boxLo[j]);
      x.fill(0);
      x[j] = h;
      this.loop.stepClosedLoop(x, plus);
      x[j] = -h;
      this.loop.stepClosedLoop(x, minus);
      for (let i = 0; i < n; i++) a[i][j] = (plus[i] - minus[i]) / (2 * h);
    }
    return a;
  }
  /**
   * φ's first layer: ±wᵢ (rows of W, W A W⁻¹ real block-diagonal), then units that pass the 2n
   * values on and an output that sums them, so |φ(x) − φ(0)| = Σ|wᵢ·x| (leaky units: each pair
   * gives (1 − slope)|z|, undone by the output weight). Every other weight is a small perturbation.
   */
  initialisePolyhedral(baseModel) {
    const n = this.n;
    const c = this.config;
    const w = realLeftEigenbasis(this.linearisation());
    const half = baseModel.spec.boxUp.map((u, i) => 0.5 * (u - baseModel.spec.boxLo[i]));
    let reach = 0;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Math.abs(w[i][j] * half[j] * c.initialReach);
      reach = Math.max(reach, s);
    }
    const scale = c.levelTarget / reach;
    const params = this.phi.params;
    const layers = layerOffsets(this.phi.spec);
    layers.forEach(({ inSize, outSize, weight, bias }, k) => {
      for (let i = weight; i < bias; i++) params[i] = params[i] * 0.02;
      params.fill(0, bias, bias + outSize);
      const set = (i, j, v) => params[weight + i * inSize + j] = v;
      if (k === 0)
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            set(i, j, w[i][j] * scale);
            set(n + i, j, -w[i][j] * scale);
          }
      else if (k < layers.length - 1)
        for (let i = 0; i < outSize; i++) for (let j = 0; j < 2 * n; j++) set(i, j, i === j ? 1 : 0);
      else for (let j = 0; j < 2 * n; j++) set(0, j, 1 / (1 - c.phiSlope));
    });
    for (let i = 0; i < this.r.length; i++) this.r[i] = this.rng.range(-1, 1) * c.rInit * Math.sqrt(scale);
  }
  /** One gradient step on a batch; `exclude` marks states that must end up outside {V < ρ_t}. */
  step(states, batch, exclude) {
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
    const phi0 = pOut[2 * batch];
    const dPhi = new Float64Array(2 * batch + 1);
    const gM = new Float64Array(n * n);
    const sx = new Float64Array(n + 1);
    const sn = new Float64Array(n + 1);
    let loss = 0;
    let violations = 0;
    const inv = 1 / batch;
    for (let s = 0; s < batch; s++) {
      const vx = neuralValue(pOut[s] - phi0, m, pIn, n * s, n, sx);
      let gx = 0;
      let gn = 0;
      if (exclude?.[s]) {
        if (vx < c.levelTarget) gx -= c.exclusionWeight * inv;
      } else {
        const vn = neuralValue(pOut[batch + s] - phi0, m, pIn, n * (batch + s), n, sn);
        const gap = vn - (1 - c.kappaTrain) * vx;
        if (vx <= 2 * c.levelTarget && gap > 0) {
          const w = c.decreaseWeight * inv / (vx + 1e-4);
          loss += gap / (vx + 1e-4);
          violations++;
          gn += w;
          gx -= (1 - c.kappaTrain) * w;
        }
        if (vx > 0.9 * c.levelTarget) gx += c.classificationWeight * inv;
        dPhi[batch + s] = gn * sn[0];
        addMatrixGradient(gM, gn, sn, pIn, n * (batch + s), n);
      }
      dPhi[s] = gx * sx[0];
      dPhi[2 * batch] = dPhi[2 * batch] - gx * sx[0] - dPhi[batch + s];
      addMatrixGradient(gM, gx, sx, pIn, n * s, n);
    }
    this.phi.backward(this.phiPass, dPhi, null, true);
    if (c.biasFree)
      for (const { outSize, bias } of layerOffsets(this.phi.spec))
        this.phi.grads.fill(0, bias, bias + outSize);
    addRGradient(this.r, c.rRows, n, gM, this.rGrad);
    for (const o of this.optimizers) o.step(this.learningRate);
    return { loss: loss * inv, violations };
  }
  /** Runs the schedule (or part of it); `onLog` sees progress every 250 iterations. */
  train(onLog, iterations = this.config.iterations, fromIteration = 0) {
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
          const face = this.rng.int(2 * n);
          for (let i = 0; i < n; i++) x[i] = this.rng.range(boxLo[i], boxUp[i]);
          x[face >> 1] = face & 1 ? boxUp[face >> 1] : boxLo[face >> 1];
          exclude[s] = 1;
          continue;
        }
        if (s < replayed) x.set(this.replay[this.rng.int(this.replay.length)]);
        else {
          const scale = region * (s % 2 === 0 ? 1 : 10 ** this.rng.range(-3, 0));
          for (let i = 0; i < n; i++) x[i] = scale * this.rng.range(boxLo[i], boxUp[i]);
        }
        this.loop.stepClosedLoop(x, next);
        for (let i = 0; i < n; i++) if (!(next[i] >= boxLo[i] && next[i] <= boxUp[i])) exclude[s] = 1;
      }
      const { loss, violations } = this.step(states, c.batch, exclude);
      if (onLog && (it % 250 === 0 || it === fromIteration + iterations - 1))
        onLog({ iteration: it, region, decreaseLoss: loss, violations });
    }
  }
  /** The model file at level ρ: the base model with this V and the configured hole; verify it before trusting ρ. */
  toModel(name, rho) {
    const c = this.config;
    const n = this.n;
    const { lyapunov: _quadratic, ...base } = this.base;
    return {
      ...base,
      format: "tether-lyapunov-model/v1",
      name,
      lyapunov: {
        phi: { negative_slope: c.phiSlope, layers: layersJson(this.phi) },
        R: Array.from({ length: c.rRows }, (_, k) => Array.from(this.r.subarray(k * n, (k + 1) * n))),
        eps: c.eps
      },
      spec: { ...this.base.spec, rho, hole_size_relative: c.holeSizeRelative }
    };
  }
};
function realLeftEigenbasis(a) {
  const n = a.length;
  const values = eigenvalues(a);
  const columns = [];
  for (const [re, im] of values) {
    if (im < 0) continue;
    const [vr, vi] = inverseIteration(a, re, im);
    columns.push(vr);
    if (im > 0) columns.push(vi);
  }
  const t = Array.from({ length: n }, (_, i) => columns.map((col) => col[i]));
  return invert(t);
}
function eigenvalues(a) {
  const n = a.length;
  let h = a.map((row) => [...row]);
  for (let it = 0; it < 2e4; it++) {
    const { q, r } = qr(h);
    h = multiply(r, q);
  }
  const out = [];
  for (let i = 0; i < n; i++) {
    const sub = i + 1 < n ? Math.abs(h[i + 1][i]) : 0;
    if (i + 1 < n && sub > 1e-9 * (Math.abs(h[i][i]) + Math.abs(h[i + 1][i + 1]))) {
      const p = h[i][i];
      const q = h[i][i + 1];
      const rr = h[i + 1][i];
      const s = h[i + 1][i + 1];
      const mean = 0.5 * (p + s);
      const disc = 0.25 * (p - s) ** 2 + q * rr;
      if (disc >= 0) out.push([mean + Math.sqrt(disc), 0], [mean - Math.sqrt(disc), 0]);
      else out.push([mean, Math.sqrt(-disc)], [mean, -Math.sqrt(-disc)]);
      i++;
    } else out.push([h[i][i], 0]);
  }
  return out;
}
function qr(a) {
  const n = a.length;
  const q = Array.from({ length: n }, () => new Array(n).fill(0));
  const r = Array.from({ length: n }, () => new Array(n).fill(0));
  for (let j = 0; j < n; j++) {
    const v = a.map((row) => row[j]);
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i][k] * a[i][j];
      r[k][j] = d;
      for (let i = 0; i < n; i++) v[i] = v[i] - d * q[i][k];
    }
    const norm = Math.hypot(...v);
    r[j][j] = norm;
    for (let i = 0; i < n; i++) q[i][j] = v[i] / norm;
  }
  return { q, r };
}
function multiply(a, b) {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
}
function inverseIteration(a, re, im) {
  const n = a.length;
  const shiftRe = re * (1 + 1e-10);
  const m = Array.from(
    { length: 2 * n },
    (_, i) => Array.from({ length: 2 * n }, (_2, j) => {
      const ii = i % n;
      const jj = j % n;
      const same = i < n === j < n;
      if (same) return a[ii][jj] - (ii === jj ? shiftRe : 0);
      if (ii !== jj) return 0;
      return i < n ? im : -im;
    })
  );
  let v = Array.from({ length: 2 * n }, (_, i) => 1 / (i + 1));
  for (let it = 0; it < 8; it++) {
    v = solve(m, v);
    const norm = Math.hypot(...v);
    v = v.map((x) => x / norm);
  }
  return [v.slice(0, n), v.slice(n)];
}
function solve(a, b) {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let i = col + 1; i < n; i++) if (Math.abs(m[i][col]) > Math.abs(m[pivot][col])) pivot = i;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    const p = m[col][col] || 1e-300;
    for (let i = col + 1; i < n; i++) {
      const f = m[i][col] / p;
      for (let j = col; j <= n; j++) m[i][j] = m[i][j] - f * m[col][j];
    }
  }
  const x = new Array(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * x[j];
    x[i] = s / (m[i][i] || 1e-300);
  }
  return x;
}
function invert(a) {
  const n = a.length;
  const columns = Array.from(
    { length: n },
    (_, j) => solve(
      a,
      Array.from({ length: n }, (_2, i) => i === j ? 1 : 0)
    )
  );
  return Array.from({ length: n }, (_, i) => columns.map((col) => col[i]));
}
var SampledRegion = class {
  constructor(model, samples, seed, margin = 0) {
    this.model = model;
    this.samples = samples;
    this.margin = margin;
    const n = model.stateDim;
    const f = new ForwardModel(model);
    const rng = new Rng(seed);
    const { boxLo, boxUp } = model.spec;
    this.states = new Float64Array(samples * n);
    this.values = new Float64Array(samples);
    this.bad = new Uint8Array(samples);
    for (let s = 0; s < samples; s++) {
      const x = this.states.subarray(s * n, (s + 1) * n);
      const scale = s % 2 === 0 ? 1 : 10 ** rng.range(-3, 0);
      for (let i = 0; i < n; i++) x[i] = scale * rng.range(boxLo[i], boxUp[i]);
      this.values[s] = f.value(x);
      const decreaseFails = !f.inHole(x) && f.decrease(x) >= -margin * this.values[s];
      this.bad[s] = decreaseFails || f.boxExcess(x) > 0 ? 1 : 0;
    }
  }
  model;
  samples;
  margin;
  states;
  values;
  bad;
  /** Smallest V over the sampled violations (Infinity when none). */
  level() {
    let level = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.samples; s++) if (this.bad[s]) level = Math.min(level, this.values[s]);
    return level;
  }
  /** The violating states with V below `limit`. */
  violations(limit) {
    const n = this.model.stateDim;
    const out = [];
    for (let s = 0; s < this.samples; s++)
      if (this.bad[s] && this.values[s] < limit)
        out.push(Array.from(this.states.subarray(s * n, (s + 1) * n)));
    return out;
  }
  /** Share of B in {V < ρ} (the uniform half of the samples only), with its standard error. */
  share(rho) {
    let inside = 0;
    let count = 0;
    for (let s = 0; s < this.samples; s += 2) {
      count++;
      if (this.values[s] < rho) inside++;
    }
    const share = inside / count;
    return { share, standardError: Math.sqrt(share * (1 - share) / count) };
  }
};
function trainWithCheckpoints(trainer, onCheckpoint) {
  const c = trainer.config;
  const checkpoints = [];
  let best;
  let bestParams = [];
  for (let done = 0; ; ) {
    const model = parseModel(trainer.toModel("checkpoint", c.levelTarget));
    const sampled = new SampledRegion(model, c.checkpointSamples, c.seed + done + 1, c.checkpointMargin);
    const level = sampled.level();
    const found = sampled.violations(2 * level).slice(0, 64);
    trainer.replay.push(...found);
    const checkpoint = {
      iteration: done,
      sampledLevel: level,
      sampledShare: sampled.share(level).share,
      counterexamplesAdded: found.length
    };
    checkpoints.push(checkpoint);
    onCheckpoint?.(checkpoint);
    if (!best || checkpoint.sampledShare > best.sampledShare) {
      best = checkpoint;
      bestParams = [Float64Array.from(trainer.phi.params), Float64Array.from(trainer.r)];
    }
    if (done >= c.iterations) break;
    const chunk = Math.min(c.checkpointEvery, c.iterations - done);
    trainer.train(void 0, chunk, done);
    done += chunk;
  }
  trainer.phi.params.set(bestParams[0]);
  trainer.r.set(bestParams[1]);
  return { checkpoints, best };
}
export {
  CartpoleClfTrainer,
  SampledRegion,
  defaultCartpoleClfConfig,
  realLeftEigenbasis,
  trainWithCheckpoints
};
