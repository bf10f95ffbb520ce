import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Endpoint } from '../../hardware/link/endpoint.ts';
import { SerialTransport } from '../../hardware/link/serial-transport.ts';
import { LinkAuth } from '../../hardware/link/session.ts';
import { RequestOp, RigState } from '../../hardware/protocol/messages.ts';
import {
  killLeftovers,
  type Mosquitto,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
  useTestLinkKey,
} from '../../hardware/tools/processes.ts';
import { tether } from '../support/cli.ts';
import { mqttRobot, serialRobot, sleep, until } from './helpers.ts';

// The rig and the CLI processes share the public test key (never a real rig's).
useTestLinkKey();
const configs = join(import.meta.dirname, '../../configs');
const work = temporaryDirectory('tether-rig-operate');
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

/**
 * Requests and acks get more time than the 1 s default: test files share a busy 2-core machine, and
 * a rig process starved for a second is not what these tests are about.
 */
const patient = { requestTimeoutMs: 5000 };

/** A run config for the cartpole whose robot section is `robot` (only the link matters here). */
function runConfig(name: string, robot: Record<string, unknown>): string {
  const file = join(work.path, `${name}.yaml`);
  writeFileSync(
    file,
    stringify({
      robot: { ...patient, ...robot },
      controller: { kind: 'lqr', model: 'cartpole' },
      loop: { rateHz: 100 },
      safety: { maxDeltaPerTick: 10 },
    }),
  );
  return file;
}

