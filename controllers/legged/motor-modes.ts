/**
 * The motor modes of a legged robot's deploy state machine, after Unitree's deploy programs:
 *
 *   passive   zero torque (kp = kd = 0): the robot lies limp; where a run starts
 *   stand-up  joint PD from the pose at activation to a standing pose, interpolated over `duration`
 *             seconds, then held
 *   damping   kd only (kp = 0): the legged safe mode; a robot sinks slowly instead of collapsing
 *
 * A run wires them with the controller manager (docs/legged-and-arms.md): passive → stand-up →
 * policy by timed rules or operator switches, damping as the fallback; the robot's safe action (a pd
 * drive's damping) covers e-stops, latches and the end of the run.
 *
 * Each works on either kind of robot: with a pd drive (action signals `<joint>.target`, `<joint>.kp`,
 * `<joint>.kd`) it sends targets and gains and the drive closes the loop at the physics rate; with a
 * torque drive (`<joint>.torque`) it computes τ = kp (q* − q) − kd q̇ itself at the loop rate.
 */
import { z } from 'zod';
import { SimModel } from '../../sim/model.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { signalIndex } from '../../src/core/spec.ts';

/** How a controller reaches each joint: the robot's pd drive, or torques computed here. */
export class JointDrive {
  readonly joints: readonly string[];
  readonly pd: boolean;
  private readonly pos: Int32Array;
  private readonly vel: Int32Array;
  private readonly target: Int32Array;
  private readonly kp: Int32Array;
  private readonly kd: Int32Array;
  private readonly torque: Int32Array;
  private readonly lower: Float64Array;
  private readonly upper: Float64Array;
  /** The drive's damping kd (its safe action), or undefined on a torque robot. */
  readonly safeKd: Float64Array | undefined;
  /** The safe action's targets (inside each joint's range), for modes with kp = 0. */
  readonly restTarget: Float64Array;

  constructor(context: ControllerContext, who: string) {
    const { action, observation } = context;
    const names = action.signals.map((s) => s.name);
    this.pd = names.some((n) => n.endsWith('.kp'));
    const suffix = this.pd ? '.target' : '.torque';
    this.joints = names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length));
    if (this.joints.length === 0)
      throw new RangeError(
        `controller '${who}': the robot's actions are neither '<joint>.torque' nor a pd drive's '<joint>.target/kp/kd' (actions: ${names.join(', ')})`,
      );
    const index = (list: readonly string[], s: string) =>
      Int32Array.from(list, (j) => signalIndex(action, `${j}${s}`));
    this.pos = Int32Array.from(this.joints, (j) => signalIndex(observation, `${j}.pos`));
    this.vel = Int32Array.from(this.joints, (j) => signalIndex(observation, `${j}.vel`));
    this.target = this.pd ? index(this.joints, '.target') : new Int32Array(0);
    this.kp = this.pd ? index(this.joints, '.kp') : new Int32Array(0);
    this.kd = this.pd ? index(this.joints, '.kd') : new Int32Array(0);
    this.torque = this.pd ? new Int32Array(0) : index(this.joints, '.torque');
    const torqueIndex = this.torque;
    this.lower = Float64Array.from(torqueIndex, (i) => action.signals[i]!.lower);
    this.upper = Float64Array.from(torqueIndex, (i) => action.signals[i]!.upper);
    this.safeKd = this.pd ? Float64Array.from(this.kd, (i) => action.safe[i]!) : undefined;
    this.restTarget = this.pd
      ? Float64Array.from(this.target, (i) => action.safe[i]!)
      : new Float64Array(this.joints.length);
  }

  get size(): number {
    return this.joints.length;
  }

  position(observation: Float64Array, j: number): number {
    return observation[this.pos[j]!]!;
  }

  /** Writes joint PD with targets `q`, gains `kp`, `kd` (per joint) into `action`. */
  write(
    observation: Float64Array,
    action: Float64Array,
    q: Float64Array,
    kp: Float64Array,
    kd: Float64Array,
  ): void {
    if (this.pd) {
      for (let j = 0; j < this.joints.length; j++) {
        action[this.target[j]!] = q[j]!;
        action[this.kp[j]!] = kp[j]!;
        action[this.kd[j]!] = kd[j]!;
      }
      return;
    }
    for (let j = 0; j < this.joints.length; j++) {
      const tau = kp[j]! * (q[j]! - observation[this.pos[j]!]!) - kd[j]! * observation[this.vel[j]!]!;
      action[this.torque[j]!] = Math.min(this.upper[j]!, Math.max(this.lower[j]!, tau));
    }
  }
}

const gains = z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]);

function perJoint(who: string, what: string, value: number | readonly number[], n: number): Float64Array {
  if (typeof value === 'number') return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new RangeError(
      `controller '${who}': ${what} has ${value.length} values, expected ${n} (one per joint)`,
    );
  return Float64Array.from(value);
}

/** Writes the parts of an action a motor mode does not set (e.g. a pd drive's other signals). */
function safeBase(context: ControllerContext): Float64Array {
  return Float64Array.from(context.action.safe);
}

/** Zero torque: kp = kd = 0 (pd drive) or τ = 0. */
export class PassiveController implements Controller {
  readonly name = 'passive';
  private drive: JointDrive | undefined;
  private base: Float64Array = new Float64Array(0);
  private zero: Float64Array = new Float64Array(0);

