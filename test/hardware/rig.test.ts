import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { killLeftovers, spawnRig, temporaryDirectory } from '../../hardware/tools/processes.ts';
import { serialRobot, sleep, until } from './helpers.ts';

const work = temporaryDirectory('tether-rig-test');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
afterAll(() => work.remove());

describe('emulated rig firmware', () => {
  it('position mode: the 1 kHz PD loop takes a joint to the commanded target', async () => {
    const rig = await spawnRig(
      {
        model: 'arm',
        commandMode: 'position',
        kp: 300,
        kd: 20,
        resetNoise: 0,
        transport: { kind: 'serial', link: `${work.path}/arm` },
      },
      work.path,
      'arm',
    );
    // Its main thread runs without V8's memory reducer (src/runtime/heap.ts): no compaction pauses.
    expect(readFileSync(`/proc/${rig.child.pid}/cmdline`, 'utf8').split('\0')).toContain(
      '--no-memory-reducer',
    );
    const robot = await serialRobot(rig.hostLink);
    try {
      await robot.configure();
      expect(robot.info.action.mode).toBe('position');
      expect(robot.info.action.signals[0]).toMatchObject({
        name: 'joint1.target',
        unit: 'rad',
        lower: -2.8973,
        upper: 2.8973,
      });
      expect(robot.info.capabilities.features).toContain('pd-gains');
      await robot.activate();
      const observation = new Float64Array(robot.info.observation.signals.length);
      await until('a state', () => !Number.isNaN(robot.read(observation)));
      const target = Float64Array.from(observation.subarray(0, 7));
      target[0] = target[0]! + 0.3;
      const end = Date.now() + 1500;
      while (Date.now() < end) {
        robot.write(target);
        await sleep(10);
      }
      robot.read(observation);
      expect(observation[0]).toBeCloseTo(target[0]!, 1);
    } finally {
      await robot.shutdown();
      await rig.stop();
    }
  });

  it('a stuck joint stops moving while the others keep going; a delay fault shows in the measured latency', async () => {
    const rig = await spawnRig(
      {
        model: 'cartpole',
        transport: { kind: 'serial', link: `${work.path}/stuck` },
        faults: [
          { kind: 'stuck-joint', joint: 'hinge', at: 0.5, duration: 1 },
          { kind: 'delay', ms: 40, at: 0.5, duration: 1 },
        ],
      },
      work.path,
      'stuck',
    );
    const robot = await serialRobot(rig.hostLink);
    const angles: number[] = [];
    const carts: number[] = [];
    try {
      await robot.configure();
      await robot.activate();
      const observation = new Float64Array(4);
      const push = Float64Array.of(5);
      const start = Date.now();
      while (Date.now() - start < 1400) {
        robot.read(observation);
        if (Date.now() - start > 700) {
          angles.push(observation[1]!);
          carts.push(observation[0]!);
        }
        robot.write(push);
        await sleep(10);
      }
    } finally {
      await robot.shutdown();
    }
    const report = await rig.stop();
    // Seized: it creeps at most micrometres (the firmware damps it, physics still runs).
    expect(Math.max(...angles) - Math.min(...angles)).toBeLessThan(1e-3);
    expect(new Set(carts).size).toBeGreaterThan(10);
    expect(report.traffic.statesDelayed).toBeGreaterThan(100);
    expect(report.latencyUs.filter((us) => us > 40_000).length).toBeGreaterThan(10);
  });
});
