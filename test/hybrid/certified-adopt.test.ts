import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CertifiedSwitchGuard,
  createCertifiedGuard,
} from '../../controllers/hybrid/certified-switch-guard.ts';
import { policyControllerPlugin } from '../../controllers/policies/policy-controller.ts';
import { SimRobot, simRobotOptions } from '../../sim/sim-robot.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { createSafetyLayer, safetyOptionsSchema } from '../../src/safety/safety-layer.ts';

/**
 * A certificate handed to the live guard with a controller installed while the loop runs (a new
 * policy version): checked like a configured one before it governs anything, and a certified
 * controller that resumes after a latch outside its region is stopped without the certificate being
 * marked violated. The bundled tanh balance policy and its certificate (ρ 60), on the MuJoCo cart-pole.
 */
const repo = join(import.meta.dirname, '../..');
const models = join(repo, 'controllers/hybrid/models/cartpole');
const files = {
  model: join(models, 'cartpole_policy.json'),
  certificate: join(models, 'cartpole_policy.cert.json'),
};
const certifiedContract = join(repo, 'controllers/policies/examples/cartpole/cartpole-balance.contract.yaml');
const otherContract = join(repo, 'configs/loop/sim-policy/policy.contract.yaml');

let robot: SimRobot;
let context: ControllerContext;
let events: EventBuffer;

async function policy(contract: string): Promise<Controller> {
  const controller = await policyControllerPlugin.create(
    policyControllerPlugin.schema.parse({ contract, backend: 'kernel' }),
    { baseDir: repo, controlDt: 0.02, seed: 0 },
  );
  await controller.configure(context);
  return controller;
}

async function configuredGuard(): Promise<{ guard: CertifiedSwitchGuard; balance: Controller }> {
  const guard = await createCertifiedGuard(
    { certificates: { balance: files }, admitBelow: 1 },
    { baseDir: repo },
  );
  const balance = await policy(certifiedContract);
  guard.configure({
    ...context,
    controllers: ['balance'],
    controllerInstances: new Map([['balance', balance]]),
  });
  return { guard, balance };
}

beforeAll(async () => {
  robot = await SimRobot.create(simRobotOptions.parse({ model: 'cartpole' }), 0.02);
  events = new EventBuffer();
  const { info } = robot;
  context = { observation: info.observation, action: info.action, dt: 0.02, events, robot: info };
});
afterAll(() => robot.shutdown());

/** An observation of the cart-pole (cart.pos, pole.angle, cart.vel, pole.angvel in the robot's order). */
function state(values: Record<string, number>): Float64Array {
  const obs = new Float64Array(context.observation.signals.length);
  context.observation.signals.forEach((s, i) => {
    obs[i] = values[s.name] ?? 0;
  });
  return obs;
}

