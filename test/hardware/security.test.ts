import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { portHint } from '../../hardware/link/serial-transport.ts';
import { checkBrokerExposure, startEmbeddedBroker } from '../../hardware/mqtt/broker.ts';
import { isLoopbackHost } from '../../hardware/mqtt/transport.ts';
import {
  findBinary,
  freeLoopbackPort,
  killLeftovers,
  spawnRig,
  startMosquitto,
  temporaryDirectory,
} from '../../hardware/tools/processes.ts';
import { mqttRobot } from './helpers.ts';

const work = temporaryDirectory('tether-security');
// A failed test must not leave a rig running.
afterAll(killLeftovers);
afterAll(() => work.remove());

describe('who may command the robot', () => {
  it('knows what loopback is', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.5', 'robot.local', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });

  it('refuses an exposed, unauthenticated embedded broker unless told explicitly', () => {
    expect(() =>
      checkBrokerExposure({ host: '0.0.0.0', users: [], allowUnauthenticatedExposure: false }),
    ).toThrow(
      /refusing to start an unauthenticated MQTT broker on 0\.0\.0\.0.*allowUnauthenticatedExposure: true/,
    );
    expect(() =>
      checkBrokerExposure({
        host: '0.0.0.0',
        users: [{ username: 'a', password: 'b' }],
        allowUnauthenticatedExposure: false,
      }),
    ).not.toThrow();
    expect(() =>
      checkBrokerExposure({ host: '0.0.0.0', users: [], allowUnauthenticatedExposure: true }),
    ).not.toThrow();
    expect(() =>
      checkBrokerExposure({ host: '127.0.0.1', users: [], allowUnauthenticatedExposure: false }),
    ).not.toThrow();
  });

  it('`tether rig` will not start such a broker', async () => {
    await expect(
      spawnRig(
        { model: 'cartpole', transport: { kind: 'mqtt', listen: { host: '0.0.0.0', port: 0 } } },
        work.path,
        'exposed',
      ),
    ).rejects.toThrow(/refusing to start an unauthenticated MQTT broker on 0\.0\.0\.0/);
  });

  it('the runtime refuses to command a robot through an unauthenticated broker beyond loopback', async () => {
    await expect(mqttRobot('mqtt://10.0.0.5:1883')).rejects.toThrow(
      /beyond loopback and no username is configured/,
    );
    // An explicit opt-in is respected (nothing is contacted until configure()).
    await expect(mqttRobot('mqtt://10.0.0.5:1883', { allowUnauthenticated: true })).resolves.toBeDefined();
  });

  it('the embedded broker with users rejects anonymous and wrong-password clients', async () => {
    const broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      port: 0,
      users: [{ username: 'operator', password: 'correct horse' }],
      allowUnauthenticatedExposure: false,
    });
    try {
      await expect(connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 2000 })).rejects.toThrow();
      await expect(
        connectAsync(broker.url, {
          username: 'operator',
          password: 'wrong',
          reconnectPeriod: 0,
          connectTimeout: 2000,
        }),
      ).rejects.toThrow(/Bad username or password|Not authorized/i);
      const ok = await connectAsync(broker.url, {
        username: 'operator',
        password: 'correct horse',
        reconnectPeriod: 0,
      });
      expect(ok.connected).toBe(true);
      await ok.endAsync();
    } finally {
      await broker.close();
    }
  });

  it('Mosquitto with a password file: the rig and the runtime authenticate; a wrong password is refused clearly', async () => {
    const mosquitto = await startMosquitto({
      users: [
        { username: 'rig', password: 'rig-secret' },
        { username: 'host', password: 'host-secret' },
      ],
    });
    process.env['TETHER_TEST_RIG_PASSWORD'] = 'rig-secret';
    process.env['TETHER_TEST_HOST_PASSWORD'] = 'host-secret';
    process.env['TETHER_TEST_WRONG_PASSWORD'] = 'nope';
    const rig = await spawnRig(
      {
        model: 'cartpole',
        transport: {
          kind: 'mqtt',
          url: mosquitto.url,
          username: 'rig',
          passwordEnv: 'TETHER_TEST_RIG_PASSWORD',
        },
      },
      work.path,
      'auth',
    );
    try {
      const wrong = await mqttRobot(mosquitto.url, {
        username: 'host',
        passwordEnv: 'TETHER_TEST_WRONG_PASSWORD',
      });
      await expect(wrong.configure()).rejects.toThrow(
        /cannot connect to mqtt broker mqtt:\/\/127\.0\.0\.1:\d+: .*(Not authorized|Bad username)/i,
      );
      await wrong.shutdown().catch(() => undefined);
      const robot = await mqttRobot(mosquitto.url, {
        username: 'host',
        passwordEnv: 'TETHER_TEST_HOST_PASSWORD',
      });
      await robot.configure();
      expect(robot.info.name).toBe('cartpole');
      await robot.shutdown();
      await expect(
        mqttRobot(mosquitto.url, { username: 'host', passwordEnv: 'TETHER_TEST_UNSET' }),
      ).rejects.toThrow(/robot.passwordEnv: environment variable TETHER_TEST_UNSET is not set/);
    } finally {
      await rig.stop();
      await mosquitto.stop();
    }
  });

  it('MQTT over TLS with a password: the embedded broker serves mqtts, the runtime verifies its certificate', async () => {
    const openssl = findBinary('openssl');
    expect(openssl, 'openssl is needed to make a test certificate').toBeDefined();
    const cert = join(work.path, 'broker.crt');
    const key = join(work.path, 'broker.key');
    const made = spawnSync(openssl!, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    expect(made.status, made.stderr.toString()).toBe(0);
    process.env['TETHER_TEST_TLS_PASSWORD'] = 'tls-secret';
    const port = await freeLoopbackPort();
    const rig = await spawnRig(
      {
        model: 'cartpole',
        transport: {
          kind: 'mqtt',
          listen: {
            port,
            users: [{ username: 'operator', passwordEnv: 'TETHER_TEST_TLS_PASSWORD' }],
            tls: { cert, key },
          },
        },
      },
      work.path,
      'tls',
    );
    try {
      expect(rig.hostLink).toContain(`mqtts://127.0.0.1:${port}`);
      const url = `mqtts://127.0.0.1:${port}`;
      const robot = await mqttRobot(url, {
        username: 'operator',
        passwordEnv: 'TETHER_TEST_TLS_PASSWORD',
        tls: { ca: cert },
      });
      await robot.configure();
      expect(robot.info.name).toBe('cartpole');
      await robot.shutdown();
      // Without the CA the certificate is not trusted: no silent fallback to an unverified link.
      const untrusting = await mqttRobot(url, {
        username: 'operator',
        passwordEnv: 'TETHER_TEST_TLS_PASSWORD',
        tls: {},
      });
      await expect(untrusting.configure()).rejects.toThrow(
        /cannot connect to mqtt broker mqtts:.*(self[- ]signed|certificate)/i,
      );
      await untrusting.shutdown().catch(() => undefined);
    } finally {
      await rig.stop();
    }
  });

  it('TLS options with a plain mqtt:// URL are refused, not silently ignored', async () => {
    await expect(mqttRobot('mqtt://127.0.0.1:1883', { tls: { ca: 'ca.pem' } })).rejects.toThrow(
      /mqtt url 'mqtt:\/\/127\.0\.0\.1:1883' is plain MQTT but TLS options are set: use mqtts:\/\/127\.0\.0\.1:1883/,
    );
  });

  it('the link key comes from the environment variable the config names, never from the file', async () => {
    await expect(
      mqttRobot('mqtt://127.0.0.1:1883', { auth: { keyEnv: 'TETHER_TEST_UNSET_KEY' } }),
    ).rejects.toThrow(
      /robot.auth.keyEnv: environment variable TETHER_TEST_UNSET_KEY is not set; it must hold the rig's link key/,
    );
    await expect(
      spawnRig(
        {
          model: 'cartpole',
          transport: { kind: 'serial', link: join(work.path, 'nokey') },
          auth: { keyEnv: 'TETHER_TEST_UNSET_KEY' },
        },
        work.path,
        'nokey',
      ),
    ).rejects.toThrow(/rig auth.keyEnv: environment variable TETHER_TEST_UNSET_KEY is not set/);
    // A key written into the config is not a thing the schema knows.
    await expect(mqttRobot('mqtt://127.0.0.1:1883', { auth: { key: 'ab'.repeat(32) } })).rejects.toThrow(
      /key/,
    );
  });

  it('serial port discovery degrades to a message where udev is missing', async () => {
    const hint = await portHint();
    expect(hint).toMatch(/^ \((available: |no serial ports found|cannot list serial ports here: )/);
  });
});
