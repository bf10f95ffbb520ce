// Compiled from hardware/rig/cartesian-law.ts by `npm run build`: edit the source, not this file.

// hardware/rig/cartesian-law.ts
import {
  rotationBetween,
  rotationFromVector,
  SiteKinematics,
  vectorFromRotation
} from "../../sim/site-kinematics.js";
var lambda2 = 1e-6;
var CartesianLaw = class {
  constructor(sim, data, layout, options) {
    this.data = data;
    this.options = options;
    this.kinematics = new SiteKinematics(sim, data.data, options.site);
    this.dof = Int32Array.from(layout.actionJoint, (j) => {
      const joint = layout.joints[j];
      if (joint === void 0) throw new RangeError("cartesian mode: every actuator must drive a joint");
      return joint.dofAddress;
    });
    this.damping = new Float64Array(this.dof.length);
  }
  data;
  options;
  kinematics;
  /** Degree of freedom of each actuator's joint. */
  dof;
  rTarget = new Float64Array(9);
  rSite = new Float64Array(9);
  rError = new Float64Array(9);
  error = new Float64Array(6);
  wrench = new Float64Array(6);
  projected = new Float64Array(6);
  solution = new Float64Array(6);
  gram = new Float64Array(36);
  damping;
  /** The site's pose now: x, y, z (m) and its rotation vector (rad), world frame. */
  pose(out) {
    this.kinematics.update(false);
    this.kinematics.position(out, 0);
    this.kinematics.rotation(this.rSite);
    vectorFromRotation(this.rSite, out, 3);
  }
  /** The position and orientation error of the last `torque` call (target − site). */
  get lastError() {
    return this.error;
  }
  /** The Cartesian force and torque of the last `torque` call, K e − D J q̇ (N, N*m; world frame). */
  get lastWrench() {
    return this.wrench;
  }
  /** Joint torques (one per actuator) of the law for pose `target` with per-axis gains kp, kd. */
  torque(target, kp, kd, out) {
    const kin = this.kinematics;
    kin.update(true);
    const e = this.error;
    kin.position(e, 0);
    for (let k = 0; k < 3; k++) e[k] = target[k] - e[k];
    rotationFromVector(target, 3, this.rTarget);
    kin.rotation(this.rSite);
    rotationBetween(this.rTarget, this.rSite, this.rError);
    vectorFromRotation(this.rError, e, 3);
    const jp = kin.translational;
    const jr = kin.rotational;
    const nv = this.data.sim.model.nv;
    const qvel = this.data.qvel;
    const dof = this.dof;
    const n = dof.length;
    for (let r = 0; r < 6; r++) {
      const row = r < 3 ? jp : jr;
      const base = r % 3 * nv;
      let v = 0;
      for (let d = 0; d < nv; d++) v += row[base + d] * qvel[d];
      this.wrench[r] = kp[r] * e[r] - kd[r] * v;
    }
    const y = this.damping;
    for (let i = 0; i < n; i++) y[i] = -this.options.nullspaceDamping * qvel[dof[i]];
    for (let r = 0; r < 6; r++) {
      const row = r < 3 ? jp : jr;
      const base = r % 3 * nv;
      let w = 0;
      for (let i = 0; i < n; i++) w += row[base + dof[i]] * y[i];
      this.projected[r] = w;
      for (let c = 0; c <= r; c++) {
        const other = c < 3 ? jp : jr;
        const otherBase = c % 3 * nv;
        let s = r === c ? lambda2 : 0;
        for (let i = 0; i < n; i++) s += row[base + dof[i]] * other[otherBase + dof[i]];
        this.gram[6 * r + c] = s;
        this.gram[6 * c + r] = s;
      }
    }
    solveSpd6(this.gram, this.projected, this.solution);
    for (let i = 0; i < n; i++) {
      const d = dof[i];
      let tau = y[i];
      for (let r = 0; r < 6; r++) {
        const j = (r < 3 ? jp : jr)[r % 3 * nv + d];
        tau += j * (this.wrench[r] - this.solution[r]);
      }
      out[i] = tau;
    }
  }
  dispose() {
    this.kinematics.dispose();
  }
};
function solveSpd6(a, b, x) {
  const n = 6;
  for (let j = 0; j < n; j++) {
    let d = a[6 * j + j];
    for (let k = 0; k < j; k++) d -= a[6 * j + k] ** 2;
    const l = Math.sqrt(Math.max(d, 1e-300));
    a[6 * j + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[6 * i + j];
      for (let k = 0; k < j; k++) s -= a[6 * i + k] * a[6 * j + k];
      a[6 * i + j] = s / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[6 * i + k] * x[k];
    x[i] = s / a[6 * i + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= a[6 * k + i] * x[k];
    x[i] = s / a[6 * i + i];
  }
}
export {
  CartesianLaw
};
