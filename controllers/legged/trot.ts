/**
 * A scripted trot for the 12-DoF quadruped (sim/models/quadruped.xml): diagonal leg pairs alternate
 * stance and swing with a fixed period; stance feet move backward under the hips at the commanded
 * velocity (forward, lateral, yaw rate) plus a correction proportional to the velocity error; swing
 * feet return to a touchdown point half a stance stride ahead along a raised arc. Feet are placed by
 * leg inverse kinematics and tracked by joint PD (the robot's pd drive, or torques computed here).
 *
 * It is the teacher of the bundled walking policy (controllers/policies/examples/quadruped-trot/),
 * and a controller in its own right. It reads the base velocity from the simulator's `base.vx/vy`
 * (world frame), which a real robot does not measure: the distilled policy does without it.
 */
import { z } from 'zod';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { CommandChannel } from '../../src/core/commands.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { signalIndex } from '../../src/core/spec.ts';
import { JointDrive } from './motor-modes.ts';

export const trotOptions = z
  .object({
    /** Gait period, s (one stance and one swing of each leg). */
    period: z.number().positive().default(0.3),
    /** Hip height above the feet in stance, m. */
    height: z.number().positive().default(0.27),
    /** Foot lift at mid-swing, m. */
    lift: z.number().positive().default(0.07),
    /** Neutral foot position ahead of the hip (negative: behind), m. */
    footX: z.number().default(-0.08),
    /** Stance feet move faster by this share of the velocity error (and of the yaw-rate error × kw). */
    kf: z.number().nonnegative().default(1),
    kw: z.number().nonnegative().default(0.3),
    kp: z.number().nonnegative().default(100),
    kd: z.number().nonnegative().default(2.5),
    /** Seconds over which the commanded velocity ramps up after activation. */
    ramp: z.number().nonnegative().default(1),
    /** Command channel [vx, vy, yaw rate] (body frame); `value` until one is written. */
    command: z.string().default('base_velocity'),
    value: z.tuple([z.number(), z.number(), z.number()]).default([0, 0, 0]),
  })
  .strict();

export type TrotOptions = z.output<typeof trotOptions>;

/** Quadruped geometry (quadruped.xml): hip positions, lateral hip offset, link lengths. */
const legs = [
  { name: 'fl', x: 0.19, side: 1, pair: 0 },
  { name: 'fr', x: 0.19, side: -1, pair: 1 },
  { name: 'rl', x: -0.19, side: 1, pair: 1 },
  { name: 'rr', x: -0.19, side: -1, pair: 0 },
] as const;
const hipOffset = 0.08;
const hipY = 0.05 + hipOffset;
const thigh = 0.2;
const calf = 0.2;

/**
 * Joint angles (abduction, thigh, knee) putting the foot at (px, py, pz) relative to the hip joint in
 * the trunk frame, for a leg on `side` (+1 left, −1 right). Writes out[at..at+2].
 */
export function legIk(px: number, py: number, pz: number, side: number, out: Float64Array, at: number): void {
  const l = side * hipOffset;
  const r2 = py * py + pz * pz;
  const z = -Math.sqrt(Math.max(1e-6, r2 - l * l));
  const abduction = Math.atan2(pz, py) - Math.atan2(z, l);
  const X = -px;
  const Z = -z;
  const d2 = X * X + Z * Z;
  const c = Math.min(1, Math.max(-1, (d2 - thigh * thigh - calf * calf) / (2 * thigh * calf)));
  const knee = -Math.acos(c);
  out[at] = abduction;
  out[at + 1] = Math.atan2(X, Z) - Math.atan2(calf * Math.sin(knee), thigh + calf * Math.cos(knee));
  out[at + 2] = knee;
}

export class TrotController implements Controller {
  readonly name = 'trot';
  private drive: JointDrive | undefined;
  private base: Float64Array = new Float64Array(0);
  /** Robot joint index of (leg, joint) → position in the drive's joint list. */
  private order = new Int32Array(12);
  private obs = new Int32Array(0);
  private readonly q = new Float64Array(12);
  private readonly targets = new Float64Array(12);
  private kp: Float64Array = new Float64Array(0);
  private kd: Float64Array = new Float64Array(0);
  private command: CommandChannel | undefined;
  private readonly fallbackCommand: Float64Array;
  private readonly foot = new Float64Array(12);
  private readonly lifted = new Float64Array(8);
  private readonly stance = new Uint8Array(4);
  private startTime = Number.NaN;
  private lastTime = 0;
  private dt = 0.02;

  constructor(readonly options: TrotOptions) {
    this.fallbackCommand = Float64Array.from(options.value);
  }

