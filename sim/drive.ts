/**
 * Motor drives for the simulated robots: what the actuators do with a command between two control
 * ticks. Real legged robots and arms run joint PD on the motor drivers (Unitree: kp/kd per motor in
 * every LowCmd; Franka: joint impedance in the 1 kHz loop); the runtime sends targets and gains at the
 * policy rate and the drive closes the loop at the physics rate.
 *
 *   torque (default)  the action is the joint torque, held for the control period
 *   pd                the action is, per joint, a position target, kp and kd:
 *                       signals `<joint>.target` (rad), then `<joint>.kp` (N*m/rad), then `<joint>.kd`
 *                       (N*m*s/rad); every physics step applies
 *                       tau = clamp(kp (target − q) − kd q̇, actuator limits)
 *
 * With the pd drive the safe action is damping: kp = 0, kd = `damping` (per joint), so a robot whose
 * runtime stops, latches or faults sinks slowly under its own damping instead of collapsing.
 */
import { z } from 'zod';
import type { ActionSpec } from '../src/core/spec.ts';
import { signal } from '../src/core/spec.ts';
import type { SimData } from './data.ts';
import type { EnvKernel } from './envs/definition.ts';
import { jointRange } from './envs/definition.ts';
import type { SimModel } from './model.ts';
import { HeapView } from './mujoco.ts';

const gainList = z.union([z.number().nonnegative().finite(), z.array(z.number().nonnegative().finite())]);

export const driveSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('torque') }).strict(),
  z
    .object({
      mode: z.literal('pd'),
      /** kd of the safe action (damping), one for all joints or one per joint. */
      damping: gainList.default(1),
      /** Upper limits of the kp and kd signals (the safety layer clamps gains to them). */
      maxKp: gainList.default(1000),
      maxKd: gainList.default(100),
      /**
       * What a faulted robot does: `damping` (the safe action) or `hold` (stiff PD at the pose where
       * the fault happened, like an arm's brakes: kp = `holdKp`, kd = `holdKd`).
       */
      fault: z.enum(['damping', 'hold']).default('damping'),
      holdKp: gainList.default(200),
      holdKd: gainList.default(10),
      /**
       * Add the model's gravity and Coriolis torques (MuJoCo's qfrc_bias) to the drive's output, as a
       * Franka's joint impedance does for its user. Off for legged robots (their drivers do not).
       */
      gravityCompensation: z.boolean().default(false),
    })
    .strict(),
]);

export type DriveOptions = z.output<typeof driveSchema>;
export type DriveInput = z.input<typeof driveSchema>;
export type PdDriveOptions = Extract<DriveOptions, { mode: 'pd' }>;

function perJoint(what: string, value: number | readonly number[], n: number): Float64Array {
  if (typeof value === 'number') return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(`drive.${what}: ${value.length} values given, expected 1 or ${n} (one per joint)`);
  return Float64Array.from(value);
}

/** The joint each torque action drives, by name: `<joint>.torque` (or `.force`) → joint `<joint>`. */
function drivenJoints(sim: SimModel, action: ActionSpec): string[] {
  const joints = sim.names('joint');
  return action.signals.map((s) => {
    const joint = s.name.replace(/\.(torque|force)$/, '');
    if (joint === s.name || !joints.includes(joint)) {
      throw new RangeError(
        `drive pd: action '${s.name}' does not name a joint as '<joint>.torque' (joints: ${joints.join(', ')})`,
      );
    }
    return joint;
  });
}

/** Action signal names of a pd drive over `joints`: targets, then kp, then kd. */
export function pdActionNames(joints: readonly string[]): string[] {
  return [
    ...joints.map((j) => `${j}.target`),
    ...joints.map((j) => `${j}.kp`),
    ...joints.map((j) => `${j}.kd`),
  ];
}

/**
 * Wraps an environment kernel whose actions are joint torques into one whose actions are PD targets
 * and gains. `substep` runs before every physics step and writes the torques; `applyAction` only
 * stores the command. A faulted robot (`setFault`) applies damping or a hold at the pose it faulted in.
 */
export class PdDriveKernel implements EnvKernel {
  readonly observation: EnvKernel['observation'];
  readonly action: ActionSpec;
  readonly joints: readonly string[];
  private readonly n: number;
  private readonly qpos: Int32Array;
  private readonly dof: Int32Array;
  private readonly target: Float64Array;
  private readonly kp: Float64Array;
  private readonly kd: Float64Array;
  private readonly torque: Float64Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  private readonly damping: Float64Array;
  private readonly holdKp: Float64Array;
  private readonly holdKd: Float64Array;
  private readonly holdPose: Float64Array;
  private faulted = false;
  private bias: HeapView | undefined;
  private biasData: SimData | undefined;

