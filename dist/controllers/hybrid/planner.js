// Compiled from controllers/hybrid/planner.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/planner.ts
var SwitchTimePlanner = class {
  constructor(horizon, margin = 0.9) {
    this.horizon = horizon;
    this.margin = margin;
  }
  horizon;
  margin;
  name = "switch-time";
  plan(_from, to, x, fromStep) {
    const state = Float64Array.from(x);
    const next = new Float64Array(x.length);
    for (let k = 0; k <= this.horizon; k++) {
      const v = to.forward.value(state);
      if (v < this.margin * to.rho) return { steps: k, predictedValue: v, reference: null };
      fromStep(state, null, next);
      state.set(next);
    }
    return null;
  }
};
var ReferenceGridPlanner = class {
  constructor(grid, lookahead, gradientSteps = 5, learningRate = 0.05, reset = null) {
    this.grid = grid;
    this.lookahead = lookahead;
    this.gradientSteps = gradientSteps;
    this.learningRate = learningRate;
    this.reset = reset;
  }
  grid;
  lookahead;
  gradientSteps;
  learningRate;
  reset;
  name = "reference-grid";
  score(from, to, x, ref, step, a, b) {
    const n = x.length;
    for (let i = 0; i < n; i++) a[i] = x[i] - ref[i];
    const e1 = Math.max(0, from.forward.value(a) - from.rho);
    a.set(x);
    for (let k = 0; k < this.lookahead; k++) {
      step(a, ref, b);
      a.set(b);
    }
    this.reset?.(a);
    const e2 = Math.max(0, to.forward.value(a) - to.rho);
    return e1 + e2;
  }
  plan(from, to, x, step) {
    const n = x.length;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    let best = null;
    let bestScore = Number.POSITIVE_INFINITY;
    for (const candidate of this.grid) {
      const ref = Float64Array.from(candidate);
      const s = this.score(from, to, x, ref, step, a, b);
      if (s < bestScore) {
        bestScore = s;
        best = ref;
      }
    }
    if (!best) return null;
    const meanSquare = new Float64Array(n);
    const probe = new Float64Array(n);
    for (let it = 0; it < this.gradientSteps && bestScore > 0; it++) {
      for (let i = 0; i < n; i++) {
        probe.set(best);
        probe[i] = best[i] + 1e-3;
        const g = (this.score(from, to, x, probe, step, a, b) - bestScore) / 1e-3;
        meanSquare[i] = 0.9 * meanSquare[i] + 0.1 * g * g;
        probe[i] = best[i] - this.learningRate * g / (Math.sqrt(meanSquare[i]) + 1e-8);
      }
      const s = this.score(from, to, x, probe, step, a, b);
      if (s < bestScore) {
        bestScore = s;
        best.set(probe);
      }
    }
    if (bestScore > 0) return null;
    a.set(x);
    for (let k = 0; k < this.lookahead; k++) {
      step(a, best, b);
      a.set(b);
    }
    this.reset?.(a);
    return { steps: this.lookahead, predictedValue: to.forward.value(a), reference: best };
  }
};
export {
  ReferenceGridPlanner,
  SwitchTimePlanner
};
