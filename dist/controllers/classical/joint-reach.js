// Compiled from controllers/classical/joint-reach.ts by `npm run build`: edit the source, not this file.

// controllers/classical/joint-reach.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { signalIndex } from "../../src/core/spec.js";
var frankaJointStiffness = [600, 600, 600, 600, 250, 150, 50];
var frankaJointDamping = [50, 50, 50, 20, 20, 20, 10];
var jointReachOptions = z.object({
  model: z.string().default("arm"),
  site: z.string().default("flange"),
  target: z.tuple([z.number(), z.number(), z.number()]).optional(),
  kp: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(frankaJointStiffness),
  kd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(frankaJointDamping),
  /** Largest joint-target speed, rad/s (well inside the Panda's 2.175 / 2.61). */
  maxSpeed: z.number().positive().default(0.5),
  /** Largest joint-target acceleration, rad/s² (the Panda's smallest limit is 7.5). */
  maxAcceleration: z.number().positive().default(2),
  /** Largest joint-target jerk, rad/s³ (the Panda's smallest limit is 3750). */
  maxJerk: z.number().positive().default(1e3),
  /** Largest Cartesian error fed to one IK step, m. */
  maxStep: z.number().positive().default(0.05),
  /** Damping of the least-squares solve, m. */
  lambda: z.number().positive().default(0.05),
  /** Share of the IK correction taken per second (1/s). */
  gain: z.number().positive().default(5)
}).strict();
var JointReachController = class {
  constructor(options) {
    this.options = options;
  }
  options;
  name = "joint-reach";
  sim;
  data;
  jacobian;
  n = 0;
  dt = 1e-3;
  siteId = 0;
  pos = new Int32Array(0);
  targetIndex = new Int32Array(0);
  outTarget = new Int32Array(0);
  outKp = new Int32Array(0);
  outKd = new Int32Array(0);
  qposAddress = new Int32Array(0);
  dof = new Int32Array(0);
  lower = new Float64Array(0);
  upper = new Float64Array(0);
  kp = new Float64Array(0);
  kd = new Float64Array(0);
  q = new Float64Array(0);
  v = new Float64Array(0);
  a = new Float64Array(0);
  lastTime = Number.NaN;
  goal = new Float64Array(3);
  error = new Float64Array(3);
  m3 = new Float64Array(9);
  y = new Float64Array(3);
  base = new Float64Array(0);
  async configure(context) {
    this.dispose();
    const { action, observation } = context;
    const joints = action.signals.filter((s) => s.name.endsWith(".target")).map((s) => s.name.slice(0, -7));
    if (joints.length === 0 || !action.signals.some((s) => s.name.endsWith(".kp")))
      throw new RangeError(
        `controller 'joint-reach': needs a pd-drive robot ('<joint>.target', '.kp', '.kd' actions; robot.drive: { mode: pd })`
      );
    const sim = await SimModel.load(this.options.model);
    this.sim = sim;
    this.data = new sim.mj.MjData(sim.model);
    this.jacobian = new sim.mj.DoubleBuffer(3 * sim.model.nv);
    const n = joints.length;
    this.n = n;
    this.dt = context.dt;
    this.siteId = sim.id("site", this.options.site);
    this.qposAddress = Int32Array.from(joints, (j) => sim.qposAddress(j));
    this.dof = Int32Array.from(joints, (j) => sim.dofAddress(j));
    this.pos = Int32Array.from(joints, (j) => signalIndex(observation, `${j}.pos`));
    this.outTarget = Int32Array.from(joints, (j) => signalIndex(action, `${j}.target`));
    this.outKp = Int32Array.from(joints, (j) => signalIndex(action, `${j}.kp`));
    this.outKd = Int32Array.from(joints, (j) => signalIndex(action, `${j}.kd`));
    this.lower = Float64Array.from(this.outTarget, (i) => action.signals[i].lower);
    this.upper = Float64Array.from(this.outTarget, (i) => action.signals[i].upper);
    const per = (what, v) => {
      if (typeof v === "number") return new Float64Array(n).fill(v);
      if (v.length !== n)
        throw new RangeError(`controller 'joint-reach': ${what} has ${v.length} values, expected ${n}`);
      return Float64Array.from(v);
    };
    this.kp = per("kp", this.options.kp);
    this.kd = per("kd", this.options.kd);
    this.q = new Float64Array(n);
    this.v = new Float64Array(n);
    this.a = new Float64Array(n);
    this.base = Float64Array.from(action.safe);
    if (this.options.target) this.goal.set(this.options.target);
    else this.targetIndex = Int32Array.from(["x", "y", "z"], (c) => signalIndex(observation, `target.${c}`));
    const obs = new Float64Array(observation.signals.length);
    const act = new Float64Array(action.signals.length);
    const home = sim.keyframe("home");
    for (let i = 0; i < n; i++)
      obs[this.pos[i]] = home >= 0 ? sim.model.key_qpos[home * sim.model.nq + this.qposAddress[i]] : 0;
    for (let k = 0; k < 500; k++) {
      if (k % 100 === 0) this.reset(obs);
      this.update(obs, k * this.dt, act);
    }
    this.reset(obs);
  }
  /** The motion generator starts where the arm is. */
  reset(observation) {
    for (let i = 0; i < this.n; i++) this.q[i] = observation[this.pos[i]];
    this.v.fill(0);
    this.a.fill(0);
    this.lastTime = Number.NaN;
  }
  update(observation, time, action) {
    const dt = Number.isNaN(this.lastTime) || time <= this.lastTime ? this.dt : time - this.lastTime;
    this.lastTime = time;
    const sim = this.sim;
    const data = this.data;
    const { mj, model } = sim;
    if (this.targetIndex.length === 3)
      for (let k = 0; k < 3; k++) this.goal[k] = observation[this.targetIndex[k]];
    const qpos = data.qpos;
    for (let i = 0; i < this.n; i++) qpos[this.qposAddress[i]] = this.q[i];
    mj.mj_kinematics(model, data);
    mj.mj_comPos(model, data);
    mj.mj_jacSite(model, data, this.jacobian, null, this.siteId);
    const site = data.site_xpos;
    let norm = 0;
    for (let k = 0; k < 3; k++) {
      this.error[k] = this.goal[k] - site[3 * this.siteId + k];
      norm += this.error[k] ** 2;
    }
    norm = Math.sqrt(norm);
    if (norm > this.options.maxStep)
      for (let k = 0; k < 3; k++) this.error[k] = this.error[k] * this.options.maxStep / norm;
    const jac = this.jacobian.GetView();
    const nv = model.nv;
    const l2 = this.options.lambda ** 2;
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 3; c++) {
        let s = r === c ? l2 : 0;
        for (let i = 0; i < this.n; i++) s += jac[r * nv + this.dof[i]] * jac[c * nv + this.dof[i]];
        this.m3[3 * r + c] = s;
      }
    solve3(this.m3, this.error, this.y);
    const { maxSpeed, maxAcceleration, maxJerk, gain } = this.options;
    for (let i = 0; i < this.n; i++) {
      let dq = 0;
      for (let k = 0; k < 3; k++) dq += jac[k * nv + this.dof[i]] * this.y[k];
      const vWanted = Math.max(-maxSpeed, Math.min(maxSpeed, gain * dq));
      let acc = Math.max(-maxAcceleration, Math.min(maxAcceleration, (vWanted - this.v[i]) / dt));
      const prev = this.a[i];
      acc = Math.max(prev - maxJerk * dt, Math.min(prev + maxJerk * dt, acc));
      this.a[i] = acc;
      this.v[i] = this.v[i] + acc * dt;
      const q = this.q[i] + this.v[i] * dt;
      if (q < this.lower[i] || q > this.upper[i]) {
        this.v[i] = 0;
        this.a[i] = 0;
      }
      this.q[i] = Math.min(this.upper[i], Math.max(this.lower[i], q));
    }
    action.set(this.base);
    for (let i = 0; i < this.n; i++) {
      action[this.outTarget[i]] = this.q[i];
      action[this.outKp[i]] = this.kp[i];
      action[this.outKd[i]] = this.kd[i];
    }
  }
  dispose() {
    this.jacobian?.delete();
    this.data?.delete();
    this.sim?.dispose();
    this.jacobian = void 0;
    this.data = void 0;
    this.sim = void 0;
  }
};
function solve3(a, b, x) {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = [
    a[0],
    a[1],
    a[2],
    a[3],
    a[4],
    a[5],
    a[6],
    a[7],
    a[8]
  ];
  const det = a0 * (a4 * a8 - a5 * a7) - a1 * (a3 * a8 - a5 * a6) + a2 * (a3 * a7 - a4 * a6);
  const [b0, b1, b2] = [b[0], b[1], b[2]];
  x[0] = (b0 * (a4 * a8 - a5 * a7) - a1 * (b1 * a8 - a5 * b2) + a2 * (b1 * a7 - a4 * b2)) / det;
  x[1] = (a0 * (b1 * a8 - a5 * b2) - b0 * (a3 * a8 - a5 * a6) + a2 * (a3 * b2 - b1 * a6)) / det;
  x[2] = (a0 * (a4 * b2 - b1 * a7) - a1 * (a3 * b2 - b1 * a6) + b0 * (a3 * a7 - a4 * a6)) / det;
}
var jointReachPlugin = {
  kind: "joint-reach",
  description: "Cartesian reaching by joint impedance: a speed-limited IK motion generator streams joint targets and gains to a pd-drive arm",
  schema: jointReachOptions,
  create: (options) => new JointReachController(options)
};
export {
  JointReachController,
  frankaJointDamping,
  frankaJointStiffness,
  jointReachOptions,
  jointReachPlugin
};
