// Compiled from sim/drive.ts by `npm run build`: edit the source, not this file.

// sim/drive.ts
import { z } from "zod";
import { signal } from "../src/core/spec.js";
import { jointRange } from "./envs/definition.js";
import { HeapView } from "./mujoco.js";
var gainList = z.union([z.number().nonnegative().finite(), z.array(z.number().nonnegative().finite())]);
var driveSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("torque") }).strict(),
  z.object({
    mode: z.literal("pd"),
    /** kd of the safe action (damping), one for all joints or one per joint. */
    damping: gainList.default(1),
    /** Upper limits of the kp and kd signals (the safety layer clamps gains to them). */
    maxKp: gainList.default(1e3),
    maxKd: gainList.default(100),
    /**
     * What a faulted robot does: `damping` (the safe action) or `hold` (stiff PD at the pose where
     * the fault happened, like an arm's brakes: kp = `holdKp`, kd = `holdKd`).
     */
    fault: z.enum(["damping", "hold"]).default("damping"),
    holdKp: gainList.default(200),
    holdKd: gainList.default(10),
    /**
     * Add the model's gravity and Coriolis torques (MuJoCo's qfrc_bias) to the drive's output, as a
     * Franka's joint impedance does for its user. Off for legged robots (their drivers do not).
     */
    gravityCompensation: z.boolean().default(false)
  }).strict()
]);
function perJoint(what, value, n) {
  if (typeof value === "number") return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(`drive.${what}: ${value.length} values given, expected 1 or ${n} (one per joint)`);
  return Float64Array.from(value);
}
function drivenJoints(sim, action) {
  const joints = sim.names("joint");
  return action.signals.map((s) => {
    const joint = s.name.replace(/\.(torque|force)$/, "");
    if (joint === s.name || !joints.includes(joint)) {
      throw new RangeError(
        `drive pd: action '${s.name}' does not name a joint as '<joint>.torque' (joints: ${joints.join(", ")})`
      );
    }
    return joint;
  });
}
function pdActionNames(joints) {
  return [
    ...joints.map((j) => `${j}.target`),
    ...joints.map((j) => `${j}.kp`),
    ...joints.map((j) => `${j}.kd`)
  ];
}
var PdDriveKernel = class {
  constructor(sim, inner, options) {
    this.inner = inner;
    this.options = options;
    this.observation = inner.observation;
    const joints = drivenJoints(sim, inner.action);
    this.joints = joints;
    const n = joints.length;
    this.n = n;
    this.qpos = Int32Array.from(joints, (j) => sim.qposAddress(j));
    this.dof = Int32Array.from(joints, (j) => sim.dofAddress(j));
    this.target = new Float64Array(n);
    this.kp = new Float64Array(n);
    this.kd = new Float64Array(n);
    this.torque = new Float64Array(n);
    this.lower = Float64Array.from(inner.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(inner.action.signals, (s) => s.upper);
    this.damping = perJoint("damping", options.damping, n);
    this.holdKp = perJoint("holdKp", options.holdKp, n);
    this.holdKd = perJoint("holdKd", options.holdKd, n);
    this.holdPose = new Float64Array(n);
    const maxKp = perJoint("maxKp", options.maxKp, n);
    const maxKd = perJoint("maxKd", options.maxKd, n);
    const ranges = joints.map((j) => jointRange(sim, sim.id("joint", j)));
    for (let i = 0; i < n; i++) {
      if (this.damping[i] > maxKd[i])
        throw new RangeError(
          `drive.damping: ${this.damping[i]} for '${joints[i]}' exceeds maxKd ${maxKd[i]}`
        );
    }
    this.action = {
      signals: [
        ...joints.map((j, i) => signal(`${j}.target`, "rad", ...ranges[i])),
        ...joints.map((j, i) => signal(`${j}.kp`, "N*m/rad", 0, maxKp[i])),
        ...joints.map((j, i) => signal(`${j}.kd`, "N*m*s/rad", 0, maxKd[i]))
      ],
      mode: "position",
      // Damping: the target does not matter with kp = 0; any value inside the joint's range will do.
      safe: [
        ...ranges.map(([lo, hi]) => Math.min(Math.max(0, lo), hi)),
        ...joints.map(() => 0),
        ...this.damping
      ]
    };
  }
  inner;
  options;
  observation;
  action;
  joints;
  n;
  qpos;
  dof;
  target;
  kp;
  kd;
  torque;
  lower;
  upper;
  damping;
  holdKp;
  holdKd;
  holdPose;
  faulted = false;
  bias;
  biasData;
  resetState(data, rng, noiseScale) {
    this.inner.resetState(data, rng, noiseScale);
    this.faulted = false;
  }
  /** Stores the command; torques are computed before every physics step (`substep`). */
  applyAction(action) {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      this.target[i] = action[i];
      this.kp[i] = action[n + i];
      this.kd[i] = action[2 * n + i];
    }
  }
  /** The drive: one PD evaluation per physics step. */
  substep(data) {
    const qpos = data.qpos;
    const qvel = data.qvel;
    const n = this.n;
    const hold = this.faulted && this.options.fault === "hold";
    const damp = this.faulted && this.options.fault === "damping";
    if (this.options.gravityCompensation && this.biasData !== data) {
      this.bias = new HeapView(() => data.data.qfrc_bias);
      this.biasData = data;
    }
    const bias = this.options.gravityCompensation ? this.bias.get() : void 0;
    for (let i = 0; i < n; i++) {
      const q = qpos[this.qpos[i]];
      const qd = qvel[this.dof[i]];
      let u;
      if (hold) u = this.holdKp[i] * (this.holdPose[i] - q) - this.holdKd[i] * qd;
      else if (damp) u = -this.damping[i] * qd;
      else u = this.kp[i] * (this.target[i] - q) - this.kd[i] * qd;
      if (bias !== void 0 && !damp) u += bias[this.dof[i]];
      this.torque[i] = Math.min(this.upper[i], Math.max(this.lower[i], u));
    }
    this.inner.applyAction(this.torque, data);
  }
  /** The torques of the last physics step (N*m), in joint order. */
  get appliedTorque() {
    return this.torque;
  }
  /** Enters (or leaves) the drive's fault behaviour: damping, or a hold at the current pose. */
  setFault(faulted, data) {
    if (faulted && !this.faulted) {
      for (let i = 0; i < this.n; i++) this.holdPose[i] = data.qpos[this.qpos[i]];
    }
    this.faulted = faulted;
  }
  observe(data, out) {
    this.inner.observe(data, out);
  }
  reward(observation, _action, data, dt) {
    return this.inner.reward(observation, this.torque, data, dt);
  }
  terminated(observation, data) {
    return this.inner.terminated(observation, data);
  }
};
function withDrive(sim, kernel, drive) {
  if (drive === void 0) return kernel;
  const parsed = driveSchema.safeParse(drive);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `drive.${i.path.join(".")}: ${i.message}`);
    throw new RangeError(issues.join("; "));
  }
  if (parsed.data.mode === "torque") return kernel;
  return new PdDriveKernel(sim, kernel, parsed.data);
}
export {
  PdDriveKernel,
  driveSchema,
  pdActionNames,
  withDrive
};
