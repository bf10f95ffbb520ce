import {
  type Bounder,
  type BoundMethod,
  type Condition,
  createBounder,
  createBoxBounds,
  IntervalBounder,
  type Refutation,
  refutePoint,
} from './bounds.ts';
import { CommandRateBounder, commandRateAt, commandRateLimit } from './command-rate.ts';
import { ForwardModel } from './forward.ts';
import { type Box, type LyapunovModel, searchDim } from './model.ts';

/**
 * Input branch-and-bound for the certificate condition over boxes of (state, uncertainty):
 *   decrease (B minus the hole):  V(x) ≤ ρ  ⇒  V(x⁺) − (1 − κ)V(x) < 0  and  x⁺ ∈ B;
 *   stay (the hole):              V(x) ≤ ρ  ⇒  V(x⁺) < ρ  and  x⁺ ∈ B.
 * Each box is discarded (lower bound of V above ρ), verified (sound bounds satisfy the condition),
 * refuted (the centre is a counterexample, re-checked with interval arithmetic) or split. A box
 * narrower than `minRelativeWidth`, or any box left when a budget runs out, is left unknown.
 */

export interface BabOptions {
  readonly rho: number;
  readonly method: BoundMethod;
  /** Give up on a box narrower than this fraction of B in every direction. */
  readonly minRelativeWidth: number;
  /** Stop (result unknown) after this many boxes in total (over all workers of a run). */
  readonly maxBoxes: number;
  /** Stop (result unknown) at this wall-clock time (Date.now() milliseconds). */
  readonly deadline?: number | undefined;
  readonly condition?: Condition | undefined;
  /**
   * Which side to halve: `slope` picks the dimension where g's linear upper bound varies most
   * (falling back to the widest for IBP), `widest` the widest side relative to the box.
   */
  readonly split?: 'slope' | 'widest' | undefined;
}

export const defaultBabOptions: Omit<BabOptions, 'rho'> = {
  method: 'linear',
  minRelativeWidth: 1e-7,
  maxBoxes: 50_000_000,
};

export interface Counterexample {
  /** The verification point: the state, then the uncertainty values (if any). */
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
  /** Volume of verified boxes, of boxes discarded as outside the level set, and of unknown ones. */
  verifiedVolume: number;
  outsideVolume: number;
  unknownVolume: number;
}

export type BabStatus = 'verified' | 'counterexample' | 'unknown';

/** Why a run ended before every box was decided. */
export type StopReason = 'time-budget' | 'box-budget' | 'aborted';

export interface BabOutcome {
  readonly status: BabStatus;
  readonly stats: BabStats;
  readonly counterexample?: Counterexample;
  /** Verified boxes, kept only when asked for (plots). */
  readonly verifiedBoxes?: Box[];
  readonly unknownBoxes: Box[];
  readonly stopped?: StopReason;
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
    unknownVolume: 0,
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
  into.unknownVolume += from.unknownVolume;
}

/**
 * Shared between the threads of one run (a SharedArrayBuffer): [0] abort flag, [1] boxes visited
 * so far by every thread (updated every `reportEvery` boxes), [2 + 2k], [3 + 2k] reserved.
 */
export const CONTROL_ABORT = 0;
export const CONTROL_VISITED = 1;
const reportEvery = 512;

/** Reusable single-thread branch-and-bound engine for one model. */
export class BranchAndBound {
  private readonly bounder: Bounder;
  private readonly exact: IntervalBounder;
  private readonly forward: ForwardModel;
  /** The command-rate condition, when the model's delayed command is relative. */
  private readonly rate: CommandRateBounder | undefined;
  private readonly bounds;
  private readonly centre: Float64Array;
  private readonly scale: Float64Array;
  private readonly dims: number;

  constructor(
    private readonly model: LyapunovModel,
    private readonly options: BabOptions,
  ) {
    const n = model.stateDim;
    this.dims = searchDim(model);
    this.bounder = createBounder(model, options.method);
    this.exact = new IntervalBounder(model);
    this.forward = new ForwardModel(model);
    this.rate = commandRateLimit(model) !== undefined ? new CommandRateBounder(model) : undefined;
    this.bounds = createBoxBounds(n, this.dims);
    this.centre = new Float64Array(this.dims);
    this.scale = Float64Array.from({ length: this.dims }, (_, i) => {
      const w =
        i < n
          ? model.spec.boxUp[i]! - model.spec.boxLo[i]!
          : model.uncertainty[i - n]!.up - model.uncertainty[i - n]!.lo;
      return w > 0 ? 1 / w : 0;
    });
  }

