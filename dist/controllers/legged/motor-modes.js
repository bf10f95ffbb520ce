// Compiled from controllers/legged/motor-modes.ts by `npm run build`: edit the source, not this file.

// controllers/legged/motor-modes.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { signalIndex } from "../../src/core/spec.js";
var JointDrive = class {
  joints;
  pd;
  pos;
  vel;
  target;
  kp;
  kd;
  torque;
  lower;
  upper;
  /** The drive's damping kd (its safe action), or undefined on a torque robot. */
  safeKd;
  /** The safe action's targets (inside each joint's range), for modes with kp = 0. */
  restTarget;
  constructor(context, who) {
    const { action, observation } = context;
    const names = action.signals.map((s) => s.name);
    this.pd = names.some((n) => n.endsWith(".kp"));
    const suffix = this.pd ? ".target" : ".torque";
    this.joints = names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length));
    if (this.joints.length === 0)
      throw new RangeError(
        `controller '${who}': the robot's actions are neither '<joint>.torque' nor a pd drive's '<joint>.target/kp/kd' (actions: ${names.join(", ")})`
      );
    const index = (list, s) => Int32Array.from(list, (j) => signalIndex(action, `${j}${s}`));
    this.pos = Int32Array.from(this.joints, (j) => signalIndex(observation, `${j}.pos`));
    this.vel = Int32Array.from(this.joints, (j) => signalIndex(observation, `${j}.vel`));
    this.target = this.pd ? index(this.joints, ".target") : new Int32Array(0);
    this.kp = this.pd ? index(this.joints, ".kp") : new Int32Array(0);
    this.kd = this.pd ? index(this.joints, ".kd") : new Int32Array(0);
    this.torque = this.pd ? new Int32Array(0) : index(this.joints, ".torque");
    const torqueIndex = this.torque;
    this.lower = Float64Array.from(torqueIndex, (i) => action.signals[i].lower);
    this.upper = Float64Array.from(torqueIndex, (i) => action.signals[i].upper);
    this.safeKd = this.pd ? Float64Array.from(this.kd, (i) => action.safe[i]) : void 0;
    this.restTarget = this.pd ? Float64Array.from(this.target, (i) => action.safe[i]) : new Float64Array(this.joints.length);
  }
  get size() {
    return this.joints.length;
  }
  position(observation, j) {
    return observation[this.pos[j]];
  }
  /** Writes joint PD with targets `q`, gains `kp`, `kd` (per joint) into `action`. */
  write(observation, action, q, kp, kd) {
    if (this.pd) {
      for (let j = 0; j < this.joints.length; j++) {
        action[this.target[j]] = q[j];
        action[this.kp[j]] = kp[j];
        action[this.kd[j]] = kd[j];
      }
      return;
    }
    for (let j = 0; j < this.joints.length; j++) {
      const tau = kp[j] * (q[j] - observation[this.pos[j]]) - kd[j] * observation[this.vel[j]];
      action[this.torque[j]] = Math.min(this.upper[j], Math.max(this.lower[j], tau));
    }
  }
};
var gains = z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]);
function perJoint(who, what, value, n) {
  if (typeof value === "number") return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(
      `controller '${who}': ${what} has ${value.length} values, expected ${n} (one per joint)`
    );
  return Float64Array.from(value);
}
function safeBase(context) {
  return Float64Array.from(context.action.safe);
}
var PassiveController = class {
  name = "passive";
  drive;
  base = new Float64Array(0);
  zero = new Float64Array(0);
  configure(context) {
    this.drive = new JointDrive(context, this.name);
    this.base = safeBase(context);
    this.zero = new Float64Array(this.drive.size);
  }
  update(observation, _time, action) {
    action.set(this.base);
    this.drive.write(observation, action, this.drive.restTarget, this.zero, this.zero);
  }
};
var DampingController = class {
  constructor(options = {}) {
    this.options = options;
  }
  options;
  name = "damping";
  drive;
  base = new Float64Array(0);
  zero = new Float64Array(0);
  kd = new Float64Array(0);
  configure(context) {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    this.base = safeBase(context);
    this.zero = new Float64Array(drive.size);
    const kd = this.options.kd ?? (drive.safeKd ? Array.from(drive.safeKd) : void 0);
    if (kd === void 0)
      throw new RangeError(
        "controller 'damping': give kd (the robot has a torque drive, whose safe action is zero torque, not damping)"
      );
    this.kd = perJoint(this.name, "kd", kd, drive.size);
  }
  update(observation, _time, action) {
    action.set(this.base);
    this.drive.write(observation, action, this.drive.restTarget, this.zero, this.kd);
  }
};
var StandUpController = class {
  constructor(options) {
    this.options = options;
  }
  options;
  name = "stand-up";
  drive;
  base = new Float64Array(0);
  start = new Float64Array(0);
  goal = new Float64Array(0);
  now = new Float64Array(0);
  kp = new Float64Array(0);
  kd = new Float64Array(0);
  startTime = Number.NaN;
  async configure(context) {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    const n = drive.size;
    this.base = safeBase(context);
    this.kp = perJoint(this.name, "kp", this.options.kp, n);
    this.kd = perJoint(this.name, "kd", this.options.kd, n);
    this.goal = this.options.pose ? perJoint(this.name, "pose", this.options.pose, n) : await homePose(this.options.model ?? "quadruped", drive.joints);
    this.start = new Float64Array(n);
    this.now = new Float64Array(n);
  }
  reset(observation) {
    const drive = this.drive;
    for (let j = 0; j < drive.size; j++) this.start[j] = drive.position(observation, j);
    this.startTime = Number.NaN;
  }
  update(observation, time, action) {
    if (Number.isNaN(this.startTime)) this.startTime = time;
    const s = Math.min(1, (time - this.startTime) / this.options.duration);
    const w = 0.5 - 0.5 * Math.cos(Math.PI * s);
    for (let j = 0; j < this.goal.length; j++)
      this.now[j] = this.start[j] + w * (this.goal[j] - this.start[j]);
    action.set(this.base);
    this.drive.write(observation, action, this.now, this.kp, this.kd);
  }
};
async function homePose(model, joints) {
  const sim = await SimModel.load(model);
  try {
    const key = sim.keyframe("home");
    if (key < 0)
      throw new RangeError(`controller 'stand-up': model '${model}' has no 'home' keyframe; give 'pose'`);
    const nq = sim.model.nq;
    return Float64Array.from(joints, (j) => sim.model.key_qpos[key * nq + sim.qposAddress(j)]);
  } finally {
    sim.dispose();
  }
}
var passivePlugin = {
  kind: "passive",
  description: "zero torque on every joint (kp = kd = 0): a legged robot lies limp",
  schema: z.object({}).strict(),
  create: () => new PassiveController()
};
var dampingOptions = z.object({ kd: gains.optional() }).strict();
var dampingPlugin = {
  kind: "damping",
  description: "kd only on every joint (default: the pd drive's damping): the legged safe mode",
  schema: dampingOptions,
  create: (options) => new DampingController({ kd: options.kd })
};
var standUpOptions = z.object({
  pose: z.array(z.number()).optional(),
  model: z.string().optional(),
  duration: z.number().positive().default(2),
  kp: gains.default(100),
  kd: gains.default(2.5)
}).strict();
var standUpPlugin = {
  kind: "stand-up",
  description: "joint PD from the current pose to a standing pose over `duration` seconds, then held",
  schema: standUpOptions,
  create: (options) => new StandUpController(options)
};
export {
  DampingController,
  JointDrive,
  PassiveController,
  StandUpController,
  dampingPlugin,
  passivePlugin,
  standUpPlugin
};
