/**
 * The legged deploy state machine on the sim quadruped with a pd drive, built on the controller
 * manager: passive → stand-up (timed rules) → a walking controller → damping on a fault. An injected
 * fault (the walking controller throws mid-stride) hands over to damping and the robot sits down;
 * with zero torque instead (the only safe action a torque robot has) it collapses. An operator e-stop
 * latches the safety layer, and the pd drive's own safe state is damping too.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { plugins } from '../../app/plugins.ts';
import { TrotController, trotOptions } from '../../controllers/legged/trot.ts';
import type { ControllerPlugin, PluginSet } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import { OperatorConsole } from '../../src/loop/operator.ts';
import { runConfigFile, temporaryFolder } from '../support/run-config.ts';

/** The scripted trot, throwing from `faultAt` seconds on: a walking controller that dies mid-stride. */
class FaultyTrot implements Controller {
  readonly name = 'faulty-trot';
  private readonly inner: TrotController;
  constructor(private readonly faultAt: number) {
    this.inner = new TrotController(trotOptions.parse({}));
  }
  configure(context: ControllerContext) {
    this.inner.configure(context);
  }
  reset(observation: Float64Array) {
    this.inner.reset();
    void observation;
  }
  update(observation: Float64Array, time: number, action: Float64Array) {
    if (time >= this.faultAt) throw new Error('injected controller failure');
    this.inner.update(observation, time, action);
  }
}

const faultyTrotPlugin: ControllerPlugin<{ faultAt: number }> = {
  kind: 'faulty-trot',
  description: 'test only: the scripted trot, throwing from faultAt seconds on',
  schema: z.object({ faultAt: z.number() }).strict(),
  create: (o) => new FaultyTrot(o.faultAt),
};

const testPlugins: PluginSet = { ...plugins, controllers: [...plugins.controllers, faultyTrotPlugin] };

const folder = temporaryFolder('tether-fsm');

/** Trunk height, vertical speed and uprightness of every tick, and the active controller. */
class Trunk {
  readonly t: number[] = [];
  readonly z: number[] = [];
  readonly vz: number[] = [];
  readonly up: number[] = [];
  readonly controller: number[] = [];
  writeTick(r: TickRecord): void {
    const o = r.observation;
    this.t.push(r.deadline);
    this.z.push(o[0]!);
    this.vz.push(o[7]!);
    this.up.push(1 - 2 * (o[2]! ** 2 + o[3]! ** 2));
    this.controller.push(r.controller);
  }
  /** Over [from, to) s: lowest height, fastest descent, least upright. */
  window(from: number, to: number) {
    const idx = this.t.flatMap((t, i) => (t >= from && t < to ? [i] : []));
    return {
      minZ: Math.min(...idx.map((i) => this.z[i]!)),
      maxSink: Math.max(...idx.map((i) => -this.vz[i]!)),
      minUp: Math.min(...idx.map((i) => this.up[i]!)),
      lastZ: this.z[idx[idx.length - 1]!]!,
    };
  }
}

const lying = [0, 0, 0.11, 1, 0, 0, 0, ...[0, 1.1, -2.6, 0, 1.1, -2.6, 0, 1.1, -2.6, 0, 1.1, -2.6]];

async function fsmRun(name: string, fallback: 'damping' | 'limp', faultAt: number, seconds: number) {
  const trunk = new Trunk();
  const config = {
    robot: {
      kind: 'sim',
      model: 'quadruped',
      resetNoise: 0,
      initialState: { qpos: lying },
      drive: { mode: 'pd', damping: 4 },
    },
    controllers: {
      passive: { kind: 'passive' },
      stand: { kind: 'stand-up', duration: 1 },
      walk: { kind: 'faulty-trot', faultAt },
      damping: { kind: 'damping' },
      // Zero torque with no rule out of it: what a torque robot's safe action does.
      limp: { kind: 'passive' },
    },
    switching: {
      initial: 'passive',
      fallback,
      rules: [
        { from: 'passive', to: 'stand', after: 0.5 },
        { from: 'stand', to: 'walk', after: 1.5 },
      ],
    },
    commands: { base_velocity: { initial: [0.4, 0, 0] } },
    loop: { rateHz: 50, mode: 'fast' },
  };
  const result = await runConfigFile(folder.path, name, config, seconds, { sinks: [trunk] }, testPlugins);
  return { trunk, result };
}

describe('legged state machine: passive → stand-up → walk → damping', () => {
  it('stands the robot up from lying, walks, and on an injected fault sits it down instead of collapsing', async () => {
    const faultAt = 5;
    const { trunk, result } = await fsmRun('damping', 'damping', faultAt, 8);
    const switches = result.events.filter((e) => e.kind === 'controller-switch').map((e) => e.message);
    expect(switches[0]).toMatch(/^passive → stand \(rule: active for 0.5 s\)/);
    expect(switches[1]).toMatch(/^stand → walk \(rule: active for 1.5 s\)/);
    expect(switches[2]).toMatch(
      /^walk → damping \(fallback: controller walk threw: injected controller failure\)/,
    );
    expect(result.report.activeController).toBe('damping');
    expect(result.report.latched).toBeUndefined();
    // Lying at first, standing after the stand-up, walking upright until the fault.
    expect(trunk.window(0, 0.5).minZ).toBeLessThan(0.13);
    const walking = trunk.window(2.5, faultAt);
    expect(walking.minZ).toBeGreaterThan(0.24);
    expect(walking.minUp).toBeGreaterThan(0.95);
    // After the fault: down to the ground, slowly, still upright (it sits, it does not fall over).
    const after = trunk.window(faultAt, 8);
    expect(after.lastZ).toBeLessThan(0.16);
    expect(after.minUp).toBeGreaterThan(0.9);

    const collapse = await fsmRun('limp', 'limp', faultAt, 8);
    const limp = collapse.trunk.window(faultAt, 8);
    expect(collapse.result.report.activeController).toBe('limp');
    // Zero torque drops the trunk at least twice as fast as damping lowers it.
    expect(limp.maxSink).toBeGreaterThan(2 * after.maxSink);
    expect(after.maxSink).toBeLessThan(0.6);
  }, 60_000);

  it('an operator e-stop latches, and the pd drive holds the robot in damping until recovered', async () => {
    const config = {
      robot: { kind: 'sim', model: 'quadruped', resetNoise: 0, drive: { mode: 'pd', damping: 4 } },
      controllers: { stand: { kind: 'stand-up', duration: 0.5 } },
      loop: { rateHz: 50, mode: 'fast' },
    };
    const trunk = new Trunk();
    let console_: OperatorConsole | undefined;
    const stopAt = 2;
    const sink = {
      writeTick: (r: TickRecord) => {
        if (Math.abs(r.deadline - stopAt) < 1e-9) void console_!.execute('estop test', 'test');
      },
    };
    const result = await runConfigFile(
      folder.path,
      'estop',
      config,
      5,
      {
        sinks: [trunk, sink],
        onStart: (loop, robot) => {
          console_ = new OperatorConsole(loop, robot);
        },
      },
      testPlugins,
    );
    expect(result.report.latched).toBe('test (from test)');
    expect(result.robotState).toBe('stopped');
    const before = trunk.window(1, stopAt);
    const after = trunk.window(stopAt + 0.05, 5);
    expect(before.minZ).toBeGreaterThan(0.25);
    expect(after.lastZ).toBeLessThan(0.16);
    expect(after.maxSink).toBeLessThan(0.6);
    expect(after.minUp).toBeGreaterThan(0.9);
  }, 30_000);
});
