// Compiled from controllers/classical/cartesian-reach.ts by `npm run build`: edit the source, not this file.

// controllers/classical/cartesian-reach.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import {
  rotationBetween,
  rotationFromVector,
  SiteKinematics,
  vectorFromRotation
} from "../../sim/site-kinematics.js";
import { signalIndex } from "../../src/core/spec.js";
import { multiplyInto } from "./linalg.js";
var frankaCartesianStiffness = [150, 150, 150, 10, 10, 10];
var axes = ["x", "y", "z", "rx", "ry", "rz"];
var six = z.union([z.number().nonnegative(), z.array(z.number().nonnegative()).length(6)]);
var peakSpeed = 1.875;
var peakAcceleration = 10 / Math.sqrt(3);
var cartesianReachOptions = z.object({
  model: z.string().default("arm"),
  /** The end-effector site the rig's impedance acts on (its `cartesian.site`). */
  site: z.string().default("flange"),
  /** Goal position, m (world frame); omitted: the `target.x/y/z` observation signals. */
  target: z.tuple([z.number(), z.number(), z.number()]).optional(),
  /** Goal orientation as a rotation vector, rad (world frame); omitted: the orientation at the start. */
  orientation: z.tuple([z.number(), z.number(), z.number()]).optional(),
  /** Stiffness per axis: x, y, z in N/m, rx, ry, rz in N*m/rad. */
  stiffness: six.default(frankaCartesianStiffness),
  /** Damping per axis (N*s/m, N*m*s/rad); omitted: 2√stiffness, as libfranka's example. */
  damping: six.optional(),
  /** Largest speed of the pose target along its line, m/s. */
  maxSpeed: z.number().positive().default(0.2),
  /** Largest acceleration along the line, m/s². */
  maxAcceleration: z.number().positive().default(0.5),
  /** Largest angular speed of the orientation target, rad/s. */
  maxAngularSpeed: z.number().positive().default(0.5),
  /** Largest angular acceleration, rad/s². */
  maxAngularAcceleration: z.number().positive().default(1)
}).strict();
var CartesianReachController = class {
  constructor(options) {
    this.options = options;
  }
  options;
  name = "cartesian-reach";
  sim;
  data;
  kinematics;
  pos = new Int32Array(0);
  qposAddress = new Int32Array(0);
  targetIndex = new Int32Array(0);
  outPose = new Int32Array(6);
  outKp = new Int32Array(6);
  outKd = new Int32Array(6);
  kp = new Float64Array(6);
  kd = new Float64Array(6);
  base = new Float64Array(0);
  /** The motion: start and goal position, start rotation, the rotation to turn by, its duration. */
  p0 = new Float64Array(3);
  p1 = new Float64Array(3);
  r0 = new Float64Array(9);
  turn = new Float64Array(3);
  duration = 0;
  startTime = Number.NaN;
  planned = false;
  /** The pose last commanded (x, y, z, rx, ry, rz): a moving goal restarts from it. */
  commanded = new Float64Array(6);
  goalOrientation = new Float64Array(9);
  m1 = new Float64Array(9);
  m2 = new Float64Array(9);
  v3 = new Float64Array(3);
  async configure(context) {
    this.dispose();
    const { action, observation } = context;
    const need = axes.flatMap((a) => [`ee.${a}`, `ee.${a}.kp`, `ee.${a}.kd`]);
    const names = new Set(action.signals.map((s) => s.name));
    if (action.mode !== "cartesian" || need.some((n) => !names.has(n)))
      throw new RangeError(
        `controller 'cartesian-reach': needs a cartesian rig with a pd drive (actions 'ee.x' … 'ee.rz' with '.kp' and '.kd'; rig config commandMode: cartesian, robot.drive: { mode: pd }); this robot takes ${action.mode} commands`
      );
    const sim = await SimModel.load(this.options.model);
    this.sim = sim;
    this.data = new sim.mj.MjData(sim.model);
    this.kinematics = new SiteKinematics(sim, this.data, sim.id("site", this.options.site));
    const joints = sim.names("joint").filter((j) => observation.signals.some((s) => s.name === `${j}.pos`));
    this.pos = Int32Array.from(joints, (j) => signalIndex(observation, `${j}.pos`));
    this.qposAddress = Int32Array.from(joints, (j) => sim.qposAddress(j));
    axes.forEach((a, k) => {
      this.outPose[k] = signalIndex(action, `ee.${a}`);
      this.outKp[k] = signalIndex(action, `ee.${a}.kp`);
      this.outKd[k] = signalIndex(action, `ee.${a}.kd`);
    });
    const per = (v) => typeof v === "number" ? new Array(6).fill(v) : v;
    this.kp.set(per(this.options.stiffness));
    this.kd.set(per(this.options.damping ?? Array.from(this.kp, (k) => 2 * Math.sqrt(k))));
    this.base = Float64Array.from(action.safe);
    if (this.options.target === void 0)
      this.targetIndex = Int32Array.from(["x", "y", "z"], (c) => signalIndex(observation, `target.${c}`));
    const obs = new Float64Array(observation.signals.length);
    const act = new Float64Array(action.signals.length);
    const home = sim.keyframe("home");
    for (let i = 0; i < joints.length; i++)
      obs[this.pos[i]] = home >= 0 ? sim.model.key_qpos[home * sim.model.nq + this.qposAddress[i]] : 0;
    for (let k = 0; k < 300; k++) {
      if (k % 100 === 0) this.reset(obs);
      this.update(obs, k * context.dt, act);
    }
    this.reset(obs);
  }
  /** The motion starts from the measured pose at the next update. */
  reset(_observation) {
    this.planned = false;
    this.startTime = Number.NaN;
  }
  update(observation, time, action) {
    if (!this.planned) {
      this.measuredPose(observation, this.commanded);
      this.plan(observation, time);
    } else if (this.targetIndex.length === 3) {
      let moved = 0;
      for (let k = 0; k < 3; k++)
        moved = Math.max(moved, Math.abs(observation[this.targetIndex[k]] - this.p1[k]));
      if (moved > 1e-3) this.plan(observation, time);
    }
    const tau = this.duration > 0 ? Math.min(1, Math.max(0, (time - this.startTime) / this.duration)) : 1;
    const u = tau * tau * tau * (10 + tau * (-15 + 6 * tau));
    const pose = this.commanded;
    for (let k = 0; k < 3; k++) pose[k] = this.p0[k] + u * (this.p1[k] - this.p0[k]);
    for (let k = 0; k < 3; k++) this.v3[k] = u * this.turn[k];
    rotationFromVector(this.v3, 0, this.m1);
    multiplyInto(this.m2, this.m1, this.r0, 3, 3, 3);
    vectorFromRotation(this.m2, pose, 3);
    action.set(this.base);
    for (let k = 0; k < 6; k++) {
      action[this.outPose[k]] = pose[k];
      action[this.outKp[k]] = this.kp[k];
      action[this.outKd[k]] = this.kd[k];
    }
  }
  /** A straight line from the pose in `commanded` to the goal, and its duration. */
  plan(observation, time) {
    for (let k = 0; k < 3; k++) {
      this.p0[k] = this.commanded[k];
      this.p1[k] = this.options.target ? this.options.target[k] : observation[this.targetIndex[k]];
    }
    rotationFromVector(this.commanded, 3, this.r0);
    if (!this.planned) {
      if (this.options.orientation)
        rotationFromVector(Float64Array.from(this.options.orientation), 0, this.goalOrientation);
      else this.goalOrientation.set(this.r0);
    }
    rotationBetween(this.goalOrientation, this.r0, this.m1);
    vectorFromRotation(this.m1, this.turn, 0);
    const distance = Math.hypot(
      this.p1[0] - this.p0[0],
      this.p1[1] - this.p0[1],
      this.p1[2] - this.p0[2]
    );
    const angle = Math.hypot(this.turn[0], this.turn[1], this.turn[2]);
    const o = this.options;
    this.duration = Math.max(
      peakSpeed * distance / o.maxSpeed,
      Math.sqrt(peakAcceleration * distance / o.maxAcceleration),
      peakSpeed * angle / o.maxAngularSpeed,
      Math.sqrt(peakAcceleration * angle / o.maxAngularAcceleration)
    );
    this.startTime = time;
    this.planned = true;
  }
  /** The site's pose for the observed joint positions (MuJoCo kinematics). */
  measuredPose(observation, out) {
    const qpos = this.data.qpos;
    for (let i = 0; i < this.pos.length; i++) qpos[this.qposAddress[i]] = observation[this.pos[i]];
    const kin = this.kinematics;
    kin.update(false);
    kin.position(out, 0);
    kin.rotation(this.m1);
    vectorFromRotation(this.m1, out, 3);
  }
  dispose() {
    this.kinematics?.dispose();
    this.data?.delete();
    this.sim?.dispose();
    this.kinematics = void 0;
    this.data = void 0;
    this.sim = void 0;
  }
};
var cartesianReachPlugin = {
  kind: "cartesian-reach",
  description: "Cartesian reaching by Cartesian impedance: a minimum-jerk straight line and slerp stream the pose and per-axis gains to a cartesian-mode arm",
  schema: cartesianReachOptions,
  create: (options) => new CartesianReachController(options)
};
export {
  CartesianReachController,
  cartesianReachOptions,
  cartesianReachPlugin,
  frankaCartesianStiffness
};
