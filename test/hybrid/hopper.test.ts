import { describe, expect, it } from 'vitest';
import { GaitLibrary, gaitControl, gaitValue, rolloutGait } from '../../controllers/hybrid/hopper/gait.ts';
import {
  checkRatio,
  GaitWaypointPlanner,
  runSwitchEpisode,
  switchCheck,
} from '../../controllers/hybrid/hopper/switching.ts';
import {
  COMPRESSION,
  FLIGHT,
  HopOutcome,
  HopperReturnMap,
  hopperEnergy,
  hopperParams,
  hopperSystem,
  THRUST,
} from '../../sim/hybrid/hopper.ts';
import { HybridSimRobot } from '../../sim/hybrid/robot.ts';

const lossless = { ...hopperParams, damping: 0 };

describe('pogo hopper physics', () => {
  it('conserves energy without damping or actuation through flight, touchdown, stance and lift-off', () => {
    const sys = hopperSystem(lossless);
    const x = Float64Array.of(0.9, 0, 0);
    const next = new Float64Array(3);
    let mode = FLIGHT;
    const e0 = hopperEnergy(lossless, mode, x);
    const visited = new Set<number>();
    let maxDrift = 0;
    for (let k = 0; k < 4 / sys.dt; k++) {
      sys.step(mode, x, 0, next);
      x.set(next);
      const forced = sys.guard!(mode, x);
      if (forced >= 0) {
        sys.reset!(mode, forced, x);
        mode = forced;
        visited.add(mode);
      }
      maxDrift = Math.max(maxDrift, Math.abs(hopperEnergy(lossless, mode, x) - e0) / e0);
    }
    expect(visited).toEqual(new Set([FLIGHT, COMPRESSION, THRUST]));
    expect(maxDrift).toBeLessThan(1e-3);
  });

  it('returns to the same apex without damping, and loses height with damping', () => {
    const ideal = new HopperReturnMap(lossless);
    expect(Math.abs(ideal.hop(0.8, 0) - 0.8)).toBeLessThan(2e-3);
    const damped = new HopperReturnMap();
    const next = damped.hop(0.8, 0);
    expect(damped.outcome).toBe(HopOutcome.ok);
    expect(next).toBeLessThan(0.8 - 0.02);
  });

  it('detects touchdown at the rest length, the bottom of stance and lift-off, and resets the leg', () => {
    const p = hopperParams;
    const sys = hopperSystem();
    const x = Float64Array.of(0.7, 0, 0);
    const next = new Float64Array(3);
    let mode = FLIGHT;
    const events: { to: number; y: number; v: number }[] = [];
    for (let k = 0; k < 2 / sys.dt && events.length < 3; k++) {
      sys.step(mode, x, 0.02, next);
      x.set(next);
      const forced = sys.guard!(mode, x);
      if (forced < 0) continue;
      events.push({ to: forced, y: x[0]!, v: x[1]! });
      sys.reset!(mode, forced, x);
      mode = forced;
    }
    const [touchdown, bottom, liftoff] = events;
    expect(touchdown!.to).toBe(COMPRESSION);
    expect(touchdown!.v).toBeLessThan(0);
    expect(Math.abs(touchdown!.y - p.restLength)).toBeLessThan(Math.abs(touchdown!.v) * p.dt + 1e-12);
    expect(bottom!.to).toBe(THRUST);
    expect(bottom!.y).toBeLessThan(p.restLength - 0.03);
    expect(liftoff!.to).toBe(FLIGHT);
    expect(liftoff!.v).toBeGreaterThan(0);
    expect(x[2]).toBe(0);
  });

  it('falls when braking unloads the leg or when the leg hits its hard stop', () => {
    const map = new HopperReturnMap();
    expect(map.hop(0.9, -hopperParams.maxExtension)).toBeNaN();
    expect(map.outcome).toBe(HopOutcome.stalled);
    expect(map.hop(2.0, 0)).toBeNaN();
    expect(map.outcome).toBe(HopOutcome.bottomedOut);
    expect(map.hop(Number.NaN, 0)).toBeNaN();
  });

  it('runs in the hybrid-sim robot with its modes forced by the guards', async () => {
    const robot = new HybridSimRobot(hopperSystem(), [0.8, 0, 0], FLIGHT);
    await robot.configure();
    await robot.activate();
    const action = Float64Array.of(0.01, FLIGHT);
    const obs = new Float64Array(4);
    const seen = new Set<number>();
    for (let k = 0; k < 3000; k++) {
      robot.write(action);
      robot.read(obs);
      seen.add(obs[3]!);
      expect(Number.isFinite(obs[0]!)).toBe(true);
    }
    expect(seen).toEqual(new Set([FLIGHT, COMPRESSION, THRUST]));
    expect(robot.switches).toBeGreaterThanOrEqual(6);
  });

  it('rejects non-physical parameters with a message naming the field', () => {
    expect(() => hopperSystem({ ...hopperParams, stiffness: -1 })).toThrow(/stiffness/);
    expect(() => hopperSystem({ ...hopperParams, stroke: 0.6 })).toThrow(/stroke/);
  });
});

