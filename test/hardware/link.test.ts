import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkRobot } from '../../hardware/link/link-robot.ts';
import {
  freeLoopbackPort,
  killLeftovers,
  type Mosquitto,
  type RigProcess,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
} from '../../hardware/tools/processes.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { mqttRobot, serialRobot, sleep, until } from './helpers.ts';

const work = temporaryDirectory('tether-link-test');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
let mosquitto: Mosquitto;

beforeAll(async () => {
  mosquitto = await startMosquitto();
});

afterAll(async () => {
  await mosquitto?.stop();
  work.remove();
});

/** Drives the robot for `ms` with a pole PD through read/write; returns the observations seen. */
async function drive(robot: LinkRobot, ms: number): Promise<Float64Array[]> {
  const observation = new Float64Array(4);
  const action = new Float64Array(1);
  const seen: Float64Array[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = robot.read(observation);
    if (!Number.isNaN(t)) seen.push(observation.slice());
    action[0] = 20 * observation[1]! + 2 * observation[3]!;
    robot.write(action);
    await sleep(10);
  }
  return seen;
}

async function exercise(rig: RigProcess, robot: LinkRobot): Promise<void> {
  await robot.configure();
  const env = await createEnv('cartpole');
  try {
    // One config drives both: the rig announces exactly the simulator's signals and limits.
    expect(robot.info.observation).toEqual(env.observation);
    expect(robot.info.action.signals).toEqual(env.action.signals);
    expect(robot.info.action.mode).toBe('torque');
    expect(robot.info.action.safe).toEqual([0]);
  } finally {
    env.dispose?.();
  }
  expect(robot.info.capabilities.innerLoopHz).toBe(1000);
  await robot.activate();
  const seen = await drive(robot, 1000);
  expect(seen.length).toBeGreaterThan(50);
  // The pole is alive: its state changes between samples.
  expect(new Set(seen.map((o) => o[3])).size).toBeGreaterThan(10);
  await robot.deactivate();
  await robot.shutdown();
  const host = robot.statistics;
  const report = await rig.stop();
  expect(host.statesLost).toBe(0);
  expect(host.crcErrors + host.framingErrors + host.decodeErrors).toBe(0);
  expect(report.counters.crcErrors + report.decodeErrors).toBe(0);
  expect(report.commandsReceived).toBe(host.commandsSent);
  expect(report.commandsApplied).toBeGreaterThan(50);
  expect(report.latencyUs.length).toBeGreaterThan(50);
}

// The rigs' watchdogs get 1 s: test files run in parallel on a busy 2-core machine.
describe('link robots against the emulated rig (separate process)', () => {
  it('serial over a socat pty pair', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: `${work.path}/serial` }, watchdogMs: 1000 },
      work.path,
      'serial',
    );
    expect(rig.hostLink).toBe(`${work.path}/serial.host`);
    await exercise(rig, await serialRobot(rig.hostLink));
  });

  it('MQTT through a real Mosquitto', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, watchdogMs: 1000 },
      work.path,
      'mosquitto',
    );
    await exercise(rig, await mqttRobot(mosquitto.url));
  });

  it('MQTT through the embedded broker the rig starts when no broker is named', async () => {
    const port = await freeLoopbackPort();
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', listen: { port } }, watchdogMs: 1000 },
      work.path,
      'embedded',
    );
    expect(rig.hostLink).toContain(`mqtt://127.0.0.1:${port}`);
    await exercise(rig, await mqttRobot(`mqtt://127.0.0.1:${port}`));
  });

  it('announces the quadruped and the 7-DoF arm with the simulator specs (joints, IMU)', async () => {
    for (const model of ['quadruped', 'arm'] as const) {
      const rig = await spawnRig(
        { model, transport: { kind: 'serial', link: `${work.path}/${model}` } },
        work.path,
        model,
      );
      const robot = await serialRobot(rig.hostLink);
      try {
        await robot.configure();
        const env = await createEnv(model);
        expect(robot.info.observation).toEqual(env.observation);
        expect(robot.info.action.signals).toEqual(env.action.signals);
        env.dispose?.();
        const observation = new Float64Array(robot.info.observation.signals.length);
        await until('a state sample', () => !Number.isNaN(robot.read(observation)));
        expect(observation.every(Number.isFinite)).toBe(true);
      } finally {
        await robot.shutdown();
        await rig.stop();
      }
    }
  });

  it('fails with a clear message when no rig answers', async () => {
    const robot = await mqttRobot(mosquitto.url, { helloTimeoutMs: 500 });
    await expect(robot.configure()).rejects.toThrow(
      /no hello from a rig on mqtt .* within 500 ms; is the rig running\?/,
    );
    await robot.shutdown();
    const serial = await serialRobot(`${work.path}/does-not-exist`);
    await expect(serial.configure()).rejects.toThrow(/cannot open serial port .*does-not-exist/);
  });
});
