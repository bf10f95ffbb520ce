import { describe, expect, it } from 'vitest';
import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { EventBuffer } from '../../src/core/events.ts';
import type { SwitchGuard } from '../../src/core/switch-guard.ts';
import type { ControlLoop } from '../../src/loop/control-loop.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { RecordingConstant, runManaged } from '../support/manager-loop.ts';

/** A managed run with the safety layer ramping the command by at most 0.5 per tick. */
async function run(
  manager: ControllerManager,
  ticks: number,
  beforeTick?: (k: number, loop: ControlLoop) => void,
) {
  const { report, log, events } = await runManaged(manager, ticks, {
    ...(beforeTick ? { beforeTick } : {}),
    maxDeltaPerTick: 0.5,
  });
  return { report, commands: log.map((t) => t.command), active: log.map((t) => t.controller), events };
}

describe('controller manager', () => {
  it('switches at a tick boundary on request; the rate limiter ramps from the last command', async () => {
    const a = new RecordingConstant('a', 2);
    const b = new RecordingConstant('b', -2);
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
        { name: 'a', controller: new RecordingConstant('a', 1) },
        { name: 'b', controller: new RecordingConstant('b', 1) },
        { name: 'c', controller: new RecordingConstant('c', 1) },
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
        { name: 'push', controller: new RecordingConstant('push', 1) },
        { name: 'hold', controller: new RecordingConstant('hold', 0) },
      ],
      { rules: [{ from: 'push', to: 'hold', when: { 'x.vel': [0.2, 10] } }] },
    );
    const { active, report } = await run(manager, 100);
    expect(report.switches).toBe(1);
    expect(active[0]).toBe(0);
    expect(active.at(-1)).toBe(1);
  });

  it('refuses unknown names and rules on signals the robot lacks', () => {
    const manager = new ControllerManager([{ name: 'a', controller: new RecordingConstant('a', 0) }], {
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
