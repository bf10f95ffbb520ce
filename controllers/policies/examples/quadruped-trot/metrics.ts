/**
 * How well a walking run tracked its commands, from the quadruped's observations (the sim's and the
 * rig's are the same signals): body-frame velocity against the commanded [vx, vy, yaw rate], and
 * falls. Shared by the walking test and the legged benchmark.
 */
import type { TickRecord } from '../../../../src/core/tick.ts';

/** A command that holds from `at` seconds of loop time on. */
export interface CommandStep {
  readonly at: number;
  readonly value: readonly [number, number, number];
}

/** Records time, height, uprightness and body-frame velocities of every tick (quadruped signals). */
export class WalkRecorder {
  readonly t: number[] = [];
  readonly z: number[] = [];
  readonly up: number[] = [];
  readonly vx: number[] = [];
  readonly vy: number[] = [];
  readonly wz: number[] = [];
  readonly controller: number[] = [];

  writeTick(r: TickRecord): void {
    const o = r.observation;
    const [qw, qx, qy, qz] = [o[1]!, o[2]!, o[3]!, o[4]!];
    const yaw = Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    this.t.push(r.deadline);
    this.z.push(o[0]!);
    this.up.push(1 - 2 * (qx * qx + qy * qy));
    this.vx.push(c * o[5]! + s * o[6]!);
    this.vy.push(-s * o[5]! + c * o[6]!);
    this.wz.push(o[10]!);
    this.controller.push(r.controller);
  }
}

export interface SegmentResult {
  readonly command: readonly [number, number, number];
  /** Mean body-frame velocity over the segment after `settle` seconds. */
  readonly mean: readonly [number, number, number];
  /** RMS of (measured − commanded) over those ticks, per component. */
  readonly rms: readonly [number, number, number];
}

export interface WalkMetrics {
  readonly segments: readonly SegmentResult[];
  /** RMS over every settled tick of the linear velocity error |(vx, vy) − command| (m/s). */
  readonly linearRms: number;
  /** RMS of the yaw-rate error (rad/s) over the settled ticks. */
  readonly yawRms: number;
  /** |mean − command| averaged over segments (m/s for linear, rad/s for yaw): the tracking bias. */
  readonly linearMeanError: number;
  readonly yawMeanError: number;
  /** Times the trunk went below `fallHeight` or tipped past 60° while walking, and per minute. */
  readonly falls: number;
  readonly fallsPerMinute: number;
  readonly walkingSeconds: number;
}

/**
 * Tracking over the command schedule, from `walkFrom` seconds (when the policy is active) to the
 * end; each segment's first `settle` seconds are left out (the robot accelerates).
 */
export function walkMetrics(
  rec: WalkRecorder,
  schedule: readonly CommandStep[],
  options: { walkFrom: number; settle?: number; fallHeight?: number } = { walkFrom: 0 },
): WalkMetrics {
  const settle = options.settle ?? 1.5;
  const fallHeight = options.fallHeight ?? 0.15;
  const end = rec.t[rec.t.length - 1] ?? 0;
  const steps = [...schedule].sort((a, b) => a.at - b.at);
  const segments: SegmentResult[] = [];
  let sq = 0;
  let sqYaw = 0;
  let count = 0;
  steps.forEach((step, k) => {
    const from = Math.max(step.at, options.walkFrom) + settle;
    const to = k + 1 < steps.length ? steps[k + 1]!.at : end + 1e-9;
    const idx = rec.t.flatMap((t, i) => (t >= from && t < to ? [i] : []));
    if (idx.length === 0) return;
    const mean = (xs: number[]) => idx.reduce((s, i) => s + xs[i]!, 0) / idx.length;
    const rms = (xs: number[], c: number) =>
      Math.sqrt(idx.reduce((s, i) => s + (xs[i]! - c) ** 2, 0) / idx.length);
    const [cx, cy, cw] = step.value;
    for (const i of idx) {
      sq += (rec.vx[i]! - cx) ** 2 + (rec.vy[i]! - cy) ** 2;
      sqYaw += (rec.wz[i]! - cw) ** 2;
      count++;
    }
    segments.push({
      command: step.value,
      mean: [mean(rec.vx), mean(rec.vy), mean(rec.wz)],
      rms: [rms(rec.vx, cx), rms(rec.vy, cy), rms(rec.wz, cw)],
    });
  });
  let falls = 0;
  let down = false;
  for (let i = 0; i < rec.t.length; i++) {
    if (rec.t[i]! < options.walkFrom) continue;
    const fallen = rec.z[i]! < fallHeight || rec.up[i]! < 0.5;
    if (fallen && !down) falls++;
    down = fallen;
  }
  const walkingSeconds = Math.max(0, end - options.walkFrom);
  const linearMeanError =
    segments.reduce((s, g) => s + Math.hypot(g.mean[0] - g.command[0], g.mean[1] - g.command[1]), 0) /
    Math.max(1, segments.length);
  const yawMeanError =
    segments.reduce((s, g) => s + Math.abs(g.mean[2] - g.command[2]), 0) / Math.max(1, segments.length);
  return {
    segments,
    linearRms: Math.sqrt(sq / Math.max(1, count)),
    yawRms: Math.sqrt(sqYaw / Math.max(1, count)),
    linearMeanError,
    yawMeanError,
    falls,
    fallsPerMinute: walkingSeconds > 0 ? (60 * falls) / walkingSeconds : 0,
    walkingSeconds,
  };
}
