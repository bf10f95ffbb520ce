import { signal } from '../../src/core/spec.ts';
import type { HybridSystem } from './system.ts';

/**
 * A vertical pogo hopper: a point mass m on a massless spring-damper leg (stiffness k, damping c,
 * rest length L0) whose series actuator can lengthen or shorten the leg by ℓ at the bottom of
 * stance (Raibert's thrust). Three phases, each a mode of the hybrid system:
 *
 *   flight (0):       ÿ = −g                                   (the massless leg sits at L0)
 *   compression (1):  m ÿ = k (L0 − y) − c ẏ − m g             (foot on the ground, ẏ < 0)
 *   thrust (2):       m ÿ = k (L0 + ℓ − y) − c ẏ − m g         (ℓ = commanded extension)
 *
 * Guards: touchdown when the body falls to y = L0; bottom of stance when ẏ turns non-negative;
 * lift-off when the leg force k (L0 + ℓ − y) − c ẏ reaches zero (the ground can only push).
 * Reset maps: at lift-off the massless leg returns to its rest length (ℓ ← 0), so a braking
 * command (ℓ < 0) that unloads the leg at once lifts off from the bottom with nothing left.
 *
 * State x = (y, ẏ, ℓ): body height, vertical velocity, actuator extension. Fixed dt; velocity
 * Verlet written out (exact in flight, second order in stance; the damping term uses the
 * predicted velocity). The leg force is continuous at touchdown, so fixed-step guard detection
 * loses no energy there.
 *
 * The Poincaré section is the flight apex: the next apex height after lift-off is exactly
 * y + ẏ²/(2g), so the step-to-step map h_n → h_{n+1} is measured without interpolation error.
 */

export interface HopperParams {
  /** Body mass, kg. */
  readonly mass: number;
  /** Leg stiffness, N/m. */
  readonly stiffness: number;
  /** Leg damping, N·s/m. */
  readonly damping: number;
  /** Leg rest length, m. */
  readonly restLength: number;
  readonly gravity: number;
  readonly dt: number;
  /** Largest actuator extension or retraction |ℓ|, m. */
  readonly maxExtension: number;
  /** Leg compression at which the leg hits its hard stop (a fall), m. */
  readonly stroke: number;
  /** Apex clearance of the foot below which the hopper cannot keep hopping (a fall), m. */
  readonly minClearance: number;
}

export const hopperParams: HopperParams = {
  mass: 5,
  stiffness: 5000,
  damping: 10,
  restLength: 0.5,
  gravity: 9.81,
  dt: 5e-4,
  maxExtension: 0.08,
  stroke: 0.13,
  minClearance: 0.05,
};

export const FLIGHT = 0;
export const COMPRESSION = 1;
export const THRUST = 2;

export function validateHopperParams(p: HopperParams): void {
  for (const [key, value] of Object.entries(p)) {
    // A lossless leg (damping 0) is allowed: it is how energy conservation is tested.
    const ok = key === 'damping' ? value >= 0 : value > 0;
    if (!(Number.isFinite(value) && ok))
      throw new RangeError(
        `hopper: ${key} must be a ${key === 'damping' ? 'non-negative' : 'positive'} finite number, got ${value}`,
      );
  }
  if (p.stroke >= p.restLength)
    throw new RangeError(`hopper: stroke ${p.stroke} must be below the rest length ${p.restLength}`);
}

/** Vertical acceleration in a mode; `extension` is only felt in thrust. */
function acceleration(p: HopperParams, mode: number, y: number, v: number, extension: number): number {
  if (mode === FLIGHT) return -p.gravity;
  const rest = mode === THRUST ? p.restLength + extension : p.restLength;
  return (p.stiffness * (rest - y) - p.damping * v) / p.mass - p.gravity;
}

/** One fixed step of velocity Verlet; writes (y, ẏ, ℓ) into `out`. */
export function hopperStep(
  p: HopperParams,
  mode: number,
  x: ArrayLike<number>,
  u: number,
  out: Float64Array,
) {
  const y = x[0]!;
  const v = x[1]!;
  const extension = mode === THRUST ? u : 0;
  const dt = p.dt;
  const a = acceleration(p, mode, y, v, extension);
  const yNext = y + v * dt + 0.5 * a * dt * dt;
  const aNext = acceleration(p, mode, yNext, v + a * dt, extension);
  out[0] = yNext;
  out[1] = v + 0.5 * (a + aNext) * dt;
  out[2] = extension;
}

