import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  killLeftovers,
  type Mosquitto,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { expectCertifiedSwingUp } from '../support/certified-swingup.ts';
import { tether } from '../support/cli.ts';

const repo = join(import.meta.dirname, '../..');
const shipped = join(repo, 'configs/cartpole-swingup-certified-mqtt.yaml');
useTestLinkKey();
const work = temporaryDirectory('tether-certified-mqtt');
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

/** configs/cartpole-swingup-certified-mqtt.yaml pointed at the test's broker, with absolute model paths. */
function mqttConfig(url: string): string {
  const text = readFileSync(shipped, 'utf8')
    .replace('robot: cartpole', `robot: cartpole\n  url: ${url}`)
    .replaceAll('../controllers/', `${repo}/controllers/`)
    // Parallel test files share 2 cores: more staleness headroom than a dedicated host needs.
    .replace('staleAfterTicks: 10', 'staleAfterTicks: 25');
  const file = join(work.path, 'certified-mqtt.yaml');
  writeFileSync(file, text);
  return file;
}

describe('certified swing-up → balance on the emulated cartpole rig over MQTT', () => {
  it('the MQTT config is the serial config but for its name and robot section', () => {
    const mqtt = parse(readFileSync(shipped, 'utf8'));
    const serial = parse(readFileSync(join(repo, 'configs/cartpole-swingup-certified-rig.yaml'), 'utf8'));
    expect(mqtt.robot.kind).toBe('mqtt');
    expect(mqtt.robot.expect).toEqual(serial.robot.expect);
    expect(mqtt.robot.auth).toEqual(serial.robot.auth);
    for (const c of [mqtt, serial]) {
      delete c.name;
      delete c.robot;
    }
    expect(mqtt).toEqual(serial);
  });

  it('swings up, switches only inside the robust certificate`s region, and balances (Mosquitto)', async () => {
    const rig = await spawnRig(
      {
        model: 'cartpole',
        task: 'swingup',
        transport: { kind: 'mqtt', url: mosquitto.url },
        watchdogMs: 1000,
        // The rig of configs/rig/cartpole-swingup.yaml: its documented gap, delay and noise.
        dynamics: { massScale: { pole: 1.2 }, dampingScale: 2, actuatorGainScale: 0.95 },
        actuatorDelayMs: 2,
        actuatorNoise: 0.05,
        sensorNoise: 0.0005,
      },
      work.path,
      'up',
    );
    const log = join(work.path, 'up.mcap');
    const result = await tether(['run', mqttConfig(mosquitto.url), '--duration', '14', '--log', log]);
    await rig.stop();
    await expectCertifiedSwingUp(result, log, 'mqtt');
  });
});
