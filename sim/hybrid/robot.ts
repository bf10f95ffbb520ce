import { z } from 'zod';
import type { RobotPlugin } from '../../src/config/plugin.ts';
import { InProcessRobot } from '../../src/core/in-process-robot.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { carRoadSystem, randomRoad } from './car.ts';
import { type HybridSystem, torqueModePendulum } from './system.ts';

/**
 * A lock-stepped hybrid system as a Robot. Observation: the state, then the active mode index.
 * Action: the input, then the commanded mode (the supervisor decides when the plant switches).
 * Guards may force a mode on their own; a non-finite command leads to the safe action (zero input,
 * mode unchanged), never to a crash.
 */
export class HybridSimRobot extends InProcessRobot {
  readonly info: RobotInfo;
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
    super('hybrid-sim');
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
      plant: {
        model: system.name,
        physicsStep: system.dt,
        dynamics: {},
        ...(system.equations ? { equations: system.equations } : {}),
        ...(system.reset ? { resets: true } : {}),
      },
    };
  }

  get mode(): number {
    return this.activeMode;
  }

  get stateVector(): Float64Array {
    return this.x;
  }

  protected override onConfigure(): void {
    this.x.set(this.initialState);
    this.activeMode = this.initialMode;
    this.system.restart?.();
    this.time = 0;
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
      sys.commandedModes !== false &&
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
    // A guard event always applies its reset map, even when the mode stays the same.
    const forced = sys.guard ? sys.guard(this.activeMode, this.x) : -1;
    if (forced >= 0) this.switchTo(forced);
    this.time += sys.dt;
  }

  private switchTo(mode: number): void {
    this.system.reset?.(this.activeMode, mode, this.x);
    if (mode !== this.activeMode) this.switches++;
    this.activeMode = mode;
  }
}

const modeSchema = z.object({ name: z.string().min(1), uLo: z.number(), uUp: z.number() }).strict();

export const hybridSimOptions = z.discriminatedUnion('system', [
  z
    .object({
      /** Inverted pendulum whose drive has torque-limit modes (switches are commanded). */
      system: z.literal('pendulum-torque-modes'),
      modes: z.array(modeSchema).min(1),
      initialState: z.array(z.number().finite()),
      initialMode: z.number().int().min(0).default(0),
    })
    .strict(),
  z
    .object({
      /** Car on a random road whose friction switches at the vertices (switches are forced). */
      system: z.literal('car-friction-road'),
      roadSeed: z.number().int(),
      segments: z.number().int().min(1).default(10),
      maxKink: z.number().min(0).max(Math.PI).default(1.8),
      /** (d_e, θ_e, progress along the first segment). */
      initialState: z.array(z.number().finite()),
    })
    .strict(),
]);

export type HybridSimOptions = z.output<typeof hybridSimOptions>;

export function createHybridSystem(options: HybridSimOptions): { system: HybridSystem; initialMode: number } {
  if (options.system === 'pendulum-torque-modes')
    return { system: torqueModePendulum(options.modes), initialMode: options.initialMode };
  const road = randomRoad(options.roadSeed, options.segments, options.maxKink);
  return { system: carRoadSystem(road), initialMode: road[0]!.mode };
}

export const hybridSimRobotPlugin: RobotPlugin<HybridSimOptions> = {
  kind: 'hybrid-sim',
  description: 'pure-TypeScript discrete-time hybrid system (modes, guards, resets), lock-stepped',
  schema: hybridSimOptions,
  create: (options) => {
    const { system, initialMode } = createHybridSystem(options);
    return new HybridSimRobot(system, options.initialState, initialMode);
  },
  async describe(options) {
    const { system, initialMode } = createHybridSystem(options);
    return new HybridSimRobot(system, options.initialState, initialMode).info;
  },
};
