/**
 * The operator channel over MQTT (`operator.mqtt`): commands reach a real `tether run` through
 * Mosquitto sealed with the rig's link key, like the run's own commands; forged, unsealed and replayed
 * ones are refused and logged; `recover` goes through the rig, which only the owner may recover;
 * a robot that cannot leave its fault keeps the latch; `switch NAME` reaches the controller manager
 * as it does from the terminal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MqttOperatorClient } from '../../hardware/mqtt/operator.ts';
import { AuthMode, HmacKey, parseDeviceKey, seal } from '../../hardware/protocol/auth.ts';
import { appendCrc } from '../../hardware/protocol/framing.ts';
import { encodeOperatorCommand, maxMessageSize } from '../../hardware/protocol/messages.ts';
import {
  killLeftovers,
  type Mosquitto,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  testLinkKey,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { readLog } from '../../src/logging/reader.ts';
import { tether } from '../support/cli.ts';
import { controllerChanges, maxAbs } from '../support/switches.ts';
import { sleep, until } from './helpers.ts';

useTestLinkKey();
const work = temporaryDirectory('tether-operator-mqtt');
afterAll(killLeftovers);
let mosquitto: Mosquitto;
beforeAll(async () => {
  mosquitto = await startMosquitto();
});
afterAll(async () => {
  await mosquitto?.stop();
  work.remove();
});

const configs = join(import.meta.dirname, '../../configs');

function sealedWith(key: HmacKey, session: number, counter: number, line: string): Uint8Array {
  const out = new Uint8Array(maxMessageSize + 4);
  const n = seal(out, encodeOperatorCommand(out, 1, 0, { line }), AuthMode.session, key, session, counter);
  return out.slice(0, appendCrc(out, n));
}

describe('operator commands over MQTT, authenticated like commands', () => {
  it('estop and recover from an operator with the key; forged, unsealed and replayed commands refused', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, watchdogMs: 1000 },
      work.path,
      'rig',
    );
    const text = readFileSync(join(configs, 'cartpole-mqtt.yaml'), 'utf8')
      .replace('robot: cartpole', `robot: cartpole\n  url: ${mosquitto.url}`)
      .replace('staleAfterTicks: 10', 'staleAfterTicks: 25')
      .concat('operator:\n  mqtt: {}\n');
    const config = join(work.path, 'run.yaml');
    writeFileSync(config, text);
    const log = join(work.path, 'run.mcap');
    const run = tether(['run', config, '--duration', '6', '--log', log]);
    const options = {
      url: mosquitto.url,
      topicPrefix: 'tether',
      robot: 'cartpole',
      deviceKey: parseDeviceKey(testLinkKey, 'test'),
    };
    const operator = await MqttOperatorClient.connect(options, 15_000);
    // Until the loop runs, commands are answered but not run.
    let status = await operator.send('status');
    // Asked again until the link has measured a round trip (the first ticks have none yet).
    for (let i = 0; i < 50 && !(status.ok && /rtt/.test(status.message)); i++) {
      await sleep(100);
      status = await operator.send('status');
    }
    expect(status).toMatchObject({ ok: true, authenticated: true });
    expect(status.message).toMatch(/safety ok; robot running; .*link .*rtt/);
    // And what the rig itself says, asked over the link (its STATUS).
    expect(status.message).toMatch(/; device active, \d+ inner ticks, 0 latches, \d+ commands applied$/);

    // The same from the command line, as an operator at a terminal would.
    const cli = await tether(['operator', config, 'status']);
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^controller lqr; safety ok; robot running/);

    // An outsider: sealed with a guessed key, and unsealed; both refused, with an unsealed reason.
    const keys = operator.sessionKeys!;
    const forged = await operator.sendRaw(
      sealedWith(new HmacKey(new Uint8Array(32).fill(9)), keys.id, Date.now() * 1000, 'recover'),
      5000,
    );
    expect(forged).toMatchObject({ ok: false, authenticated: false });
    expect(forged.message).toMatch(/not sealed with this run's operator key/);

    const estop = sealedWith(keys.toRig, keys.id, Date.now() * 1000 + 5, 'estop panel stop');
    expect(await operator.sendRaw(estop, 5000)).toMatchObject({
      ok: true,
      authenticated: true,
    });
    // The same bytes again: a replay, refused without an answer.
    await expect(operator.sendRaw(estop, 700)).rejects.toThrow(/no reply/);
    status = await operator.send('status');
    expect(status.message).toMatch(/safety LATCHED \(panel stop \(from mqtt\)\); robot fault/);

    await sleep(300);
    const recovered = await operator.send('recover');
    expect(recovered.message).toMatch(/recovered/);
    expect(recovered.ok).toBe(true);
    await operator.close();

    const result = await run;
    const report = await rig.stop();
    expect(result.stderr).not.toMatch(/tether:/);
    expect(result.stdout, result.stderr).toMatch(/safety: ok/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/link: crc 0, decode 0, shape 0, non-finite 0/);
    // The e-stop reached the rig (the host latch latches the rig); recover was the owner's.
    expect(report.latches.some((l) => /runtime safety layer latched: panel stop/.test(l.reason))).toBe(true);
    expect(report.sessions.length).toBeGreaterThanOrEqual(2); // opened, then re-keyed by the recovery
    const read = await readLog(log);
    const refusals = read.events.filter((e) => e.source === 'operator:mqtt');
    expect(refusals.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/tag that does not verify/),
        expect.stringMatching(/replayed/),
      ]),
    );
    // The console logs every command it ran, with its source.
    expect(
      read.events.some((e) => e.source === 'operator:mqtt' && /estop panel stop → ok/.test(e.message)),
    ).toBe(true);
    expect(read.events.some((e) => e.source === 'safety' && e.kind === 'recover')).toBe(true);
    expect(read.link.length).toBeGreaterThan(2);
    const info = await tether(['log', 'info', log]);
    expect(info.stdout).toMatch(
      /\nlink {14}crc 0, decode 0, .*intrusions 0, .*rtt p50 [\d.]+ p99 [\d.]+ max [\d.]+ ms \(\d+ samples\)/,
    );
    expect(info.stdout).toMatch(/\nsession {11}[0-9a-f]{8}/);
    expect(info.stdout).toMatch(/\/tether\/link +tether\.Link +json +\d+/);
    expect(read.link.at(-1)!.health.counters['commandsSent']).toBeGreaterThan(100);
  });

  it('recover is refused while the robot cannot leave its fault (its rig is gone); the latch holds', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, watchdogMs: 1000 },
      work.path,
      'gone-rig',
    );
    const text = readFileSync(join(configs, 'cartpole-mqtt.yaml'), 'utf8')
      .replace('robot: cartpole', `robot: cartpole\n  url: ${mosquitto.url}`)
      .replace('staleAfterTicks: 10', 'staleAfterTicks: 25')
      .concat('operator:\n  mqtt: {}\n');
    const config = join(work.path, 'gone.yaml');
    writeFileSync(config, text);
    const log = join(work.path, 'gone.mcap');
    const run = tether(['run', config, '--duration', '4', '--log', log]);
    const operator = await MqttOperatorClient.connect(
      {
        url: mosquitto.url,
        topicPrefix: 'tether',
        robot: 'cartpole',
        deviceKey: parseDeviceKey(testLinkKey, 'test'),
      },
      15_000,
    );
    let status = await operator.send('status');
    for (let i = 0; i < 50 && !/robot running/.test(status.message); i++) {
      await sleep(100);
      status = await operator.send('status');
    }
    expect(status.message).toMatch(/safety ok; robot running/);

    // The rig dies: the robot faults (link lost) and the safety layer latches.
    await rig.kill();
    for (let i = 0; i < 50 && !/robot fault/.test(status.message); i++) {
      await sleep(100);
      status = await operator.send('status');
    }
    expect(status.message).toMatch(/safety LATCHED \(robot fault: link lost .*\); robot fault/);

    const recover = await operator.send('recover');
    expect(recover).toMatchObject({ ok: false, authenticated: true });
    expect(recover.message).toMatch(/^cannot recover: link .* is still down$/);
    status = await operator.send('status');
    expect(status.message).toMatch(/safety LATCHED .*; robot fault/);
    await operator.close();

    const result = await run;
    expect(result.code).not.toBe(0);
    expect(result.stdout).toMatch(/safety: LATCHED \(robot fault: link lost/);
    // The task did not run its course, and the summary must not call it a success.
    expect(result.stdout).toMatch(
      /task: .*FAILED \(the run ended latched: the safety layer stopped its last episode/,
    );
    const read = await readLog(log);
    expect(read.events.some((e) => e.kind === 'recover')).toBe(false);
    expect(
      read.events.some(
        (e) => e.source === 'operator:mqtt' && /^recover → refused: cannot recover: link/.test(e.message),
      ),
    ).toBe(true);
  });

  it('switch NAME over MQTT: the policy hands the rig to LQR at one tick boundary; an unknown name is refused', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, watchdogMs: 1000 },
      work.path,
      'switch-rig',
    );
    const contract = join(
      configs,
      '../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml',
    );
    // configs/cartpole-policy-lqr.yaml (policy, then LQR) on the rig over MQTT, with the operator topic.
    const text = readFileSync(join(configs, 'cartpole-policy-lqr.yaml'), 'utf8')
      .replace(/robot:\n( {2}.*\n)+/, `robot:\n  kind: mqtt\n  robot: cartpole\n  url: ${mosquitto.url}\n`)
      .replace(/contract: .*/, `contract: ${contract}`)
      // Parallel test files share 2 cores: more staleness headroom than a dedicated host needs.
      .replace('safety:\n', 'safety:\n  staleAfterTicks: 25\n')
      .concat('operator:\n  mqtt: {}\n');
    const config = join(work.path, 'switch.yaml');
    writeFileSync(config, text);
    const log = join(work.path, 'switch.mcap');
    const run = tether(['run', config, '--duration', '4', '--log', log]);
    const operator = await MqttOperatorClient.connect(
      {
        url: mosquitto.url,
        topicPrefix: 'tether',
        robot: 'cartpole',
        deviceKey: parseDeviceKey(testLinkKey, 'test'),
      },
      15_000,
    );
    let status = await operator.send('status');
    for (let i = 0; i < 50 && !/robot running/.test(status.message); i++) {
      await sleep(100);
      status = await operator.send('status');
    }
    expect(status.message).toMatch(/^controller policy; safety ok; robot running/);
    await sleep(500);

    const unknown = await operator.send('switch nonsense');
    expect(unknown).toMatchObject({ ok: false, authenticated: true });
    expect(unknown.message).toMatch(/no controller named 'nonsense' \(configured: policy, lqr\)/);
    const requested = await operator.send('switch lqr');
    expect(requested).toMatchObject({ ok: true, authenticated: true });
    expect(requested.message).toBe('switch to lqr requested for the next tick boundary');
    for (let i = 0; i < 50 && !/^controller lqr;/.test(status.message); i++) {
      await sleep(50);
      status = await operator.send('status');
    }
    expect(status.message).toMatch(/^controller lqr; safety ok; robot running/);
    await operator.close();

    const result = await run;
    await rig.stop();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/1 switch \(0 to the fallback\); lqr active at the end/);
    expect(result.stdout).toMatch(/safety: ok/);
    const read = await readLog(log);
    expect(read.robot?.transport).toBe('mqtt');
    // One change of the per-tick controller index, and the switch event carries that tick's deadline.
    const changes = controllerChanges(read);
    expect(changes.map((c) => c.to)).toEqual(['lqr']);
    const event = read.events.find((e) => e.kind === 'controller-switch');
    expect(event?.message).toMatch(/policy → lqr \(operator \(mqtt\)\)/);
    expect(event?.time).toBeCloseTo(changes[0]!.time, 9);
    const commands = read.events.filter((e) => e.source === 'operator:mqtt').map((e) => e.message);
    expect(commands).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^switch nonsense → refused: no controller named 'nonsense'/),
        expect.stringMatching(/^switch lqr → ok/),
      ]),
    );
    expect(maxAbs(read, 'pole.angle')).toBeLessThan(0.3);
  });

  it('an operator without the key cannot even talk to the run', async () => {
    const options = {
      url: mosquitto.url,
      topicPrefix: 'tether',
      robot: 'nobody',
      deviceKey: new Uint8Array(32).fill(1),
    };
    await expect(MqttOperatorClient.connect(options, 500)).rejects.toThrow(/no run answers/);
    await until('nothing', () => true);
  });
});