describe('hopper gaits, switch check and planner', () => {
  const library = new GaitLibrary(Array.from({ length: 50 }, (_, i) => Math.round(57 + i) / 100));
  const map = new HopperReturnMap();
  const planner = new GaitWaypointPlanner(library, map);

  it('each gait controller holds its apex height against perturbations', () => {
    for (const apex of [0.6, 0.7, 0.8, 0.9, 1.0]) {
      const gait = library.at(apex);
      expect(gait.feedforward).toBeGreaterThan(0);
      for (const offset of [-0.01, 0.01]) {
        const end = rolloutGait(gait, map, apex + offset, 20);
        expect(Math.abs(end - apex)).toBeLessThan(0.005);
      }
      // V decreases along the closed loop from inside the sampled region.
      const h0 = apex + 0.01;
      const h1 = rolloutGait(gait, map, h0, 1);
      expect(gaitValue(gait, h1)).toBeLessThan(gaitValue(gait, h0));
    }
  });

  it('a non-finite apex gives the safe zero extension and an infinite check ratio', () => {
    const gait = library.at(0.8);
    expect(gaitControl(gait, Number.NaN, hopperParams.maxExtension)).toBe(0);
    expect(checkRatio(gait, Number.NaN, 0.002)).toBe(Number.POSITIVE_INFINITY);
    expect(planner.plan(gait, Number.NaN, 10)).toBeNull();
  });

  it('the check and planner turn a switch that falls when done blindly into a success', () => {
    const from = library.at(1.0);
    const to = library.at(0.6);
    const start = 1.0;
    expect(switchCheck(to, start, 0.002)).toBe(false);
    // The refuting rollout: gait 0.6 from apex 1.0 brakes so hard that the hopper stalls.
    expect(rolloutGait(to, map, start, 1)).toBeNaN();

    const blind = runSwitchEpisode('blind', map, planner, from, to, start);
    expect(blind.fell).toBe(true);
    expect(blind.success).toBe(false);

    const checkOnly = runSwitchEpisode('check', map, planner, from, to, start);
    expect(checkOnly.fell).toBe(false);
    expect(checkOnly.denied).toBe(true);

    const planned = runSwitchEpisode('planner', map, planner, from, to, start);
    expect(planned.fell).toBe(false);
    expect(planned.success).toBe(true);
    expect(planned.plans).toBeGreaterThan(0);
    // Waypoint gaits lie between the two, and b took over only where the check passed.
    const k = planned.switchedAtHop;
    expect(k).toBeGreaterThan(0);
    for (const g of planned.gaitApexes.slice(0, k)) expect(g).toBeGreaterThan(to.apex);
    expect(switchCheck(to, planned.apexes[k]!, 0.002)).toBe(true);
    expect(Math.abs(planned.apexes.at(-1)! - to.apex)).toBeLessThan(0.01);
  });

  it('a switch the check accepts is taken at once by every policy', () => {
    const from = library.at(0.8);
    const to = library.at(0.82);
    expect(switchCheck(to, 0.8, 0.002)).toBe(true);
    for (const policy of ['blind', 'check', 'planner'] as const) {
      const run = runSwitchEpisode(policy, map, planner, from, to, 0.8);
      expect(run.switchedAtHop).toBe(0);
      expect(run.success).toBe(true);
      expect(run.plans).toBe(0);
    }
  });
});
