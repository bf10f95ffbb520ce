import type { Environment, EnvStep } from '../../src/core/environment.ts';
import { Rng } from '../../src/core/rng.ts';
import { type ActionSpec, signal } from '../../src/core/spec.ts';

/**
 * River crossing: a 2-D velocity-commanded base crossing a river whose current the simulator does
 * not model. The "real" variant adds the current c(p); the "sim" variant has none. Cheap enough to
 * train many seeds, and the current blocks the straight path, so a policy that trusts the simulator
 * inside the river fails on the real system (see docs/learning.md).
 *
 *   p' = clip(p + (a + c(p))·dt + N(0, σ²I)),  r = −‖p' − goal‖
 *   c_x(p) = −C₀·exp(−(y − y_c)²/(2 s_y²))·exp(−(x − x_c)²/(2 s_x²)),  c_y = 0
 */
export interface RiverConfig {
  /** Peak current C₀ (m/s); 0 gives the simulator's dynamics. */
  readonly current: number;
  /** Centre (x_c, y_c) and widths (s_x, s_y) of the current's Gaussian profile: the gap's shape. */
  readonly centerX: number;
  readonly centerY: number;
  readonly widthX: number;
  readonly widthY: number;
  readonly dt: number;
  readonly horizon: number;
  readonly processNoise: number;
  readonly startStd: number;
  readonly goalX: number;
  readonly goalY: number;
}

export const riverDefaults: RiverConfig = {
  current: 1.2,
  centerX: 0.5,
  centerY: 0,
  widthX: 0.2,
  widthY: 0.25,
  dt: 0.1,
  horizon: 60,
  processNoise: 0.005,
  startStd: 0.05,
  goalX: 1,
  goalY: 0,
};

export const ARENA = { xMin: -0.5, xMax: 1.5, yMin: -1, yMax: 1 } as const;

export function currentX(x: number, y: number, config: RiverConfig): number {
  if (config.current === 0) return 0;
  const dy = (y - config.centerY) / config.widthY;
  const dx = (x - config.centerX) / config.widthX;
  return -config.current * Math.exp(-0.5 * dy * dy) * Math.exp(-0.5 * dx * dx);
}

/** True inside the gap region used for the w diagnostics: within one width of the current's centre. */
export function inGapRegion(x: number, y: number, config: RiverConfig): boolean {
  return Math.abs(y - config.centerY) < config.widthY && Math.abs(x - config.centerX) < config.widthX;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Noise-free next state, shared by the environment and the DP references. */
export function riverMean(
  x: number,
  y: number,
  ax: number,
  ay: number,
  config: RiverConfig,
  out: Float64Array,
): void {
  const cx = currentX(x, y, config);
  out[0] = x + (clamp(ax, -1, 1) + cx) * config.dt;
  out[1] = y + clamp(ay, -1, 1) * config.dt;
}

export function clipToArena(out: Float64Array): void {
  out[0] = clamp(out[0]!, ARENA.xMin, ARENA.xMax);
  out[1] = clamp(out[1]!, ARENA.yMin, ARENA.yMax);
}

/** r = −‖p' − goal‖: depends on the next position only, so it can be recomputed from a run log. */
export function riverReward(x: number, y: number, config: RiverConfig): number {
  return -Math.hypot(x - config.goalX, y - config.goalY);
}

/** Velocity commands of the base, m/s; the learner acts in these units directly. */
export const riverAction: ActionSpec = {
  signals: [signal('base.vx', 'm/s', -1, 1), signal('base.vy', 'm/s', -1, 1)],
  mode: 'velocity',
  safe: [0, 0],
};

export class RiverCrossing implements Environment {
  readonly name: string;
  readonly observation = {
    signals: [signal('base.x', 'm', ARENA.xMin, ARENA.xMax), signal('base.y', 'm', ARENA.yMin, ARENA.yMax)],
  };
  readonly action = riverAction;
  readonly dt: number;
  readonly horizon: number;
  private readonly p = new Float64Array(2);
  private readonly result: EnvStep = { reward: 0, terminated: false, truncated: false };
  private t = 0;
  private rng: Rng;

  constructor(
    readonly config: RiverConfig,
    seed = 0,
  ) {
    for (const [key, value] of Object.entries(config)) {
      if (!Number.isFinite(value))
        throw new RangeError(`river crossing: ${key} must be a finite number, got ${value}`);
    }
    if (config.widthX <= 0 || config.widthY <= 0)
      throw new RangeError('river crossing: widthX and widthY must be > 0');
    if (!Number.isInteger(config.horizon) || config.horizon < 1) {
      throw new RangeError(`river crossing: horizon must be a positive integer, got ${config.horizon}`);
    }
    this.name = config.current === 0 ? 'river-crossing-sim' : `river-crossing-real(C0=${config.current})`;
    this.dt = config.dt;
    this.horizon = config.horizon;
    this.rng = new Rng(seed);
  }

  reset(observation: Float64Array, seed?: number): void {
    if (seed !== undefined) this.rng = new Rng(seed);
    this.p[0] = this.config.startStd * this.rng.normal();
    this.p[1] = this.config.startStd * this.rng.normal();
    clipToArena(this.p);
    this.t = 0;
    observation[0] = this.p[0]!;
    observation[1] = this.p[1]!;
  }

  /** Puts the base at (x, y), e.g. for logs whose starts cover the arena. */
  resetAt(observation: Float64Array, x: number, y: number): void {
    this.p[0] = x;
    this.p[1] = y;
    clipToArena(this.p);
    this.t = 0;
    observation[0] = this.p[0]!;
    observation[1] = this.p[1]!;
  }

  step(action: Float64Array, nextObservation: Float64Array): EnvStep {
    const ax = action[0]!;
    const ay = action[1]!;
    // A non-finite command is treated as the safe action (stand still) rather than poisoning the state.
    const safe = Number.isFinite(ax) && Number.isFinite(ay);
    riverMean(this.p[0]!, this.p[1]!, safe ? ax : 0, safe ? ay : 0, this.config, this.p);
    this.p[0]! += this.config.processNoise * this.rng.normal();
    this.p[1]! += this.config.processNoise * this.rng.normal();
    clipToArena(this.p);
    this.t += 1;
    nextObservation[0] = this.p[0]!;
    nextObservation[1] = this.p[1]!;
    this.result.reward = riverReward(this.p[0]!, this.p[1]!, this.config);
    this.result.terminated = false;
    this.result.truncated = this.t >= this.horizon;
    return this.result;
  }
}
