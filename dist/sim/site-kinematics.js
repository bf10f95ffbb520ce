// Compiled from sim/site-kinematics.ts by `npm run build`: edit the source, not this file.

// sim/site-kinematics.ts
import { HeapView } from "./mujoco.js";
var SiteKinematics = class {
  constructor(sim, data, site) {
    this.sim = sim;
    this.data = data;
    this.site = site;
    const nv = sim.model.nv;
    this.jacp = new sim.mj.DoubleBuffer(3 * nv);
    this.jacr = new sim.mj.DoubleBuffer(3 * nv);
    this.jacpView = new HeapView(() => this.jacp.GetView());
    this.jacrView = new HeapView(() => this.jacr.GetView());
    this.xpos = new HeapView(() => this.data.site_xpos);
    this.xmat = new HeapView(() => this.data.site_xmat);
  }
  sim;
  data;
  site;
  /** Translational (3×nv) and rotational (3×nv) Jacobian of the site, world frame, row-major. */
  jacp;
  jacr;
  jacpView;
  jacrView;
  xpos;
  xmat;
  /** Forward kinematics of the data's qpos; with `jacobian`, the site's Jacobian too. */
  update(jacobian) {
    const { mj, model } = this.sim;
    mj.mj_kinematics(model, this.data);
    if (!jacobian) return;
    mj.mj_comPos(model, this.data);
    mj.mj_jacSite(model, this.data, this.jacp, this.jacr, this.site);
  }
  /** Site position (m, world frame) into out[at..at+3). After `update`. */
  position(out, at = 0) {
    const x = this.xpos.get();
    for (let k = 0; k < 3; k++) out[at + k] = x[3 * this.site + k];
  }
  /** Site rotation matrix (row-major, world frame) into out[0..9). After `update`. */
  rotation(out) {
    const r = this.xmat.get();
    for (let k = 0; k < 9; k++) out[k] = r[9 * this.site + k];
  }
  /** Translational Jacobian, 3×nv row-major. After `update(true)`. */
  get translational() {
    return this.jacpView.get();
  }
  /** Rotational Jacobian (world-frame angular velocity), 3×nv row-major. After `update(true)`. */
  get rotational() {
    return this.jacrView.get();
  }
  dispose() {
    this.jacp.delete();
    this.jacr.delete();
  }
};
function rotationFromVector(v, at, out) {
  const x = v[at];
  const y = v[at + 1];
  const z = v[at + 2];
  const angle = Math.hypot(x, y, z);
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
function vectorFromRotation(r, out, at) {
  const trace = r[0] + r[4] + r[8];
  let w;
  let x;
  let y;
  let z;
  if (trace > 0) {
    const s = 2 * Math.sqrt(trace + 1);
    w = 0.25 * s;
    x = (r[7] - r[5]) / s;
    y = (r[2] - r[6]) / s;
    z = (r[3] - r[1]) / s;
  } else if (r[0] > r[4] && r[0] > r[8]) {
    const s = 2 * Math.sqrt(1 + r[0] - r[4] - r[8]);
    w = (r[7] - r[5]) / s;
    x = 0.25 * s;
    y = (r[1] + r[3]) / s;
    z = (r[2] + r[6]) / s;
  } else if (r[4] > r[8]) {
    const s = 2 * Math.sqrt(1 + r[4] - r[0] - r[8]);
    w = (r[2] - r[6]) / s;
    x = (r[1] + r[3]) / s;
    y = 0.25 * s;
    z = (r[5] + r[7]) / s;
  } else {
    const s = 2 * Math.sqrt(1 + r[8] - r[0] - r[4]);
    w = (r[3] - r[1]) / s;
    x = (r[2] + r[6]) / s;
    y = (r[5] + r[7]) / s;
    z = 0.25 * s;
  }
  if (w < 0) {
    w = -w;
    x = -x;
    y = -y;
    z = -z;
  }
  const n = Math.hypot(x, y, z);
  const scale = n < 1e-12 ? 2 : 2 * Math.atan2(n, w) / n;
  out[at] = scale * x;
  out[at + 1] = scale * y;
  out[at + 2] = scale * z;
}
function rotationBetween(a, b, out) {
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++)
      out[3 * i + j] = a[3 * i] * b[3 * j] + a[3 * i + 1] * b[3 * j + 1] + a[3 * i + 2] * b[3 * j + 2];
}
export {
  SiteKinematics,
  rotationBetween,
  rotationFromVector,
  vectorFromRotation
};
