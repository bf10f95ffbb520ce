// Compiled from src/verification/falsify.ts by `npm run build`: edit the source, not this file.

// src/verification/falsify.ts
import { Rng } from "../core/rng.js";
import { confirmCounterexample, regionVolume } from "./bab.js";
import { IntervalBounder } from "./bounds.js";
import { CommandRateBounder, commandRateAt, commandRateLimit } from "./command-rate.js";
import { ForwardModel } from "./forward.js";
import { searchDim } from "./model.js";
var defaultFalsifierConfig = { starts: 200, steps: 150, stepSize: 2e-3, seed: 1 };
function falsify(model, region, rho, config = defaultFalsifierConfig) {
  const n = model.stateDim;
  const f = new ForwardModel(model);
  const exact = new IntervalBounder(model);
  const rng = new Rng(config.seed);
  const dims = searchDim(model);
  const x = new Float64Array(dims);
  const probe = new Float64Array(dims);
  const grad = new Float64Array(n);
  const width = model.spec.boxUp.map((u, i) => u - model.spec.boxLo[i]);
  const volumes = region.map((b) => regionVolume(model, b));
  const total = volumes.reduce((a, b) => a + b, 0);
  const rate = commandRateLimit(model) !== void 0 ? new CommandRateBounder(model) : void 0;
  const next = new Float64Array(n);
  const rateExcess = (p) => rate ? commandRateAt(f, p, next) - rate.limit : Number.NEGATIVE_INFINITY;
  const violation = (p) => f.value(p) > rho ? Number.NEGATIVE_INFINITY : f.value(p) < model.spec.innerLevel ? rateExcess(p) : Math.max(f.decrease(p), f.boxExcess(p), rateExcess(p));
  let attempts = 0;
  let s = 0;
  for (; s < config.starts && attempts < config.starts * 100; attempts++) {
    const pull = attempts >= config.starts * 50;
    let pick = rng.uniform() * total;
    let box = region[0];
    for (let k = 0; k < region.length; k++) {
      box = region[k];
      pick -= volumes[k];
      if (pick <= 0) break;
    }
    for (let i = 0; i < dims; i++) x[i] = rng.range(box.lo[i], box.up[i]);
    if (pull) {
      for (let k = 0; k < 60 && !(f.value(x) < rho); k++) for (let i = 0; i < n; i++) x[i] = 0.5 * x[i];
      for (let i = 0; i < n; i++) x[i] = Math.min(box.up[i], Math.max(box.lo[i], x[i]));
    }
    if (!(f.value(x) < rho)) continue;
    s++;
    for (let step = 0; step < config.steps; step++) {
      const j0 = violation(x);
      if (j0 > 0) {
        const cex = confirmCounterexample(model, exact, f, x, rho, "decrease", rate);
        if (cex) return cex;
      }
      for (let i = 0; i < n; i++) {
        const h = 1e-6 * width[i];
        probe.set(x);
        probe[i] = x[i] + h;
        const jp = violation(probe);
        probe[i] = x[i] - h;
        const jm = violation(probe);
        grad[i] = Number.isFinite(jp) && Number.isFinite(jm) ? (jp - jm) / (2 * h) : 0;
      }
      let moved = false;
      for (let i = 0; i < n; i++) {
        if (grad[i] === 0) continue;
        const next2 = x[i] + Math.sign(grad[i]) * config.stepSize * width[i];
        probe[i] = Math.min(box.up[i], Math.max(box.lo[i], next2));
        moved = true;
      }
      if (!moved) break;
      probe.set(x.map((v, i) => grad[i] === 0 ? v : probe[i]));
      if (!(f.value(probe) <= rho)) break;
      x.set(probe);
    }
  }
  return void 0;
}
export {
  defaultFalsifierConfig,
  falsify
};
