import {
  type Bounder,
  type BoundMethod,
  createBounder,
  createBoxBounds,
  IntervalBounder,
  type Refutation,
  refutePoint,
} from './bounds.ts';
import { ForwardModel } from './forward.ts';
import type { Box, LyapunovModel } from './model.ts';

/**
 * Input branch-and-bound for the certificate condition
 *   ∀x ∈ region with V(x) ≤ ρ:  V(x⁺) − (1 − κ)V(x) < 0  and  x⁺ ∈ B.
 * Each box is discarded (lower bound of V above ρ), verified (sound upper bound of g below 0 and
 * x⁺ bounds inside B), refuted (the centre is a counterexample, re-checked with interval
 * arithmetic) or split along its widest side relative to B.
 */

export interface BabOptions {
  readonly rho: number;
  readonly method: BoundMethod;
  /** Give up on a box narrower than this fraction of B in every direction. */
  readonly minRelativeWidth: number;
  /** Stop (result unknown) after this many boxes in total. */
  readonly maxBoxes: number;
}

export const defaultBabOptions: Omit<BabOptions, 'rho'> = {
  method: 'linear',
  minRelativeWidth: 1e-7,
  maxBoxes: 50_000_000,
};

export interface Counterexample {
  readonly x: readonly number[];
  readonly reason: Refutation;
  readonly value: number;
  readonly decrease: number;
  readonly next: readonly number[];
}

export interface BabStats {
  visited: number;
  verified: number;
  outside: number;
  unknown: number;
  /** Smallest relative width reached among the boxes left unknown (1 when none). */
  smallestUnknownWidth: number;
  /** Area (volume) of verified boxes and of boxes discarded as outside the level set. */
  verifiedVolume: number;
  outsideVolume: number;
}

export type BabStatus = 'verified' | 'counterexample' | 'unknown';

export interface BabOutcome {
  readonly status: BabStatus;
  readonly stats: BabStats;
  readonly counterexample?: Counterexample;
  /** Verified boxes, kept only when asked for (plots). */
  readonly verifiedBoxes?: Box[];
  readonly unknownBoxes: Box[];
}

export function emptyStats(): BabStats {
  return {
    visited: 0,
    verified: 0,
    outside: 0,
    unknown: 0,
    smallestUnknownWidth: 1,
    verifiedVolume: 0,
    outsideVolume: 0,
  };
}

export function mergeStats(into: BabStats, from: BabStats): void {
  into.visited += from.visited;
  into.verified += from.verified;
  into.outside += from.outside;
  into.unknown += from.unknown;
  into.smallestUnknownWidth = Math.min(into.smallestUnknownWidth, from.smallestUnknownWidth);
  into.verifiedVolume += from.verifiedVolume;
  into.outsideVolume += from.outsideVolume;
}

/** Reusable single-thread branch-and-bound engine for one model. */
export class BranchAndBound {
  private readonly bounder: Bounder;
  private readonly exact: IntervalBounder;
  private readonly forward: ForwardModel;
  private readonly bounds;
  private readonly centre: Float64Array;
  private readonly scale: Float64Array;

  constructor(
    private readonly model: LyapunovModel,
    private readonly options: BabOptions,
  ) {
    const n = model.stateDim;
    this.bounder = createBounder(model, options.method);
    this.exact = new IntervalBounder(model);
    this.forward = new ForwardModel(model);
    this.bounds = createBoxBounds(n);
    this.centre = new Float64Array(n);
    this.scale = Float64Array.from(model.spec.boxUp, (u, i) => 1 / (u - model.spec.boxLo[i]!));
  }

  /** Tries the centre of a box as a counterexample; returns it when interval arithmetic confirms. */
  private tryCentre(lo: Float64Array, hi: Float64Array): Counterexample | undefined {
    const n = this.model.stateDim;
    for (let i = 0; i < n; i++) this.centre[i] = 0.5 * (lo[i]! + hi[i]!);
    const f = this.forward;
    if (!(f.value(this.centre) <= this.options.rho)) return undefined;
    if (!(f.decrease(this.centre) > 0 || f.boxExcess(this.centre) > 0)) return undefined;
    return confirmCounterexample(this.model, this.exact, this.forward, this.centre, this.options.rho);
  }

  run(region: readonly Box[], keepVerified = false): BabOutcome {
    const n = this.model.stateDim;
    const { rho, minRelativeWidth, maxBoxes } = this.options;
    const { boxLo, boxUp } = this.model.spec;
    const stats = emptyStats();
    const stack: Float64Array[] = region.map((b) => Float64Array.from([...b.lo, ...b.up]));
    const verifiedBoxes: Box[] = [];
    const unknownBoxes: Box[] = [];
    const lo = new Float64Array(n);
    const hi = new Float64Array(n);
    const out = this.bounds;
    while (stack.length > 0) {
      const item = stack.pop()!;
      for (let i = 0; i < n; i++) {
        lo[i] = item[i]!;
        hi[i] = item[n + i]!;
      }
      stats.visited++;
      let volume = 1;
      for (let i = 0; i < n; i++) volume *= hi[i]! - lo[i]!;
      if (!this.bounder.bound(lo, hi, rho, out)) {
        stats.outside++;
        stats.outsideVolume += volume;
        continue;
      }
      let inside = out.gUp < 0;
      for (let i = 0; i < n && inside; i++) inside = out.xnLo[i]! >= boxLo[i]! && out.xnHi[i]! <= boxUp[i]!;
      if (inside) {
        stats.verified++;
        stats.verifiedVolume += volume;
        if (keepVerified) verifiedBoxes.push({ lo: Array.from(lo), up: Array.from(hi) });
        continue;
      }
      const cex = this.tryCentre(lo, hi);
      if (cex) return { status: 'counterexample', stats, counterexample: cex, unknownBoxes };
      let split = 0;
      let widest = -1;
      for (let i = 0; i < n; i++) {
        const w = (hi[i]! - lo[i]!) * this.scale[i]!;
        if (w > widest) {
          widest = w;
          split = i;
        }
      }
      const mid = 0.5 * (lo[split]! + hi[split]!);
      if (widest < minRelativeWidth || !(mid > lo[split]! && mid < hi[split]!) || stats.visited >= maxBoxes) {
        stats.unknown++;
        stats.smallestUnknownWidth = Math.min(stats.smallestUnknownWidth, widest);
        unknownBoxes.push({ lo: Array.from(lo), up: Array.from(hi) });
        continue;
      }
      const left = Float64Array.from(item);
      left[n + split] = mid;
      item[split] = mid;
      stack.push(left, item);
    }
    const status: BabStatus = stats.unknown > 0 ? 'unknown' : 'verified';
    return keepVerified ? { status, stats, verifiedBoxes, unknownBoxes } : { status, stats, unknownBoxes };
  }
}

/** Turns a float64 suspicion into a counterexample only if interval arithmetic at x confirms it. */
export function confirmCounterexample(
  model: LyapunovModel,
  exact: IntervalBounder,
  forward: ForwardModel,
  x: ArrayLike<number>,
  rho: number,
): Counterexample | undefined {
  const reason = refutePoint(exact, model, x, rho);
  if (!reason) return undefined;
  const next = new Float64Array(model.stateDim);
  forward.stepClosedLoop(x, next);
  return {
    x: Array.from(x),
    reason,
    value: forward.value(x),
    decrease: forward.decrease(x),
    next: Array.from(next),
  };
}
