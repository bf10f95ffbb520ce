import type { CertifiedMode } from './modes.ts';

/**
 * RoA planners: what to do when the post-switch state is not (yet) inside the next mode's
 * certified region. A plan is only a proposal: the supervisor still re-checks the sound bound
 * every tick and switches only when it passes.
 */

export interface SwitchPlan {
  /** Ticks the plan expects to need before the certified check passes. */
  readonly steps: number;
  /** Float estimate of V of the next mode when the plan ends (for the decision log). */
  readonly predictedValue: number;
  /** Reference offset the current mode tracks meanwhile (x − reference is fed to its controller); null keeps x* = 0. */
  readonly reference: Float64Array | null;
}

export interface SwitchPlanner {
  readonly name: string;
  plan(from: CertifiedMode, to: CertifiedMode, x: Float64Array, fromStep: ClosedLoopStep): SwitchPlan | null;
}

/** One closed-loop step of the plant in the current mode, with the current mode's controller. */
export type ClosedLoopStep = (x: Float64Array, reference: Float64Array | null, out: Float64Array) => void;

/**
 * For a regulator to a single equilibrium (the torque-mode pendulum) the only decision left is
 * when to switch: roll the current mode's closed loop forward and return the first step at which
 * the next mode's V (with a safety margin) drops below its verified ρ. None within the horizon
 * means the switch is denied.
 */
export class SwitchTimePlanner implements SwitchPlanner {
  readonly name = 'switch-time';
  constructor(
    private readonly horizon: number,
    /** Required V_next / ρ_next at the predicted switch, below 1 to absorb estimate error. */
    private readonly margin = 0.9,
  ) {}

  plan(
    _from: CertifiedMode,
    to: CertifiedMode,
    x: Float64Array,
    fromStep: ClosedLoopStep,
  ): SwitchPlan | null {
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
}

/**
 * The seed paper's planner: score reference offsets on a grid by
 *   relu(V_from(e₁) − ρ_from) + relu(V_to(e₂) − ρ_to),
 * where e₁ is the tracking error when the offset is adopted and e₂ the predicted state (relative
 * to the next mode's reference) after `lookahead` steps of tracking it; refine the best with a
 * few RMSprop steps on finite-difference gradients and return the argmin when its score is 0.
 */
export class ReferenceGridPlanner implements SwitchPlanner {
  readonly name = 'reference-grid';
  constructor(
    private readonly grid: readonly (readonly number[])[],
    private readonly lookahead: number,
    private readonly gradientSteps = 5,
    private readonly learningRate = 0.05,
    /** Reset map applied at the switch (e.g. the heading jump at a vertex), in place. */
    private readonly reset: ((x: Float64Array) => void) | null = null,
  ) {}

  private score(
    from: CertifiedMode,
    to: CertifiedMode,
    x: Float64Array,
    ref: Float64Array,
    step: ClosedLoopStep,
    a: Float64Array,
    b: Float64Array,
  ): number {
    const n = x.length;
    for (let i = 0; i < n; i++) a[i] = x[i]! - ref[i]!;
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

  plan(from: CertifiedMode, to: CertifiedMode, x: Float64Array, step: ClosedLoopStep): SwitchPlan | null {
    const n = x.length;
    const a = new Float64Array(n);
    const b = new Float64Array(n);
    let best: Float64Array | null = null;
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
        probe[i] = best[i]! + 1e-3;
        const g = (this.score(from, to, x, probe, step, a, b) - bestScore) / 1e-3;
        meanSquare[i] = 0.9 * meanSquare[i]! + 0.1 * g * g;
        probe[i] = best[i]! - (this.learningRate * g) / (Math.sqrt(meanSquare[i]!) + 1e-8);
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
}