describe('a certificate adopted for a controller installed while the loop runs', () => {
  it('governs the installed version once its network is the certified one, and is logged with its hash', async () => {
    const { guard } = await configuredGuard();
    const v1 = await policy(certifiedContract);
    guard.adopt('v1', v1, files, 12.5);
    const said = events.events.find((e) =>
      e.message.startsWith("'v1' is certified by cartpole_policy.cert.json"),
    );
    expect(said?.time).toBe(12.5);
    expect(said?.data?.['sha256']).toMatch(/^[0-9a-f]{64}$/);
    // Admission into v1 now asks its certificate: inside its region, and not outside.
    const near = state({ 'pole.angle': 0.02 });
    expect(guard.admit('balance', 'v1', near, 13, new Float64Array(1)).verdict).toBe('admit');
    const far = guard.admit('balance', 'v1', state({ 'pole.angle': 0.7 }), 13, new Float64Array(1));
    expect(far.verdict).toBe('defer');
    expect(far.reason).toMatch(/is not below rho 60/);
    expect(() => guard.adopt('v1', v1, files, 14)).toThrow(/'v1' already has a certificate/);
  });

  it('refuses a certificate for another network, and through the manager installs nothing', async () => {
    const { guard, balance } = await configuredGuard();
    const other = await policy(otherContract);
    expect(() => guard.adopt('v2', other, files, 0)).toThrow(
      /certified guard refuses: certificate cartpole_policy\.cert\.json for 'v2': policy 'v2' .* runs other weights than the certificate's controller/,
    );
    const manager = new ControllerManager([{ name: 'balance', controller: balance }], { guard });
    expect(manager.install('v2', other, {}, files)).toMatch(/^'v2' not installed: certified guard refuses/);
    expect(manager.names).toEqual(['balance']);
    const unguarded = new ControllerManager([{ name: 'balance', controller: balance }]);
    expect(unguarded.install('v2', other, {}, files)).toMatch(/the run has no guard that takes certificates/);
  });

  it('stops a certified controller that resumes after a latch outside its region, without marking the certificate violated', async () => {
    const { guard } = await configuredGuard();
    expect(guard.monitor('balance', state({ 'pole.angle': 0.05 }), 1)).toBeUndefined();
    expect(guard.monitor('balance', state({ 'pole.angle': 0.049 }), 1.02)).toBeUndefined();
    guard.resume('balance');
    const resumed = guard.monitor('balance', state({ 'pole.angle': 0.7 }), 5);
    expect(resumed?.reason).toMatch(
      /^'balance' resumed after the safety latch outside its certified region: /,
    );
    expect(guard.certificateOf('balance')?.violation).toBeUndefined();
    // The certificate still admits a later switch inside its region.
    expect(
      guard.admit('swingup', 'balance', state({ 'pole.angle': 0.02 }), 6, new Float64Array(1)).verdict,
    ).toBe('admit');
  });

  it('a swap the guard keeps deferring can be withdrawn, with the guard’s reason kept', async () => {
    const { guard, balance } = await configuredGuard();
    const v1 = await policy(certifiedContract);
    const manager = new ControllerManager([{ name: 'balance', controller: balance }], { guard });
    manager.bind(context);
    expect(manager.install('v1', v1, {}, files)).toBeUndefined();
    const safety = createSafetyLayer(
      safetyOptionsSchema.parse({}),
      context.action,
      context.observation,
      events,
    );
    expect(manager.requestSwitch('v1', 'swap')).toBeUndefined();
    const far = state({ 'pole.angle': 0.7 });
    for (let k = 0; k < 3; k++) manager.beginTick(far, k * 0.02, new Float64Array(1), safety);
    expect(manager.activeName).toBe('balance');
    expect(manager.pendingSwitch).toBe('v1');
    expect(manager.lastGuardRefusal).toMatch(/is not below rho 60/);
    // Once reported, a deferral is answered with one shared decision: nothing is built per tick.
    const quiet = guard.admit('balance', 'v1', far, 0.1, new Float64Array(1), false);
    expect(quiet).toEqual({ verdict: 'defer', reason: '' });
    expect(guard.admit('balance', 'v1', far, 0.12, new Float64Array(1), false)).toBe(quiet);
    expect(
      guard.admit('balance', 'v1', state({ 'pole.angle': 0.01 }), 0.14, new Float64Array(1), false).verdict,
    ).toBe('admit');
    expect(manager.withdrawSwitch()).toBe('v1');
    expect(manager.pendingSwitch).toBeUndefined();
    expect(manager.withdrawSwitch()).toBeUndefined();
    // Withdrawn: a state inside the region later switches nothing.
    manager.beginTick(state({ 'pole.angle': 0.01 }), 0.1, new Float64Array(1), safety);
    expect(manager.activeName).toBe('balance');
  });

  it('a certified controller that starts the run outside its region is stopped as uncovered, not counted as a violation', async () => {
    const { guard, balance } = await configuredGuard();
    const manager = new ControllerManager([{ name: 'balance', controller: balance }], { guard });
    manager.bind(context);
    const safety = createSafetyLayer(
      safetyOptionsSchema.parse({}),
      context.action,
      context.observation,
      events,
    );
    manager.beginTick(state({ 'pole.angle': 0.7 }), 0, new Float64Array(1), safety);
    expect(safety.latched).toBe(true);
    expect(safety.latchReason).toMatch(
      /^not covered by its certificate: 'balance' took command without the guard's admission \(the initial controller, a fallback or a rollback\) outside its certified region: /,
    );
    expect(manager.certificateViolations).toBe(0);
    expect(guard.certificateOf('balance')?.violation).toBeUndefined();
  });

  it('pauses the monitor while the safety layer is latched and starts afresh after the recovery', async () => {
    const { guard, balance } = await configuredGuard();
    const manager = new ControllerManager([{ name: 'balance', controller: balance }], { guard });
    manager.bind(context);
    const safety = createSafetyLayer(
      safetyOptionsSchema.parse({}),
      context.action,
      context.observation,
      events,
    );
    const tick = (angle: number, k: number) =>
      manager.beginTick(state({ 'pole.angle': angle }), k * 0.02, new Float64Array(1), safety);
    tick(0.05, 0);
    tick(0.049, 1);
    // An episode's end: the safe action drives the cart and the pole leans further (V rises).
    safety.estop('episode end: horizon');
    tick(0.1, 2);
    tick(0.15, 3);
    safety.recover();
    // The recovered state is higher than before the latch: no decrease is asked across the gap.
    tick(0.12, 4);
    tick(0.119, 5);
    expect(manager.certificateViolations).toBe(0);
    expect(safety.latched).toBe(false);
  });
});
