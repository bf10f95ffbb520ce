import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { certifiedMode } from '../../controllers/hybrid/modes.ts';
import { PathTrackingMpc } from '../../controllers/hybrid/mpc.ts';
import { ReferenceGridPlanner } from '../../controllers/hybrid/planner.ts';
import { carParams, carReset, carStep, randomRoad } from '../../sim/hybrid/car.ts';
import { checkCertificate } from '../../src/verification/certificate.ts';
import { loadModel } from '../../src/verification/io.ts';

const models = fileURLToPath(new URL('../../controllers/hybrid/models/', import.meta.url));
const load = (name: string, file: string) => {
  const model = loadModel(`${models}yang2024/${file}.json`);
  return certifiedMode(
    name,
    model,
    checkCertificate(model, JSON.parse(readFileSync(`${models}certificates/${file}.cert.json`, 'utf8'))),
    'test',
  );
};

describe('car with friction modes', () => {
  const dry = load('dry', 'path_tracking_u084');
  const icy = load('icy', 'path_tracking_u05');

  it('random roads are reproducible and bounded', () => {
    const a = randomRoad(5, 10, 1.8);
    expect(randomRoad(5, 10, 1.8)).toEqual(a);
    expect(a).toHaveLength(10);
    expect(a[0]!.kink).toBe(0);
    for (const s of a) {
      expect(Math.abs(s.kink)).toBeLessThanOrEqual(1.8);
      expect(s.length).toBeGreaterThanOrEqual(6);
    }
  });

  it('the planner picks a lateral offset that lands the post-switch state in the next certified region', () => {
    const kink = 1.6;
    const x = Float64Array.of(0, 0);
    const steps = 40;
    const shifted = new Float64Array(2);
    const closedLoop = (s: Float64Array, ref: Float64Array | null, out: Float64Array) => {
      shifted[0] = s[0]! - (ref ? ref[0]! : 0);
      shifted[1] = s[1]!;
      carStep(carParams, s, Math.min(0.84, Math.max(-0.84, dry.forward.control(shifted))), out);
    };
    // Blind: staying on the centre line, the heading jump puts the car outside the icy certificate.
    const blind = Float64Array.from(x);
    const next = new Float64Array(2);
    for (let k = 0; k < steps; k++) {
      closedLoop(blind, null, next);
      blind.set(next);
    }
    carReset(kink, blind);
    expect(icy.forward.value(blind)).toBeGreaterThan(icy.rho);

    const offsets = Array.from({ length: 21 }, (_, i) => [-2.5 + 0.25 * i, 0]);
    const plan = new ReferenceGridPlanner(offsets, steps, 5, 0.05, (s) => carReset(kink, s)).plan(
      dry,
      icy,
      x,
      closedLoop,
    );
    expect(plan).not.toBeNull();
    expect(plan!.predictedValue).toBeLessThan(icy.rho);
    expect(plan!.reference![0]).not.toBe(0);
  });

  it('the MPC baseline steers a lateral error back within its steering limit', () => {
    const mpc = new PathTrackingMpc(carParams);
    const x = Float64Array.of(1.5, 0);
    const next = new Float64Array(2);
    for (let k = 0; k < 200; k++) {
      const u = mpc.control(x, 0.5);
      expect(Math.abs(u)).toBeLessThanOrEqual(0.5);
      carStep(carParams, x, u, next);
      x.set(next);
    }
    expect(Math.abs(x[0]!)).toBeLessThan(0.2);
  });
});

describe('car road in the control loop', () => {
  it('reports every forced friction switch with its certificate check', async () => {
    const { loadRunConfig } = await import('../../src/config/load.ts');
    const { plugins } = await import('../../app/plugins.ts');
    const { runFromConfig } = await import('../../src/loop/runner.ts');
    const config = fileURLToPath(
      new URL('../../controllers/hybrid/configs/car-friction.yaml', import.meta.url),
    );
    const result = await runFromConfig(loadRunConfig(config, plugins), { duration: 60, mode: 'fast' });
    const switches = result.events.filter((e) => e.kind === 'mode-switch');
    expect(switches.length).toBeGreaterThan(0);
    for (const e of switches) {
      const { reason, V, rho } = e.data as { reason: string; V: number; rho: number };
      expect(reason).toMatch(/^forced-(un)?certified$/);
      if (reason === 'forced-certified') expect(V).toBeLessThan(rho);
    }
    expect(result.report.controllerErrors).toBe(0);
  });
});
