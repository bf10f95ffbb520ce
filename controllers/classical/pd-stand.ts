import { z } from 'zod';
import { SimModel } from '../../sim/model.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { signalIndex } from '../../src/core/spec.ts';

/** Gains typical of legged-robot joint PD (Isaac Lab / legged_gym use kp 20-80, kd 0.5-2 for this size). */
export interface PdStandConfig {
  /** Model whose `home` keyframe gives the pose to hold; default `quadruped`. */
  model: string;
  /** Proportional gain, N*m/rad (one value for all joints or one per action signal). */
  kp: number | readonly number[];
  /** Derivative gain, N*m*s/rad. */
  kd: number | readonly number[];
  /** Joint angles to hold, in action order; default: the model's `home` keyframe. */
  pose?: readonly number[];
}

export const pdStandDefaults: PdStandConfig = { model: 'quadruped', kp: 60, kd: 2 };

/**
 * Holds a default pose with joint-space PD: tau_i = kp_i (q*_i - q_i) - kd_i qdot_i, clamped to the
 * torque limits. Each action signal `<joint>.torque` is paired with the observation signals
 * `<joint>.pos` and `<joint>.vel`, so it drives any robot that names its signals that way.
 */
export class PdStandController implements Controller {
  readonly name = 'pd-stand';
  private readonly config: PdStandConfig;
  private posIndex = new Int32Array(0);
  private velIndex = new Int32Array(0);
  private target: Float64Array = new Float64Array(0);
  private kp: Float64Array = new Float64Array(0);
  private kd: Float64Array = new Float64Array(0);
  private lower = new Float64Array(0);
  private upper = new Float64Array(0);

  constructor(config: Partial<PdStandConfig> = {}) {
    this.config = { ...pdStandDefaults, ...config };
  }

  async configure(context: ControllerContext): Promise<void> {
    const joints = context.action.signals.map((s) => {
      if (!s.name.endsWith('.torque')) {
        throw new RangeError(
          `controller 'pd-stand': action signal '${s.name}' is not a '<joint>.torque' signal`,
        );
      }
      return s.name.slice(0, -'.torque'.length);
    });
    const n = joints.length;
    this.posIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.pos`));
    this.velIndex = Int32Array.from(joints, (j) => signalIndex(context.observation, `${j}.vel`));
    this.kp = perJoint('kp', this.config.kp, n);
    this.kd = perJoint('kd', this.config.kd, n);
    this.target = this.config.pose
      ? perJoint('pose', this.config.pose, n)
      : await homePose(this.config.model, joints);
    this.lower = Float64Array.from(context.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(context.action.signals, (s) => s.upper);
  }

  update(observation: Float64Array, _time: number, action: Float64Array): void {
    for (let i = 0; i < this.target.length; i++) {
      const q = observation[this.posIndex[i]!]!;
      const qDot = observation[this.velIndex[i]!]!;
      const tau = this.kp[i]! * (this.target[i]! - q) - this.kd[i]! * qDot;
      action[i] = Math.min(this.upper[i]!, Math.max(this.lower[i]!, tau));
    }
  }
}

function perJoint(name: string, value: number | readonly number[], n: number): Float64Array {
  if (typeof value === 'number') return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(
      `controller 'pd-stand': ${name} has ${value.length} values, expected ${n} (one per joint)`,
    );
  return Float64Array.from(value);
}

async function homePose(model: string, joints: readonly string[]): Promise<Float64Array> {
  const sim = await SimModel.load(model);
  try {
    const key = sim.keyframe('home');
    if (key < 0)
      throw new RangeError(`controller 'pd-stand': model '${model}' has no 'home' keyframe; give 'pose'`);
    const nq = sim.model.nq;
    return Float64Array.from(joints, (j) => sim.model.key_qpos[key * nq + sim.qposAddress(j)]!);
  } finally {
    sim.dispose();
  }
}

const gains = z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]);

export const pdStandOptions = z
  .object({
    model: z.string().optional(),
    kp: gains.optional(),
    kd: gains.optional(),
    pose: z.array(z.number()).optional(),
  })
  .strict();

export const pdStandPlugin: ControllerPlugin<z.output<typeof pdStandOptions>> = {
  kind: 'pd-stand',
  description: 'joint PD holding a default pose (quadruped stand)',
  schema: pdStandOptions,
  create: (options) => {
    const config: Partial<PdStandConfig> = { model: options.model ?? pdStandDefaults.model };
    if (options.kp !== undefined) config.kp = options.kp;
    if (options.kd !== undefined) config.kd = options.kd;
    if (options.pose !== undefined) config.pose = options.pose;
    return new PdStandController(config);
  },
};
