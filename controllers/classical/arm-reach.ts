import type { DoubleBuffer, MjData } from 'mujoco';
import { z } from 'zod';
import { SimModel } from '../../sim/model.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { signalIndex } from '../../src/core/spec.ts';
import { solveInPlace } from './linalg.ts';

/** Gains of the Cartesian task and of the posture held in its null space. */
export interface ArmReachConfig {
  /** Model used for gravity, Coriolis, mass matrix and Jacobian; default `arm`. */
  model: string;
  /** Site that should reach the target; default `flange`. */
  site: string;
  /** Target position in metres (base frame); default: the `target.x/y/z` observation signals. */
  target?: readonly [number, number, number];
  /** Task-space stiffness (1/s^2, scaled by the task inertia) and damping ratio. */
  stiffness: number;
  dampingRatio: number;
  /** Largest position error fed to the task (m), which bounds the commanded speed from far away. */
  maxError: number;
  /** Null-space posture stiffness (N*m/rad) and damping (N*m*s/rad), towards the `home` keyframe. */
  postureStiffness: number;
  postureDamping: number;
}

export const armReachDefaults: ArmReachConfig = {
  model: 'arm',
  site: 'flange',
  stiffness: 150,
  dampingRatio: 1,
  // With kp = 150 and critical damping the approach speed is about kp * maxError / kd = 0.5 m/s,
  // which kept joint speeds below 70 % of the Panda limits over 20 random targets.
  maxError: 0.08,
  postureStiffness: 10,
  postureDamping: 3,
};

/**
 * Operational-space reaching (Khatib 1987) with gravity compensation, position only:
 *   e = x* - x,  xdot = J qdot,  Lambda = (J M^-1 J')^-1
 *   F = Lambda (kp e - kd xdot),  kd = 2 zeta sqrt(kp)
 *   tau = J' F + c(q, qdot) + N' tau_posture,  N' = I - J' Lambda J M^-1
 * c (gravity + Coriolis) is MuJoCo's qfrc_bias; M, J and x come from the controller's own copy of
 * the model, set to the observed joint state every tick. The posture torque pulls towards the home
 * pose inside the task's null space, so it does not disturb the reach.
 */
