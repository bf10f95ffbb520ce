// Compiled from sim/river/river.ts by `npm run build`: edit the source, not this file.

// sim/river/river.ts
import { Rng } from "../../src/core/rng.js";
import { signal } from "../../src/core/spec.js";
var riverDefaults = {
  current: 1.2,
  centerX: 0.5,
  centerY: 0,
  widthX: 0.2,
  widthY: 0.25,
  dt: 0.1,
  horizon: 60,
  processNoise: 5e-3,
  startStd: 0.05,
  goalX: 1,
  goalY: 0
};
var ARENA = { xMin: -0.5, xMax: 1.5, yMin: -1, yMax: 1 };
function currentX(x, y, config) {
  if (config.current === 0) return 0;
  const dy = (y - config.centerY) / config.widthY;
  const dx = (x - config.centerX) / config.widthX;
  return -config.current * Math.exp(-0.5 * dy * dy) * Math.exp(-0.5 * dx * dx);
}
function inGapRegion(x, y, config) {
  return Math.abs(y - config.centerY) < config.widthY && Math.abs(x - config.centerX) < config.widthX;
}
var clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
function riverMean(x, y, ax, ay, config, out) {
  const cx = currentX(x, y, config);
  out[0] = x + (clamp(ax, -1, 1) + cx) * config.dt;
  out[1] = y + clamp(ay, -1, 1) * config.dt;
}
function clipToArena(out) {
  out[0] = clamp(out[0], ARENA.xMin, ARENA.xMax);
  out[1] = clamp(out[1], ARENA.yMin, ARENA.yMax);
}
function riverReward(x, y, config) {
  return -Math.hypot(x - config.goalX, y - config.goalY);
}
var riverAction = {
  signals: [signal("base.vx", "m/s", -1, 1), signal("base.vy", "m/s", -1, 1)],
  mode: "velocity",
  safe: [0, 0]
};
var RiverCrossing = class {
  constructor(config, seed = 0) {
    this.config = config;
    for (const [key, value] of Object.entries(config)) {
      if (!Number.isFinite(value))
        throw new RangeError(`river crossing: ${key} must be a finite number, got ${value}`);
    }
    if (config.widthX <= 0 || config.widthY <= 0)
      throw new RangeError("river crossing: widthX and widthY must be > 0");
    if (!Number.isInteger(config.horizon) || config.horizon < 1) {
      throw new RangeError(`river crossing: horizon must be a positive integer, got ${config.horizon}`);
    }
    this.name = config.current === 0 ? "river-crossing-sim" : `river-crossing-real(C0=${config.current})`;
    this.dt = config.dt;
    this.horizon = config.horizon;
    this.rng = new Rng(seed);
  }
  config;
  name;
  observation = {
    signals: [signal("base.x", "m", ARENA.xMin, ARENA.xMax), signal("base.y", "m", ARENA.yMin, ARENA.yMax)]
  };
  action = riverAction;
  dt;
  horizon;
  p = new Float64Array(2);
  result = { reward: 0, terminated: false, truncated: false };
  t = 0;
  rng;
  reset(observation, seed) {
    if (seed !== void 0) this.rng = new Rng(seed);
    this.p[0] = this.config.startStd * this.rng.normal();
    this.p[1] = this.config.startStd * this.rng.normal();
    clipToArena(this.p);
    this.t = 0;
    observation[0] = this.p[0];
    observation[1] = this.p[1];
  }
  /** Puts the base at (x, y), e.g. for logs whose starts cover the arena. */
  resetAt(observation, x, y) {
    this.p[0] = x;
    this.p[1] = y;
    clipToArena(this.p);
    this.t = 0;
    observation[0] = this.p[0];
    observation[1] = this.p[1];
  }
  step(action, nextObservation) {
    const ax = action[0];
    const ay = action[1];
    const safe = Number.isFinite(ax) && Number.isFinite(ay);
    riverMean(this.p[0], this.p[1], safe ? ax : 0, safe ? ay : 0, this.config, this.p);
    this.p[0] += this.config.processNoise * this.rng.normal();
    this.p[1] += this.config.processNoise * this.rng.normal();
    clipToArena(this.p);
    this.t += 1;
    nextObservation[0] = this.p[0];
    nextObservation[1] = this.p[1];
    this.result.reward = riverReward(this.p[0], this.p[1], this.config);
    this.result.terminated = false;
    this.result.truncated = this.t >= this.horizon;
    return this.result;
  }
};
export {
  ARENA,
  RiverCrossing,
  clipToArena,
  currentX,
  inGapRegion,
  riverAction,
  riverDefaults,
  riverMean,
  riverReward
};
