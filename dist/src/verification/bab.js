// Compiled from src/verification/bab.ts by `npm run build`: edit the source, not this file.

// src/verification/bab.ts
import {
  createBounder,
  createBoxBounds,
  IntervalBounder,
  refutePoint
} from "./bounds.js";
import { CommandRateBounder, commandRateAt, commandRateLimit } from "./command-rate.js";
import { ForwardModel } from "./forward.js";
import { searchDim } from "./model.js";
var defaultBabOptions = {
  method: "linear",
  minRelativeWidth: 1e-7,
  maxBoxes: 5e7
};
function emptyStats() {
  return {
    visited: 0,
    verified: 0,
    outside: 0,
    unknown: 0,
    smallestUnknownWidth: 1,
    verifiedVolume: 0,
    outsideVolume: 0,
    unknownVolume: 0
  };
}
function mergeStats(into, from) {
  into.visited += from.visited;
  into.verified += from.verified;
  into.outside += from.outside;
  into.unknown += from.unknown;
  into.smallestUnknownWidth = Math.min(into.smallestUnknownWidth, from.smallestUnknownWidth);
  into.verifiedVolume += from.verifiedVolume;
  into.outsideVolume += from.outsideVolume;
  into.unknownVolume += from.unknownVolume;
}
var CONTROL_ABORT = 0;
var CONTROL_VISITED = 1;
var reportEvery = 512;
var BranchAndBound = class {
  constructor(model, options) {
    this.model = model;
    this.options = options;
    const n = model.stateDim;
    this.dims = searchDim(model);
    this.bounder = createBounder(model, options.method);
    this.exact = new IntervalBounder(model);
    this.forward = new ForwardModel(model);
    this.rate = commandRateLimit(model) !== void 0 ? new CommandRateBounder(model) : void 0;
    this.bounds = createBoxBounds(n, this.dims);
    this.centre = new Float64Array(this.dims);
    this.scale = Float64Array.from({ length: this.dims }, (_, i) => {
      const w = i < n ? model.spec.boxUp[i] - model.spec.boxLo[i] : model.uncertainty[i - n].up - model.uncertainty[i - n].lo;
      return w > 0 ? 1 / w : 0;
    });
  }
  model;
  options;
  bounder;
  exact;
  forward;
  /** The command-rate condition, when the model's delayed command is relative. */
  rate;
  bounds;
  centre;
  scale;
  dims;
  get condition() {
    return this.options.condition ?? "decrease";
  }
  /** Tries the centre of a box as a counterexample; returns it when interval arithmetic confirms. */
  tryCentre(lo, hi) {
    for (let i = 0; i < this.dims; i++) this.centre[i] = 0.5 * (lo[i] + hi[i]);
    const f = this.forward;
    const rho = this.options.rho;
    if (!(f.value(this.centre) <= rho)) return void 0;
    const stayHere = this.condition === "stay" || f.value(this.centre) < this.model.spec.innerLevel;
    const suspicious = (stayHere ? f.boxExcess(this.centre) > 0 || f.value(this.nextOf(this.centre)) >= rho : f.decrease(this.centre) > 0 || f.boxExcess(this.centre) > 0) || this.rate !== void 0 && commandRateAt(f, this.centre, this.next) > this.rate.limit;
    if (!suspicious) return void 0;
    return confirmCounterexample(
      this.model,
      this.exact,
      this.forward,
      this.centre,
      rho,
      this.condition,
      this.rate
    );
  }
  next = new Float64Array(64);
  nextOf(x) {
    this.forward.stepClosedLoop(x, this.next);
    return this.next;
  }
  /**
   * Runs over `region`. With `control` (a shared Int32Array), stops when another thread raises the
   * abort flag and counts boxes into the shared total for the box budget. `onCheckpoint` sees the
   * running totals every `reportEvery` boxes (a run in the calling thread reports progress through
   * it, since no timer can fire while the search holds the thread).
   */
  run(region, keepVerified = false, control, onCheckpoint) {
    const n = this.model.stateDim;
    const dims = this.dims;
    const { rho, minRelativeWidth, maxBoxes, deadline } = this.options;
    const stay = this.condition === "stay";
    const inner = this.model.spec.innerLevel;
    const slopeSplit = (this.options.split ?? "slope") === "slope";
    const { boxLo, boxUp } = this.model.spec;
    const stats = emptyStats();
    const stack = region.map((b) => Float64Array.from([...b.lo, ...b.up]));
    const verifiedBoxes = [];
    const unknownBoxes = [];
    const lo = new Float64Array(dims);
    const hi = new Float64Array(dims);
    const out = this.bounds;
    let stopped;
    let reported = 0;
    let checkAt = 0;
    while (stack.length > 0) {
      if (stats.visited >= checkAt) {
        checkAt = stats.visited + reportEvery;
        if (control) {
          const fresh = stats.visited - reported;
          reported = stats.visited;
          const total = Atomics.add(control, CONTROL_VISITED, fresh) + fresh;
          if (Atomics.load(control, CONTROL_ABORT) !== 0) stopped = "aborted";
          else if (total >= maxBoxes) stopped = "box-budget";
        } else if (stats.visited >= maxBoxes) stopped = "box-budget";
        if (!stopped && deadline !== void 0 && Date.now() >= deadline) stopped = "time-budget";
        if (stopped) break;
        onCheckpoint?.(stats);
      }
      const item = stack.pop();
      for (let i = 0; i < dims; i++) {
        lo[i] = item[i];
        hi[i] = item[dims + i];
      }
      stats.visited++;
      const volume = this.volume(lo, hi);
      if (!this.bounder.bound(lo, hi, rho, out)) {
        stats.outside++;
        stats.outsideVolume += volume;
        continue;
      }
      const stayHere = stay || out.vUp < inner;
      let inside = stayHere ? out.vnUp < rho : out.gUp < 0;
      for (let i = 0; i < n && inside; i++) inside = out.xnLo[i] >= boxLo[i] && out.xnHi[i] <= boxUp[i];
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
        return { status: "counterexample", stats, counterexample: cex, unknownBoxes };
      }
      let widestRel = -1;
      let widestDim = 0;
      for (let i = 0; i < dims; i++) {
        const w = (hi[i] - lo[i]) * this.scale[i];
        if (w > widestRel) {
          widestRel = w;
          widestDim = i;
        }
      }
      let split = widestDim;
      if (slopeSplit) {
        let widestState = 0;
        for (let i = 0; i < n; i++) widestState = Math.max(widestState, (hi[i] - lo[i]) * this.scale[i]);
        let best = 0;
        for (let i = 0; i < dims; i++) {
          const rel = (hi[i] - lo[i]) * this.scale[i];
          if (i < n ? rel < 0.05 * widestState : rel < 1e-6) continue;
          const s = i < n ? out.gSlope[i] : 0.5 * out.gSlope[i];
          if (s > best) {
            best = s;
            split = i;
          }
        }
      }
      const mid = 0.5 * (lo[split] + hi[split]);
      if (widestRel < minRelativeWidth || !(mid > lo[split] && mid < hi[split])) {
        this.markUnknown(stats, unknownBoxes, lo, hi, widestRel, volume);
        continue;
      }
      const left = Float64Array.from(item);
      left[dims + split] = mid;
      item[split] = mid;
      stack.push(left, item);
    }
    if (control && stats.visited > reported) Atomics.add(control, CONTROL_VISITED, stats.visited - reported);
    for (const item of stack) {
      for (let i = 0; i < dims; i++) {
        lo[i] = item[i];
        hi[i] = item[dims + i];
      }
      let widestRel = 0;
      for (let i = 0; i < dims; i++) widestRel = Math.max(widestRel, (hi[i] - lo[i]) * this.scale[i]);
      this.markUnknown(stats, unknownBoxes, lo, hi, widestRel, this.volume(lo, hi));
    }
    const status = stats.unknown > 0 ? "unknown" : "verified";
    return {
      status,
      stats,
      unknownBoxes,
      ...keepVerified ? { verifiedBoxes } : {},
      ...stopped ? { stopped } : {}
    };
  }
  volume(lo, hi) {
    let v = 1;
    for (let i = 0; i < this.dims; i++) if (this.scale[i] > 0) v *= hi[i] - lo[i];
    return v;
  }
  markUnknown(stats, unknownBoxes, lo, hi, widestRel, volume) {
    stats.unknown++;
    stats.unknownVolume += volume;
    stats.smallestUnknownWidth = Math.min(stats.smallestUnknownWidth, widestRel);
    if (unknownBoxes.length < 1e3) unknownBoxes.push({ lo: Array.from(lo), up: Array.from(hi) });
  }
};
function regionVolume(model, box) {
  const n = model.stateDim;
  let v = 1;
  for (let i = 0; i < box.lo.length; i++) {
    const full = i < n ? 1 : model.uncertainty[i - n].up - model.uncertainty[i - n].lo;
    if (full > 0) v *= box.up[i] - box.lo[i];
  }
  return v;
}
function confirmCounterexample(model, exact, forward, x, rho, condition = "decrease", rate) {
  let reason = refutePoint(exact, model, x, rho, condition);
  if (!reason && rate && exact.value(x, x).hi <= rho && rate.lowerAt(x) > rate.limit) reason = "command-rate";
  if (!reason) return void 0;
  const next = new Float64Array(model.stateDim);
  forward.stepClosedLoop(x, next);
  return {
    x: Array.from(x),
    reason,
    value: forward.value(x),
    decrease: forward.decrease(x),
    next: Array.from(next)
  };
}
export {
  BranchAndBound,
  CONTROL_ABORT,
  CONTROL_VISITED,
  confirmCounterexample,
  defaultBabOptions,
  emptyStats,
  mergeStats,
  regionVolume
};
