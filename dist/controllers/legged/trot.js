// Compiled from controllers/legged/trot.ts by `npm run build`: edit the source, not this file.

// controllers/legged/trot.ts
import { z } from "zod";
import { signalIndex } from "../../src/core/spec.js";
import { JointDrive } from "./motor-modes.js";
var trotOptions = z.object({
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
  command: z.string().default("base_velocity"),
  value: z.tuple([z.number(), z.number(), z.number()]).default([0, 0, 0])
}).strict();
var legs = [
  { name: "fl", x: 0.19, side: 1, pair: 0 },
  { name: "fr", x: 0.19, side: -1, pair: 1 },
  { name: "rl", x: -0.19, side: 1, pair: 1 },
  { name: "rr", x: -0.19, side: -1, pair: 0 }
];
var hipOffset = 0.08;
var hipY = 0.05 + hipOffset;
var thigh = 0.2;
var calf = 0.2;
function legIk(px, py, pz, side, out, at) {
  const l = side * hipOffset;
  const r2 = py * py + pz * pz;
  const z2 = -Math.sqrt(Math.max(1e-6, r2 - l * l));
  const abduction = Math.atan2(pz, py) - Math.atan2(z2, l);
  const X = -px;
  const Z = -z2;
  const d2 = X * X + Z * Z;
  const c = Math.min(1, Math.max(-1, (d2 - thigh * thigh - calf * calf) / (2 * thigh * calf)));
  const knee = -Math.acos(c);
  out[at] = abduction;
  out[at + 1] = Math.atan2(X, Z) - Math.atan2(calf * Math.sin(knee), thigh + calf * Math.cos(knee));
  out[at + 2] = knee;
}
var TrotController = class {
  constructor(options) {
    this.options = options;
    this.fallbackCommand = Float64Array.from(options.value);
  }
  options;
  name = "trot";
  drive;
  base = new Float64Array(0);
  /** Robot joint index of (leg, joint) → position in the drive's joint list. */
  order = new Int32Array(12);
  obs = new Int32Array(0);
  q = new Float64Array(12);
  targets = new Float64Array(12);
  kp = new Float64Array(0);
  kd = new Float64Array(0);
  command;
  fallbackCommand;
  foot = new Float64Array(12);
  lifted = new Float64Array(8);
  stance = new Uint8Array(4);
  startTime = Number.NaN;
  lastTime = 0;
  dt = 0.02;
  configure(context) {
    const drive = new JointDrive(context, this.name);
    this.drive = drive;
    this.base = Float64Array.from(context.action.safe);
    this.dt = context.dt;
    this.order = Int32Array.from(
      legs.flatMap((leg) => ["hip", "thigh", "knee"].map((j) => `${leg.name}_${j}`)),
      (name) => {
        const i = drive.joints.indexOf(name);
        if (i < 0)
          throw new RangeError(
            `controller 'trot': the robot has no joint '${name}' (a quadruped.xml robot?)`
          );
        return i;
      }
    );
    this.obs = Int32Array.from(
      ["base.qw", "base.qx", "base.qy", "base.qz", "base.vx", "base.vy", "base.wz"],
      (s) => signalIndex(context.observation, s)
    );
    this.kp = new Float64Array(12).fill(this.options.kp);
    this.kd = new Float64Array(12).fill(this.options.kd);
    this.command = context.commands?.channel(this.options.command, this.options.value);
  }
  reset() {
    this.startTime = Number.NaN;
    this.foot.fill(0);
    this.lifted.fill(0);
    legs.forEach((leg, i) => {
      this.stance[i] = leg.pair === 0 ? 1 : 0;
    });
  }
  /** Joint targets for this tick in the robot's joint order (the drive's). */
  plan(observation, time, out) {
    if (Number.isNaN(this.startTime)) {
      this.startTime = time;
      this.lastTime = time;
    }
    const p = this.options;
    const dt = time > this.lastTime ? time - this.lastTime : this.dt;
    this.lastTime = time;
    const t = time - this.startTime;
    const o = this.obs;
    const qw = observation[o[0]];
    const qx = observation[o[1]];
    const qy = observation[o[2]];
    const qz = observation[o[3]];
    const yaw = Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const vx = c * observation[o[4]] + s * observation[o[5]];
    const vy = -s * observation[o[4]] + c * observation[o[5]];
    const wz = observation[o[6]];
    const cmd = this.command?.values ?? this.fallbackCommand;
    const ramp = p.ramp > 0 ? Math.min(1, t / p.ramp) : 1;
    const cx = cmd[0] * ramp;
    const cy = cmd[1] * ramp;
    const cw = cmd[2] * ramp;
    const w = cw + p.kw * (cw - wz);
    const phase = (t + this.dt) / p.period % 1;
    for (let i = 0; i < 4; i++) {
      const leg = legs[i];
      const ry = leg.side * hipY;
      const ux = cx + p.kf * (cx - vx) - w * ry;
      const uy = cy + p.kf * (cy - vy) + w * leg.x;
      const legPhase = (phase + 0.5 * leg.pair) % 1;
      const inStance = legPhase < 0.5;
      const f = 3 * i;
      if (inStance) {
        this.foot[f] = this.foot[f] - ux * dt;
        this.foot[f + 1] = this.foot[f + 1] - uy * dt;
        this.foot[f + 2] = -p.height;
      } else {
        if (this.stance[i] === 1) {
          this.lifted[2 * i] = this.foot[f];
          this.lifted[2 * i + 1] = this.foot[f + 1];
        }
        const u = (legPhase - 0.5) / 0.5;
        const along = 0.5 - 0.5 * Math.cos(Math.PI * Math.min(1, u / 0.8));
        const touchX = (cx - cw * ry) * p.period / 4;
        const touchY = (cy + cw * leg.x) * p.period / 4;
        const fromX = this.lifted[2 * i];
        const fromY = this.lifted[2 * i + 1];
        this.foot[f] = fromX + (touchX - fromX) * along;
        this.foot[f + 1] = fromY + (touchY - fromY) * along;
        this.foot[f + 2] = -p.height + p.lift * Math.sin(Math.PI * Math.min(1, u / 0.9));
      }
      this.stance[i] = inStance ? 1 : 0;
      legIk(
        this.foot[f] + p.footX,
        leg.side * hipOffset + this.foot[f + 1],
        this.foot[f + 2],
        leg.side,
        this.q,
        f
      );
    }
    for (let k = 0; k < 12; k++) out[this.order[k]] = this.q[k];
  }
  update(observation, time, action) {
    this.plan(observation, time, this.targets);
    action.set(this.base);
    this.drive.write(observation, action, this.targets, this.kp, this.kd);
  }
};
var trotPlugin = {
  kind: "trot",
  description: "scripted trot for the quadruped: foot placement by leg IK and joint PD, tracking a commanded [vx, vy, yaw rate]",
  schema: trotOptions,
  create: (options) => new TrotController(options)
};
export {
  TrotController,
  legIk,
  trotOptions,
  trotPlugin
};
