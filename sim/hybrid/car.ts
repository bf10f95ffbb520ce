import { Rng } from '../../src/core/rng.ts';
import { signal } from '../../src/core/spec.ts';
import type { HybridSystem } from './system.ts';

/**
 * A car following a random polyline of road segments whose friction switches at the vertices.
 * Each segment is an arc of radius 10 m driven at 2 m/s (the path-tracking setting of the
 * published models), so the per-segment error dynamics in x = (d_e, θ_e) are exactly
 *   ḋ_e = v sin θ_e,   θ̇_e = v u / L − cos θ_e / (r/v − sin θ_e)     (explicit Euler, dt 0.05).
 * Friction bounds the steering input (|u| ≤ 0.84 on dry road, ≤ 0.5 on ice: less lateral grip).
 * At a vertex the road heading jumps by Δψ, a reset map θ_e ← θ_e − Δψ; the lateral error carries
 * over (the kink is at the vertex itself). Progress along a segment is s⁺ = s + dt·v·cos θ_e.
 */

export interface RoadSegment {
  readonly length: number;
  /** 0 = dry (high friction, μ = 1.0), 1 = icy (low friction, μ = 0.1). */
  readonly mode: number;
  /** Heading jump entering this segment (0 for the first). */
  readonly kink: number;
}

export interface CarParams {
  readonly speed: number;
  readonly length: number;
  readonly radius: number;
  readonly dt: number;
  /** Steering limit per friction mode. */
  readonly uLimit: readonly [number, number];
}

export const carParams: CarParams = { speed: 2, length: 1, radius: 10, dt: 0.05, uLimit: [0.84, 0.5] };

/** A random 10-segment map: lengths 6–16 m, kinks up to ±maxKink rad, friction drawn per segment. */
export function randomRoad(seed: number, segments = 10, maxKink = 1.2): RoadSegment[] {
  const rng = new Rng(seed);
  return Array.from({ length: segments }, (_, k) => ({
    length: rng.range(6, 16),
    mode: rng.int(2),
    kink: k === 0 ? 0 : rng.range(-maxKink, maxKink),
  }));
}

/** One step of the error dynamics with the steering already clamped to the mode's limit. */
export function carStep(p: CarParams, x: ArrayLike<number>, u: number, out: Float64Array): void {
  const d = x[0]!;
  const th = x[1]!;
  out[0] = d + p.dt * p.speed * Math.sin(th);
  out[1] = th + p.dt * ((p.speed * u) / p.length - Math.cos(th) / (p.radius / p.speed - Math.sin(th)));
}

/** The reset map at a vertex with heading jump `kink`. */
export function carReset(kink: number, x: Float64Array): void {
  x[1] = x[1]! - kink;
}

/**
 * The road as a hybrid system for the `hybrid-sim` robot: state (d_e, θ_e, s) with s the progress
 * along the current segment; the vertex guard forces the next segment's friction mode and applies
 * the heading-jump reset (and s ← 0). The last segment never ends.
 */
export function carRoadSystem(road: readonly RoadSegment[], p: CarParams = carParams): HybridSystem {
  let segment = 0;
  return {
    name: 'car-friction-road',
    dt: p.dt,
    state: [signal('lateral.error', 'm'), signal('heading.error', 'rad'), signal('progress', 'm')],
    input: signal('steering', '1', -p.uLimit[0], p.uLimit[0]),
    modes: [
      { name: 'dry', uLo: -p.uLimit[0], uUp: p.uLimit[0] },
      { name: 'icy', uLo: -p.uLimit[1], uUp: p.uLimit[1] },
    ],
    commandedModes: false,
    // Between vertices; the heading-jump reset at a vertex is not part of these equations.
    equations: { system: 'path_tracking', speed: p.speed, length: p.length, radius: p.radius, dt: p.dt },
    restart() {
      segment = 0;
    },
    step(_mode, x, u, out) {
      carStep(p, x, u, out);
      out[2] = x[2]! + p.dt * p.speed * Math.cos(x[1]!);
    },
    guard(_mode, x) {
      const next = road[segment + 1];
      if (!next || x[2]! < road[segment]!.length) return -1;
      return next.mode;
    },
    reset(_from, _to, x) {
      segment++;
      carReset(road[segment]!.kink, x);
      x[2] = 0;
    },
  };
}
