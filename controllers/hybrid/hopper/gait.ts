import { type HopperParams, HopperReturnMap, hopperParams } from '../../../sim/hybrid/hopper.ts';
import { Rng } from '../../../src/core/rng.ts';

/**
 * Per-gait controllers and Lyapunov functions for the pogo hopper on its apex-to-apex map
 * h_{n+1} = P(h_n, u_n). A gait is a target apex height h*. Its controller sets the leg
 * extension for the next stance from the last apex:
 *
 *   u_n = clamp(u* + K (h* − h_n), −u_max, u_max),   P(h*, u*) = h*,
 *
 * with K placing the linearised closed loop h_{n+1} − h* ≈ (a − b K)(h_n − h*) at the multiplier λ
 * (a = ∂P/∂h, b = ∂P/∂u by central differences). The Lyapunov function is the quadratic of the
 * linearised return map, V(h) = p (h − h*)² with p = 1/((1 − λ²) s²) (the scalar discrete
 * Lyapunov equation, scaled so V = 1 at |h − h*| = s·√(1/(1 − λ²))).
 *
 * The region-of-attraction level c is the seed paper's **sampled** level (Meng & Fan 2023):
 *   c = min( max V(h₀) over rollouts judged stable,  min V(h₀) over rollouts judged unstable ),
 * from uniformly sampled starting apexes. It is sampled, not verified: sampling only refutes.
 * The return map is a fixed-step simulation with guards, which the sound verifier in
 * src/verification cannot bound, so no level here is a proof.
 */

export interface GaitDesignConfig {
  /** Closed-loop multiplier of the linearised apex map (0 = deadbeat). */
  readonly multiplier: number;
  /** Scale s of V, m. */
  readonly valueScale: number;
  /** Sampled level: starting apexes drawn uniformly from this range, m. */
  readonly sampleRange: readonly [number, number];
  readonly samples: number;
  /** A rollout is stable when it ends within `tolerance` of h* after `hops` hops without falling. */
  readonly hops: number;
  readonly tolerance: number;
  readonly seed: number;
}

export const defaultGaitDesign: GaitDesignConfig = {
  multiplier: 0,
  valueScale: 0.01,
  sampleRange: [0.53, 1.2],
  samples: 200,
  hops: 5,
  tolerance: 0.01,
  seed: 7,
};

export interface Gait {
  /** Target apex height h*, m. */
  readonly apex: number;
  /** Leg extension of the periodic hop at h*, m. */
  readonly feedforward: number;
  readonly gain: number;
  /** p in V(h) = p (h − h*)². */
  readonly valueWeight: number;
  /** Sampled (not verified) region-of-attraction level of V. */
  readonly sampledLevel: number;
  /** Sensitivities of the return map at (h*, u*). */
  readonly slopeApex: number;
  readonly slopeInput: number;
}

/** The gait's leg-extension command after an apex at height h; non-finite h gives the safe 0. */
export function gaitControl(gait: Gait, apex: number, maxExtension: number): number {
  if (!Number.isFinite(apex)) return 0;
  const u = gait.feedforward + gait.gain * (gait.apex - apex);
  return Math.min(maxExtension, Math.max(-maxExtension, u));
}

export function gaitValue(gait: Gait, apex: number): number {
  const e = apex - gait.apex;
  return gait.valueWeight * e * e;
}