describe('operating the emulated rig', () => {
  it('tether rig --duration stops at once on SIGTERM, with its report, and frees its pty', async () => {
    const link = `${work.path}/term`;
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link } },
      work.path,
      'term',
      ['--duration', '600'],
    );
    expect(existsSync(`${link}.host`)).toBe(true);
    const sent = performance.now();
    const report = await rig.stop();
    // Generous for a loaded machine; the bug this guards against waited the whole 600 s.
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(report.name).toBe('cartpole');
    expect(existsSync(`${link}.host`)).toBe(false);
    expect(existsSync(`${link}.socat.pid`)).toBe(false);
  });

  it('over MQTT too: SIGTERM stops it at once and it leaves the broker saying so (offline, retained)', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url } },
      work.path,
      'term-mqtt',
      ['--duration', '600'],
    );
    const sent = performance.now();
    const report = await rig.stop();
    expect(performance.now() - sent).toBeLessThan(5000);
    expect(report.name).toBe('cartpole');
    const client = await connectAsync(mosquitto.url);
    try {
      const status = await new Promise<string>((resolve) => {
        client.on('message', (_topic, payload) => resolve(payload.toString()));
        void client.subscribeAsync('tether/cartpole/rig/status');
      });
      expect(status).toBe('offline');
    } finally {
      await client.endAsync();
    }
  });

  it('a rig latched by one run is refused to the next until its owner recovers it; outsiders cannot; then it activates without a restart', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: `${work.path}/latch` }, watchdogMs: 1000 },
      work.path,
      'latch',
    );
    const config = runConfig('latch-run', { kind: 'serial', path: rig.hostLink });
    try {
      // Run 1 latches the rig (its safety layer's e-stop) and ends: the rig stays latched, unowned.
      const first = await serialRobot(rig.hostLink, patient);
      await first.configure();
      await first.activate();
      first.fault('test: the run latched');
      await until('the rig latched', () => rig.log.some((l) => l.includes('e-stop from host')));
      await first.shutdown();

      const status = await tether(['rig', 'status', config, '--json']);
      expect(status.stderr).toBe('');
      expect(status.code, status.stderr).toBe(0);
      expect(JSON.parse(status.stdout)).toMatchObject({
        state: 'latched',
        owned: false,
        latches: 1,
      });
      expect(JSON.parse(status.stdout).reason).toContain('test: the run latched');

      // Run 2 is refused, and told why and what to do.
      const second = await serialRobot(rig.hostLink, patient);
      // It may ask before it takes the rig (sealed with the device key), then take it on the same link.
      expect(await second.rigStatus()).toMatchObject({ state: RigState.latched, owned: false });
      await second.configure();
      await expect(second.activate()).rejects.toThrow(/latched \(e-stop from host.*tether rig recover/);
      await second.shutdown();

      // Outsiders: an unsealed recover and one sealed with another key change nothing.
      const outsider = new SerialTransport({ path: rig.hostLink, baudRate: 1_000_000, reconnectMs: 50 });
      const wrongKey = new LinkAuth(new Uint8Array(32).fill(7), 'host');
      const endpoint = new Endpoint(outsider, wrongKey, {});
      await outsider.open();
      endpoint.sendRequest({ op: RequestOp.recover }, undefined, 'none');
      endpoint.sendRequest({ op: RequestOp.recover }, undefined, 'device');
      endpoint.sendRequest({ op: RequestOp.status }, undefined, 'none');
      await sleep(300);
      await outsider.close();
      const still = await tether(['rig', 'status', config, '--json']);
      expect(JSON.parse(still.stdout).state).toBe('latched');

      // The owner's recovery: `tether rig recover` takes the rig, clears the latch, releases it.
      const recovered = await tether(['rig', 'recover', config]);
      expect(recovered.stderr).toBe('');
      expect(recovered.code, recovered.stderr).toBe(0);
      expect(recovered.stdout).toMatch(/^recovered: the rig was latched \(e-stop from host.*\); now idle/);

      // Run 3 activates the same rig process, and the rig answers its owner's status request.
      const third = await serialRobot(rig.hostLink, patient);
      await third.configure();
      await third.activate();
      const mine = await third.rigStatus();
      expect(mine).toMatchObject({ state: RigState.active, owned: true, latches: 1 });
      expect(mine.ticks).toBeGreaterThan(1000);
      await third.shutdown();
    } catch (error) {
      await rig.stop();
      throw error;
    }
    const report = await rig.stop();
    // The outsiders' frames were refused and counted: two unsealed, one with a tag that fails.
    expect(report.auth.unauthenticated).toBeGreaterThanOrEqual(2);
    expect(report.auth.forged).toBeGreaterThanOrEqual(1);
    expect(report.sessions.length).toBe(4);
  });

  it('end to end with tether run: a run ends latched, the next is refused with why and how, tether rig recover, the next runs on the same rig', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'serial', link: join(work.path, 'e2e') }, watchdogMs: 1000 },
      work.path,
      'e2e',
    );
    // The shipped serial config on this rig, without its task (the run's outcome is not the point).
    const shipped = readFileSync(join(configs, 'cartpole-serial.yaml'), 'utf8')
      .replace('path: ../runs/cartpole-link.host', `path: ${rig.hostLink}`)
      .replace('staleAfterTicks: 10', 'staleAfterTicks: 25')
      .replace('expect: { model: cartpole', 'requestTimeoutMs: 5000\n  expect: { model: cartpole')
      .replace(/^task:.*$/m, '');
    const good = join(work.path, 'e2e-run.yaml');
    writeFileSync(good, shipped);
    // The same with a cart range no run stays in: its safety layer latches, and so does the rig.
    const latching = join(work.path, 'e2e-latching.yaml');
    writeFileSync(latching, shipped.replace('cart.pos: [-2.4, 2.4]', 'cart.pos: [-0.0001, 0.0001]'));
    try {
      const first = await tether(['run', latching, '--duration', '2']);
      expect(first.stdout).toMatch(/safety: LATCHED/);
      expect(first.code, first.stderr).toBe(2);

      const refused = await tether(['run', good, '--duration', '2']);
      expect(refused.code, refused.stderr).toBe(1);
      expect(refused.stderr).toMatch(
        /rig refused 'activate'.*: the rig is latched \(e-stop from host.*tether rig recover/,
      );

      const recovered = await tether(['rig', 'recover', good]);
      expect(recovered.code, recovered.stderr).toBe(0);

      // The same rig process activates and the run goes its full length. (Whether it then stays
      // clear depends on the machine: a saturated one can starve the 100 Hz link into a staleness
      // latch, which is the safety layer working, not the rig refusing.)
      const again = await tether(['run', good, '--duration', '2']);
      expect(again.stderr).not.toMatch(/tether:/);
      expect(again.code, again.stderr).not.toBe(1);
      expect(Number(/(\d+) ticks over/.exec(again.stdout)?.[1])).toBeGreaterThan(150);
    } finally {
      await rig.stop();
    }
  });

  it('over MQTT: status beside a running owner leaves it undisturbed; recover is refused while it owns the rig', async () => {
    const rig = await spawnRig(
      { model: 'cartpole', transport: { kind: 'mqtt', url: mosquitto.url }, watchdogMs: 3000 },
      work.path,
      'mqtt',
    );
    const config = runConfig('mqtt-run', {
      kind: 'mqtt',
      robot: 'cartpole',
      url: mosquitto.url,
      helloTimeoutMs: 3000,
    });
    // Holding the cart still is not what its plausibility monitors are for: they are off here.
    const owner = await mqttRobot(mosquitto.url, { ...patient, plausibility: false });
    try {
      await owner.configure();
      await owner.activate();
      const observation = new Float64Array(4);
      const hold = Float64Array.of(0);
      const keepCommanding = setInterval(() => {
        owner.read(observation);
        owner.write(hold);
      }, 10);
      try {
        const status = await tether(['rig', 'status', config, '--json']);
        expect(status.code, status.stderr).toBe(0);
        expect(JSON.parse(status.stdout)).toMatchObject({ state: 'active', owned: true, latches: 0 });
        // The asker never announced itself: the rig saw no host come and go.
        expect(rig.log.filter((l) => l.includes('host offline'))).toEqual([]);

        const recover = await tether(['rig', 'recover', config]);
        expect(recover.code, recover.stderr).toBe(1);
        expect(recover.stderr).toMatch(/owned by another session/);
        await sleep(200);
      } finally {
        clearInterval(keepCommanding);
      }
      // The owner never saw its link go down or its rig latch.
      expect(owner.state, owner.faultReason).toBe('running');
      expect(owner.connected).toBe(true);
      expect(owner.statistics.disconnects).toBe(0);
    } finally {
      await owner.shutdown();
    }
    const report = await rig.stop();
    expect(report.latches).toEqual([]);
    expect(report.auth.ownershipRefused).toBeGreaterThanOrEqual(1);
  });
});
