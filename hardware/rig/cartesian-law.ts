import type { SimData } from '../../sim/data.ts';
import type { SimModel } from '../../sim/model.ts';
import {
  rotationBetween,
  rotationFromVector,
  SiteKinematics,
  vectorFromRotation,
} from '../../sim/site-kinematics.ts';
import type { RigLayout } from './rig-model.ts';

/** What the rig's Cartesian impedance needs beyond the command's gains. */
export interface CartesianLawOptions {
  /** MuJoCo site id of the end effector. */
  readonly site: number;
  /** Joint damping projected into the nullspace, N*m*s/rad. */
  readonly nullspaceDamping: number;
}

/** λ² of the nullspace projector's damped inverse (bounded near singular poses). */
const lambda2 = 1e-6;

/**
 * Cartesian impedance on an end-effector site, as libfranka's cartesian_impedance_control computes it
 * in the user's 1 kHz callback (here the rig's inner loop does):
 *   τ = Jᵀ (K e − D J q̇) + (I − Jᵀ (J Jᵀ + λ² I)⁻¹ J) (−d q̇)
 * e = the position error and the orientation error R_target R_siteᵀ as a rotation vector, both in
 * the world frame (the rotational rows of J are world-frame angular velocity); K, D per axis. The
 * second term damps only the self-motion of a redundant arm, which the task term leaves free, so
 * it does not drift. Gravity (and Coriolis) compensation is the firmware's, added after.
 */
export class CartesianLaw {
  private readonly kinematics: SiteKinematics;
  /** Degree of freedom of each actuator's joint. */
  private readonly dof: Int32Array;
  private readonly rTarget = new Float64Array(9);
  private readonly rSite = new Float64Array(9);
  private readonly rError = new Float64Array(9);
  private readonly error = new Float64Array(6);
  private readonly wrench = new Float64Array(6);
  private readonly projected = new Float64Array(6);
  private readonly solution = new Float64Array(6);
  private readonly gram = new Float64Array(36);
  private readonly damping: Float64Array;

  constructor(
    sim: SimModel,
    private readonly data: SimData,
    layout: RigLayout,
    private readonly options: CartesianLawOptions,
  ) {
    this.kinematics = new SiteKinematics(sim, data.data, options.site);
    this.dof = Int32Array.from(layout.actionJoint, (j) => {
      const joint = layout.joints[j];
      if (joint === undefined) throw new RangeError('cartesian mode: every actuator must drive a joint');
      return joint.dofAddress;
    });
    this.damping = new Float64Array(this.dof.length);
  }

  /** The site's pose now: x, y, z (m) and its rotation vector (rad), world frame. */
  pose(out: Float64Array): void {
    this.kinematics.update(false);
    this.kinematics.position(out, 0);
    this.kinematics.rotation(this.rSite);
    vectorFromRotation(this.rSite, out, 3);
  }

  /** The position and orientation error of the last `torque` call (target − site). */
  get lastError(): Float64Array {
    return this.error;
  }

  /** The Cartesian force and torque of the last `torque` call, K e − D J q̇ (N, N*m; world frame). */
  get lastWrench(): Float64Array {
    return this.wrench;
  }

  /** Joint torques (one per actuator) of the law for pose `target` with per-axis gains kp, kd. */
  torque(target: Float64Array, kp: Float64Array, kd: Float64Array, out: Float64Array): void {
    const kin = this.kinematics;
    kin.update(true);
    const e = this.error;
    kin.position(e, 0);
    for (let k = 0; k < 3; k++) e[k] = target[k]! - e[k]!;
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
    // F = K e − D (J q̇), over every degree of freedom of the model.
    for (let r = 0; r < 6; r++) {
      const row = r < 3 ? jp : jr;
      const base = (r % 3) * nv;
      let v = 0;
      for (let d = 0; d < nv; d++) v += row[base + d]! * qvel[d]!;
      this.wrench[r] = kp[r]! * e[r]! - kd[r]! * v;
    }
    // Nullspace damping: y = −d q̇, minus its part the task space sees, Jᵀ (J Jᵀ + λ² I)⁻¹ J y.
    const y = this.damping;
    for (let i = 0; i < n; i++) y[i] = -this.options.nullspaceDamping * qvel[dof[i]!]!;
    for (let r = 0; r < 6; r++) {
      const row = r < 3 ? jp : jr;
      const base = (r % 3) * nv;
      let w = 0;
      for (let i = 0; i < n; i++) w += row[base + dof[i]!]! * y[i]!;
      this.projected[r] = w;
      for (let c = 0; c <= r; c++) {
        const other = c < 3 ? jp : jr;
        const otherBase = (c % 3) * nv;
        let s = r === c ? lambda2 : 0;
        for (let i = 0; i < n; i++) s += row[base + dof[i]!]! * other[otherBase + dof[i]!]!;
        this.gram[6 * r + c] = s;
        this.gram[6 * c + r] = s;
      }
    }
    solveSpd6(this.gram, this.projected, this.solution);
    for (let i = 0; i < n; i++) {
      const d = dof[i]!;
      let tau = y[i]!;
      for (let r = 0; r < 6; r++) {
        const j = (r < 3 ? jp : jr)[(r % 3) * nv + d]!;
        tau += j * (this.wrench[r]! - this.solution[r]!);
      }
      out[i] = tau;
    }
  }

  dispose(): void {
    this.kinematics.dispose();
  }
}

/** Solves a·x = b for a symmetric positive definite 6×6 a (Cholesky; a is overwritten). */
function solveSpd6(a: Float64Array, b: Float64Array, x: Float64Array): void {
  const n = 6;
  for (let j = 0; j < n; j++) {
    let d = a[6 * j + j]!;
    for (let k = 0; k < j; k++) d -= a[6 * j + k]! ** 2;
    const l = Math.sqrt(Math.max(d, 1e-300));
    a[6 * j + j] = l;
    for (let i = j + 1; i < n; i++) {
      let s = a[6 * i + j]!;
      for (let k = 0; k < j; k++) s -= a[6 * i + k]! * a[6 * j + k]!;
      a[6 * i + j] = s / l;
    }
  }
  // L y = b, then Lᵀ x = y (the lower triangle holds L).
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= a[6 * i + k]! * x[k]!;
    x[i] = s / a[6 * i + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i]!;
    for (let k = i + 1; k < n; k++) s -= a[6 * k + i]! * x[k]!;
    x[i] = s / a[6 * i + i]!;
  }
}