/** Extension u* with P(h*, u*) = h*, by bisection (P increases with u). */
function periodicExtension(map: HopperReturnMap, apex: number): number {
  const p = map.params;
  const residual = (u: number) => map.hop(apex, u) - apex;
  let lo = -p.maxExtension;
  let hi = p.maxExtension;
  if (!(residual(hi) > 0))
    throw new RangeError(`gait ${apex} m: even full extension ${hi} m cannot sustain this apex height`);
  // A fall at full retraction counts as "below": retraction only removes energy.
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

/** Designs the controller and quadratic V of one gait; the sampled level comes separately. */
export function designGait(
  apex: number,
  params: HopperParams = hopperParams,
  config: GaitDesignConfig = defaultGaitDesign,
  map: HopperReturnMap = new HopperReturnMap(params),
): Gait {
  if (!(apex > params.restLength + params.minClearance))
    throw new RangeError(
      `gait apex ${apex} m must exceed rest length + clearance (${params.restLength + params.minClearance} m)`,
    );
  const feedforward = periodicExtension(map, apex);
  // Wide differences: fixed-step guard detection makes P piecewise smooth at the scale of dt.
  const dh = 0.02;
  const du = 0.002;
  // One-sided near the stall threshold, where apex − dh would not hop at all.
  const below = Math.max(apex - dh, params.restLength + params.minClearance + 1e-3);
  const slopeApex = (map.hop(apex + dh, feedforward) - map.hop(below, feedforward)) / (apex + dh - below);
  const slopeInput = (map.hop(apex, feedforward + du) - map.hop(apex, feedforward - du)) / (2 * du);
  if (!(Number.isFinite(slopeApex) && Number.isFinite(slopeInput) && slopeInput > 0))
    throw new RangeError(`gait ${apex} m: the return map has no usable linearisation there`);
  const lambda = config.multiplier;
  const gait: Gait = {
    apex,
    feedforward,
    gain: (slopeApex - lambda) / slopeInput,
    valueWeight: 1 / ((1 - lambda * lambda) * config.valueScale * config.valueScale),
    sampledLevel: Number.NaN,
    slopeApex,
    slopeInput,
  };
  return { ...gait, sampledLevel: sampledGaitLevel(gait, map, config) };
}

/**
 * Rolls the gait's closed loop for `hops` apexes from h₀; returns the last apex, NaN on a fall.
 * Allocation-free.
 */
export function rolloutGait(gait: Gait, map: HopperReturnMap, apex: number, hops: number): number {
  let h = apex;
  const limit = map.params.maxExtension;
  for (let k = 0; k < hops && Number.isFinite(h); k++) h = map.hop(h, gaitControl(gait, h, limit));
  return h;
}

/** The seed paper's sampled level c of one gait (sampled, not verified). */
export function sampledGaitLevel(gait: Gait, map: HopperReturnMap, config: GaitDesignConfig): number {
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

/**
 * Gaits designed on a grid of apex heights. Between grid points a gait is the linear
 * interpolation of its neighbours' feedforward, gain, weight and sampled level (the seed paper
 * learns c as a function of the mode parameters with a second network; interpolation plays that
 * part here, and is just as unverified).
 */
export class GaitLibrary {
  readonly gaits: readonly Gait[];

  constructor(
    apexes: readonly number[],
    readonly params: HopperParams = hopperParams,
    readonly config: GaitDesignConfig = defaultGaitDesign,
  ) {
    if (apexes.length === 0) throw new RangeError('GaitLibrary: give at least one apex height');
    for (let i = 1; i < apexes.length; i++)
      if (!(apexes[i]! > apexes[i - 1]!))
        throw new RangeError(
          `GaitLibrary: apex heights must increase, got ${apexes[i - 1]} then ${apexes[i]}`,
        );
    const map = new HopperReturnMap(params);
    this.gaits = apexes.map((h) => designGait(h, params, config, map));
  }

  get lowest(): number {
    return this.gaits[0]!.apex;
  }
  get highest(): number {
    return this.gaits[this.gaits.length - 1]!.apex;
  }

  /** The gait at apex h (interpolated between grid gaits; clamped to the grid's range). */
  at(apex: number): Gait {
    const gs = this.gaits;
    if (apex <= gs[0]!.apex) return gs[0]!;
    for (let i = 1; i < gs.length; i++) {
      const b = gs[i]!;
      if (apex > b.apex) continue;
      const a = gs[i - 1]!;
      if (apex === b.apex) return b;
      const t = (apex - a.apex) / (b.apex - a.apex);
      const mix = (x: number, y: number) => x + t * (y - x);
      return {
        apex,
        feedforward: mix(a.feedforward, b.feedforward),
        gain: mix(a.gain, b.gain),
        valueWeight: mix(a.valueWeight, b.valueWeight),
        sampledLevel: mix(a.sampledLevel, b.sampledLevel),
        slopeApex: mix(a.slopeApex, b.slopeApex),
        slopeInput: mix(a.slopeInput, b.slopeInput),
      };
    }
    return gs[gs.length - 1]!;
  }
}
