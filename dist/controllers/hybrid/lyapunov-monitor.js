// Compiled from controllers/hybrid/lyapunov-monitor.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/lyapunov-monitor.ts
import { down, up } from "../../src/verification/rounding.js";
function fmt(value) {
  return String(Number(value.toPrecision(6)));
}
var LyapunovMonitor = class {
  /**
   * `index[i]` is the observation that carries state i, `radius[i]` its estimate error, `names[i]` its
   * signal name; the arrays may be filled after construction (when the robot is known).
   */
  constructor(model, bounds, rho, index, radius, names, checkDecrease = true) {
    this.model = model;
    this.bounds = bounds;
    this.rho = rho;
    this.index = index;
    this.radius = radius;
    this.names = names;
    this.checkDecrease = checkDecrease;
    const n = model.stateDim;
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.previous = new Float64Array(n);
  }
  model;
  bounds;
  rho;
  index;
  radius;
  names;
  checkDecrease;
  /** Ticks checked (a repeated or non-finite sample is not a step and is not counted). */
  ticks = 0;
  /** The sound lower bound of V at the last check (the value a violation reports). */
  lastValue = Number.NaN;
  lo;
  hi;
  previous;
  range = new Float64Array(2);
  previousValid = false;
  previousUpper = 0;
  previousDecreasing = false;
  /** Forget the last step (the controller was switched out, or the run reset). */
  reset() {
    this.previousValid = false;
  }
  /** Checks this tick's observation; returns why the certificate no longer holds, or undefined. */
  check(observation) {
    const { index } = this;
    const n = index.length;
    let same = this.previousValid;
    for (let i = 0; i < n && same; i++) same = observation[index[i]] === this.previous[i];
    if (same) return void 0;
    const { boxLo, boxUp, kappa, hole, innerLevel } = this.model.spec;
    let outside = -1;
    for (let i = 0; i < n; i++) {
      const y = observation[index[i]];
      if (!Number.isFinite(y)) {
        this.previousValid = false;
        return void 0;
      }
      this.previous[i] = y;
      this.lo[i] = down(y - this.radius[i]);
      this.hi[i] = up(y + this.radius[i]);
      if (outside < 0 && (this.lo[i] > boxUp[i] || this.hi[i] < boxLo[i])) outside = i;
    }
    this.ticks++;
    this.bounds.valueRange(this.lo, this.hi, this.range);
    const vLo = this.range[0];
    const vUp = this.range[1];
    this.lastValue = vLo;
    let reason;
    if (outside >= 0) {
      reason = `${this.names[outside]} = ${fmt(observation[index[outside]])} left the verified box [${boxLo[outside]}, ${boxUp[outside]}]`;
    } else if (vLo >= this.rho) {
      reason = `the state left the certified region: V >= ${vLo.toPrecision(5)} >= rho ${this.rho}`;
    } else if (this.checkDecrease && this.previousValid && this.previousDecreasing && vLo > (1 - kappa) * this.previousUpper) {
      reason = `V did not decrease as certified: V >= ${vLo.toPrecision(5)} > (1 - ${kappa}) × ${this.previousUpper.toPrecision(5)}`;
    }
    if (reason !== void 0) {
      this.previousValid = false;
      return reason;
    }
    let outsideHole = false;
    for (let i = 0; i < n && !outsideHole; i++)
      outsideHole = this.lo[i] >= hole[i] || this.hi[i] <= -hole[i];
    this.previousDecreasing = outsideHole && vLo >= innerLevel;
    this.previousUpper = vUp;
    this.previousValid = true;
    return void 0;
  }
};
export {
  LyapunovMonitor
};