  private get condition(): Condition {
    return this.options.condition ?? 'decrease';
  }

  /** Tries the centre of a box as a counterexample; returns it when interval arithmetic confirms. */
  private tryCentre(lo: Float64Array, hi: Float64Array): Counterexample | undefined {
    for (let i = 0; i < this.dims; i++) this.centre[i] = 0.5 * (lo[i]! + hi[i]!);
    const f = this.forward;
    const rho = this.options.rho;
    if (!(f.value(this.centre) <= rho)) return undefined;
    const stayHere = this.condition === 'stay' || f.value(this.centre) < this.model.spec.innerLevel;
    const suspicious =
      (stayHere
        ? f.boxExcess(this.centre) > 0 || f.value(this.nextOf(this.centre)) >= rho
        : f.decrease(this.centre) > 0 || f.boxExcess(this.centre) > 0) ||
      (this.rate !== undefined && commandRateAt(f, this.centre, this.next) > this.rate.limit);
    if (!suspicious) return undefined;
    return confirmCounterexample(
      this.model,
      this.exact,
      this.forward,
      this.centre,
      rho,
      this.condition,
      this.rate,
    );
  }

  private readonly next = new Float64Array(64);
  private nextOf(x: Float64Array): Float64Array {
    this.forward.stepClosedLoop(x, this.next);
    return this.next;
  }

  /**
   * Runs over `region`. With `control` (a shared Int32Array), stops when another thread raises the
   * abort flag and counts boxes into the shared total for the box budget. `onCheckpoint` sees the
   * running totals every `reportEvery` boxes (a run in the calling thread reports progress through
   * it, since no timer can fire while the search holds the thread).
   */
  run(
    region: readonly Box[],
    keepVerified = false,
    control?: Int32Array,
    onCheckpoint?: (stats: Readonly<BabStats>) => void,
  ): BabOutcome {
    const n = this.model.stateDim;
    const dims = this.dims;
    const { rho, minRelativeWidth, maxBoxes, deadline } = this.options;
    const stay = this.condition === 'stay';
    const inner = this.model.spec.innerLevel;
    const slopeSplit = (this.options.split ?? 'slope') === 'slope';
    const { boxLo, boxUp } = this.model.spec;
    const stats = emptyStats();
    const stack: Float64Array[] = region.map((b) => Float64Array.from([...b.lo, ...b.up]));
    const verifiedBoxes: Box[] = [];
    const unknownBoxes: Box[] = [];
    const lo = new Float64Array(dims);
    const hi = new Float64Array(dims);
    const out = this.bounds;
    let stopped: StopReason | undefined;
    // Budgets and the abort flag are checked before the first box and every `reportEvery` boxes.
    let reported = 0;
    let checkAt = 0;
    while (stack.length > 0) {
      if (stats.visited >= checkAt) {
        checkAt = stats.visited + reportEvery;
        if (control) {
          const fresh = stats.visited - reported;
          reported = stats.visited;
          const total = Atomics.add(control, CONTROL_VISITED, fresh) + fresh;
          if (Atomics.load(control, CONTROL_ABORT) !== 0) stopped = 'aborted';
          else if (total >= maxBoxes) stopped = 'box-budget';
        } else if (stats.visited >= maxBoxes) stopped = 'box-budget';
        if (!stopped && deadline !== undefined && Date.now() >= deadline) stopped = 'time-budget';
        if (stopped) break;
        onCheckpoint?.(stats);
      }
      const item = stack.pop()!;
      for (let i = 0; i < dims; i++) {
        lo[i] = item[i]!;
        hi[i] = item[dims + i]!;
      }
      stats.visited++;
      const volume = this.volume(lo, hi);
      if (!this.bounder.bound(lo, hi, rho, out)) {
        stats.outside++;
        stats.outsideVolume += volume;
        continue;
      }
      // Below the inner level only "stay in S" is required; elsewhere the decrease.
      const stayHere = stay || out.vUp < inner;
      let inside = stayHere ? out.vnUp < rho : out.gUp < 0;
      for (let i = 0; i < n && inside; i++) inside = out.xnLo[i]! >= boxLo[i]! && out.xnHi[i]! <= boxUp[i]!;
      if (inside && this.rate) inside = this.rate.upper(lo, hi) <= this.rate.limit;
      if (inside) {
        stats.verified++;
        stats.verifiedVolume += volume;
        if (keepVerified) verifiedBoxes.push({ lo: Array.from(lo), up: Array.from(hi) });
        continue;
      }
      const cex = this.tryCentre(lo, hi);
      if (cex) {
        if (control) Atomics.store(control, CONTROL_ABORT, 1);
        return { status: 'counterexample', stats, counterexample: cex, unknownBoxes };
      }
      let widestRel = -1;
      let widestDim = 0;
      for (let i = 0; i < dims; i++) {
        const w = (hi[i]! - lo[i]!) * this.scale[i]!;
        if (w > widestRel) {
          widestRel = w;
          widestDim = i;
        }
      }
      let split = widestDim;
      if (slopeSplit) {
        // The side along which g's bound varies most; state sides far narrower than the widest
        // state side are left alone so every direction keeps shrinking. (Uncertainty sides are
        // measured against their own intervals, so they are not compared with the state's.)
        let widestState = 0;
        for (let i = 0; i < n; i++) widestState = Math.max(widestState, (hi[i]! - lo[i]!) * this.scale[i]!);
        let best = 0;
        for (let i = 0; i < dims; i++) {
          const rel = (hi[i]! - lo[i]!) * this.scale[i]!;
          if (i < n ? rel < 0.05 * widestState : rel < 1e-6) continue;
          // Halving an uncertainty side rarely tightens much (the worst case sits at its end),
          // so it has to promise twice as much as a state side.
          const s = i < n ? out.gSlope[i]! : 0.5 * out.gSlope[i]!;
          if (s > best) {
            best = s;
            split = i;
          }
        }
      }
      const mid = 0.5 * (lo[split]! + hi[split]!);
      if (widestRel < minRelativeWidth || !(mid > lo[split]! && mid < hi[split]!)) {
        this.markUnknown(stats, unknownBoxes, lo, hi, widestRel, volume);
        continue;
      }
      const left = Float64Array.from(item);
      left[dims + split] = mid;
      item[split] = mid;
      stack.push(left, item);
    }
    if (control && stats.visited > reported) Atomics.add(control, CONTROL_VISITED, stats.visited - reported);
    // Boxes left when a budget ran out (or another thread found a counterexample) are unknown.
    for (const item of stack) {
      for (let i = 0; i < dims; i++) {
        lo[i] = item[i]!;
        hi[i] = item[dims + i]!;
      }
      let widestRel = 0;
      for (let i = 0; i < dims; i++) widestRel = Math.max(widestRel, (hi[i]! - lo[i]!) * this.scale[i]!);
      this.markUnknown(stats, unknownBoxes, lo, hi, widestRel, this.volume(lo, hi));
    }
    const status: BabStatus = stats.unknown > 0 ? 'unknown' : 'verified';
    return {
      status,
      stats,
      unknownBoxes,
      ...(keepVerified ? { verifiedBoxes } : {}),
      ...(stopped ? { stopped } : {}),
    };
  }

