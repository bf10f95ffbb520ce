// Compiled from sim/hybrid/robot.ts by `npm run build`: edit the source, not this file.

// sim/hybrid/robot.ts
import { z } from "zod";
import { InProcessRobot } from "../../src/core/in-process-robot.js";
import { signal } from "../../src/core/spec.js";
import { carRoadSystem, randomRoad } from "./car.js";
import { torqueModePendulum } from "./system.js";
var HybridSimRobot = class extends InProcessRobot {
  constructor(system, initialState, initialMode = 0) {
    super("hybrid-sim");
    this.system = system;
    this.initialState = initialState;
    this.initialMode = initialMode;
    const n = system.state.length;
    if (initialState.length !== n)
      throw new RangeError(
        `hybrid-sim: initialState has ${initialState.length} entries, expected ${n} (${system.state.map((s) => s.name).join(", ")})`
      );
    if (!(initialMode >= 0 && initialMode < system.modes.length))
      throw new RangeError(
        `hybrid-sim: initialMode ${initialMode} is not one of 0..${system.modes.length - 1}`
      );
    this.x = Float64Array.from(initialState);
    this.next = new Float64Array(n);
    this.activeMode = initialMode;
    const last = system.modes.length - 1;
    this.info = {
      name: system.name,
      transport: "sim",
      observation: { signals: [...system.state, signal("mode", "1", 0, last)] },
      action: {
        signals: [system.input, signal("mode.command", "1", 0, last)],
        mode: "torque",
        safe: [0, initialMode]
      },
      capabilities: {
        minRateHz: 1 / system.dt,
        maxRateHz: 1 / system.dt,
        lockStep: true,
        features: ["hybrid-modes"]
      },
      plant: {
        model: system.name,
        physicsStep: system.dt,
        dynamics: {},
        ...system.equations ? { equations: system.equations } : {},
        ...system.reset ? { resets: true } : {}
      }
    };
  }
  system;
  initialState;
  initialMode;
  info;
  x;
  next;
  activeMode;
  time = 0;
  /** Mode switches the plant performed (commanded or forced), for tests and benchmarks. */
  switches = 0;
  get mode() {
    return this.activeMode;
  }
  get stateVector() {
    return this.x;
  }
  onConfigure() {
    this.x.set(this.initialState);
    this.activeMode = this.initialMode;
    this.system.restart?.();
    this.time = 0;
  }
  read(out) {
    const n = this.x.length;
    for (let i = 0; i < n; i++) out[i] = this.x[i];
    out[n] = this.activeMode;
    return this.time;
  }
  write(action) {
    const sys = this.system;
    const command = action[1];
    const requested = Math.round(command);
    if (sys.commandedModes !== false && Number.isFinite(command) && requested !== this.activeMode && requested >= 0 && requested < sys.modes.length)
      this.switchTo(requested);
    const mode = sys.modes[this.activeMode];
    const raw = action[0];
    const u = Number.isFinite(raw) ? Math.min(mode.uUp, Math.max(mode.uLo, raw)) : 0;
    sys.step(this.activeMode, this.x, u, this.next);
    this.x.set(this.next);
    const forced = sys.guard ? sys.guard(this.activeMode, this.x) : -1;
    if (forced >= 0) this.switchTo(forced);
    this.time += sys.dt;
  }
  switchTo(mode) {
    this.system.reset?.(this.activeMode, mode, this.x);
    if (mode !== this.activeMode) this.switches++;
    this.activeMode = mode;
  }
};
var modeSchema = z.object({ name: z.string().min(1), uLo: z.number(), uUp: z.number() }).strict();
var hybridSimOptions = z.discriminatedUnion("system", [
  z.object({
    /** Inverted pendulum whose drive has torque-limit modes (switches are commanded). */
    system: z.literal("pendulum-torque-modes"),
    modes: z.array(modeSchema).min(1),
    initialState: z.array(z.number().finite()),
    initialMode: z.number().int().min(0).default(0)
  }).strict(),
  z.object({
    /** Car on a random road whose friction switches at the vertices (switches are forced). */
    system: z.literal("car-friction-road"),
    roadSeed: z.number().int(),
    segments: z.number().int().min(1).default(10),
    maxKink: z.number().min(0).max(Math.PI).default(1.8),
    /** (d_e, θ_e, progress along the first segment). */
    initialState: z.array(z.number().finite())
  }).strict()
]);
function createHybridSystem(options) {
  if (options.system === "pendulum-torque-modes")
    return { system: torqueModePendulum(options.modes), initialMode: options.initialMode };
  const road = randomRoad(options.roadSeed, options.segments, options.maxKink);
  return { system: carRoadSystem(road), initialMode: road[0].mode };
}
var hybridSimRobotPlugin = {
  kind: "hybrid-sim",
  description: "pure-TypeScript discrete-time hybrid system (modes, guards, resets), lock-stepped",
  schema: hybridSimOptions,
  create: (options) => {
    const { system, initialMode } = createHybridSystem(options);
    return new HybridSimRobot(system, options.initialState, initialMode);
  },
  async describe(options) {
    const { system, initialMode } = createHybridSystem(options);
    return new HybridSimRobot(system, options.initialState, initialMode).info;
  }
};
export {
  HybridSimRobot,
  createHybridSystem,
  hybridSimOptions,
  hybridSimRobotPlugin
};