  configure(context: ControllerContext): void {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    this.base = Float64Array.from(context.action.safe);
    this.dt = context.dt;
    this.order = Int32Array.from(
      legs.flatMap((leg) => ['hip', 'thigh', 'knee'].map((j) => `${leg.name}_${j}`)),
      (name) => {
        const i = drive.joints.indexOf(name);
        if (i < 0)
          throw new RangeError(
            `controller 'trot': the robot has no joint '${name}' (a quadruped.xml robot?)`,
          );
        return i;
      },
    );
    this.obs = Int32Array.from(
      ['base.qw', 'base.qx', 'base.qy', 'base.qz', 'base.vx', 'base.vy', 'base.wz'],
      (s) => signalIndex(context.observation, s),
    );
    this.kp = new Float64Array(12).fill(this.options.kp);
    this.kd = new Float64Array(12).fill(this.options.kd);
    this.command = context.commands?.channel(this.options.command, this.options.value);
  }

  reset(): void {
    this.startTime = Number.NaN;
    this.foot.fill(0);
    this.lifted.fill(0);
    // Pair 0 starts in stance, pair 1 in swing (from the neutral point).
    legs.forEach((leg, i) => {
      this.stance[i] = leg.pair === 0 ? 1 : 0;
    });
  }

  /** Joint targets for this tick in the robot's joint order (the drive's). */
  plan(observation: Float64Array, time: number, out: Float64Array): void {
    if (Number.isNaN(this.startTime)) {
      this.startTime = time;
      this.lastTime = time;
    }
    const p = this.options;
    const dt = time > this.lastTime ? time - this.lastTime : this.dt;
    this.lastTime = time;
    const t = time - this.startTime;
    const o = this.obs;
    const qw = observation[o[0]!]!;
    const qx = observation[o[1]!]!;
    const qy = observation[o[2]!]!;
    const qz = observation[o[3]!]!;
    const yaw = Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const vx = c * observation[o[4]!]! + s * observation[o[5]!]!;
    const vy = -s * observation[o[4]!]! + c * observation[o[5]!]!;
    const wz = observation[o[6]!]!;
    const cmd = this.command?.values ?? this.fallbackCommand;
    const ramp = p.ramp > 0 ? Math.min(1, t / p.ramp) : 1;
    const cx = cmd[0]! * ramp;
    const cy = cmd[1]! * ramp;
    const cw = cmd[2]! * ramp;
    const w = cw + p.kw * (cw - wz);
    // The targets for the end of this control period.
    const phase = ((t + this.dt) / p.period) % 1;
    for (let i = 0; i < 4; i++) {
      const leg = legs[i]!;
      const ry = leg.side * hipY;
      const ux = cx + p.kf * (cx - vx) - w * ry;
      const uy = cy + p.kf * (cy - vy) + w * leg.x;
      const legPhase = (phase + 0.5 * leg.pair) % 1;
      const inStance = legPhase < 0.5;
      const f = 3 * i;
      if (inStance) {
        this.foot[f] = this.foot[f]! - ux * dt;
        this.foot[f + 1] = this.foot[f + 1]! - uy * dt;
        this.foot[f + 2] = -p.height;
      } else {
        if (this.stance[i] === 1) {
          this.lifted[2 * i] = this.foot[f]!;
          this.lifted[2 * i + 1] = this.foot[f + 1]!;
        }
        const u = (legPhase - 0.5) / 0.5;
        const along = 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, u / 0.8));
        const touchX = ((cx - cw * ry) * p.period) / 4;
        const touchY = ((cy + cw * leg.x) * p.period) / 4;
        const fromX = this.lifted[2 * i]!;
        const fromY = this.lifted[2 * i + 1]!;
        this.foot[f] = fromX + (touchX - fromX) * along;
        this.foot[f + 1] = fromY + (touchY - fromY) * along;
        this.foot[f + 2] = -p.height + p.lift * Math.sin(Math.PI * Math.min(1, u / 0.9));
      }
      this.stance[i] = inStance ? 1 : 0;
      legIk(
        this.foot[f]! + p.footX,
        leg.side * hipOffset + this.foot[f + 1]!,
        this.foot[f + 2]!,
        leg.side,
        this.q,
        f,
      );
    }
    for (let k = 0; k < 12; k++) out[this.order[k]!] = this.q[k]!;
  }

  update(observation: Float64Array, time: number, action: Float64Array): void {
    this.plan(observation, time, this.targets);
    action.set(this.base);
    this.drive!.write(observation, action, this.targets, this.kp, this.kd);
  }
}

export const trotPlugin: ControllerPlugin<TrotOptions> = {
  kind: 'trot',
  description:
    'scripted trot for the quadruped: foot placement by leg IK and joint PD, tracking a commanded [vx, vy, yaw rate]',
  schema: trotOptions,
  create: (options) => new TrotController(options),
};
