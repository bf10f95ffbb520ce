// Compiled from research/lyapunov/roa-estimate.ts by `npm run build`: edit the source, not this file.

// research/lyapunov/roa-estimate.ts
import { Rng } from "../../src/core/rng.js";
import { ForwardModel } from "../../src/verification/forward.js";
var defaultSampledLevelConfig = {
  samples: 2e3,
  steps: 400,
  tolerance: 0.05,
  seed: 0
};
function sampledRoaLevel(model, config = defaultSampledLevelConfig) {
  const f = new ForwardModel(model);
  const rng = new Rng(config.seed);
  const { boxLo, boxUp } = model.spec;
  const n = model.stateDim;
  const x = new Float64Array(n);
  const next = new Float64Array(n);
  let maxStable = 0;
  let minUnstable = Number.POSITIVE_INFINITY;
  let stable = 0;
  for (let s = 0; s < config.samples; s++) {
    for (let i = 0; i < n; i++) x[i] = rng.range(boxLo[i], boxUp[i]);
    const v0 = f.value(x);
    let inside = true;
    for (let k = 0; k < config.steps && inside; k++) {
      f.stepClosedLoop(x, next);
      x.set(next);
      for (let i = 0; i < n; i++) if (!(x[i] >= boxLo[i] && x[i] <= boxUp[i])) inside = false;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(x[i]));
    if (inside && norm < config.tolerance) {
      stable++;
      maxStable = Math.max(maxStable, v0);
    } else minUnstable = Math.min(minUnstable, v0);
  }
  return { level: Math.min(maxStable, minUnstable), stable, unstable: config.samples - stable };
}
export {
  defaultSampledLevelConfig,
  sampledRoaLevel
};
