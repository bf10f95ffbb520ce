import { z } from 'zod';
import { SimModel } from '../../sim/model.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { AffineControlLaw, Controller, ControllerContext } from '../../src/core/controller.ts';
import { add, diagonal, maxAbs, multiply, solve, subtract, transpose } from './linalg.ts';
import { holdOverSteps, type LinearModel, linearizePhysicsStep } from './linearize.ts';

/** Hyperparameters with their defaults; Q and R are diagonal weights. */
export interface LqrConfig {
  /** MuJoCo model used for linearisation (see `tether sim list`). */
  model: string;
  /** State weights (length 2 nv); default 1 for every state. */
  q?: readonly number[];
  /** Control weights (length nu); default 0.1. */
  r?: readonly number[];
  /** Operating point qpos (length nq); default the model's zero pose (upright for our pendulums). */
  qpos0?: readonly number[];
  /** Feed-forward control at the operating point (length nu); default 0. */
  ctrl0?: readonly number[];
  /** Riccati iteration stops when P changes by less than this, relative to its size. */
  tolerance?: number;
  maxIterations?: number;
}

const defaults = { r: 0.1, tolerance: 1e-10, maxIterations: 100_000 };

export interface RiccatiSolution {
  /** Cost-to-go matrix (nx x nx). */
  readonly P: Float64Array;
  /** Feedback gain (nu x nx): u = -K x. */
  readonly K: Float64Array;
  readonly iterations: number;
}

/**
 * Infinite-horizon discrete-time LQR by value iteration on the Riccati equation:
 *   P <- Q + A'PA - A'PB (R + B'PB)^-1 B'PA,   K = (R + B'PB)^-1 B'PA.
 * Iteration (rather than a Schur-based solver) keeps the math visible; it converges for
 * stabilisable (A, B) and detectable (A, Q^1/2).
 */
export function solveDiscreteRiccati(
  sys: LinearModel,
  Q: Float64Array,
  R: Float64Array,
  tolerance = defaults.tolerance,
  maxIterations = defaults.maxIterations,
): RiccatiSolution {
  const { nx, nu, A, B } = sys;
  const At = transpose(A, nx, nx);
  const Bt = transpose(B, nx, nu);
  let P: Float64Array = Q.slice();
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const PA = multiply(P, A, nx, nx, nx);
    const PB = multiply(P, B, nx, nx, nu);
    const S = add(R, multiply(Bt, PB, nu, nx, nu)); // R + B'PB
    const K = solve(S, multiply(Bt, PA, nu, nx, nx), nu, nx); // (R + B'PB)^-1 B'PA
    const next = subtract(
      add(Q, multiply(At, PA, nx, nx, nx)),
      multiply(multiply(At, PB, nx, nx, nu), K, nx, nu, nx),
    );
    const change = maxAbs(subtract(next, P));
    P = next;
    if (change <= tolerance * (1 + maxAbs(P))) return { P, K, iterations: iteration };
  }
  throw new Error(
    `LQR: Riccati iteration did not converge in ${maxIterations} iterations (is (A, B) stabilisable?)`,
  );
}

/**
 * Linear-quadratic regulator about an equilibrium of a MuJoCo model: u = u0 - K (x - x0), clamped
 * to the action limits. The model is linearised over one control period of the robot it drives,
 * so the gain matches the loop rate. The observation must be MuJoCo's state [qpos, qvel] (true for
 * the pendulum and the cartpole); the controller loads its own copy of the model, so it also
 * drives a real robot that reports the same signals.
 */
export class LqrController implements Controller {
  readonly name = 'lqr';
  gain: Float64Array = new Float64Array(0);
  private x0 = new Float64Array(0);
  private u0 = new Float64Array(0);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);
  private nx = 0;
  private nu = 0;

  constructor(private readonly config: LqrConfig) {}

  async configure(context: ControllerContext): Promise<void> {
    const sim = await SimModel.load(this.config.model);
    try {
      this.configureWith(sim, context);
    } finally {
      sim.dispose();
    }
  }

  /** Synchronous configure against an already loaded model (used by composite controllers). */
  configureWith(sim: SimModel, context: ControllerContext): void {
    const { nq, nv, nu, na } = sim.model;
    const nx = 2 * nv + na;
    const where = `controller 'lqr' (model ${this.config.model})`;
    if (nq !== nv || na !== 0)
      throw new RangeError(`${where}: needs a model whose state is [qpos, qvel] (nq = nv, no activations)`);
    if (context.observation.signals.length !== nx) {
      throw new RangeError(
        `${where}: observation has ${context.observation.signals.length} signals, expected ${nx} ([qpos, qvel])`,
      );
    }
    if (context.action.signals.length !== nu) {
      throw new RangeError(
        `${where}: action has ${context.action.signals.length} signals, the model has ${nu} actuators`,
      );
    }
    const q = this.config.q ?? new Array(nx).fill(1);
    const r = this.config.r ?? new Array(nu).fill(defaults.r);
    const qpos0 = this.config.qpos0 ?? new Array(nq).fill(0);
    const ctrl0 = this.config.ctrl0 ?? new Array(nu).fill(0);
    if (q.length !== nx) throw new RangeError(`${where}: q has ${q.length} weights, expected ${nx}`);
    if (r.length !== nu) throw new RangeError(`${where}: r has ${r.length} weights, expected ${nu}`);

    const decimation = Math.max(1, Math.round(context.dt / sim.timestep));
    const sys = holdOverSteps(linearizePhysicsStep(sim, qpos0, ctrl0), decimation);
    const { K } = solveDiscreteRiccati(
      sys,
      diagonal(q),
      diagonal(r),
      this.config.tolerance,
      this.config.maxIterations,
    );

    this.gain = K;
    this.nx = nx;
    this.nu = nu;
    this.x0 = Float64Array.from([...qpos0, ...new Array(nv).fill(0)]);
    this.u0 = Float64Array.from(ctrl0);
    this.lower = Float64Array.from(context.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(context.action.signals, (s) => s.upper);
  }

  /** u = clamp(u0 − K (x − x0), lower, upper): the law a certificate can be checked against. */
  describeLaw(): AffineControlLaw | undefined {
    if (this.nx === 0) return undefined;
    return {
      kind: 'affine',
      gain: this.gain,
      x0: this.x0,
      u0: this.u0,
      lower: this.lower,
      upper: this.upper,
    };
  }

  update(observation: Float64Array, _time: number, action: Float64Array): void {
    const { nx, nu, gain } = this;
    for (let i = 0; i < nu; i++) {
      let u = this.u0[i]!;
      for (let j = 0; j < nx; j++) u -= gain[i * nx + j]! * (observation[j]! - this.x0[j]!);
      action[i] = Math.min(this.upper[i]!, Math.max(this.lower[i]!, u));
    }
  }
}

const numbers = z.array(z.number().finite());

export const lqrOptions = z
  .object({
    model: z.string(),
    q: z.array(z.number().nonnegative().finite()).optional(),
    r: z.array(z.number().positive().finite()).optional(),
    qpos0: numbers.optional(),
    ctrl0: numbers.optional(),
  })
  .strict();

export const lqrControllerPlugin: ControllerPlugin<z.output<typeof lqrOptions>> = {
  kind: 'lqr',
  description: 'LQR about an equilibrium, linearised from a MuJoCo model (pendulum, cartpole balance)',
  schema: lqrOptions,
  create: (options) => new LqrController(options),
};
