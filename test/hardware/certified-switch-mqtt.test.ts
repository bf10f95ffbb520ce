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
import { readLog } from '../../src/logging/reader.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { tether } from '../support/cli.ts';
import { controllerChanges } from '../support/switches.ts';

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
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/safety: ok/);
    expect(result.stderr).toMatch(
      /'balance' is certified by cartpole_lqr_rig\.cert\.json .*not checkable on this robot/,
    );
    const read = await readLog(log);
    expect(read.robot?.transport).toBe('mqtt');
    const changes = controllerChanges(read);
    expect(changes.map((c) => c.to)).toEqual(['balance']);
    const model = loadModel(join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr_rig.json'));
    const switched = read.events.find(
      (e) => e.kind === 'controller-switch' && /swingup → balance \(/.test(e.message),
    )!;
    expect(switched.data).toMatchObject({
      guard: 'certified',
      certificate: 'cartpole_lqr_rig.cert.json',
      plant: 'cartpole',
    });
    // Admitted only with the sound upper bound of V over the estimate box below rho.
    expect(switched.data!['V'] as number).toBeLessThan(model.spec.rho);
    const admitted = read.events.find((e) => e.source === 'certified-guard' && e.kind === 'certificate')!;
    expect(admitted.message).toMatch(
      /swingup → balance certified: V <= [\d.]+ < rho [\d.]+ over the estimate box, by certificate cartpole_lqr_rig\.cert\.json \(sha256 [0-9a-f]{12}…, plant cartpole\)/,
    );
    expect(admitted.time).toBeCloseTo(switched.time, 9);
    const f = new ForwardModel(model);
    const t = read.ticks;
    const last = Array.from(
      t.observation.subarray((t.count - 1) * t.observationSize, (t.count - 1) * t.observationSize + 4),
    );
    expect(f.value(last)).toBeLessThan(model.spec.innerLevel);
  });
});
