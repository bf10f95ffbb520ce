import { describe, expect, it } from 'vitest';
import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { loopSchema } from '../../src/config/schema.ts';
import type { Controller } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { ControlLoop, type TickSink } from '../../src/loop/control-loop.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { createSafetyLayer } from '../../src/safety/safety-layer.ts';

const pd: Controller = {
  name: 'pd',
  configure() {},
  update(obs, _t, action) {
    action[0] = -4 * obs[0]! - 3 * obs[1]!;
  },
};

async function setup(
  controller: Controller,
  loop: Partial<ReturnType<typeof loopSchema.parse>> = {},
  extraSinks: TickSink[] = [],
) {
  const options = loopSchema.parse({ rateHz: 100, mode: 'fast', ...loop });
  const robot = new DoubleIntegratorRobot(1 / options.rateHz, true);
  const events = new EventBuffer();
  await robot.configure();
  await controller.configure({
    observation: robot.info.observation,
    action: robot.info.action,
    dt: 0.01,
    events,
  });
  const safety = createSafetyLayer(
    { staleAfterTicks: 1000 },
    robot.info.action,
    robot.info.observation,
    events,
  );
  await robot.activate();
  const ticks: { tick: number; deadline: number; command: number }[] = [];
  const sink: TickSink = {
    writeTick: (r) => ticks.push({ tick: r.tick, deadline: r.deadline, command: r.command[0]! }),
  };
  const controlLoop = new ControlLoop({
    robot,
    controllers: ControllerManager.single(controller),
    safety,
    events,
    options,
    sinks: [sink, ...extraSinks],
  });
  return { robot, events, safety, controlLoop, ticks };
}

describe('ControlLoop on a virtual clock', () => {
  it('runs exactly the requested ticks on deadlines k·dt and drives the robot to the origin', async () => {
    const { robot, controlLoop, ticks } = await setup(pd);
    const report = await controlLoop.run(1000);
    expect(report.ticks).toBe(1000);
    expect(robot.written).toHaveLength(1000);
    expect(ticks.map((t) => t.tick)).toEqual(Array.from({ length: 1000 }, (_, k) => k));
    expect(ticks[250]!.deadline).toBeCloseTo(2.5, 12);
    const obs = new Float64Array(2);
    robot.read(obs);
    expect(Math.abs(obs[0]!)).toBeLessThan(1e-3);
    expect(report.missedDeadlines).toBe(0);
  });

  it('awaits asynchronous controllers and keeps tick order', async () => {
    const asyncPd: Controller = {
      name: 'async-pd',
      configure() {},
      async update(obs, t, action) {
        await Promise.resolve();
        pd.update(obs, t, action);
      },
    };
    const { robot, controlLoop, ticks } = await setup(asyncPd);
    const report = await controlLoop.run(300);
    expect(report.ticks).toBe(300);
    expect(robot.written).toHaveLength(300);
    expect(ticks.every((t, i) => t.tick === i)).toBe(true);
  });

  it('clamps the proposal to the action limits', async () => {
    const greedy: Controller = { name: 'greedy', configure() {}, update: (_o, _t, a) => void (a[0] = 100) };
    const { robot, controlLoop } = await setup(greedy);
    const report = await controlLoop.run(10);
    expect(robot.written.every((f) => f === 5)).toBe(true);
    expect(report.safetyInterventions).toBe(10);
  });

  it('sends the safe action and latches when the controller throws, without crashing the loop', async () => {
    let calls = 0;
    const flaky: Controller = {
      name: 'flaky',
      configure() {},
      update(obs, t, action) {
        if (++calls === 50) throw new Error('boom');
        pd.update(obs, t, action);
      },
    };
    const { robot, events, controlLoop } = await setup(flaky);
    const report = await controlLoop.run(100);
    expect(report.ticks).toBe(100);
    expect(report.controllerErrors).toBe(1);
    expect(report.latched).toMatch(/non-finite|NaN/i);
    expect(robot.written.slice(49).every((f) => f === 0)).toBe(true);
    expect(robot.written.slice(0, 49).some((f) => f !== 0)).toBe(true);
    expect(events.events.some((e) => e.kind === 'fault' && e.message.includes('boom'))).toBe(true);
  });

  it('treats a NaN action as a fault: safe action from that tick on', async () => {
    const nan: Controller = {
      name: 'nan',
      configure() {},
      update: (_o, t, a) => void (a[0] = t >= 0.2 ? Number.NaN : 1),
    };
    const { robot, controlLoop } = await setup(nan);
    const report = await controlLoop.run(40);
    expect(robot.written.slice(0, 20).every((f) => f === 1)).toBe(true);
    expect(robot.written.slice(20).every((f) => f === 0)).toBe(true);
    expect(report.latched).toBeDefined();
  });

  it('stops after the tick in flight when asked', async () => {
    const { controlLoop } = await setup(pd);
    setTimeout(() => controlLoop.stop(), 20);
    const report = await controlLoop.run();
    expect(report.ticks).toBeGreaterThan(0);
    expect(Number.isFinite(report.ticks)).toBe(true);
  });
});

describe('ControlLoop on the wall clock', () => {
  it('counts missed deadlines, drops late results and applies the safe-action policy', async () => {
    // Each update takes three periods at 100 Hz: every other deadline finds the tick still running.
    const slow: Controller = {
      name: 'slow',
      configure() {},
      update: (_o, _t, a) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            a[0] = 1;
            resolve();
          }, 30),
        ),
    };
    const { robot, controlLoop } = await setup(slow, {
      mode: 'realtime',
      deadlineMiss: 'safe',
      maxConsecutiveMisses: 1000,
    });
    const report = await controlLoop.run(30);
    expect(report.missedDeadlines).toBeGreaterThan(0);
    expect(report.lateTicks).toBeGreaterThan(0);
    // Only safe actions (0) were sent: every result arrived after its next deadline.
    expect(robot.written.length).toBeGreaterThan(0);
    expect(robot.written.every((f) => f === 0)).toBe(true);
  });

  it('escalates to a latched fault after too many consecutive misses', async () => {
    const stuck: Controller = {
      name: 'stuck',
      configure() {},
      update: () => new Promise<void>((resolve) => setTimeout(resolve, 120)),
    };
    const { controlLoop, events } = await setup(stuck, {
      mode: 'realtime',
      deadlineMiss: 'hold',
      maxConsecutiveMisses: 5,
    });
    const report = await controlLoop.run(3);
    expect(report.latched).toMatch(/consecutive missed deadlines/);
    expect(events.events.some((e) => e.kind === 'deadline-miss')).toBe(true);
  });
});

describe('ControlLoop and robot faults', () => {
  it('latches the safety layer when the robot faults on its own, and keeps sending the safe action', async () => {
    let ticks = 0;
    const faulting: TickSink = {
      writeTick: () => {
        if (++ticks === 30) robot.fault('encoder glitch');
      },
    };
    const { robot, controlLoop } = await setup(pd, {}, [faulting]);
    const report = await controlLoop.run(60);
    expect(report.latched).toMatch(/robot fault: encoder glitch/);
    expect(robot.written.slice(30).every((f) => f === 0)).toBe(true);
  });
});
