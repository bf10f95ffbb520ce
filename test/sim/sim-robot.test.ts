import { describe, expect, it } from 'vitest';
import { robotPlugins } from '../../app/plugins.ts';
import { type SimRobot, simRobotOptions, simRobotPlugin } from '../../sim/sim-robot.ts';

const context = { baseDir: '.', controlDt: 0.02, seed: 5 };

describe('sim robot', () => {
  it('is registered as robot kind `sim`', () => {
    expect(robotPlugins.find((p) => p.kind === 'sim')).toBe(simRobotPlugin);
  });

  it('rejects an unknown model at config time, listing the known ones', () => {
    const result = simRobotOptions.safeParse({ model: 'cartpol' });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(['model']);
    expect(result.error!.issues[0]!.message).toBe(
      "unknown model 'cartpol' (known models: pendulum, cartpole, hopper, quadruped, arm)",
    );
    expect(simRobotOptions.safeParse({ model: 'cartpole', colour: 'red' }).success).toBe(false);
  });

  it('steps one control period per write, through the lifecycle', async () => {
    const robot = await simRobotPlugin.create(
      simRobotOptions.parse({ model: 'cartpole', resetNoise: 0 }),
      context,
    );
    const obs = new Float64Array(4);
    expect(robot.read(obs)).toBeNaN();
    expect(robot.info.capabilities.lockStep).toBe(true);
    expect(robot.info.observation.signals.map((s) => s.name)).toEqual([
      'cart.pos',
      'pole.angle',
      'cart.vel',
      'pole.angvel',
    ]);
    await robot.configure();
    expect(robot.state).toBe('ready');
    expect(robot.read(obs)).toBe(0);
    // While ready (e.g. between an operator recovery and the next activation) a write applies the
    // safe action and time runs on: the commanded 10 N is not applied.
    robot.write(Float64Array.of(10));
    expect(robot.read(obs)).toBeCloseTo(0.02, 12);
    expect(obs[2]).toBe(0);
    await robot.activate();
    robot.write(Float64Array.of(10));
    expect(robot.read(obs)).toBeCloseTo(0.04, 12);
    expect(obs[2]).toBeGreaterThan(0); // pushed towards +x
    await robot.deactivate();
    await robot.shutdown();
    expect(robot.state).toBe('stopped');
    expect(() => robot.write(Float64Array.of(1))).toThrow(/only while running/);
  });

  it('faults on a NaN action, latches, applies the safe action and recovers only on request', async () => {
    const robot = (await simRobotPlugin.create({ model: 'cartpole', resetNoise: 0 }, context)) as SimRobot;
    await robot.configure();
    await robot.activate();
    const obs = new Float64Array(4);
    robot.write(Float64Array.of(Number.NaN));
    expect(robot.state).toBe('fault');
    expect(robot.faultReason).toMatch(/non-finite action component 0 \(cart\.force\)/);
    expect(robot.env.appliedAction[0]).toBe(0);
    robot.read(obs);
    expect(obs.every(Number.isFinite)).toBe(true);
    // Latched: commands are replaced by the safe action while time keeps running.
    robot.write(Float64Array.of(20));
    expect(robot.env.appliedAction[0]).toBe(0);
    expect(robot.read(obs)).toBeCloseTo(0.04, 12);
    robot.fault('second fault');
    expect(robot.faultReason).toMatch(/non-finite/);
    await robot.recover();
    await robot.activate();
    robot.write(Float64Array.of(20));
    expect(robot.env.appliedAction[0]).toBe(20);
    await robot.shutdown();
  });

  it('applies the initial state, the seed and the dynamics options', async () => {
    const hanging = await simRobotPlugin.create(
      {
        model: 'cartpole',
        initialState: { qpos: [0, Math.PI] },
        resetNoise: 0,
        dynamics: { gravityScale: 0 },
      },
      context,
    );
    await hanging.configure();
    const obs = new Float64Array(4);
    hanging.read(obs);
    expect(Math.abs(obs[1]!)).toBeCloseTo(Math.PI, 12);
    await hanging.shutdown();

    const a = await simRobotPlugin.create({ model: 'pendulum' }, context);
    const b = await simRobotPlugin.create({ model: 'pendulum', seed: 99 }, context);
    await a.configure();
    await b.configure();
    const oa = new Float64Array(2);
    const ob = new Float64Array(2);
    a.read(oa);
    b.read(ob);
    expect(oa[0]).not.toBe(ob[0]);
    await a.shutdown();
    await b.shutdown();
  });

  it('refuses a control rate that is not a whole number of physics steps', async () => {
    await expect(
      simRobotPlugin.create({ model: 'pendulum' }, { ...context, controlDt: 0.0025 }),
    ).rejects.toThrow(/not a whole number of physics steps/);
  });
});
