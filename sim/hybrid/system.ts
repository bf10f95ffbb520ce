import { type SignalSpec, signal } from '../../src/core/spec.ts';

/**
 * Pure-TypeScript discrete-time hybrid systems: modes, per-mode dynamics x⁺ = f_m(x, u), guards
 * that force a switch, and reset maps applied at a switch. `step` writes into a caller-owned array
 * and allocates nothing.
 */

export interface HybridMode {
  readonly name: string;
  /** Actuator limits in this mode; commands are clamped to them (the plant, not the controller). */
  readonly uLo: number;
  readonly uUp: number;
}

export interface HybridSystem {
  readonly name: string;
  readonly dt: number;
  readonly state: readonly SignalSpec[];
  readonly input: SignalSpec;
  readonly modes: readonly HybridMode[];
  /** One step in mode `mode`; `u` is already clamped to the mode's limits. */
  step(mode: number, x: Float64Array, u: number, out: Float64Array): void;
  /** A mode the state forces (e.g. an impact, possibly the current one again), or −1. */
  guard?(mode: number, x: Float64Array): number;
  /** Applied in place when switching from `from` to `to`. */
  reset?(from: number, to: number, x: Float64Array): void;
  /** False when the plant's mode is set by guards only and mode commands are ignored. */
  readonly commandedModes?: boolean;
  /** Forget internal state (e.g. the road segment) before a new run. */
  restart?(): void;
  /**
   * The per-mode equations `step` integrates, in the verifier's terms (system and parameters), so a
   * certificate proved for exactly these dynamics can be matched with this plant.
   */
  readonly equations?: Readonly<Record<string, number | string>>;
}

export interface PendulumParams {
  readonly m: number;
  readonly l: number;
  readonly beta: number;
  readonly g: number;
  readonly dt: number;
}

/** The pendulum of the published Yang et al. models (θ = 0 upright, explicit Euler). */
export const yangPendulum: PendulumParams = { m: 0.15, l: 0.5, beta: 0.1, g: 9.81, dt: 0.05 };

/**
 * Inverted pendulum whose drive has torque-limit modes, e.g. full power and a derated (thermal
 * or low-battery) mode. The dynamics are the same in every mode; the reachable torque is not, so
 * a state that full torque can catch may be outside what the derated drive is certified for.
 */
export function torqueModePendulum(
  modes: readonly HybridMode[],
  p: PendulumParams = yangPendulum,
): HybridSystem {
  if (modes.length === 0) throw new RangeError('torqueModePendulum: give at least one mode');
  for (const m of modes)
    if (!(m.uLo < m.uUp)) throw new RangeError(`mode ${m.name}: uLo ${m.uLo} must be below uUp ${m.uUp}`);
  const ml2 = p.m * p.l * p.l;
  return {
    name: 'pendulum-torque-modes',
    dt: p.dt,
    state: [signal('theta', 'rad'), signal('theta.vel', 'rad/s')],
    input: signal(
      'torque',
      'N*m',
      Math.min(...modes.map((m) => m.uLo)),
      Math.max(...modes.map((m) => m.uUp)),
    ),
    modes,
    equations: { system: 'pendulum', m: p.m, l: p.l, beta: p.beta, g: p.g, dt: p.dt },
    step(_mode, x, u, out) {
      const theta = x[0]!;
      const omega = x[1]!;
      const acc = -(p.beta / ml2) * omega + (p.g / p.l) * Math.sin(theta) + u / ml2;
      out[0] = theta + p.dt * omega;
      out[1] = omega + p.dt * acc;
    },
  };
}
