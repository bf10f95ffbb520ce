// Compiled from controllers/hybrid/hopper/gait.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/hopper/gait.ts
import { HopperReturnMap, hopperParams } from "../../../sim/hybrid/hopper.js";
import { Rng } from "../../../src/core/rng.js";
var defaultGaitDesign = {
  multiplier: 0,
  valueScale: 0.01,
  sampleRange: [0.53, 1.2],
  samples: 200,
  hops: 5,
  tolerance: 0.01,
  seed: 7
};
function gaitControl(gait, apex, maxExtension) {
  if (!Number.isFinite(apex)) return 0;
  const u = gait.feedforward + gait.gain * (gait.apex - apex);
  return Math.min(maxExtension, Math.max(-maxExtension, u));
}
function gaitValue(gait, apex) {
  const e = apex - gait.apex;
  return gait.valueWeight * e * e;
}
function periodicExtension(map, apex) {
  const p = map.params;
  const residual = (u) => map.hop(apex, u) - apex;
  let lo = -p.maxExtension;
  let hi = p.maxExtension;
  if (!(residual(hi) > 0))
    throw new RangeError(`gait ${apex} m: even full extension ${hi} m cannot sustain this apex height`);
  const low = residual(lo);
  if (low > 0) throw new RangeError(`gait ${apex} m: even full retraction ${lo} m overshoots this apex`);
  for (let i = 0; i < 40; i++) {
    const mid = 0.5 * (lo + hi);
    const r = residual(mid);
    if (r > 0) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}
function designGait(apex, params = hopperParams, config = defaultGaitDesign, map = new HopperReturnMap(params)) {
  if (!(apex > params.restLength + params.minClearance))
    throw new RangeError(
      `gait apex ${apex} m must exceed rest length + clearance (${params.restLength + params.minClearance} m)`
    );
  const feedforward = periodicExtension(map, apex);
  const dh = 0.02;
  const du = 2e-3;
  const below = Math.max(apex - dh, params.restLength + params.minClearance + 1e-3);
  const slopeApex = (map.hop(apex + dh, feedforward) - map.hop(below, feedforward)) / (apex + dh - below);
  const slopeInput = (map.hop(apex, feedforward + du) - map.hop(apex, feedforward - du)) / (2 * du);
  if (!(Number.isFinite(slopeApex) && Number.isFinite(slopeInput) && slopeInput > 0))
    throw new RangeError(`gait ${apex} m: the return map has no usable linearisation there`);
  const lambda = config.multiplier;
  const gait = {
    apex,
    feedforward,
    gain: (slopeApex - lambda) / slopeInput,
    valueWeight: 1 / ((1 - lambda * lambda) * config.valueScale * config.valueScale),
    sampledLevel: Number.NaN,
    slopeApex,
    slopeInput
  };
  return { ...gait, sampledLevel: sampledGaitLevel(gait, map, config) };
}
function rolloutGait(gait, map, apex, hops) {
  let h = apex;
  const limit = map.params.maxExtension;
  for (let k = 0; k < hops && Number.isFinite(h); k++) h = map.hop(h, gaitControl(gait, h, limit));
  return h;
}
function sampledGaitLevel(gait, map, config) {
  const rng = new Rng(config.seed);
  const [lo, hi] = config.sampleRange;
  let maxStable = 0;
  let minUnstable = Number.POSITIVE_INFINITY;
  for (let s = 0; s < config.samples; s++) {
    const h0 = rng.range(lo, hi);
    const v0 = gaitValue(gait, h0);
    const end = rolloutGait(gait, map, h0, config.hops);
    if (Math.abs(end - gait.apex) < config.tolerance) maxStable = Math.max(maxStable, v0);
    else minUnstable = Math.min(minUnstable, v0);
  }
  return Math.min(maxStable, minUnstable);
}
var GaitLibrary = class {
  constructor(apexes, params = hopperParams, config = defaultGaitDesign) {
    this.params = params;
    this.config = config;
    if (apexes.length === 0) throw new RangeError("GaitLibrary: give at least one apex height");
    for (let i = 1; i < apexes.length; i++)
      if (!(apexes[i] > apexes[i - 1]))
        throw new RangeError(
          `GaitLibrary: apex heights must increase, got ${apexes[i - 1]} then ${apexes[i]}`
        );
    const map = new HopperReturnMap(params);
    this.gaits = apexes.map((h) => designGait(h, params, config, map));
  }
  params;
  config;
  gaits;
  get lowest() {
    return this.gaits[0].apex;
  }
  get highest() {
    return this.gaits[this.gaits.length - 1].apex;
  }
  /** The gait at apex h (interpolated between grid gaits; clamped to the grid's range). */
  at(apex) {
    const gs = this.gaits;
    if (apex <= gs[0].apex) return gs[0];
    for (let i = 1; i < gs.length; i++) {
      const b = gs[i];
      if (apex > b.apex) continue;
      const a = gs[i - 1];
      if (apex === b.apex) return b;
      const t = (apex - a.apex) / (b.apex - a.apex);
      const mix = (x, y) => x + t * (y - x);
      return {
        apex,
        feedforward: mix(a.feedforward, b.feedforward),
        gain: mix(a.gain, b.gain),
        valueWeight: mix(a.valueWeight, b.valueWeight),
        sampledLevel: mix(a.sampledLevel, b.sampledLevel),
        slopeApex: mix(a.slopeApex, b.slopeApex),
        slopeInput: mix(a.slopeInput, b.slopeInput)
      };
    }
    return gs[gs.length - 1];
  }
};
export {
  GaitLibrary,
  defaultGaitDesign,
  designGait,
  gaitControl,
  gaitValue,
  rolloutGait,
  sampledGaitLevel
};
