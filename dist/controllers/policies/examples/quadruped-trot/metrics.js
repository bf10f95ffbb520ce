// Compiled from controllers/policies/examples/quadruped-trot/metrics.ts by `npm run build`: edit the source, not this file.

// controllers/policies/examples/quadruped-trot/metrics.ts
var WalkRecorder = class {
  t = [];
  z = [];
  up = [];
  vx = [];
  vy = [];
  wz = [];
  controller = [];
  writeTick(r) {
    const o = r.observation;
    const [qw, qx, qy, qz] = [o[1], o[2], o[3], o[4]];
    const yaw = Math.atan2(2 * (qw * qz + qx * qy), 1 - 2 * (qy * qy + qz * qz));
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    this.t.push(r.deadline);
    this.z.push(o[0]);
    this.up.push(1 - 2 * (qx * qx + qy * qy));
    this.vx.push(c * o[5] + s * o[6]);
    this.vy.push(-s * o[5] + c * o[6]);
    this.wz.push(o[10]);
    this.controller.push(r.controller);
  }
};
function walkMetrics(rec, schedule, options = { walkFrom: 0 }) {
  const settle = options.settle ?? 1.5;
  const fallHeight = options.fallHeight ?? 0.15;
  const end = rec.t[rec.t.length - 1] ?? 0;
  const steps = [...schedule].sort((a, b) => a.at - b.at);
  const segments = [];
  let sq = 0;
  let sqYaw = 0;
  let count = 0;
  steps.forEach((step, k) => {
    const from = Math.max(step.at, options.walkFrom) + settle;
    const to = k + 1 < steps.length ? steps[k + 1].at : end + 1e-9;
    const idx = rec.t.flatMap((t, i) => t >= from && t < to ? [i] : []);
    if (idx.length === 0) return;
    const mean = (xs) => idx.reduce((s, i) => s + xs[i], 0) / idx.length;
    const rms = (xs, c) => Math.sqrt(idx.reduce((s, i) => s + (xs[i] - c) ** 2, 0) / idx.length);
    const [cx, cy, cw] = step.value;
    for (const i of idx) {
      sq += (rec.vx[i] - cx) ** 2 + (rec.vy[i] - cy) ** 2;
      sqYaw += (rec.wz[i] - cw) ** 2;
      count++;
    }
    segments.push({
      command: step.value,
      mean: [mean(rec.vx), mean(rec.vy), mean(rec.wz)],
      rms: [rms(rec.vx, cx), rms(rec.vy, cy), rms(rec.wz, cw)]
    });
  });
  let falls = 0;
  let down = false;
  for (let i = 0; i < rec.t.length; i++) {
    if (rec.t[i] < options.walkFrom) continue;
    const fallen = rec.z[i] < fallHeight || rec.up[i] < 0.5;
    if (fallen && !down) falls++;
    down = fallen;
  }
  const walkingSeconds = Math.max(0, end - options.walkFrom);
  const linearMeanError = segments.reduce((s, g) => s + Math.hypot(g.mean[0] - g.command[0], g.mean[1] - g.command[1]), 0) / Math.max(1, segments.length);
  const yawMeanError = segments.reduce((s, g) => s + Math.abs(g.mean[2] - g.command[2]), 0) / Math.max(1, segments.length);
  return {
    segments,
    linearRms: Math.sqrt(sq / Math.max(1, count)),
    yawRms: Math.sqrt(sqYaw / Math.max(1, count)),
    linearMeanError,
    yawMeanError,
    falls,
    fallsPerMinute: walkingSeconds > 0 ? 60 * falls / walkingSeconds : 0,
    walkingSeconds
  };
}
export {
  WalkRecorder,
  walkMetrics
};
