/**
 * A velocity command over the MQTT operator channel drives the walking quadruped on its rig: the
 * shipped configs/quadruped-walk-mqtt.yaml (unitree_rl_lab-layout export, pd drive) with no command
 * schedule, its operator channel on the same broker. `command base_velocity …` sent with
 * MqttOperatorClient lands in the command channel the policy's `source: command` term reads, from one
 * tick on, and the robot's forward velocity follows; an out-of-range value is clamped and the reply
 * names the value and its range; a wrong count is refused. And a pd-drive link robot takes an
 * unsolicited HELLO of the same rig in its stride (that race faulted the walking run at start-up).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startMqttOperator } from '../../app/operator-mqtt.ts';
import { plugins } from '../../app/plugins.ts';
import { WalkRecorder } from '../../controllers/policies/examples/quadruped-trot/metrics.ts';
import { MqttOperatorClient } from '../../hardware/mqtt/operator.ts';
import { parseDeviceKey } from '../../hardware/protocol/auth.ts';
import { RequestOp } from '../../hardware/protocol/messages.ts';
import {
  killLeftovers,
  type Mosquitto,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  testLinkKey,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import type { TickRecord } from '../../src/core/tick.ts';
import type { ControlLoop } from '../../src/loop/control-loop.ts';
import { OperatorConsole } from '../../src/loop/operator.ts';
import { runFromConfig } from '../../src/loop/runner.ts';
import { mqttRobot, sleep } from './helpers.ts';

useTestLinkKey();
const root = join(import.meta.dirname, '../..');
const work = temporaryDirectory('tether-operator-mqtt-command');
let mosquitto: Mosquitto;
beforeAll(async () => {
  mosquitto = await startMosquitto();
});
afterAll(async () => {
  killLeftovers();
  await mosquitto?.stop();
  work.remove();
});

describe('a velocity command over the MQTT operator channel', () => {
  it('reaches the walking policy’s command channel at one tick and the quadruped walks forward; out of range is clamped, naming the range', async () => {
    const rigConfig = parse(readFileSync(join(root, 'configs/rig/quadruped.yaml'), 'utf8'));
    rigConfig.transport = { kind: 'mqtt', url: mosquitto.url };
    rigConfig.watchdogMs = 1000;
    const rig = await spawnRig(rigConfig, work.path, 'quadruped');

    const config = parse(readFileSync(join(root, 'configs/quadruped-walk-mqtt.yaml'), 'utf8'));
    config.robot.url = mosquitto.url;
    config.robot.helloTimeoutMs = 10000;
    config.robot.requestTimeoutMs = 5000;
    config.controllers.walk.contract = join(root, 'controllers/policies/examples/quadruped-trot/policy.yaml');
    // Only the operator commands: the channel starts at rest and nothing else writes it.
    delete config.commands.base_velocity.schedule;
    config.operator = { mqtt: {} };
    // Tests share two cores: more staleness headroom than the shipped 200 ms.
    config.safety.staleAfterTicks = 25;
    const run = parseRunConfig(stringify(config), join(work.path, 'walk.yaml'), plugins);

    // Per tick: the values of the channel the policy reads (the same array its command term holds).
    let loop: ControlLoop | undefined;
    const channel: { tick: number; deadline: number; values: number[] }[] = [];
    const rec = new WalkRecorder();
    const sink = {
      writeTick(r: TickRecord) {
        rec.writeTick(r);
        const values = loop!.commands!.get('base_velocity')!.values;
        channel.push({ tick: r.tick, deadline: r.deadline, values: Array.from(values) });
      },
    };
    const source = await startMqttOperator(run);
    expect(source).toBeDefined();
    const walking = runFromConfig(
      run,
      { duration: 9 },
      {
        sinks: [sink],
        onStart: (l, robot) => {
          loop = l;
          source!.attach(new OperatorConsole(l, robot));
        },
      },
    ).finally(() => source!.close());

    const operator = await MqttOperatorClient.connect(
      {
        url: mosquitto.url,
        topicPrefix: 'tether',
        robot: 'quadruped',
        deviceKey: parseDeviceKey(testLinkKey, 'test'),
      },
      15_000,
    );
    let result: Awaited<typeof walking>;
    let sentAt = 0;
    try {
      // Wait until the policy walks in place (passive 0.5 s, stand-up 1.5 s), then a little more.
      let status = await operator.send('status');
      for (let i = 0; i < 100 && !/^controller walk;/.test(status.message); i++) {
        await sleep(100);
        status = await operator.send('status');
      }
      expect(status.message).toMatch(/^controller walk; safety ok; robot running/);
      await sleep(1000);

      // A wrong count is refused, the channel untouched.
      const short = await operator.send('command base_velocity 0.5');
      expect(short).toMatchObject({ ok: false, authenticated: true });
      expect(short.message).toBe(
        "command 'base_velocity' takes 3 values, got 1 (usage: command NAME v1 v2 …)",
      );

      sentAt = loop!.record.deadline;
      const forward = await operator.send('command base_velocity 0.5 0 0');
      expect(forward).toMatchObject({
        ok: true,
        authenticated: true,
        message: 'base_velocity = [0.5, 0, 0]',
      });
      await sleep(3000);

      // Beyond the forward range [-0.3, 0.7]: clamped, and the reply says which value and to what.
      const tooFast = await operator.send('command base_velocity 2 0 0');
      expect(tooFast).toMatchObject({ ok: true, authenticated: true });
      expect(tooFast.message).toBe(
        'base_velocity = [0.7, 0, 0] (clamped to its ranges): value 1 was 2, range [-0.3, 0.7]',
      );
      expect((await operator.send('command')).message).toBe('base_velocity = [0.7, 0, 0]');
    } finally {
      await operator.close();
      try {
        result = await walking;
      } finally {
        await rig.stop();
      }
    }
    expect(result.report.latched).toBeUndefined();
    expect(result.report.activeController).toBe('walk');

    // The channel changes once from rest to the sent value, in one tick, after the command was sent.
    const changed = channel.findIndex((c) => c.values[0] !== 0);
    expect(changed).toBeGreaterThan(0);
    expect(channel[changed - 1]!.values).toEqual([0, 0, 0]);
    expect(channel[changed]!.values).toEqual([0.5, 0, 0]);
    expect(channel[changed]!.deadline).toBeGreaterThanOrEqual(sentAt);
    expect(channel.at(-1)!.values).toEqual([0.7, 0, 0]);
    // Logged where it came from, with the tick's time.
    const writes = result.events.filter((e) => e.source === 'command:operator:mqtt');
    expect(writes.map((e) => e.message)).toEqual([
      'base_velocity = [0.5, 0, 0]',
      'base_velocity = [0.7, 0, 0] (clamped to its ranges): value 1 was 2, range [-0.3, 0.7]',
    ]);
    // Stamped with the loop time it arrived at: after the tick before the change, by the changed tick.
    expect(writes[0]!.time).toBeGreaterThanOrEqual(channel[changed - 1]!.deadline);
    expect(writes[0]!.time).toBeLessThanOrEqual(channel[changed]!.deadline);

    // The robot follows: standing still before the command, walking forward a second after it.
    const mean = (from: number, to: number) => {
      const v = rec.t.flatMap((t, i) => (t >= from && t < to ? [rec.vx[i]!] : []));
      return v.reduce((s, x) => s + x, 0) / v.length;
    };
    const t0 = channel[changed]!.deadline;
    expect(Math.abs(mean(t0 - 0.8, t0))).toBeLessThan(0.1);
    expect(mean(t0 + 1, t0 + 3)).toBeGreaterThan(0.25);
    expect(Math.min(...rec.z.filter((_, i) => rec.t[i]! > t0))).toBeGreaterThan(0.2);
  }, 90_000);

  it('a pd-drive robot stays ready when its rig announces itself again; the HELLO is compared as the rig presents it', async () => {
    const rigConfig = parse(readFileSync(join(root, 'configs/rig/quadruped.yaml'), 'utf8'));
    rigConfig.transport = { kind: 'mqtt', url: mosquitto.url };
    rigConfig.watchdogMs = 1000;
    const rig = await spawnRig(rigConfig, work.path, 'hello-again');
    const robot = await mqttRobot(mosquitto.url, {
      robot: 'quadruped',
      drive: { mode: 'pd', damping: 4 },
      helloTimeoutMs: 10000,
    });
    try {
      await robot.configure();
      // The pd drive adds the kp/kd signals to what the runtime sees; the rig does not present them.
      expect(robot.info.action.signals.length).toBe(36);
      // A HELLO nobody waits for, as after a reconnect or a second answer over MQTT (private: the
      // runtime asks for one itself only when its link comes back).
      const { endpoint } = robot as unknown as {
        endpoint: { sendRequest(request: { op: number }, before: undefined, mode: 'none'): number };
      };
      endpoint.sendRequest({ op: RequestOp.hello }, undefined, 'none');
      await sleep(500);
      expect(robot.state, robot.faultReason).toBe('ready');
    } finally {
      await robot.shutdown();
      await rig.stop();
    }
  }, 60_000);
});
