// Compiled from controllers/classical/pd-stand.ts by `npm run build`: edit the source, not this file.

// controllers/classical/pd-stand.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { signalIndex } from "../../src/core/spec.js";
var pdStandDefaults = { model: "quadruped", kp: 60, kd: 2 };
var PdStandController = class {
  name = "pd-stand";
  config;
  posIndex = new Int32Array(0);
  velIndex = new Int32Array(0);
  target = new Float64Array(0);
  kp = new Float64Array(0);
  kd = new Float64Array(0);
  lower = new Float64Array(0);
  upper = new Float64Array(0);
  constructor(config = {}) {
    this.config = { ...pdStandDefaults, ...config };
  }
  async configure(context) {
    const joints = context.action.signals.map((s) => {
      if (!s.name.endsWith(".torque")) {
        throw new RangeError(
          `controller 'pd-stand': action signal '${s.name}' is not a '<joint>.torque' signal`
        );
      }
      return s.name.slice(0, -".torque".length);
    });
    const n = joints.length;
    this.posIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.pos`));
    this.velIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.vel`));
    this.kp = perJoint("kp", this.config.kp, n);
    this.kd = perJoint("kd", this.config.kd, n);
    this.target = this.config.pose ? perJoint("pose", this.config.pose, n) : await homePose(this.config.model, joints);
    this.lower = Float64Array.from(context.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(context.action.signals, (s) => s.upper);
  }
  update(observation, _time, action) {
    for (let i = 0; i < this.target.length; i++) {
      const q = observation[this.posIndex[i]];
      const qDot = observation[this.velIndex[i]];
      const tau = this.kp[i] * (this.target[i] - q) - this.kd[i] * qDot;
      action[i] = Math.min(this.upper[i], Math.max(this.lower[i], tau));
    }
  }
};
function perJoint(name, value, n) {
  if (typeof value === "number") return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(
      `controller 'pd-stand': ${name} has ${value.length} values, expected ${n} (one per joint)`
    );
  return Float64Array.from(value);
}
async function homePose(model, joints) {
  const sim = await SimModel.load(model);
  try {
    const key = sim.keyframe("home");
    if (key < 0)
      throw new RangeError(`controller 'pd-stand': model '${model}' has no 'home' keyframe; give 'pose'`);
    const nq = sim.model.nq;
    return Float64Array.from(joints, (j) => sim.model.key_qpos[key * nq + sim.qposAddress(j)]);
  } finally {
    sim.dispose();
  }
}
var gains = z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]);
var pdStandOptions = z.object({
  model: z.string().optional(),
  kp: gains.optional(),
  kd: gains.optional(),
  pose: z.array(z.number()).optional()
}).strict();
var pdStandPlugin = {
  kind: "pd-stand",
  description: "joint PD holding a default pose (quadruped stand)",
  schema: pdStandOptions,
  create: (options) => {
    const config = { model: options.model ?? pdStandDefaults.model };
    if (options.kp !== void 0) config.kp = options.kp;
    if (options.kd !== void 0) config.kd = options.kd;
    if (options.pose !== void 0) config.pose = options.pose;
    return new PdStandController(config);
  }
};
export {
  PdStandController,
  pdStandDefaults,
  pdStandOptions,
  pdStandPlugin
};
