import { z } from 'zod';
import type { RobotPlugin } from '../../src/config/plugin.ts';
import { Lifecycle } from '../../src/core/lifecycle.ts';
import type { Robot, RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { type HybridSystem, torqueModePendulum } from './system.ts';

/**
 * A lock-stepped hybrid system as a Robot. Observation: the state, then the active mode index.
 * Action: the input, then the commanded mode (the supervisor decides when the plant switches).
 * Guards may force a mode on their own; a non-finite command leads to the safe action (zero input,
 * mode unchanged), never to a crash.
 */
export class HybridSimRobot implements Robot {
  readonly info: RobotInfo;
  private readonly lifecycle = new Lifecycle('hybrid-sim');
  private readonly x: Float64Array;
  private readonly next: Float64Array;
  private activeMode: number;
  private time = 0;
  /** Mode switches the plant performed (commanded or forced), for tests and benchmarks. */
  switches = 0;

  constructor(
    readonly system: HybridSystem,
    private readonly initialState: readonly number[],
    private readonly initialMode = 0,
  ) {
    const n = system.state.length;
    if (initialState.length !== n)
      throw new RangeError(
        `hybrid-sim: initialState has ${initialState.length} entries, expected ${n} (${system.state.map((s) => s.name).join(', ')})`,
      );
    if (!(initialMode >= 0 && initialMode < system.modes.length))
      throw new RangeError(
        `hybrid-sim: initialMode ${initialMode} is not one of 0..${system.modes.length - 1}`,
      );
    this.x = Float64Array.from(initialState);
    this.next = new Float64Array(n);
    this.activeMode = initialMode;
    const last = system.modes.length - 1;
    this.info = {
      name: system.name,
      transport: 'sim',
      observation: { signals: [...system.state, signal('mode', '1', 0, last)] },
      action: {
        signals: [system.input, signal('mode.command', '1', 0, last)],
        mode: 'torque',
        safe: [0, initialMode],
      },
      capabilities: {
        minRateHz: 1 / system.dt,
        maxRateHz: 1 / system.dt,
        lockStep: true,
        features: ['hybrid-modes'],
      },
    };
  }

  get mode(): number {
    return this.activeMode;
  }

  get stateVector(): Float64Array {
    return this.x;
  }

  get state() {
    return this.lifecycle.state;
  }
  get faultReason() {
    return this.lifecycle.lastFault;
  }
  async configure() {
    this.lifecycle.apply('configure');
    this.x.set(this.initialState);
    this.activeMode = this.initialMode;
    this.time = 0;
  }
  async activate() {
    this.lifecycle.apply('activate');
  }
  async deactivate() {
    this.lifecycle.apply('deactivate');
  }
  async recover() {
    this.lifecycle.apply('recover');
  }
  async shutdown() {
    this.lifecycle.apply('shutdown');
  }
  fault(reason: string) {
    this.lifecycle.apply('fault', reason);
  }

  read(out: Float64Array): number {
    const n = this.x.length;
    for (let i = 0; i < n; i++) out[i] = this.x[i]!;
    out[n] = this.activeMode;
    return this.time;
  }

  write(action: Float64Array): void {
    const sys = this.system;
    const command = action[1]!;
    const requested = Math.round(command);
    if (
      Number.isFinite(command) &&
      requested !== this.activeMode &&
      requested >= 0 &&
      requested < sys.modes.length
    )
      this.switchTo(requested);
    const mode = sys.modes[this.activeMode]!;
    const raw = action[0]!;
    const u = Number.isFinite(raw) ? Math.min(mode.uUp, Math.max(mode.uLo, raw)) : 0;
    sys.step(this.activeMode, this.x, u, this.next);
    this.x.set(this.next);
    const forced = sys.guard ? sys.guard(this.activeMode, this.x) : -1;
    if (forced >= 0 && forced !== this.activeMode) this.switchTo(forced);
    this.time += sys.dt;
  }

  private switchTo(mode: number): void {
    this.system.reset?.(this.activeMode, mode, this.x);
    this.activeMode = mode;
    this.switches++;
  }
}

const modeSchema = z.object({ name: z.string().min(1), uLo: z.number(), uUp: z.number() }).strict();

export const hybridSimOptions = z
  .object({
    /** Which pure-TS hybrid system to simulate. */
    system: z.literal('pendulum-torque-modes'),
    modes: z.array(modeSchema).min(1),
    initialState: z.array(z.number().finite()),
    initialMode: z.number().int().min(0).default(0),
  })
  .strict();

export type HybridSimOptions = z.output<typeof hybridSimOptions>;

export function createHybridSystem(options: HybridSimOptions): HybridSystem {
  return torqueModePendulum(options.modes);
}

export const hybridSimRobotPlugin: RobotPlugin<HybridSimOptions> = {
  kind: 'hybrid-sim',
  description: 'pure-TypeScript discrete-time hybrid system (modes, guards, resets), lock-stepped',
  schema: hybridSimOptions,
  create: (options) =>
    new HybridSimRobot(createHybridSystem(options), options.initialState, options.initialMode),
};
