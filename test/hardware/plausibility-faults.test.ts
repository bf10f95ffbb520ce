/**
 * The plausibility monitors' frozen-sensor and velocity-limit checks (hardware/link/plausibility.ts)
 * through the real path: the emulated rig (its own process, over a socat pty) injects the sensor
 * fault, the link robot's monitor judges the authenticated states, the robot faults, and the rig
 * latches its own safe state on the host's e-stop.
 */
import { afterAll, expect, it } from 'vitest';
import type { LinkRobot } from '../../hardware/link/link-robot.ts';
import { defaultPlausibility } from '../../hardware/link/plausibility.ts';
import type { FaultSpec, RigConfigInput } from '../../hardware/rig/config.ts';
import {
  killLeftovers,
  type RigProcess,
  spawnRig,
  temporaryDirectory,
} from '../../hardware/tools/processes.ts';
import { HostLoop, serialRobot, until } from './helpers.ts';

const work = temporaryDirectory('tether-plausibility-faults');
afterAll(killLeftovers);
afterAll(() => work.remove());

function serialRig(
  name: string,
  faults: FaultSpec[],
  extra: Partial<RigConfigInput> = {},
): Promise<RigProcess> {
  return spawnRig(
    {
      model: 'cartpole',
      transport: { kind: 'serial', link: `${work.path}/${name}` },
      faults,
      watchdogMs: 1000,
      ...extra,
    },
    work.path,
    name,
  );
}

/** Staleness far beyond what the faults need: on a busy machine only the monitor under test may latch. */
async function startHost(robot: LinkRobot, control?: (o: Float64Array) => number): Promise<HostLoop> {
  await robot.configure();
  await robot.activate();
  const loop = new HostLoop(robot, { staleAfterTicks: 100 }, 100, control);
  loop.start();
  return loop;
}

/** Pole PD plus cart feedback: the commands change every cycle, as the runtime's LQR's do. */
const withCart = (o: Float64Array) => 20 * o[1]! + 2 * o[3]! + 4 * o[0]! + 4 * o[2]!;

it("a joint's sensor that stops updating while the commands change: the frozen check latches, naming the joint", async () => {
  const rig = await serialRig('frozen', [{ kind: 'frozen-sensor', joint: 'hinge', at: 0.5 }]);
  // The effort-based checks (stuck, still) also see a joint that does not move; switched off here
  // (no effort change is large enough), so that what latches is the frozen check alone.
  const robot = await serialRobot(rig.hostLink, { plausibility: { minEffortChange: 1e9 } });
  const loop = await startHost(robot, withCart);
  await until('the latch', () => loop.safety.latched, 15_000);
  loop.stop();
  const reason = robot.faultReason ?? '';
  const implausible = robot.statistics.implausible;
  await robot.shutdown();
  const report = await rig.stop();
  // The pole's encoder froze (the controller still saw the pole through its angle sensor, so the
  // commands kept changing): bit-identical readings for exactly the configured window.
  expect(reason).toMatch(
    new RegExp(
      `^implausible state: joint 'hinge' reads exactly the same position and velocity for ${defaultPlausibility.windowCycles} cycles while the commands change`,
    ),
  );
  expect(implausible).toBe(1);
  expect(loop.safety.latchReason).toMatch(/robot fault: implausible state: joint 'hinge'/);
  // Not before the fault, and the rig latched its own safe state on the host's word.
  expect(loop.cyclesToSafe(report.faults[0]!.startEpochMs)).toBeGreaterThanOrEqual(
    defaultPlausibility.windowCycles,
  );
  expect(report.latches.map((l) => l.reason)).toEqual([
    expect.stringMatching(/^e-stop from host: implausible state: joint 'hinge' reads exactly the same/),
  ]);
});

it("a velocity reading beyond 1.5 x the joint's announced limit: the velocity check latches, naming the joint and the limit", async () => {
  // The rig enforces 5 m/s on the cart (its own firmware limit) and announces it in HELLO; the
  // cart's velocity sensor then reads 10 m/s too fast while its position stays true.
  const rig = await serialRig(
    'velocity',
    [{ kind: 'velocity-spike', joint: 'slider', amount: 10, at: 0.5 }],
    {
      limits: { jointVelocity: 5 },
    },
  );
  const robot = await serialRobot(rig.hostLink);
  const loop = await startHost(robot);
  await until('the latch', () => loop.safety.latched, 15_000);
  loop.stop();
  const reason = robot.faultReason ?? '';
  const implausible = robot.statistics.implausible;
  await robot.shutdown();
  const report = await rig.stop();
  expect(reason).toMatch(
    /^implausible state: joint 'slider' reports velocity -?\d+(\.\d+)?, beyond 1\.5 x its limit 5$/,
  );
  expect(implausible).toBe(1);
  // The glitch is in the reading only: the rig's own velocity limit never tripped.
  expect(report.trips).toEqual({});
  expect(report.latches.map((l) => l.reason)).toEqual([
    expect.stringMatching(/^e-stop from host: implausible state: joint 'slider' reports velocity/),
  ]);
});