/** The mode the state forces, or −1: touchdown, bottom of stance, lift-off. */
export function hopperGuard(p: HopperParams, mode: number, x: ArrayLike<number>): number {
  const y = x[0]!;
  const v = x[1]!;
  if (mode === FLIGHT) return y <= p.restLength && v < 0 ? COMPRESSION : -1;
  if (mode === COMPRESSION) return v >= 0 ? THRUST : -1;
  return p.stiffness * (p.restLength + x[2]! - y) - p.damping * v <= 0 ? FLIGHT : -1;
}

/** Total mechanical energy (body kinetic + gravity + leg spring), J; zero height at the ground. */
export function hopperEnergy(p: HopperParams, mode: number, x: ArrayLike<number>): number {
  const y = x[0]!;
  const v = x[1]!;
  const rest = p.restLength + (mode === THRUST ? x[2]! : 0);
  const spring = mode === FLIGHT ? 0 : 0.5 * p.stiffness * Math.max(0, rest - y) ** 2;
  return 0.5 * p.mass * v * v + p.mass * p.gravity * y + spring;
}

/** The hopper as a hybrid system for `hybrid-sim`: modes are forced by the guards only. */
export function hopperSystem(p: HopperParams = hopperParams): HybridSystem {
  validateHopperParams(p);
  const limit = { uLo: -p.maxExtension, uUp: p.maxExtension };
  return {
    name: 'pogo-hopper',
    dt: p.dt,
    state: [signal('body.height', 'm'), signal('body.vel', 'm/s'), signal('leg.extension', 'm')],
    input: signal('leg.extension.command', 'm', -p.maxExtension, p.maxExtension),
    modes: [
      { name: 'flight', ...limit },
      { name: 'compression', ...limit },
      { name: 'thrust', ...limit },
    ],
    commandedModes: false,
    step: (mode, x, u, out) => hopperStep(p, mode, x, u, out),
    guard: (mode, x) => hopperGuard(p, mode, x),
    reset(_from, to, x) {
      if (to === FLIGHT) x[2] = 0;
    },
  };
}

/** How a hop ended. */
export const HopOutcome = {
  ok: 0,
  /** The leg hit its hard stop during compression. */
  bottomedOut: 1,
  /** The apex after lift-off leaves less foot clearance than `minClearance`. */
  stalled: 2,
} as const;
export type HopOutcome = (typeof HopOutcome)[keyof typeof HopOutcome];

/**
 * The apex-to-apex (Poincaré) map, run on the hybrid system's own step, guard and reset:
 * from rest at apex height h in flight, through touchdown, compression, thrust with extension u
 * and lift-off, to the next apex. Allocates nothing; the last hop's details are kept in fields.
 */
export class HopperReturnMap {
  private readonly x = new Float64Array(3);
  private readonly next = new Float64Array(3);
  /** Lowest body height of the last hop (deepest compression). */
  bottom = 0;
  /** Fixed steps the last hop took. */
  steps = 0;
  outcome: HopOutcome = HopOutcome.ok;

  constructor(readonly params: HopperParams = hopperParams) {
    validateHopperParams(params);
  }

  /** Next apex height; NaN when the hop falls (see `outcome`). A non-finite input falls too. */
  hop(apex: number, extension: number): number {
    const p = this.params;
    const u = Math.min(p.maxExtension, Math.max(-p.maxExtension, extension));
    const floor = p.restLength - p.stroke;
    this.steps = 0;
    this.bottom = apex;
    if (!(Number.isFinite(apex) && Number.isFinite(u)) || apex < p.restLength + p.minClearance) {
      this.outcome = HopOutcome.stalled;
      return Number.NaN;
    }
    const x = this.x;
    x[0] = apex;
    x[1] = 0;
    x[2] = 0;
    let mode: number = FLIGHT;
    // A hop is bounded: far more steps than any hop in the gait range needs.
    const maxSteps = Math.ceil(20 / p.dt);
    while (this.steps < maxSteps) {
      hopperStep(p, mode, x, u, this.next);
      x.set(this.next);
      this.steps++;
      if (x[0]! < this.bottom) this.bottom = x[0]!;
      if (this.bottom < floor) {
        this.outcome = HopOutcome.bottomedOut;
        return Number.NaN;
      }
      const forced = hopperGuard(p, mode, x);
      if (forced < 0) continue;
      if (forced === FLIGHT) {
        x[2] = 0;
        const next = x[1]! > 0 ? x[0]! + (x[1]! * x[1]!) / (2 * p.gravity) : x[0]!;
        if (next < p.restLength + p.minClearance) {
          this.outcome = HopOutcome.stalled;
          return Number.NaN;
        }
        this.outcome = HopOutcome.ok;
        return next;
      }
      mode = forced;
    }
    this.outcome = HopOutcome.stalled;
    return Number.NaN;
  }
}