export class ArmReachController implements Controller {
  readonly name = 'arm-reach';
  private readonly config: ArmReachConfig;
  private sim: SimModel | undefined;
  private data: MjData | undefined;
  private jacobian: DoubleBuffer | undefined;
  private massMatrix: DoubleBuffer | undefined;
  private views:
    | {
        qpos: Float64Array;
        qvel: Float64Array;
        qM: Float64Array;
        bias: Float64Array;
        site: Float64Array;
        jacobian: Float64Array;
        mass: Float64Array;
      }
    | undefined;
  private nv = 0;
  private siteId = 0;
  private posIndex = new Int32Array(0);
  private velIndex = new Int32Array(0);
  private targetIndex = new Int32Array(0);
  private qposAddress = new Int32Array(0);
  private dofAddress = new Int32Array(0);
  private home = new Float64Array(0);
  private readonly target = new Float64Array(3);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);
  // Work buffers, sized in configure, so update allocates nothing.
  private work = {
    m: new Float64Array(0),
    jMinv: new Float64Array(0),
    lambdaInv: new Float64Array(0),
    force: new Float64Array(3),
    posture: new Float64Array(0),
    projected: new Float64Array(3),
    tau: new Float64Array(0),
  };

  constructor(config: Partial<ArmReachConfig> = {}) {
    this.config = { ...armReachDefaults, ...config };
  }

  async configure(context: ControllerContext): Promise<void> {
    this.dispose();
    const sim = await SimModel.load(this.config.model);
    this.sim = sim;
    const { mj, model } = sim;
    const nv = model.nv;
    this.nv = nv;
    const joints = context.action.signals.map((s) => {
      if (!s.name.endsWith('.torque')) {
        throw new RangeError(
          `controller 'arm-reach': action signal '${s.name}' is not a '<joint>.torque' signal`,
        );
      }
      return s.name.slice(0, -'.torque'.length);
    });
    if (joints.length !== nv) {
      throw new RangeError(
        `controller 'arm-reach': ${joints.length} action signals, model '${this.config.model}' has ${nv} joints`,
      );
    }
    this.qposAddress = Int32Array.from(joints, (j) => sim.qposAddress(j));
    this.dofAddress = Int32Array.from(joints, (j) => sim.dofAddress(j));
    this.posIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.pos`));
    this.velIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.vel`));
    if (this.config.target) this.target.set(this.config.target);
    else
      this.targetIndex = Int32Array.from(['x', 'y', 'z'], (c) =>
        signalIndex(context.observation, `target.${c}`),
      );
    this.siteId = sim.id('site', this.config.site);
    const key = sim.keyframe('home');
    this.home = Float64Array.from(joints, (_, i) =>
      key >= 0 ? model.key_qpos[key * model.nq + this.qposAddress[i]!]! : 0,
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
      tau: new Float64Array(nv),
    };
  }

  update(observation: Float64Array, _time: number, action: Float64Array): void {
    const sim = this.sim!;
    const data = this.data!;
    const { mj, model } = sim;
    const { nv, work, config } = this;

    // MjData properties return fresh views on every read; cache them until the wasm heap grows.
    if (!this.views || this.views.qpos.byteLength === 0) {
      this.views = {
        qpos: data.qpos,
        qvel: data.qvel,
        qM: data.qM,
        bias: data.qfrc_bias,
        site: data.site_xpos,
        jacobian: this.jacobian!.GetView() as Float64Array,
        mass: this.massMatrix!.GetView() as Float64Array,
      };
    }
    const { qpos, qvel, qM, bias, site, jacobian: J, mass } = this.views;
    for (let i = 0; i < nv; i++) {
      qpos[this.qposAddress[i]!] = observation[this.posIndex[i]!]!;
      qvel[this.dofAddress[i]!] = observation[this.velIndex[i]!]!;
    }
    if (this.targetIndex.length === 3)
      for (let k = 0; k < 3; k++) this.target[k] = observation[this.targetIndex[k]!]!;
    mj.mj_forward(model, data);
    mj.mj_jacSite(model, data, this.jacobian!, null, this.siteId);
    mj.mj_fullM(model, this.massMatrix!, qM as unknown as number[]);

    // J M^-1 (3 x nv): solve M X' = J' (M is symmetric), i.e. rows of X are M^-1 J_k'.
    work.m.set(mass);
    for (let k = 0; k < 3; k++) for (let j = 0; j < nv; j++) work.jMinv[j * 3 + k] = J[k * nv + j]!;
    solveInPlace(work.m, work.jMinv, nv, 3); // now holds M^-1 J' (nv x 3)

    // Lambda^-1 = J M^-1 J' (3 x 3).
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < nv; j++) sum += J[a * nv + j]! * work.jMinv[j * 3 + b]!;
        work.lambdaInv[a * 3 + b] = sum;
      }
    }

    // Desired task acceleration: kp e - kd xdot, with |e| capped.
    const kp = config.stiffness;
    const kd = 2 * config.dampingRatio * Math.sqrt(kp);
    let errorNorm = 0;
    for (let k = 0; k < 3; k++) errorNorm += (this.target[k]! - site[3 * this.siteId + k]!) ** 2;
    errorNorm = Math.sqrt(errorNorm);
    const errorScale = errorNorm > config.maxError ? config.maxError / errorNorm : 1;
    for (let k = 0; k < 3; k++) {
      let xDot = 0;
      for (let j = 0; j < nv; j++) xDot += J[k * nv + j]! * qvel[j]!;
      const error = (this.target[k]! - site[3 * this.siteId + k]!) * errorScale;
      work.force[k] = kp * error - kd * xDot;
    }
    // F = Lambda a  <=>  Lambda^-1 F = a.
    solveInPlace(work.lambdaInv, work.force, 3, 1);

    // Posture torque and its projection N' tau0 = tau0 - J' Lambda (J M^-1 tau0).
    for (let i = 0; i < nv; i++) {
      const dof = this.dofAddress[i]!;
      work.posture[dof] =
        config.postureStiffness * (this.home[i]! - qpos[this.qposAddress[i]!]!) -
        config.postureDamping * qvel[dof]!;
    }
    for (let k = 0; k < 3; k++) {
      let sum = 0;
      for (let j = 0; j < nv; j++) sum += work.jMinv[j * 3 + k]! * work.posture[j]!;
      work.projected[k] = sum;
    }
    // Lambda^-1 was overwritten by the solve; rebuild it to apply Lambda to the projection.
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < nv; j++) sum += J[a * nv + j]! * work.jMinv[j * 3 + b]!;
        work.lambdaInv[a * 3 + b] = sum;
      }
    }
    solveInPlace(work.lambdaInv, work.projected, 3, 1);

    for (let i = 0; i < nv; i++) {
      const dof = this.dofAddress[i]!;
      let taskTorque = 0;
      for (let k = 0; k < 3; k++) taskTorque += J[k * nv + dof]! * (work.force[k]! - work.projected[k]!);
      const tau = taskTorque + bias[dof]! + work.posture[dof]!;
      action[i] = Math.min(this.upper[i]!, Math.max(this.lower[i]!, tau));
    }
  }

  dispose(): void {
    this.massMatrix?.delete();
    this.jacobian?.delete();
    this.data?.delete();
    this.sim?.dispose();
    this.massMatrix = undefined;
    this.jacobian = undefined;
    this.data = undefined;
    this.sim = undefined;
    this.views = undefined;
  }
}

const finite = z.number().finite();

export const armReachOptions = z
  .object({
    model: z.string().optional(),
    site: z.string().optional(),
    target: z.tuple([finite, finite, finite]).optional(),
    stiffness: z.number().positive().optional(),
    dampingRatio: z.number().positive().optional(),
    maxError: z.number().positive().optional(),
    postureStiffness: z.number().nonnegative().optional(),
    postureDamping: z.number().nonnegative().optional(),
  })
  .strict();

export const armReachPlugin: ControllerPlugin<z.output<typeof armReachOptions>> = {
  kind: 'arm-reach',
  description: 'operational-space reaching with gravity compensation (7-DoF arm)',
  schema: armReachOptions,
  create: (options) => {
    const config: Partial<ArmReachConfig> = {};
    for (const [key, value] of Object.entries(options))
      if (value !== undefined) Object.assign(config, { [key]: value });
    return new ArmReachController(config);
  },
};
