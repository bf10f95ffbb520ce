// Compiled from sim/hybrid/hopper.ts by `npm run build`: edit the source, not this file.

// sim/hybrid/hopper.ts
import { signal } from "../../src/core/spec.js";
var hopperParams = {
  mass: 5,
  stiffness: 5e3,
  damping: 10,
  restLength: 0.5,
  gravity: 9.81,
  dt: 5e-4,
  maxExtension: 0.08,
  stroke: 0.13,
  minClearance: 0.05
};
var FLIGHT = 0;
var COMPRESSION = 1;
var THRUST = 2;
function validateHopperParams(p) {
  for (const [key, value] of Object.entries(p)) {
    const ok = key === "damping" ? value >= 0 : value > 0;
    if (!(Number.isFinite(value) && ok))
      throw new RangeError(
        `hopper: ${key} must be a ${key === "damping" ? "non-negative" : "positive"} finite number, got ${value}`
      );
  }
  if (p.stroke >= p.restLength)
    throw new RangeError(`hopper: stroke ${p.stroke} must be below the rest length ${p.restLength}`);
}
function acceleration(p, mode, y, v, extension) {
  if (mode === FLIGHT) return -p.gravity;
  const rest = mode === THRUST ? p.restLength + extension : p.restLength;
  return (p.stiffness * (rest - y) - p.damping * v) / p.mass - p.gravity;
}
function hopperStep(p, mode, x, u, out) {
  const y = x[0];
  const v = x[1];
  const extension = mode === THRUST ? u : 0;
  const dt = p.dt;
  const a = acceleration(p, mode, y, v, extension);
  const yNext = y + v * dt + 0.5 * a * dt * dt;
  const aNext = acceleration(p, mode, yNext, v + a * dt, extension);
  out[0] = yNext;
  out[1] = v + 0.5 * (a + aNext) * dt;
  out[2] = extension;
}
function hopperGuard(p, mode, x) {
  const y = x[0];
  const v = x[1];
  if (mode === FLIGHT) return y <= p.restLength && v < 0 ? COMPRESSION : -1;
  if (mode === COMPRESSION) return v >= 0 ? THRUST : -1;
  return p.stiffness * (p.restLength + x[2] - y) - p.damping * v <= 0 ? FLIGHT : -1;
}
function hopperEnergy(p, mode, x) {
  const y = x[0];
  const v = x[1];
  const rest = p.restLength + (mode === THRUST ? x[2] : 0);
  const spring = mode === FLIGHT ? 0 : 0.5 * p.stiffness * Math.max(0, rest - y) ** 2;
  return 0.5 * p.mass * v * v + p.mass * p.gravity * y + spring;
}
function hopperSystem(p = hopperParams) {
  validateHopperParams(p);
  const limit = { uLo: -p.maxExtension, uUp: p.maxExtension };
  return {
    name: "pogo-hopper",
    dt: p.dt,
    state: [signal("body.height", "m"), signal("body.vel", "m/s"), signal("leg.extension", "m")],
    input: signal("leg.extension.command", "m", -p.maxExtension, p.maxExtension),
    modes: [
      { name: "flight", ...limit },
      { name: "compression", ...limit },
      { name: "thrust", ...limit }
    ],
    commandedModes: false,
    step: (mode, x, u, out) => hopperStep(p, mode, x, u, out),
    guard: (mode, x) => hopperGuard(p, mode, x),
    reset(_from, to, x) {
      if (to === FLIGHT) x[2] = 0;
    }
  };
}
var HopOutcome = {
  ok: 0,
  /** The leg hit its hard stop during compression. */
  bottomedOut: 1,
  /** The apex after lift-off leaves less foot clearance than `minClearance`. */
  stalled: 2
};
var HopperReturnMap = class {
  constructor(params = hopperParams) {
    this.params = params;
    validateHopperParams(params);
  }
  params;
  x = new Float64Array(3);
  next = new Float64Array(3);
  /** Lowest body height of the last hop (deepest compression). */
  bottom = 0;
  /** Fixed steps the last hop took. */
  steps = 0;
  outcome = HopOutcome.ok;
  /** Next apex height; NaN when the hop falls (see `outcome`). A non-finite input falls too. */
  hop(apex, extension) {
    const p = this.params;
    const u = Math.min(p.maxExtension, Math.max(-p.maxExtension, extension));
    const floor = p.restLength - p.stroke;
    this.steps = 0;
    this.bottom = apex;
    if (!(Number.isFinite(apex) && Number.isFinite(u)) || apex < p.restLength + p.minClearance) {
      this.outcome = HopOutcome.stalled;
      return Number.NaN;
    }
    const x = this.x;
    x[0] = apex;
    x[1] = 0;
    x[2] = 0;
    let mode = FLIGHT;
    const maxSteps = Math.ceil(20 / p.dt);
    while (this.steps < maxSteps) {
      hopperStep(p, mode, x, u, this.next);
      x.set(this.next);
      this.steps++;
      if (x[0] < this.bottom) this.bottom = x[0];
      if (this.bottom < floor) {
        this.outcome = HopOutcome.bottomedOut;
        return Number.NaN;
      }
      const forced = hopperGuard(p, mode, x);
      if (forced < 0) continue;
      if (forced === FLIGHT) {
        x[2] = 0;
        const next = x[1] > 0 ? x[0] + x[1] * x[1] / (2 * p.gravity) : x[0];
        if (next < p.restLength + p.minClearance) {
          this.outcome = HopOutcome.stalled;
          return Number.NaN;
        }
        this.outcome = HopOutcome.ok;
        return next;
      }
      mode = forced;
    }
    this.outcome = HopOutcome.stalled;
    return Number.NaN;
  }
};
export {
  COMPRESSION,
  FLIGHT,
  HopOutcome,
  HopperReturnMap,
  THRUST,
  hopperEnergy,
  hopperGuard,
  hopperParams,
  hopperStep,
  hopperSystem,
  validateHopperParams
};
