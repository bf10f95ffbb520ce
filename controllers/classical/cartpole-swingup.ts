import { z } from 'zod';
import { SimModel } from '../../sim/model.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { LqrController } from './lqr.ts';

/** Hyperparameters (after Astrom & Furuta, "Swinging up a pendulum by energy control", 2000). */
export interface SwingUpConfig {
  /** MuJoCo model giving the pole's inertia and the LQR linearisation; default `cartpole`. */
  model: string;
  /** Energy-pumping gain: commanded cart acceleration per joule of missing energy (m/s^2 / J). */
  energyGain: number;
  /** Largest cart acceleration the pumping law asks for (m/s^2). */
  maxAcceleration: number;
  /** Cart centring while pumping: acceleration per metre and per m/s. */
  centringStiffness: number;
  centringDamping: number;
  /**
   * Catch the pole with the built-in LQR near upright (default). Off: pure energy swing-up, which
   * keeps regulating the pole's energy to that of upright and leaves the balance to another
   * controller (a controller manager switches to it, e.g. through a certified guard).
   */
  catch: boolean;
  /** Hand over to LQR when the pole is within this angle of upright (rad)... */
  catchAngle: number;
  /** ...and go back to pumping if it falls beyond this one (hysteresis). */
  releaseAngle: number;
  /** LQR weights for the catch, over [cart.pos, pole.angle, cart.vel, pole.angvel] and [force]. */
  q: readonly number[];
  r: readonly number[];
}

export const swingUpDefaults: SwingUpConfig = {
  model: 'cartpole',
  energyGain: 40,
  maxAcceleration: 6,
  centringStiffness: 1.5,
  centringDamping: 1.5,
  catch: true,
  catchAngle: 0.4,
  releaseAngle: 0.9,
  q: [1, 10, 1, 1],
  r: [0.1],
};

const pumping = 0;
const catching = 1;

/**
 * Energy-based swing-up with an LQR catch. The pole's energy relative to upright is
 *   E = 1/2 I theta_dot^2 + m g l (cos(theta) - 1)      (0 upright, -2 m g l hanging),
 * and a cart acceleration a changes it at dE/dt = -m l a theta_dot cos(theta). Choosing
 *   a = k E sign(theta_dot cos(theta))
 * therefore pumps energy in while E < 0. Cart force F = (M + m) a, plus a weak spring-damper that
 * keeps the cart near the rail's centre. Near upright the LQR catches and holds the pole.
 * I (about the hinge) and m g l come from the MuJoCo model itself (mass matrix and gravity torque).
 * Observation: [cart.pos, pole.angle, cart.vel, pole.angvel]; action: [cart.force].
 */
export class CartpoleSwingUpController implements Controller {
  readonly name = 'cartpole-swingup';
  mode = pumping;
  private readonly lqr: LqrController;
  private readonly config: SwingUpConfig;
  private inertia = 0;
  private gravityTorque = 0;
  private totalMass = 0;
  private lower = -Infinity;
  private upper = Infinity;

  constructor(config: Partial<SwingUpConfig> = {}) {
    this.config = { ...swingUpDefaults, ...config };
    this.lqr = new LqrController({ model: this.config.model, q: this.config.q, r: this.config.r });
  }

  async configure(context: ControllerContext): Promise<void> {
    if (context.observation.signals.length !== 4 || context.action.signals.length !== 1) {
      throw new RangeError(
        `controller 'cartpole-swingup': expects 4 observations [cart.pos, pole.angle, cart.vel, pole.angvel] and 1 action [cart.force], got ${context.observation.signals.length} and ${context.action.signals.length}`,
      );
    }
    const sim = await SimModel.load(this.config.model);
    try {
      this.lqr.configureWith(sim, context);
      this.measurePole(sim);
    } finally {
      sim.dispose();
    }
    this.lower = context.action.signals[0]!.lower;
    this.upper = context.action.signals[0]!.upper;
    this.mode = pumping;
  }

  /** I = M[hinge][hinge] at any pose; m g l = |gravity torque| with the pole horizontal. */
  private measurePole(sim: SimModel): void {
    const { mj, model } = sim;
    const hinge = sim.dofAddress('hinge');
    const data = new mj.MjData(model);
    const mass = new mj.DoubleBuffer(model.nv * model.nv);
    try {
      data.qpos[sim.qposAddress('hinge')] = Math.PI / 2;
      mj.mj_forward(model, data);
      mj.mj_fullM(model, mass, data.qM);
      this.inertia = (mass.GetView() as Float64Array)[hinge * model.nv + hinge]!;
      this.gravityTorque = Math.abs(data.qfrc_bias[hinge]!);
      this.totalMass = model.body_subtreemass[sim.id('body', 'cart')]!;
    } finally {
      mass.delete();
      data.delete();
    }
  }

  reset(): void {
    this.mode = pumping;
  }

  update(observation: Float64Array, time: number, action: Float64Array): void {
    const x = observation[0]!;
    const theta = observation[1]!;
    const xDot = observation[2]!;
    const thetaDot = observation[3]!;
    const angle = Math.abs(theta);

    if (this.config.catch && this.mode === pumping && angle < this.config.catchAngle) this.mode = catching;
    else if (this.mode === catching && angle > this.config.releaseAngle) this.mode = pumping;

    if (this.mode === catching) {
      this.lqr.update(observation, time, action);
      return;
    }
    const c = this.config;
    const energy = 0.5 * this.inertia * thetaDot * thetaDot + this.gravityTorque * (Math.cos(theta) - 1);
    // sign(0) = +1 so the pole at rest, hanging straight down, still gets its first push.
    const direction = thetaDot * Math.cos(theta) >= 0 ? 1 : -1;
    const pump = Math.max(-c.maxAcceleration, Math.min(c.maxAcceleration, c.energyGain * energy * direction));
    const acceleration = pump - c.centringStiffness * x - c.centringDamping * xDot;
    action[0] = Math.min(this.upper, Math.max(this.lower, this.totalMass * acceleration));
  }
}

export const swingUpOptions = z
  .object({
    model: z.string().optional(),
    energyGain: z.number().positive().optional(),
    maxAcceleration: z.number().positive().optional(),
    centringStiffness: z.number().nonnegative().optional(),
    centringDamping: z.number().nonnegative().optional(),
    catch: z.boolean().optional(),
    catchAngle: z.number().positive().optional(),
    releaseAngle: z.number().positive().optional(),
    q: z.array(z.number().nonnegative()).length(4).optional(),
    r: z.array(z.number().positive()).length(1).optional(),
  })
  .strict();

export const cartpoleSwingUpPlugin: ControllerPlugin<z.output<typeof swingUpOptions>> = {
  kind: 'cartpole-swingup',
  description: 'energy-based cartpole swing-up, with an LQR catch (or without: `catch: false`)',
  schema: swingUpOptions,
  create: (options) => {
    const config: Partial<SwingUpConfig> = {};
    for (const [key, value] of Object.entries(options))
      if (value !== undefined) Object.assign(config, { [key]: value });
    return new CartpoleSwingUpController(config);
  },
};
