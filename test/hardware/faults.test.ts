import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkRobot } from '../../hardware/link/link-robot.ts';
import type { FaultSpec } from '../../hardware/rig/config.ts';
import {
  killLeftovers,
  type Mosquitto,
  type RigProcess,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
} from '../../hardware/tools/processes.ts';
import { SafetyFlag } from '../../src/safety/types.ts';
import { HostLoop, mqttRobot, serialRobot, sleep, until } from './helpers.ts';

const work = temporaryDirectory('tether-fault-test');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
let mosquitto: Mosquitto;
// 200 ms at 100 Hz: well above the stalls a busy 2-core CI machine produces, far below a real outage.
const staleAfterTicks = 20;
/** States already written when the fault hits still arrive (pty and socket buffers on a busy machine). */
const inFlightTicks = 5;

beforeAll(async () => {
  mosquitto = await startMosquitto();
});

afterAll(async () => {
  await mosquitto?.stop();
  work.remove();
});

/** The rig's watchdog gets the same headroom; its own test sets it back to 200 ms. */
function serialRig(name: string, faults: FaultSpec[] = [], watchdogMs = 1000): Promise<RigProcess> {
  return spawnRig(
    { model: 'cartpole', transport: { kind: 'serial', link: `${work.path}/${name}` }, faults, watchdogMs },
    work.path,
    name,
  );
}

function mqttRig(name: string, faults: FaultSpec[] = []): Promise<RigProcess> {
  return spawnRig(
    { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, faults, watchdogMs: 1000 },
    work.path,
    name,
  );
}

async function startHost(robot: LinkRobot, stale = staleAfterTicks): Promise<HostLoop> {
  await robot.configure();
  await robot.activate();
  const loop = new HostLoop(robot, { staleAfterTicks: stale });
  loop.start();
  return loop;
}

async function finish(loop: HostLoop, robot: LinkRobot, rig: RigProcess | undefined) {
  loop.stop();
  await robot.shutdown();
  return rig?.stop();
}

/** After recovery the rig applies our commands again. */
async function expectCommandsFlow(loop: HostLoop, robot: LinkRobot): Promise<void> {
  const sent = robot.statistics.commandsSent;
  await sleep(300);
  expect(robot.state).toBe('running');
  expect(loop.safety.latched).toBe(false);
  expect(robot.statistics.commandsSent).toBeGreaterThan(sent + 10);
}

