import { describe, expect, it } from 'vitest';
import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { loopSchema } from '../../src/config/schema.ts';
import type { Controller } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';
import type { SwitchGuard } from '../../src/core/switch-guard.ts';
import { ControlLoop } from '../../src/loop/control-loop.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { createSafetyLayer } from '../../src/safety/safety-layer.ts';

/** A controller that proposes a constant and records its lifecycle calls. */
class Recording implements Controller {
  readonly calls: string[] = [];
  constructor(
    readonly name: string,
    private readonly value: number,
  ) {}
  configure(): void {}
  activate(): void {
    this.calls.push('activate');
  }
  deactivate(): void {
    this.calls.push('deactivate');
  }
  reset(): void {
    this.calls.push('reset');
  }
  update(_o: Float64Array, _t: number, action: Float64Array): void {
    action.fill(this.value);
  }
}

async function run(
  manager: ControllerManager,
  ticks: number,
  beforeTick?: (k: number, loop: ControlLoop) => void,
) {
  const events = new EventBuffer();
  const robot = new DoubleIntegratorRobot(0.01);
  await robot.configure();
  const { observation, action } = robot.info;
  manager.bind({ observation, action, dt: 0.01, events });
  const safety = createSafetyLayer(
    { staleAfterTicks: 1000, maxDeltaPerTick: 0.5 },
    action,
    observation,
    events,
  );
  await robot.activate();
  const first = new Float64Array(observation.signals.length);
  robot.read(first);
  manager.start(first);
  const options = loopSchema.parse({ rateHz: 100, mode: 'fast' });
  const commands: number[] = [];
  const active: number[] = [];
  let loop: ControlLoop | undefined;
  loop = new ControlLoop({
    robot,
    controllers: manager,
    safety,
    events,
    options,
    sinks: [
      {
        writeTick: (r) => {
          commands.push(r.command[0]!);
          active.push(r.controller);
          beforeTick?.(r.tick + 1, loop!);
        },
      },
    ],
  });
  const report = await loop.run(ticks);
  return { report, commands, active, events: events.events };
}

describe('controller manager', () => {
  it('switches at a tick boundary on request; the rate limiter ramps from the last command', async () => {
    const a = new Recording('a', 2);
    const b = new Recording('b', -2);
    const manager = new ControllerManager([
      { name: 'a', controller: a },
      { name: 'b', controller: b },
    ]);
    const { commands, active, report, events } = await run(manager, 20, (k, loop) => {
      if (k === 10) expect(loop.controllers.requestSwitch('b', 'test')).toBeUndefined();
    });
    expect(active).toEqual([...Array(10).fill(0), ...Array(10).fill(1)]);
    // Ramped up to 2 by 0.5 per tick, then down from 2 towards -2 by 0.5 per tick from the switch on.
    expect(commands[9]).toBe(2);
    expect(commands.slice(10, 14)).toEqual([1.5, 1, 0.5, 0]);
    expect(a.calls).toEqual(['activate', 'reset', 'deactivate']);
    expect(b.calls).toEqual(['activate', 'reset']);
    expect(report.switches).toBe(1);
    expect(events.filter((e) => e.kind === 'controller-switch').map((e) => e.message)).toEqual([
      'a → b (test)',
    ]);
  });

  it('asks the guard: deferred switches wait, denied ones are dropped, fallbacks bypass it', async () => {
    let verdict: 'admit' | 'defer' | 'deny' = 'defer';
    const asked: string[] = [];
    const guard: SwitchGuard = {
      name: 'test-guard',
      admit: (from, to) => {
        asked.push(`${from}>${to}`);
        return { verdict, reason: verdict, data: { v: 1 } };
      },
    };
    const manager = new ControllerManager(
      [
        { name: 'a', controller: new Recording('a', 1) },
        { name: 'b', controller: new Recording('b', 1) },
        { name: 'c', controller: new Recording('c', 1) },
      ],
      { guard, fallback: 'c' },
    );
    const { active, events } = await run(manager, 30, (k, loop) => {
      if (k === 5) loop.controllers.requestSwitch('b', 'op');
      if (k === 10) verdict = 'admit';
      if (k === 15) {
        verdict = 'deny';
        loop.controllers.requestSwitch('a', 'op');
      }
      if (k === 20) expect(loop.controllers.onControllerFault('boom')).toBe(true);
    });
    expect(active.slice(0, 10)).toEqual(Array(10).fill(0));
    expect(active.slice(10, 20)).toEqual(Array(10).fill(1));
    expect(active.slice(20)).toEqual(Array(10).fill(2));
    // Deferred 5 times (reported once), admitted, then denied once; the fallback never asked.
    expect(asked).toEqual([...Array(6).fill('a>b'), 'b>a']);
    const messages = events.filter((e) => e.kind === 'controller-switch').map((e) => e.message);
    expect(messages).toEqual([
      'a → b deferred by test-guard: defer',
      'a → b (op)',
      'b → a denied by test-guard: deny',
      'b → c (fallback: boom)',
    ]);
  });

  it('switches by rule when every listed signal is inside its range', async () => {
    const manager = new ControllerManager(
      [
        { name: 'push', controller: new Recording('push', 1) },
        { name: 'hold', controller: new Recording('hold', 0) },
      ],
      { rules: [{ from: 'push', to: 'hold', when: { 'x.vel': [0.2, 10] } }] },
    );
    const { active, report } = await run(manager, 100);
    expect(report.switches).toBe(1);
    expect(active[0]).toBe(0);
    expect(active.at(-1)).toBe(1);
  });

  it('refuses unknown names and rules on signals the robot lacks', () => {
    const manager = new ControllerManager([{ name: 'a', controller: new Recording('a', 0) }], {
      rules: [{ to: 'a', when: { nope: [0, 1] } }],
    });
    expect(manager.requestSwitch('zz', 'x')).toMatch(/no controller named 'zz' \(configured: a\)/);
    expect(manager.requestSwitch('a', 'x')).toMatch(/already active/);
    const robot = new DoubleIntegratorRobot(0.01);
    expect(() =>
      manager.bind({
        observation: robot.info.observation,
        action: robot.info.action,
        dt: 0.01,
        events: new EventBuffer(),
      }),
    ).toThrow(/no observation 'nope'/);
  });
});