  private volume(lo: Float64Array, hi: Float64Array): number {
    let v = 1;
    for (let i = 0; i < this.dims; i++) if (this.scale[i]! > 0) v *= hi[i]! - lo[i]!;
    return v;
  }

  private markUnknown(
    stats: BabStats,
    unknownBoxes: Box[],
    lo: Float64Array,
    hi: Float64Array,
    widestRel: number,
    volume: number,
  ): void {
    stats.unknown++;
    stats.unknownVolume += volume;
    stats.smallestUnknownWidth = Math.min(stats.smallestUnknownWidth, widestRel);
    // Keep a sample for the report; a budget stop can leave many.
    if (unknownBoxes.length < 1000) unknownBoxes.push({ lo: Array.from(lo), up: Array.from(hi) });
  }
}

/** Volume over the dimensions of positive width (a point-valued parameter adds none). */
export function regionVolume(model: LyapunovModel, box: Box): number {
  const n = model.stateDim;
  let v = 1;
  for (let i = 0; i < box.lo.length; i++) {
    const full = i < n ? 1 : model.uncertainty[i - n]!.up - model.uncertainty[i - n]!.lo;
    if (full > 0) v *= box.up[i]! - box.lo[i]!;
  }
  return v;
}

/**
 * Turns a float64 suspicion into a counterexample only if interval arithmetic at x confirms it:
 * the decrease, box or level-set condition, or (with `rate`) the command-rate condition.
 */
export function confirmCounterexample(
  model: LyapunovModel,
  exact: IntervalBounder,
  forward: ForwardModel,
  x: ArrayLike<number>,
  rho: number,
  condition: Condition = 'decrease',
  rate?: CommandRateBounder,
): Counterexample | undefined {
  let reason: Refutation | null = refutePoint(exact, model, x, rho, condition);
  if (!reason && rate && exact.value(x, x).hi <= rho && rate.lowerAt(x) > rate.limit) reason = 'command-rate';
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
