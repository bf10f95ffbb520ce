import { Rng } from '../core/rng.ts';
import { type Counterexample, confirmCounterexample, regionVolume } from './bab.ts';
import { IntervalBounder } from './bounds.ts';
import { CommandRateBounder, commandRateAt, commandRateLimit } from './command-rate.ts';
import { ForwardModel } from './forward.ts';
import { type Box, type LyapunovModel, searchDim } from './model.ts';

/**
 * Projected gradient ascent on the violation J(x) = max(g(x), excess of x⁺ outside B, and with a
 * relative delayed command the excess of |u(x⁺) − u(x)| over its bound) from random starts inside
 * {V < ρ}. It can only refute: whatever it finds is re-checked with interval
 * arithmetic before it is reported.
 */

export interface FalsifierConfig {
  readonly starts: number;
  readonly steps: number;
  /** Step length as a fraction of the box width per coordinate. */
  readonly stepSize: number;
  readonly seed: number;
}

export const defaultFalsifierConfig: FalsifierConfig = { starts: 200, steps: 150, stepSize: 0.002, seed: 1 };

export function falsify(
  model: LyapunovModel,
  region: readonly Box[],
  rho: number,
  config: FalsifierConfig = defaultFalsifierConfig,
): Counterexample | undefined {
  const n = model.stateDim;
  const f = new ForwardModel(model);
  const exact = new IntervalBounder(model);
  const rng = new Rng(config.seed);
  // Points of the verification box: the state, then the uncertainty (held fixed per start).
  const dims = searchDim(model);
  const x = new Float64Array(dims);
  const probe = new Float64Array(dims);
  const grad = new Float64Array(n);
  const width = model.spec.boxUp.map((u, i) => u - model.spec.boxLo[i]!);
  const volumes = region.map((b) => regionVolume(model, b));
  const total = volumes.reduce((a, b) => a + b, 0);
  const rate = commandRateLimit(model) !== undefined ? new CommandRateBounder(model) : undefined;
  const next = new Float64Array(n);
  const rateExcess = (p: Float64Array): number =>
    rate ? commandRateAt(f, p, next) - rate.limit : Number.NEGATIVE_INFINITY;
  const violation = (p: Float64Array): number =>
    f.value(p) > rho
      ? Number.NEGATIVE_INFINITY
      : f.value(p) < model.spec.innerLevel
        ? rateExcess(p)
        : Math.max(f.decrease(p), f.boxExcess(p), rateExcess(p));

  let attempts = 0;
  let s = 0;
  // Starts are uniform in the region. Where S is a small part of B (a small ρ) few uniform points
  // lie in it, so once those attempts are spent the rest of the starts are pulled towards x* (the
  // origin of the verifier's coordinates) until they lie in S, then put back into their region box.
  for (; s < config.starts && attempts < config.starts * 100; attempts++) {
    const pull = attempts >= config.starts * 50;
    let pick = rng.uniform() * total;
    let box = region[0]!;
    for (let k = 0; k < region.length; k++) {
      box = region[k]!;
      pick -= volumes[k]!;
      if (pick <= 0) break;
    }
    for (let i = 0; i < dims; i++) x[i] = rng.range(box.lo[i]!, box.up[i]!);
    if (pull) {
      for (let k = 0; k < 60 && !(f.value(x) < rho); k++) for (let i = 0; i < n; i++) x[i] = 0.5 * x[i]!;
      for (let i = 0; i < n; i++) x[i] = Math.min(box.up[i]!, Math.max(box.lo[i]!, x[i]!));
    }
    if (!(f.value(x) < rho)) continue;
    s++;
    for (let step = 0; step < config.steps; step++) {
      const j0 = violation(x);
      if (j0 > 0) {
        const cex = confirmCounterexample(model, exact, f, x, rho, 'decrease', rate);
        if (cex) return cex;
      }
      for (let i = 0; i < n; i++) {
        const h = 1e-6 * width[i]!;
        probe.set(x);
        probe[i] = x[i]! + h;
        const jp = violation(probe);
        probe[i] = x[i]! - h;
        const jm = violation(probe);
        grad[i] = Number.isFinite(jp) && Number.isFinite(jm) ? (jp - jm) / (2 * h) : 0;
      }
      // Signed steps (as in PGD under an ∞-norm budget), projected back onto the start's box.
      let moved = false;
      for (let i = 0; i < n; i++) {
        if (grad[i] === 0) continue;
        const next = x[i]! + Math.sign(grad[i]!) * config.stepSize * width[i]!;
        probe[i] = Math.min(box.up[i]!, Math.max(box.lo[i]!, next));
        moved = true;
      }
      if (!moved) break;
      probe.set(x.map((v, i) => (grad[i] === 0 ? v : probe[i]!)));
      if (!(f.value(probe) <= rho)) break;
      x.set(probe);
    }
  }
  return undefined;
}