  constructor(
    sim: SimModel,
    private readonly inner: EnvKernel,
    private readonly options: PdDriveOptions,
  ) {
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
    this.damping = perJoint('damping', options.damping, n);
    this.holdKp = perJoint('holdKp', options.holdKp, n);
    this.holdKd = perJoint('holdKd', options.holdKd, n);
    this.holdPose = new Float64Array(n);
    const maxKp = perJoint('maxKp', options.maxKp, n);
    const maxKd = perJoint('maxKd', options.maxKd, n);
    const ranges = joints.map((j) => jointRange(sim, sim.id('joint', j)));
    for (let i = 0; i < n; i++) {
      if (this.damping[i]! > maxKd[i]!)
        throw new RangeError(
          `drive.damping: ${this.damping[i]} for '${joints[i]}' exceeds maxKd ${maxKd[i]}`,
        );
    }
    this.action = {
      signals: [
        ...joints.map((j, i) => signal(`${j}.target`, 'rad', ...ranges[i]!)),
        ...joints.map((j, i) => signal(`${j}.kp`, 'N*m/rad', 0, maxKp[i]!)),
        ...joints.map((j, i) => signal(`${j}.kd`, 'N*m*s/rad', 0, maxKd[i]!)),
      ],
      mode: 'position',
      // Damping: the target does not matter with kp = 0; any value inside the joint's range will do.
      safe: [
        ...ranges.map(([lo, hi]) => Math.min(Math.max(0, lo), hi)),
        ...joints.map(() => 0),
        ...this.damping,
      ],
    };
  }

  resetState(data: SimData, rng: Parameters<EnvKernel['resetState']>[1], noiseScale: number): void {
    this.inner.resetState(data, rng, noiseScale);
    this.faulted = false;
  }

  /** Stores the command; torques are computed before every physics step (`substep`). */
  applyAction(action: Float64Array): void {
    const n = this.n;
    for (let i = 0; i < n; i++) {
      this.target[i] = action[i]!;
      this.kp[i] = action[n + i]!;
      this.kd[i] = action[2 * n + i]!;
    }
  }

  /** The drive: one PD evaluation per physics step. */
  substep(data: SimData): void {
    const qpos = data.qpos;
    const qvel = data.qvel;
    const n = this.n;
    const hold = this.faulted && this.options.fault === 'hold';
    const damp = this.faulted && this.options.fault === 'damping';
    if (this.options.gravityCompensation && this.biasData !== data) {
      this.bias = new HeapView(() => data.data.qfrc_bias);
      this.biasData = data;
    }
    const bias = this.options.gravityCompensation ? this.bias!.get() : undefined;
    for (let i = 0; i < n; i++) {
      const q = qpos[this.qpos[i]!]!;
      const qd = qvel[this.dof[i]!]!;
      let u: number;
      if (hold) u = this.holdKp[i]! * (this.holdPose[i]! - q) - this.holdKd[i]! * qd;
      else if (damp) u = -this.damping[i]! * qd;
      else u = this.kp[i]! * (this.target[i]! - q) - this.kd[i]! * qd;
      if (bias !== undefined && !damp) u += bias[this.dof[i]!]!;
      this.torque[i] = Math.min(this.upper[i]!, Math.max(this.lower[i]!, u));
    }
    this.inner.applyAction(this.torque, data);
  }

  /** The torques of the last physics step (N*m), in joint order. */
  get appliedTorque(): Float64Array {
    return this.torque;
  }

  /** Enters (or leaves) the drive's fault behaviour: damping, or a hold at the current pose. */
  setFault(faulted: boolean, data: SimData): void {
    if (faulted && !this.faulted) {
      for (let i = 0; i < this.n; i++) this.holdPose[i] = data.qpos[this.qpos[i]!]!;
    }
    this.faulted = faulted;
  }

  observe(data: SimData, out: Float64Array): void {
    this.inner.observe(data, out);
  }

  reward(observation: Float64Array, _action: Float64Array, data: SimData, dt: number): number {
    return this.inner.reward(observation, this.torque, data, dt);
  }

  terminated(observation: Float64Array, data: SimData): boolean {
    return this.inner.terminated(observation, data);
  }
}

/** The kernel for a drive: the torque kernel itself, or a PD drive around it. */
export function withDrive(sim: SimModel, kernel: EnvKernel, drive: DriveInput | undefined): EnvKernel {
  if (drive === undefined) return kernel;
  const parsed = driveSchema.safeParse(drive);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `drive.${i.path.join('.')}: ${i.message}`);
    throw new RangeError(issues.join('; '));
  }
  if (parsed.data.mode === 'torque') return kernel;
  return new PdDriveKernel(sim, kernel, parsed.data);
}