describe('faults on a serial link put the pipeline in its safe state', () => {
  it('corrupt and dropped frames are counted and dropped; control goes on', async () => {
    const rig = await serialRig('corrupt', [
      { kind: 'corrupt', probability: 0.3, at: 0.3, duration: 1.5 },
      { kind: 'drop', probability: 0.3, direction: 'both', at: 0.3, duration: 1.5 },
    ]);
    const robot = await serialRobot(rig.hostLink);
    // Dropped states must not latch the watchdog in this test: allow a full second without one.
    const loop = await startHost(robot, 100);
    await sleep(2200);
    const report = await finish(loop, robot, rig);
    const host = robot.statistics;
    expect(report!.traffic.framesCorrupted).toBeGreaterThan(10);
    expect(host.crcErrors + host.framingErrors).toBeGreaterThan(0);
    expect(host.statesLost).toBeGreaterThan(0);
    expect(report!.traffic.commandsDropped).toBeGreaterThan(0);
    expect(host.decodeErrors).toBe(0);
    expect(
      loop.ticks.some((t) => t.latched),
      loop.safety.latchReason,
    ).toBe(false);
  });

  it('a frozen rig is caught by the staleness watchdog in cycles, and control resumes only after recovery', async () => {
    const rig = await serialRig('freeze', [{ kind: 'freeze', at: 0.5, duration: 0.5 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot);
    await until('the latch', () => loop.safety.latched);
    expect(loop.safety.latchReason).toMatch(/stale for 20 ticks/);
    await sleep(1000);
    // Data flows again, but nothing resumes by itself.
    expect(loop.safety.latched).toBe(true);
    expect(loop.commands.slice(-20).every((c) => c === 0)).toBe(true);
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    const report = await finish(loop, robot, rig);
    expect(loop.cyclesToSafe(report!.faults[0]!.startEpochMs)).toBeLessThanOrEqual(
      staleAfterTicks + inFlightTicks,
    );
  });

  it('a NaN sensor faults the robot as a sensor failure and latches the safe action on the next tick', async () => {
    const rig = await serialRig('nan', [
      { kind: 'sensor-nan', signal: 'pole.angle', at: 0.5, duration: 0.3 },
    ]);
    const robot = await serialRobot(rig.hostLink);
    // Staleness is not under test here: a generous limit keeps a scheduler stall from latching first.
    const loop = await startHost(robot, 100);
    await until('the latch', () => loop.safety.latched);
    // A state with a NaN value is refused (it never becomes the observation) and faults the robot.
    expect(loop.safety.latchReason).toMatch(
      /robot fault: sensor failure: state \d+ carries NaN for 'pole.angle'/,
    );
    const latchedTick = loop.ticks.find((t) => t.latched)!;
    expect(latchedTick.flags & SafetyFlag.estop).toBeTruthy();
    expect(robot.statistics.nonFinite).toBeGreaterThan(0);
    const report = await finish(loop, robot, rig);
    expect(loop.cyclesToSafe(report!.faults[0]!.startEpochMs)).toBeLessThanOrEqual(2);
  });

  it("the rig's own e-stop faults the robot; the rig refuses to resume until the operator recovers", async () => {
    const rig = await serialRig('estop', [{ kind: 'estop', at: 0.5 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot);
    await until('the robot fault', () => robot.state === 'fault');
    expect(robot.faultReason).toMatch(/e-stop from rig: rig e-stop button pressed|rig reports e-stop/);
    await until('the latch', () => loop.safety.latched);
    await sleep(200);
    expect(robot.state).toBe('fault');
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    await finish(loop, robot, rig);
  });

  it('an unplugged cable (socat killed) faults the robot; it reconnects and waits for recovery', async () => {
    const rig = await serialRig('unplug', [{ kind: 'disconnect', at: 0.5, duration: 0.8 }]);
    const robot = await serialRobot(rig.hostLink);
    const loop = await startHost(robot);
    await until('the robot fault', () => robot.state === 'fault');
    expect(robot.faultReason).toMatch(/link lost/);
    await until('the latch', () => loop.safety.latched);
    await until('the reconnect', () => robot.statistics.reconnects > 0, 15_000);
    await sleep(300);
    expect(robot.state).toBe('fault');
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    const report = await finish(loop, robot, rig);
    expect(loop.cyclesToSafe(report!.faults[0]!.startEpochMs)).toBeLessThanOrEqual(
      staleAfterTicks + inFlightTicks,
    );
  });

  it('a killed rig: safe within the stale limit; a restarted rig is picked up, recovery needed', async () => {
    const first = await serialRig('killed');
    const robot = await serialRobot(first.hostLink);
    const loop = await startHost(robot);
    await sleep(500);
    const killedAt = performance.timeOrigin + performance.now();
    await first.kill();
    await until('the latch', () => loop.safety.latched);
    expect(loop.cyclesToSafe(killedAt)).toBeLessThanOrEqual(staleAfterTicks + inFlightTicks);
    const second = await serialRig('killed');
    await until('the robot reconnecting to the new rig', () => robot.statistics.reconnects > 0, 15_000);
    expect(robot.state).toBe('fault');
    await sleep(300);
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    const report = await finish(loop, robot, second);
    expect(report!.commandsReceived).toBeGreaterThan(10);
  });

  it("the rig's watchdog latches when the host goes silent", async () => {
    const rig = await serialRig('silent', [], 200);
    const robot = await serialRobot(rig.hostLink, { heartbeatMs: 100_000 });
    const loop = await startHost(robot);
    await sleep(300);
    loop.stop();
    await until('the rig fault report', () => robot.state === 'fault', 5000);
    expect(robot.faultReason).toMatch(/rig fault 1: no command or heartbeat for \d+ ms \(watchdog 200 ms\)/);
    await robot.shutdown();
    await rig.stop();
  });
});

describe('faults on an MQTT link (Mosquitto)', () => {
  it('a killed rig is seen through its last will; the restarted rig waits for the operator', async () => {
    const first = await mqttRig('mqtt-killed');
    const robot = await mqttRobot(mosquitto.url);
    const loop = await startHost(robot);
    await sleep(500);
    const killedAt = performance.timeOrigin + performance.now();
    await first.kill();
    await until('the latch', () => loop.safety.latched);
    expect(loop.cyclesToSafe(killedAt)).toBeLessThanOrEqual(staleAfterTicks + inFlightTicks);
    await until('the robot fault', () => robot.state === 'fault', 10_000);
    // The last will marks the link down (the stale latch, reaching the robot first, may name the fault).
    await until('the rig offline', () => !robot.connected, 10_000);
    expect(robot.faultReason).toMatch(
      /link lost .*peer rig offline|runtime safety layer latched: observation stale/,
    );
    const second = await mqttRig('mqtt-killed');
    await until('the rig back online', () => robot.connected, 10_000);
    expect(robot.state).toBe('fault');
    await sleep(300);
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    await finish(loop, robot, second);
  });

  it('a restarted broker: both ends reconnect, the pipeline is safe meanwhile and resumes on recovery', async () => {
    const rig = await mqttRig('broker-restart');
    const robot = await mqttRobot(mosquitto.url);
    const loop = await startHost(robot);
    await sleep(500);
    const restartedAt = performance.timeOrigin + performance.now();
    await mosquitto.restart();
    await until('the latch', () => loop.safety.latched);
    expect(loop.cyclesToSafe(restartedAt)).toBeLessThanOrEqual(staleAfterTicks + inFlightTicks);
    await until('the reconnect', () => robot.statistics.reconnects > 0, 15_000);
    await sleep(1000);
    expect(robot.state).toBe('fault');
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    await finish(loop, robot, rig);
  });

  it("an operator's remote e-stop on <prefix>/<robot>/estop stops host and rig", async () => {
    const { connectAsync } = await import('mqtt');
    const { encodeEstop, maxMessageSize } = await import('../../hardware/protocol/messages.ts');
    const { appendCrc } = await import('../../hardware/protocol/framing.ts');
    const rig = await mqttRig('remote-estop');
    const robot = await mqttRobot(mosquitto.url);
    const loop = await startHost(robot);
    await sleep(300);
    const panel = await connectAsync(mosquitto.url);
    const message = new Uint8Array(maxMessageSize + 4);
    const length = appendCrc(message, encodeEstop(message, 1, 0, { source: 1, reason: 'operator panel' }));
    await panel.publishAsync('tether/cartpole/estop', Buffer.from(message.subarray(0, length)), { qos: 1 });
    await panel.endAsync();
    await until('the robot fault', () => robot.state === 'fault');
    expect(robot.faultReason).toBe('e-stop from operator: operator panel');
    await until('the latch', () => loop.safety.latched);
    await sleep(200);
    await loop.recover();
    await expectCommandsFlow(loop, robot);
    await finish(loop, robot, rig);
  });
});
