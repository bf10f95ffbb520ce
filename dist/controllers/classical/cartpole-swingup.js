// Compiled from controllers/classical/cartpole-swingup.ts by `npm run build`: edit the source, not this file.

// controllers/classical/cartpole-swingup.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { LqrController } from "./lqr.js";
var swingUpDefaults = {
  model: "cartpole",
  energyGain: 40,
  maxAcceleration: 6,
  centringStiffness: 1.5,
  centringDamping: 1.5,
  catch: true,
  catchAngle: 0.4,
  releaseAngle: 0.9,
  q: [1, 10, 1, 1],
  r: [0.1]
};
var pumping = 0;
var catching = 1;
var CartpoleSwingUpController = class {
  name = "cartpole-swingup";
  mode = pumping;
  lqr;
  config;
  inertia = 0;
  gravityTorque = 0;
  totalMass = 0;
  lower = -Infinity;
  upper = Infinity;
  constructor(config = {}) {
    this.config = { ...swingUpDefaults, ...config };
    this.lqr = new LqrController({ model: this.config.model, q: this.config.q, r: this.config.r });
  }
  async configure(context) {
    if (context.observation.signals.length !== 4 || context.action.signals.length !== 1) {
      throw new RangeError(
        `controller 'cartpole-swingup': expects 4 observations [cart.pos, pole.angle, cart.vel, pole.angvel] and 1 action [cart.force], got ${context.observation.signals.length} and ${context.action.signals.length}`
      );
    }
    const sim = await SimModel.load(this.config.model);
    try {
      this.lqr.configureWith(sim, context);
      this.measurePole(sim);
    } finally {
      sim.dispose();
    }
    this.lower = context.action.signals[0].lower;
    this.upper = context.action.signals[0].upper;
    this.mode = pumping;
  }
  /** I = M[hinge][hinge] at any pose; m g l = |gravity torque| with the pole horizontal. */
  measurePole(sim) {
    const { mj, model } = sim;
    const hinge = sim.dofAddress("hinge");
    const data = new mj.MjData(model);
    const mass = new mj.DoubleBuffer(model.nv * model.nv);
    try {
      data.qpos[sim.qposAddress("hinge")] = Math.PI / 2;
      mj.mj_forward(model, data);
      mj.mj_fullM(model, mass, data.qM);
      this.inertia = mass.GetView()[hinge * model.nv + hinge];
      this.gravityTorque = Math.abs(data.qfrc_bias[hinge]);
      this.totalMass = model.body_subtreemass[sim.id("body", "cart")];
    } finally {
      mass.delete();
      data.delete();
    }
  }
  reset() {
    this.mode = pumping;
  }
  update(observation, time, action) {
    const x = observation[0];
    const theta = observation[1];
    const xDot = observation[2];
    const thetaDot = observation[3];
    const angle = Math.abs(theta);
    if (this.config.catch && this.mode === pumping && angle < this.config.catchAngle) this.mode = catching;
    else if (this.mode === catching && angle > this.config.releaseAngle) this.mode = pumping;
    if (this.mode === catching) {
      this.lqr.update(observation, time, action);
      return;
    }
    const c = this.config;
    const energy = 0.5 * this.inertia * thetaDot * thetaDot + this.gravityTorque * (Math.cos(theta) - 1);
    const direction = thetaDot * Math.cos(theta) >= 0 ? 1 : -1;
    const pump = Math.max(-c.maxAcceleration, Math.min(c.maxAcceleration, c.energyGain * energy * direction));
    const acceleration = pump - c.centringStiffness * x - c.centringDamping * xDot;
    action[0] = Math.min(this.upper, Math.max(this.lower, this.totalMass * acceleration));
  }
};
var swingUpOptions = z.object({
  model: z.string().optional(),
  energyGain: z.number().positive().optional(),
  maxAcceleration: z.number().positive().optional(),
  centringStiffness: z.number().nonnegative().optional(),
  centringDamping: z.number().nonnegative().optional(),
  catch: z.boolean().optional(),
  catchAngle: z.number().positive().optional(),
  releaseAngle: z.number().positive().optional(),
  q: z.array(z.number().nonnegative()).length(4).optional(),
  r: z.array(z.number().positive()).length(1).optional()
}).strict();
var cartpoleSwingUpPlugin = {
  kind: "cartpole-swingup",
  description: "energy-based cartpole swing-up, with an LQR catch (or without: `catch: false`)",
  schema: swingUpOptions,
  create: (options) => {
    const config = {};
    for (const [key, value] of Object.entries(options))
      if (value !== void 0) Object.assign(config, { [key]: value });
    return new CartpoleSwingUpController(config);
  }
};
export {
  CartpoleSwingUpController,
  cartpoleSwingUpPlugin,
  swingUpDefaults,
  swingUpOptions
};
