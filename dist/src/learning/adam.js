// Compiled from src/learning/adam.ts by `npm run build`: edit the source, not this file.

// src/learning/adam.ts
var adamDefaults = { lr: 3e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8 };
var Adam = class {
  constructor(params, grads, config = adamDefaults) {
    this.params = params;
    this.grads = grads;
    this.config = config;
    this.m = new Float64Array(params.length);
    this.v = new Float64Array(params.length);
  }
  params;
  grads;
  config;
  m;
  v;
  t = 0;
  /**
   * One step on the accumulated gradients (which it then zeroes), at the configured rate or at `lr`
   * when a schedule decays it.
   */
  step(lr = this.config.lr) {
    const { beta1, beta2, eps } = this.config;
    this.t += 1;
    const correction1 = 1 - beta1 ** this.t;
    const correction2 = 1 - beta2 ** this.t;
    const stepSize = lr / correction1;
    const p = this.params;
    const g = this.grads;
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      m[i] = beta1 * m[i] + (1 - beta1) * gi;
      v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
      p[i] -= stepSize * m[i] / (Math.sqrt(v[i] / correction2) + eps);
      g[i] = 0;
    }
  }
};
function optimizerArrays(optimizers) {
  const out = {};
  for (const [name, adam] of Object.entries(optimizers)) {
    out[`adam.${name}.m`] = adam.m;
    out[`adam.${name}.v`] = adam.v;
  }
  return out;
}
function optimizerScalars(optimizers) {
  return Object.fromEntries(Object.entries(optimizers).map(([name, adam]) => [`adam.${name}.t`, adam.t]));
}
function loadOptimizerScalars(optimizers, scalars) {
  for (const [name, adam] of Object.entries(optimizers)) adam.t = scalars[`adam.${name}.t`] ?? 0;
}
export {
  Adam,
  adamDefaults,
  loadOptimizerScalars,
  optimizerArrays,
  optimizerScalars
};