  configure(context: ControllerContext): void {
    this.drive = new JointDrive(context, this.name);
    this.base = safeBase(context);
    this.zero = new Float64Array(this.drive.size);
  }

  update(observation: Float64Array, _time: number, action: Float64Array): void {
    action.set(this.base);
    this.drive!.write(observation, action, this.drive!.restTarget, this.zero, this.zero);
  }
}

/** kd only: the legged safe mode. */
export class DampingController implements Controller {
  readonly name = 'damping';
  private drive: JointDrive | undefined;
  private base: Float64Array = new Float64Array(0);
  private zero: Float64Array = new Float64Array(0);
  private kd: Float64Array = new Float64Array(0);

  constructor(private readonly options: { kd?: number | readonly number[] | undefined } = {}) {}

  configure(context: ControllerContext): void {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    this.base = safeBase(context);
    this.zero = new Float64Array(drive.size);
    const kd = this.options.kd ?? (drive.safeKd ? Array.from(drive.safeKd) : undefined);
    if (kd === undefined)
      throw new RangeError(
        "controller 'damping': give kd (the robot has a torque drive, whose safe action is zero torque, not damping)",
      );
    this.kd = perJoint(this.name, 'kd', kd, drive.size);
  }

  update(observation: Float64Array, _time: number, action: Float64Array): void {
    action.set(this.base);
    this.drive!.write(observation, action, this.drive!.restTarget, this.zero, this.kd);
  }
}

export interface StandUpOptions {
  /** Standing pose in the robot's joint order; default: the `home` keyframe of `model`. */
  readonly pose?: readonly number[] | undefined;
  readonly model?: string | undefined;
  /** Seconds from the pose at activation to the standing pose. */
  readonly duration: number;
  readonly kp: number | readonly number[];
  readonly kd: number | readonly number[];
}

/**
 * Joint PD from the pose the robot is in when the controller becomes active to a standing pose,
 * interpolated with a smooth (cosine) profile over `duration` seconds, then held.
 */
export class StandUpController implements Controller {
  readonly name = 'stand-up';
  private drive: JointDrive | undefined;
  private base: Float64Array = new Float64Array(0);
  private start: Float64Array = new Float64Array(0);
  private goal: Float64Array = new Float64Array(0);
  private now: Float64Array = new Float64Array(0);
  private kp: Float64Array = new Float64Array(0);
  private kd: Float64Array = new Float64Array(0);
  private startTime = Number.NaN;

  constructor(private readonly options: StandUpOptions) {}

  async configure(context: ControllerContext): Promise<void> {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    const n = drive.size;
    this.base = safeBase(context);
    this.kp = perJoint(this.name, 'kp', this.options.kp, n);
    this.kd = perJoint(this.name, 'kd', this.options.kd, n);
    this.goal = this.options.pose
      ? perJoint(this.name, 'pose', this.options.pose, n)
      : await homePose(this.options.model ?? 'quadruped', drive.joints);
    this.start = new Float64Array(n);
    this.now = new Float64Array(n);
  }

  reset(observation: Float64Array): void {
    const drive = this.drive!;
    for (let j = 0; j < drive.size; j++) this.start[j] = drive.position(observation, j);
    this.startTime = Number.NaN;
  }

  update(observation: Float64Array, time: number, action: Float64Array): void {
    if (Number.isNaN(this.startTime)) this.startTime = time;
    const s = Math.min(1, (time - this.startTime) / this.options.duration);
    const w = 0.5 - 0.5 * Math.cos(Math.PI * s);
    for (let j = 0; j < this.goal.length; j++)
      this.now[j] = this.start[j]! + w * (this.goal[j]! - this.start[j]!);
    action.set(this.base);
    this.drive!.write(observation, action, this.now, this.kp, this.kd);
  }
}

async function homePose(model: string, joints: readonly string[]): Promise<Float64Array> {
  const sim = await SimModel.load(model);
  try {
    const key = sim.keyframe('home');
    if (key < 0)
      throw new RangeError(`controller 'stand-up': model '${model}' has no 'home' keyframe; give 'pose'`);
    const nq = sim.model.nq;
    return Float64Array.from(joints, (j) => sim.model.key_qpos[key * nq + sim.qposAddress(j)]!);
  } finally {
    sim.dispose();
  }
}

export const passivePlugin: ControllerPlugin<Record<string, never>> = {
  kind: 'passive',
  description: 'zero torque on every joint (kp = kd = 0): a legged robot lies limp',
  schema: z.object({}).strict() as z.ZodType<Record<string, never>>,
  create: () => new PassiveController(),
};

const dampingOptions = z.object({ kd: gains.optional() }).strict();

export const dampingPlugin: ControllerPlugin<z.output<typeof dampingOptions>> = {
  kind: 'damping',
  description: "kd only on every joint (default: the pd drive's damping): the legged safe mode",
  schema: dampingOptions,
  create: (options) => new DampingController({ kd: options.kd }),
};

const standUpOptions = z
  .object({
    pose: z.array(z.number()).optional(),
    model: z.string().optional(),
    duration: z.number().positive().default(2),
    kp: gains.default(100),
    kd: gains.default(2.5),
  })
  .strict();

export const standUpPlugin: ControllerPlugin<z.output<typeof standUpOptions>> = {
  kind: 'stand-up',
  description: 'joint PD from the current pose to a standing pose over `duration` seconds, then held',
  schema: standUpOptions,
  create: (options) => new StandUpController(options),
};
