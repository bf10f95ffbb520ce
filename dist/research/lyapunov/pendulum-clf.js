// Compiled from research/lyapunov/pendulum-clf.ts by `npm run build`: edit the source, not this file.

// research/lyapunov/pendulum-clf.ts
import { Rng } from "../../src/core/rng.js";
import { Adam, adamDefaults } from "../../src/learning/adam.js";
import { cpuEngine } from "../../src/learning/cpu-engine.js";
import { layerOffsets } from "../../src/learning/engine.js";
import {
  addMatrixGradient,
  addRGradient,
  heUniform,
  layersJson,
  lyapunovMatrixInto,
  neuralValue
} from "./neural-lyapunov.js";
var defaultPendulumClfConfig = {
  uMax: 0.75,
  box: 12,
  controllerHidden: [8, 8, 8],
  phiHidden: [16, 16, 8],
  phiSlope: 0.01,
  rRows: 3,
  eps: 0.01,
  kappaTrain: 0.01,
  kappaVerify: 1e-3,
  levelTarget: 1,
  iterations: 8e3,
  batch: 256,
  learningRate: 3e-3,
  regionStart: 0.01,
  regionEnd: 0.6,
  growFraction: 0.6,
  classificationWeight: 0.2,
  boxWeight: 10,
  boundaryWeight: 1,
  cegisRounds: 4,
  cegisIterations: 1e3,
  seed: 0,
  m: 0.15,
  l: 0.5,
  beta: 0.1,
  g: 9.81,
  dt: 0.05
};
var PendulumClfTrainer = class {
  constructor(config = defaultPendulumClfConfig) {
    this.config = config;
    this.rng = new Rng(config.seed);
    this.controller = heUniform(cpuEngine.createMlp(netSpec(config.controllerHidden, 0), this.rng), this.rng);
    this.phi = heUniform(cpuEngine.createMlp(netSpec(config.phiHidden, config.phiSlope), this.rng), this.rng);
    this.controllerPass = this.controller.createPass(config.batch + 1);
    this.phiPass = this.phi.createPass(2 * config.batch + 1);
    this.r = new Float64Array(config.rRows * 2);
    this.initialiseFromLqr();
    this.rGrad = new Float64Array(this.r.length);
    this.learningRate = config.learningRate;
    const adam = { ...adamDefaults, lr: config.learningRate };
    this.optimizers = [
      new Adam(this.controller.params, this.controller.grads, adam),
      new Adam(this.phi.params, this.phi.grads, adam),
      new Adam(this.r, this.rGrad, adam)
    ];
  }
  config;
  controller;
  phi;
  r;
  rGrad;
  optimizers;
  /** The rate `step` uses; `train` decays it along the schedule. */
  learningRate;
  rng;
  /** Forward buffers: the controller sees batch + 1 rows ([x; 0]), φ sees 2·batch + 1 ([x; x⁺; 0]). */
  controllerPass;
  phiPass;
  /** Extra states (counterexamples) mixed into every batch. */
  replay = [];
  /** Discrete-time LQR of the linearisation at x* (Q = I, R_u = 1), by Riccati iteration. */
  lqr() {
    const c = this.config;
    const ml2 = c.m * c.l * c.l;
    const a = [1, c.dt, c.dt * c.g / c.l, 1 - c.dt * c.beta / ml2];
    const b = [0, c.dt / ml2];
    let p = [1, 0, 1];
    let k = [0, 0];
    for (let it = 0; it < 5e3; it++) {
      const pb = [p[0] * b[0] + p[1] * b[1], p[1] * b[0] + p[2] * b[1]];
      const s = 1 + b[0] * pb[0] + b[1] * pb[1];
      const bpa = [pb[0] * a[0] + pb[1] * a[2], pb[0] * a[1] + pb[1] * a[3]];
      k = [bpa[0] / s, bpa[1] / s];
      const acl = [a[0] - b[0] * k[0], a[1] - b[0] * k[1], a[2] - b[1] * k[0], a[3] - b[1] * k[1]];
      const pa = [
        p[0] * acl[0] + p[1] * acl[2],
        p[0] * acl[1] + p[1] * acl[3],
        p[1] * acl[0] + p[2] * acl[2],
        p[1] * acl[1] + p[2] * acl[3]
      ];
      p = [
        1 + a[0] * pa[0] + a[2] * pa[2],
        a[0] * pa[1] + a[2] * pa[3],
        1 + a[1] * pa[1] + a[3] * pa[3]
      ];
    }
    return { gain: k, p };
  }
  /**
   * The seed paper's controller is an LQR gain plus a learned correction. Our controller must
   * stay a plain ReLU network (so the verifier sees one graph), so the gain is written into it
   * exactly: −Kx = relu(−Kx) − relu(Kx), carried through the hidden layers by two identity units,
   * and the remaining units start as a small correction.
   */
  initialiseFromLqr() {
    const { gain, p } = this.lqr();
    const params = this.controller.params;
    const layers = layerOffsets(this.controller.spec);
    layers.forEach(({ inSize, outSize, weight, bias }, k) => {
      for (let i = weight; i < bias; i++) params[i] = params[i] * 0.1;
      params.fill(0, bias, bias + outSize);
      const set = (i, j, v) => params[weight + i * inSize + j] = v;
      if (k > 0) {
        for (let i = 0; i < outSize; i++) {
          set(i, 0, i === 0 ? 1 : 0);
          set(i, 1, i === 1 ? 1 : 0);
        }
      }
      if (k === 0) {
        set(0, 0, -gain[0]);
        set(0, 1, -gain[1]);
        set(1, 0, gain[0]);
        set(1, 1, gain[1]);
      }
      if (k === layers.length - 1) {
        set(0, 0, 1);
        set(0, 1, -1);
      }
    });
    const l00 = Math.sqrt(p[0]);
    const l10 = p[1] / l00;
    const l11 = Math.sqrt(Math.max(1e-9, p[2] - l10 * l10));
    const scale = Math.sqrt(1 / (Math.abs(p[0]) + Math.abs(p[1]) + Math.abs(p[2])) / (0.1 * this.config.box));
    this.r.fill(0);
    this.r.set([l00 * scale, 0, l10 * scale, l11 * scale].slice(0, this.r.length));
    const phiLast = layerOffsets(this.phi.spec).at(-1).weight;
    for (let i = phiLast; i < this.phi.params.length; i++) this.phi.params[i] = this.phi.params[i] * 0.1;
  }
  /** One gradient step on a batch; returns the mean decrease loss and the violation count. */
  step(states, batch, onBoundary) {
    const c = this.config;
    const ml2 = c.m * c.l * c.l;
    const k1 = c.beta / ml2;
    const k2 = c.g / c.l;
    const k3 = 1 / ml2;
    const m = new Float64Array(4);
    lyapunovMatrixInto(this.r, c.rRows, 2, c.eps, m);
    if (this.controllerPass.maxRows < batch + 1) {
      this.controllerPass = this.controller.createPass(batch + 1);
      this.phiPass = this.phi.createPass(2 * batch + 1);
    }
    const cIn = new Float64Array((batch + 1) * 2);
    cIn.set(states.subarray(0, batch * 2));
    const cOut = this.controller.forward(this.controllerPass, cIn, batch + 1);
    const c0 = cOut[batch];
    const u = new Float64Array(batch);
    const saturated = new Uint8Array(batch);
    for (let s = 0; s < batch; s++) {
      const raw = cOut[s] - c0;
      u[s] = Math.min(c.uMax, Math.max(-c.uMax, raw));
      saturated[s] = raw >= c.uMax || raw <= -c.uMax ? 1 : 0;
    }
    const pIn = new Float64Array((2 * batch + 1) * 2);
    for (let s = 0; s < batch; s++) {
      const th = states[2 * s];
      const om = states[2 * s + 1];
      pIn[2 * s] = th;
      pIn[2 * s + 1] = om;
      pIn[2 * (batch + s)] = th + c.dt * om;
      pIn[2 * (batch + s) + 1] = om + c.dt * (-k1 * om + k2 * Math.sin(th) + k3 * u[s]);
    }
    const pOut = this.phi.forward(this.phiPass, pIn, 2 * batch + 1);
    const phi0 = pOut[2 * batch];
    const value = (row, signs) => neuralValue(pOut[row] - phi0, m, pIn, 2 * row, 2, signs);
    const dPhi = new Float64Array(2 * batch + 1);
    const dNextExtra = new Float64Array(batch * 2);
    const gM = new Float64Array(4);
    const sx = new Float64Array(3);
    const sn = new Float64Array(3);
    let loss = 0;
    let violations = 0;
    const inv = 1 / batch;
    const bound = c.box * 0.98;
    for (let s = 0; s < batch; s++) {
      const vx = value(s, sx);
      const vn = value(batch + s, sn);
      let gx = 0;
      let gn = 0;
      if (onBoundary?.[s]) {
        if (vx < c.levelTarget) gx -= c.boundaryWeight * inv;
        dPhi[s] = gx * sx[0];
        dPhi[2 * batch] = dPhi[2 * batch] - gx * sx[0];
        addMatrixGradient(gM, gx, sx, pIn, 2 * s, 2);
        continue;
      }
      const gap = vn - (1 - c.kappaTrain) * vx;
      if (vx <= 2 * c.levelTarget && gap > 0) {
        const w = inv / (vx + 1e-4);
        loss += gap / (vx + 1e-4);
        violations++;
        gn += w;
        gx -= (1 - c.kappaTrain) * w;
      }
      if (vx > 0.9 * c.levelTarget) gx += c.classificationWeight * inv;
      for (let i = 0; i < 2; i++) {
        const xn = pIn[2 * (batch + s) + i];
        if (vx <= 2 * c.levelTarget && Math.abs(xn) > bound)
          dNextExtra[2 * s + i] = c.boxWeight * inv * Math.sign(xn);
      }
      dPhi[s] = gx * sx[0];
      dPhi[batch + s] = gn * sn[0];
      dPhi[2 * batch] = dPhi[2 * batch] - gx * sx[0] - gn * sn[0];
      addMatrixGradient(gM, gx, sx, pIn, 2 * s, 2);
      addMatrixGradient(gM, gn, sn, pIn, 2 * (batch + s), 2);
      for (let j = 0; j < 2; j++)
        dNextExtra[2 * s + j] = dNextExtra[2 * s + j] + gn * (sn[1] * m[j] + sn[2] * m[2 + j]);
    }
    const dIn = new Float64Array((2 * batch + 1) * 2);
    this.phi.backward(this.phiPass, dPhi, dIn, true);
    const dC = new Float64Array(batch + 1);
    for (let s = 0; s < batch; s++) {
      const dOmegaNext = dIn[2 * (batch + s) + 1] + dNextExtra[2 * s + 1];
      const du = saturated[s] ? 0 : dOmegaNext * c.dt * k3;
      dC[s] = du;
      dC[batch] = dC[batch] - du;
    }
    this.controller.backward(this.controllerPass, dC, null, true);
    addRGradient(this.r, c.rRows, 2, gM, this.rGrad);
    for (const o of this.optimizers) o.step(this.learningRate);
    return { loss: loss * inv, violations };
  }
  /** Runs the whole schedule; `onLog` sees progress every 250 iterations. */
  train(onLog, iterations = this.config.iterations, fromIteration = 0) {
    const c = this.config;
    const states = new Float64Array(c.batch * 2);
    const boundary = new Uint8Array(c.batch);
    const boundaryCount = Math.floor(c.batch / 16);
    for (let it = fromIteration; it < fromIteration + iterations; it++) {
      const progress = Math.min(1, it / (c.growFraction * c.iterations));
      this.learningRate = c.learningRate * (1 - 0.9 * Math.min(1, it / c.iterations));
      const region = c.regionStart + (c.regionEnd - c.regionStart) * progress;
      const half = region * c.box;
      const replayed = Math.min(this.replay.length, Math.floor(c.batch / 4));
      boundary.fill(0);
      for (let s = 0; s < c.batch; s++) {
        if (s >= c.batch - boundaryCount) {
          const side = this.rng.int(4);
          const t = this.rng.range(-c.box, c.box);
          states[2 * s] = side < 2 ? side === 0 ? c.box : -c.box : t;
          states[2 * s + 1] = side < 2 ? t : side === 2 ? c.box : -c.box;
          boundary[s] = 1;
        } else if (s < replayed) {
          const p = this.replay[this.rng.int(this.replay.length)];
          states[2 * s] = p[0];
          states[2 * s + 1] = p[1];
        } else {
          const scale = s % 2 === 0 ? half : half * 10 ** this.rng.range(-3, 0);
          states[2 * s] = this.rng.range(-scale, scale);
          states[2 * s + 1] = this.rng.range(-scale, scale);
        }
      }
      const { loss, violations } = this.step(states, c.batch, boundary);
      if (onLog && (it % 250 === 0 || it === fromIteration + iterations - 1))
        onLog({ iteration: it, region, decreaseLoss: loss, violations });
    }
  }
  /** The model file (tether layout) at level ρ; verify it before trusting ρ. */
  toModel(name, rho) {
    const c = this.config;
    const h = 1e-3;
    return {
      format: "tether-lyapunov-model/v1",
      name,
      state_dim: 2,
      x_star: [0, 0],
      controller: {
        negative_slope: 0,
        layers: layersJson(this.controller),
        u_lo: [-c.uMax],
        u_up: [c.uMax],
        u_star: [0]
      },
      lyapunov: {
        phi: { negative_slope: c.phiSlope, layers: layersJson(this.phi) },
        R: Array.from({ length: c.rRows }, (_, k) => [this.r[2 * k], this.r[2 * k + 1]]),
        eps: c.eps
      },
      dynamics: {
        system: "pendulum",
        m: c.m,
        l: c.l,
        beta: c.beta,
        g: c.g,
        dt: c.dt,
        integration: "explicit_euler"
      },
      spec: {
        box_lo: [-c.box, -c.box],
        box_up: [c.box, c.box],
        rho,
        kappa: c.kappaVerify,
        hole_size_relative: h
      }
    };
  }
};
function netSpec(hidden, negativeSlope) {
  return { inputSize: 2, hidden, outputSize: 1, activation: "relu", negativeSlope };
}
async function trainWithCounterexamples(trainer, onRound) {
  const { bisectRho, certify } = await import("../../src/verification/certificate.js");
  const { falsify } = await import("../../src/verification/falsify.js");
  const { parseModel } = await import("../../src/verification/model.js");
  const { levelSetGrid } = await import("../../src/verification/region.js");
  const c = trainer.config;
  const jitter = new Rng(c.seed + 7919);
  const rounds = [];
  let best;
  let bestParams = [];
  const evaluate = async () => {
    const model = parseModel(trainer.toModel("candidate", c.levelTarget));
    const { verified } = await bisectRho(
      model,
      { workers: 0, rho: c.levelTarget / 4, falsifier: false },
      0.05
    );
    return { model, verified, share: verified > 0 ? levelSetGrid(model, verified, 200).share : 0 };
  };
  const keepIfBest = (entry) => {
    rounds.push(entry);
    onRound?.(entry);
    if (!best || entry.share > best.share) {
      best = entry;
      bestParams = [trainer.controller.params, trainer.phi.params, trainer.r].map(
        (p) => Float64Array.from(p)
      );
    }
  };
  const half = Math.floor(c.iterations / 2);
  const threeQuarters = Math.floor(3 * c.iterations / 4);
  const checkpoint = async (round) => {
    const { verified, share } = await evaluate();
    keepIfBest({ round, verifiedRho: verified, share, counterexamplesAdded: 0 });
  };
  trainer.train(void 0, half, 0);
  await checkpoint(-2);
  trainer.train(void 0, threeQuarters - half, half);
  await checkpoint(-1);
  trainer.train(void 0, c.iterations - threeQuarters, threeQuarters);
  for (let round = 0; round <= c.cegisRounds; round++) {
    const { model, verified, share } = await evaluate();
    let added = 0;
    if (round < c.cegisRounds) {
      const add = (x) => {
        for (let k = 0; k < 8; k++)
          trainer.replay.push([x[0] + jitter.range(-0.025, 0.025), x[1] + jitter.range(-0.025, 0.025)]);
        added++;
      };
      const probe = Math.max(verified * 1.25, 0.01 * c.levelTarget);
      for (const level of [probe, 0.25 * c.levelTarget, 0.5 * c.levelTarget, c.levelTarget]) {
        for (let seed = 0; seed < 6; seed++) {
          const cex = falsify(model, model.spec.subBoxes, level, {
            starts: 30,
            steps: 60,
            stepSize: 3e-3,
            seed: 1e3 * round + seed
          });
          if (cex) add(cex.x);
        }
        const bab = (await certify(model, { rho: level, workers: 0, falsifier: false, maxBoxes: 2e5 })).certificate;
        if (bab.counterexample) add(bab.counterexample.x);
      }
    }
    keepIfBest({ round, verifiedRho: verified, share, counterexamplesAdded: added });
    if (round < c.cegisRounds) trainer.train(void 0, c.cegisIterations, c.iterations);
  }
  trainer.controller.params.set(bestParams[0]);
  trainer.phi.params.set(bestParams[1]);
  trainer.r.set(bestParams[2]);
  return { rounds, best };
}
export {
  PendulumClfTrainer,
  defaultPendulumClfConfig,
  trainWithCounterexamples
};
