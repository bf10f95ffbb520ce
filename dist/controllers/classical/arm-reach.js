// Compiled from controllers/classical/arm-reach.ts by `npm run build`: edit the source, not this file.

// controllers/classical/arm-reach.ts
import { z } from "zod";
import { SimModel } from "../../sim/model.js";
import { signalIndex } from "../../src/core/spec.js";
import { solveInPlace } from "./linalg.js";
var armReachDefaults = {
  model: "arm",
  site: "flange",
  stiffness: 150,
  dampingRatio: 1,
  // With kp = 150 and critical damping the approach speed is about kp * maxError / kd = 0.5 m/s,
  // which kept joint speeds below 70 % of the Panda limits over 20 random targets.
  maxError: 0.08,
  postureStiffness: 10,
  postureDamping: 3
};
var ArmReachController = class {
  name = "arm-reach";
  config;
  sim;
  data;
  jacobian;
  massMatrix;
  views;
  nv = 0;
  siteId = 0;
  posIndex = new Int32Array(0);
  velIndex = new Int32Array(0);
  targetIndex = new Int32Array(0);
  qposAddress = new Int32Array(0);
  dofAddress = new Int32Array(0);
  home = new Float64Array(0);
  target = new Float64Array(3);
  lower = new Float64Array(0);
  upper = new Float64Array(0);
  // Work buffers, sized in configure, so update allocates nothing.
  work = {
    m: new Float64Array(0),
    jMinv: new Float64Array(0),
    lambdaInv: new Float64Array(0),
    force: new Float64Array(3),
    posture: new Float64Array(0),
    projected: new Float64Array(3),
    tau: new Float64Array(0)
  };
  constructor(config = {}) {
    this.config = { ...armReachDefaults, ...config };
  }
  async configure(context) {
    this.dispose();
    const sim = await SimModel.load(this.config.model);
    this.sim = sim;
    const { mj, model } = sim;
    const nv = model.nv;
    this.nv = nv;
    const joints = context.action.signals.map((s) => {
      if (!s.name.endsWith(".torque")) {
        throw new RangeError(
          `controller 'arm-reach': action signal '${s.name}' is not a '<joint>.torque' signal`
        );
      }
      return s.name.slice(0, -".torque".length);
    });
    if (joints.length !== nv) {
      throw new RangeError(
        `controller 'arm-reach': ${joints.length} action signals, model '${this.config.model}' has ${nv} joints`
      );
    }
    this.qposAddress = Int32Array.from(joints, (j) => sim.qposAddress(j));
    this.dofAddress = Int32Array.from(joints, (j) => sim.dofAddress(j));
    this.posIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.pos`));
    this.velIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.vel`));
    if (this.config.target) this.target.set(this.config.target);
    else
      this.targetIndex = Int32Array.from(
        ["x", "y", "z"],
        (c) => signalIndex(context.observation, `target.${c}`)
      );
    this.siteId = sim.id("site", this.config.site);
    const key = sim.keyframe("home");
    this.home = Float64Array.from(
      joints,
      (_, i) => key >= 0 ? model.key_qpos[key * model.nq + this.qposAddress[i]] : 0
    );
    this.lower = Float64Array.from(context.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(context.action.signals, (s) => s.upper);
    this.data = new mj.MjData(model);
    this.jacobian = new mj.DoubleBuffer(3 * nv);
    this.massMatrix = new mj.DoubleBuffer(nv * nv);
    this.work = {
      m: new Float64Array(nv * nv),
      jMinv: new Float64Array(3 * nv),
      lambdaInv: new Float64Array(9),
      force: new Float64Array(3),
      posture: new Float64Array(nv),
      projected: new Float64Array(3),
      tau: new Float64Array(nv)
    };
  }
  update(observation, _time, action) {
    const sim = this.sim;
    const data = this.data;
    const { mj, model } = sim;
    const { nv, work, config } = this;
    if (!this.views || this.views.qpos.byteLength === 0) {
      this.views = {
        qpos: data.qpos,
        qvel: data.qvel,
        qM: data.qM,
        bias: data.qfrc_bias,
        site: data.site_xpos,
        jacobian: this.jacobian.GetView(),
        mass: this.massMatrix.GetView()
      };
    }
    const { qpos, qvel, qM, bias, site, jacobian: J, mass } = this.views;
    for (let i = 0; i < nv; i++) {
      qpos[this.qposAddress[i]] = observation[this.posIndex[i]];
      qvel[this.dofAddress[i]] = observation[this.velIndex[i]];
    }
    if (this.targetIndex.length === 3)
      for (let k = 0; k < 3; k++) this.target[k] = observation[this.targetIndex[k]];
    mj.mj_forward(model, data);
    mj.mj_jacSite(model, data, this.jacobian, null, this.siteId);
    mj.mj_fullM(model, this.massMatrix, qM);
    work.m.set(mass);
    for (let k = 0; k < 3; k++) for (let j = 0; j < nv; j++) work.jMinv[j * 3 + k] = J[k * nv + j];
    solveInPlace(work.m, work.jMinv, nv, 3);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < nv; j++) sum += J[a * nv + j] * work.jMinv[j * 3 + b];
        work.lambdaInv[a * 3 + b] = sum;
      }
    }
    const kp = config.stiffness;
    const kd = 2 * config.dampingRatio * Math.sqrt(kp);
    let errorNorm = 0;
    for (let k = 0; k < 3; k++) errorNorm += (this.target[k] - site[3 * this.siteId + k]) ** 2;
    errorNorm = Math.sqrt(errorNorm);
    const errorScale = errorNorm > config.maxError ? config.maxError / errorNorm : 1;
    for (let k = 0; k < 3; k++) {
      let xDot = 0;
      for (let j = 0; j < nv; j++) xDot += J[k * nv + j] * qvel[j];
      const error = (this.target[k] - site[3 * this.siteId + k]) * errorScale;
      work.force[k] = kp * error - kd * xDot;
    }
    solveInPlace(work.lambdaInv, work.force, 3, 1);
    for (let i = 0; i < nv; i++) {
      const dof = this.dofAddress[i];
      work.posture[dof] = config.postureStiffness * (this.home[i] - qpos[this.qposAddress[i]]) - config.postureDamping * qvel[dof];
    }
    for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let j = 0; j < nv; j++) sum += work.jMinv[j * 3 + k] * work.posture[j];
      work.projected[k] = sum;
    }
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < nv; j++) sum += J[a * nv + j] * work.jMinv[j * 3 + b];
        work.lambdaInv[a * 3 + b] = sum;
      }
    }
    solveInPlace(work.lambdaInv, work.projected, 3, 1);
    for (let i = 0; i < nv; i++) {
      const dof = this.dofAddress[i];
      let taskTorque = 0;
      for (let k = 0; k < 3; k++) taskTorque += J[k * nv + dof] * (work.force[k] - work.projected[k]);
      const tau = taskTorque + bias[dof] + work.posture[dof];
      action[i] = Math.min(this.upper[i], Math.max(this.lower[i], tau));
    }
  }
  dispose() {
    this.massMatrix?.delete();
    this.jacobian?.delete();
    this.data?.delete();
    this.sim?.dispose();
    this.massMatrix = void 0;
    this.jacobian = void 0;
    this.data = void 0;
    this.sim = void 0;
    this.views = void 0;
  }
};
var finite = z.number().finite();
var armReachOptions = z.object({
  model: z.string().optional(),
  site: z.string().optional(),
  target: z.tuple([finite, finite, finite]).optional(),
  stiffness: z.number().positive().optional(),
  dampingRatio: z.number().positive().optional(),
  maxError: z.number().positive().optional(),
  postureStiffness: z.number().nonnegative().optional(),
  postureDamping: z.number().nonnegative().optional()
}).strict();
var armReachPlugin = {
  kind: "arm-reach",
  description: "operational-space reaching with gravity compensation (7-DoF arm)",
  schema: armReachOptions,
  create: (options) => {
    const config = {};
    for (const [key, value] of Object.entries(options))
      if (value !== void 0) Object.assign(config, { [key]: value });
    return new ArmReachController(config);
  }
};
export {
  ArmReachController,
  armReachDefaults,
  armReachOptions,
  armReachPlugin
};
