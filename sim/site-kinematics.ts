/**
 * The pose and Jacobian of a MuJoCo site, and the rotation arithmetic a Cartesian controller needs:
 * rotation vectors (axis·angle, rad) to and from rotation matrices (row-major, as MuJoCo's
 * `site_xmat`). Allocation-free after construction: the rig's 1 kHz inner loop and the runtime's
 * Cartesian motion generator both call it every tick.
 */
import type { DoubleBuffer, MjData } from 'mujoco';
import type { SimModel } from './model.ts';
import { HeapView } from './mujoco.ts';

export class SiteKinematics {
  /** Translational (3×nv) and rotational (3×nv) Jacobian of the site, world frame, row-major. */
  private readonly jacp: DoubleBuffer;
  private readonly jacr: DoubleBuffer;
  private readonly jacpView: HeapView;
  private readonly jacrView: HeapView;
  private readonly xpos: HeapView;
  private readonly xmat: HeapView;

  constructor(
    private readonly sim: SimModel,
    private readonly data: MjData,
    readonly site: number,
  ) {
    const nv = sim.model.nv;
    this.jacp = new sim.mj.DoubleBuffer(3 * nv);
    this.jacr = new sim.mj.DoubleBuffer(3 * nv);
    this.jacpView = new HeapView(() => this.jacp.GetView());
    this.jacrView = new HeapView(() => this.jacr.GetView());
    this.xpos = new HeapView(() => this.data.site_xpos);
    this.xmat = new HeapView(() => this.data.site_xmat);
  }

  /** Forward kinematics of the data's qpos; with `jacobian`, the site's Jacobian too. */
  update(jacobian: boolean): void {
    const { mj, model } = this.sim;
    mj.mj_kinematics(model, this.data);
    if (!jacobian) return;
    mj.mj_comPos(model, this.data);
    mj.mj_jacSite(model, this.data, this.jacp, this.jacr, this.site);
  }

  /** Site position (m, world frame) into out[at..at+3). After `update`. */
  position(out: Float64Array, at = 0): void {
    const x = this.xpos.get();
    for (let k = 0; k < 3; k++) out[at + k] = x[3 * this.site + k]!;
  }

  /** Site rotation matrix (row-major, world frame) into out[0..9). After `update`. */
  rotation(out: Float64Array): void {
    const r = this.xmat.get();
    for (let k = 0; k < 9; k++) out[k] = r[9 * this.site + k]!;
  }

  /** Translational Jacobian, 3×nv row-major. After `update(true)`. */
  get translational(): Float64Array {
    return this.jacpView.get();
  }

  /** Rotational Jacobian (world-frame angular velocity), 3×nv row-major. After `update(true)`. */
  get rotational(): Float64Array {
    return this.jacrView.get();
  }

  dispose(): void {
    this.jacp.delete();
    this.jacr.delete();
  }
}

/** Rodrigues: the rotation matrix (row-major) of rotation vector v[at..at+3). */
export function rotationFromVector(v: Float64Array, at: number, out: Float64Array): void {
  const x = v[at]!;
  const y = v[at + 1]!;
  const z = v[at + 2]!;
  const angle = Math.hypot(x, y, z);
  // Small angles: sin θ/θ → 1, (1 − cos θ)/θ² → 1/2, without dividing by ~0.
  const s = angle < 1e-8 ? 1 : Math.sin(angle) / angle;
  const c = angle < 1e-8 ? 0.5 : (1 - Math.cos(angle)) / (angle * angle);
  out[0] = 1 - c * (y * y + z * z);
  out[1] = c * x * y - s * z;
  out[2] = c * x * z + s * y;
  out[3] = c * x * y + s * z;
  out[4] = 1 - c * (x * x + z * z);
  out[5] = c * y * z - s * x;
  out[6] = c * x * z - s * y;
  out[7] = c * y * z + s * x;
  out[8] = 1 - c * (x * x + y * y);
}

/** The rotation vector (angle in [0, π]) of rotation matrix r (row-major) into out[at..at+3). */
export function vectorFromRotation(r: Float64Array, out: Float64Array, at: number): void {
  // Shepperd's method: the quaternion from the largest of its four squared components.
  const trace = r[0]! + r[4]! + r[8]!;
  let w: number;
  let x: number;
  let y: number;
  let z: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    w = 0.25 * s;
    x = (r[7]! - r[5]!) / s;
    y = (r[2]! - r[6]!) / s;
    z = (r[3]! - r[1]!) / s;
  } else if (r[0]! > r[4]! && r[0]! > r[8]!) {
    const s = 2 * Math.sqrt(1 + r[0]! - r[4]! - r[8]!);
    w = (r[7]! - r[5]!) / s;
    x = 0.25 * s;
    y = (r[1]! + r[3]!) / s;
    z = (r[2]! + r[6]!) / s;
  } else if (r[4]! > r[8]!) {
    const s = 2 * Math.sqrt(1 + r[4]! - r[0]! - r[8]!);
    w = (r[2]! - r[6]!) / s;
    x = (r[1]! + r[3]!) / s;
    y = 0.25 * s;
    z = (r[5]! + r[7]!) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r[8]! - r[0]! - r[4]!);
    w = (r[3]! - r[1]!) / s;
    x = (r[2]! + r[6]!) / s;
    y = (r[5]! + r[7]!) / s;
    z = 0.25 * s;
  }
  if (w < 0) {
    w = -w;
    x = -x;
    y = -y;
    z = -z;
  }
  const n = Math.hypot(x, y, z);
  const scale = n < 1e-12 ? 2 : (2 * Math.atan2(n, w)) / n;
  out[at] = scale * x;
  out[at + 1] = scale * y;
  out[at + 2] = scale * z;
}

/** a·bᵀ of two row-major rotation matrices into out (the rotation from b to a, world frame). */
export function rotationBetween(a: Float64Array, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      out[3 * i + j] = a[3 * i]! * b[3 * j]! + a[3 * i + 1]! * b[3 * j + 1]! + a[3 * i + 2]! * b[3 * j + 2]!;
}
