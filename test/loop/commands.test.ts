/**
 * Command channels (a commanded base velocity): written by the run config's schedule and by the
 * operator console (terminal or MQTT operator channel alike), clamped to their ranges, read by a
 * policy's `source: command` term; and timed switching rules (`after:`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { plugins } from '../../app/plugins.ts';
import { loadRunConfig } from '../../src/config/load.ts';
import { CommandBoard } from '../../src/core/commands.ts';
import { EventBuffer } from '../../src/core/events.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { OperatorConsole } from '../../src/loop/operator.ts';
import { runFromConfig } from '../../src/loop/runner.ts';
import { createSafetyLayer } from '../../src/safety/safety-layer.ts';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-commands-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CommandBoard', () => {
  it('clamps writes to the ranges, applies a schedule in time order, and refuses wrong sizes', () => {
    const events = new EventBuffer();
    const board = new CommandBoard({
      v: {
        initial: [0, 0],
        ranges: [
          [-1, 1],
          [0, 2],
        ],
        schedule: [
          { at: 2, value: [0.5, 3] },
          { at: 1, value: [-4, 1] },
        ],
      },
    });
    board.bind(events);
    const values = board.get('v')!.values;
    board.advance(0.5);
    expect(Array.from(values)).toEqual([0, 0]);
    board.advance(1);
    expect(Array.from(values)).toEqual([-1, 1]);
    board.advance(5);
    expect(Array.from(values)).toEqual([0.5, 2]);
    expect(events.events.at(-1)!.message).toBe(
      'v = [0.5, 2] (clamped to its ranges): value 2 was 3, range [0, 2]',
    );
    expect(board.set('v', [1], 'test')).toBe("command 'v' takes 2 values, got 1");
    expect(board.set('w', [1], 'test')).toBe("no command channel 'w' (channels: v)");
    expect(board.set('v', [Number.NaN, 0], 'test')).toBe("command 'v': every value must be a finite number");
    // A reader asking for the channel with another size is refused; the same size shares the array.
    expect(() => board.channel('v', [0, 0, 0])).toThrow(
      "command channel 'v' has 2 values, a reader expects 3",
    );
    expect(board.channel('v', [9, 9]).values).toBe(values);
    expect(
      () =>
        new CommandBoard({
          x: {
            schedule: [
              { at: 0, value: [1] },
              { at: 1, value: [1, 2] },
            ],
          },
        }),
    ).toThrow('commands.x.schedule.1.value: 2 values, the channel has 1');
  });
});

describe('timed switching rules', () => {
  it('switch after the active controller has been active for `after` seconds, and reset the clock on every switch', () => {
    const update = () => undefined;
    const configure = () => undefined;
    const a = { name: 'a', configure, update };
    const b = { name: 'b', configure, update };
    const c = { name: 'c', configure, update };
    const manager = new ControllerManager(
      [
        { name: 'a', controller: a },
        { name: 'b', controller: b },
        { name: 'c', controller: c },
      ],
      {
        rules: [
          { from: 'a', to: 'b', after: 0.5 },
          { from: 'b', to: 'c', after: 1 },
        ],
      },
    );
    const spec = { signals: [{ name: 'x', unit: '1', lower: -Infinity, upper: Infinity }] };
    const action = { ...spec, mode: 'torque' as const, safe: [0] };
    const events = new EventBuffer();
    manager.bind({ observation: spec, action, dt: 0.1, events });
    const safety = createSafetyLayer({}, action, spec, events);
    const obs = new Float64Array(1);
    const cmd = new Float64Array(1);
    const active: string[] = [];
    manager.start(obs);
    for (let k = 0; k <= 20; k++) {
      manager.beginTick(obs, k * 0.1, cmd, safety);
      active.push(manager.activeName);
    }
    expect(active.indexOf('b')).toBe(5);
    expect(active.indexOf('c')).toBe(15);
    expect(events.events.map((e) => e.message)).toEqual([
      'a → b (rule: active for 0.5 s)',
      'b → c (rule: active for 1 s)',
    ]);
  });

  it('a rule needs when or after', () => {
    const file = path.join(dir, 'bad-rule.yaml');
    writeFileSync(
      file,
      stringify({
        robot: { kind: 'sim', model: 'pendulum' },
        controllers: { a: { kind: 'constant' }, b: { kind: 'constant' } },
        switching: { rules: [{ to: 'b' }] },
        loop: { rateHz: 100 },
      }),
    );
    expect(() => loadRunConfig(file, plugins)).toThrow(
      "switching.rules[0]: a rule needs 'when' (signal ranges), 'after' (seconds), or both",
    );
  });
});

describe('commands in a run', () => {
  it('the schedule and the operator write the channel a controller reads; the operator lists and refuses', async () => {
    const file = path.join(dir, 'run.yaml');
    writeFileSync(
      file,
      stringify({
        robot: { kind: 'sim', model: 'quadruped', resetNoise: 0, drive: { mode: 'pd', damping: 4 } },
        controller: { kind: 'trot' },
        commands: {
          base_velocity: {
            initial: [0, 0, 0],
            ranges: [
              [-0.3, 0.7],
              [-0.2, 0.2],
              [-0.8, 0.8],
            ],
            schedule: [{ at: 1, value: [0.3, 0, 0] }],
          },
        },
        loop: { rateHz: 50, mode: 'fast' },
      }),
    );
    let operator: OperatorConsole | undefined;
    const replies: string[] = [];
    const seen: number[][] = [];
    const sink = {
      writeTick: (r: TickRecord) => {
        if (Math.abs(r.deadline - 2) < 1e-9) {
          void operator!
            .execute('command base_velocity 1.5 0 -0.2', 'stdin')
            .then((x) => replies.push(x.message));
          void operator!.execute('command', 'mqtt').then((x) => replies.push(x.message));
          void operator!.execute('command base_velocity 1', 'stdin').then((x) => replies.push(x.message));
        }
      },
    };
    const result = await runFromConfig(
      loadRunConfig(file, plugins),
      { duration: 3 },
      {
        sinks: [sink],
        onStart: (loop, robot) => {
          operator = new OperatorConsole(loop, robot);
          seen.push(Array.from(loop.commands!.get('base_velocity')!.values));
        },
      },
    );
    expect(seen[0]).toEqual([0, 0, 0]);
    // The reply names the clamped value and its range; the listing shows what the channel holds.
    expect(replies[0]).toBe(
      'base_velocity = [0.7, 0, -0.2] (clamped to its ranges): value 1 was 1.5, range [-0.3, 0.7]',
    );
    expect(replies[1]).toBe('base_velocity = [0.7, 0, -0.2]');
    expect(replies[2]).toBe("command 'base_velocity' takes 3 values, got 1 (usage: command NAME v1 v2 …)");
    const messages = result.events.map((e) => `${e.source}: ${e.message}`);
    expect(messages).toContain('command:schedule: base_velocity = [0.3, 0, 0]');
    expect(messages).toContain(
      'command:operator:stdin: base_velocity = [0.7, 0, -0.2] (clamped to its ranges): value 1 was 1.5, range [-0.3, 0.7]',
    );
  }, 30_000);
});
