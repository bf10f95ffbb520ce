import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { simRobotPlugin } from '../../sim/sim-robot.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import type { RobotPlugin } from '../../src/config/plugin.ts';
import { readLog } from '../../src/logging/reader.ts';
import { checkRunConfig } from '../../src/loop/assemble.ts';
import { runFromConfig } from '../../src/loop/runner.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { tether } from '../support/cli.ts';
import { shippedConfigVariant } from '../support/run-config.ts';
import { controllerChanges } from '../support/switches.ts';

const repo = join(import.meta.dirname, '../..');
const shipped = join(repo, 'configs/cartpole-swingup-certified.yaml');
const modelDir = join(repo, 'controllers/hybrid/models/cartpole');
const work = mkdtempSync(join(tmpdir(), 'tether-certified-'));

/** The shipped config with edits, written next to absolute paths. */
function variant(name: string, edit: (text: string) => string): string {
  return shippedConfigVariant(shipped, repo, work, name, edit);
}

async function check(file: string, extra: { robots?: RobotPlugin[] } = {}) {
  const config = parseRunConfig(readFileSync(file, 'utf8'), file, {
    ...plugins,
    robots: [...plugins.robots, ...(extra.robots ?? [])],
  });
  return checkRunConfig(config);
}

describe('certified swing-up → balance on the MuJoCo cartpole', () => {
  it('switches to balance only inside the certified region, names the certificate, and V decreases from there', async () => {
    const log = join(work, 'sim.mcap');
    const r = await tether(['run', shipped, '--fast', '--duration', '12', '--log', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/safety: ok/);
    expect(r.stderr).toMatch(
      /'balance' is certified by cartpole_lqr\.cert\.json \(sha256 [0-9a-f]{16}…, no signature required \(TETHER_CERT_TRUST unset\), model cartpole_lqr, plant cartpole, rho [\d.]+/,
    );
    const read = await readLog(log);
    const changes = controllerChanges(read);
    expect(changes.map((c) => c.to)).toEqual(['balance']);
    const switched = read.events.find(
      (e) => e.kind === 'controller-switch' && /swingup → balance \(/.test(e.message),
    )!;
    const model = loadModel(join(modelDir, 'cartpole_lqr.json'));
    expect(switched.data).toMatchObject({
      guard: 'certified',
      certificate: 'cartpole_lqr.cert.json',
      plant: 'cartpole',
    });
    expect(switched.data!['V'] as number).toBeLessThan(model.spec.rho);
    const admitted = read.events.find((e) => e.source === 'certified-guard' && e.kind === 'certificate')!;
    expect(admitted.message).toMatch(
      /swingup → balance certified: V <= [\d.]+ < rho [\d.]+ over the estimate box, by certificate cartpole_lqr\.cert\.json \(sha256 [0-9a-f]{12}…, plant cartpole\)/,
    );
    expect(admitted.time).toBeCloseTo(switched.time, 9);
    expect(String(switched.data!['sha256'])).toMatch(/^[0-9a-f]{64}$/);
    // The rule asked earlier; the guard deferred while V was not provably below rho.
    const deferred = read.events.find((e) => /swingup → balance deferred by certified/.test(e.message));
    expect(deferred?.time).toBeLessThan(switched.time);
    // Along the measured trajectory after the switch, V shrinks as the certificate says.
    const f = new ForwardModel(model);
    const t = read.ticks;
    const k = changes[0]!.index;
    let prev = Number.POSITIVE_INFINITY;
    for (let i = k; i < t.count; i++) {
      const x = Array.from(t.observation.subarray(i * t.observationSize, i * t.observationSize + 4));
      const v = f.value(x);
      if (!f.inHole(x) && Number.isFinite(prev))
        expect(v).toBeLessThan((1 - model.spec.kappa) * prev + 1e-12);
      prev = f.inHole(x) ? Number.POSITIVE_INFINITY : v;
    }
    const last = Array.from(
      t.observation.subarray((t.count - 1) * t.observationSize, (t.count - 1) * t.observationSize + 4),
    );
    expect(Math.abs(last[1]!)).toBeLessThan(0.01);
    expect(read.events.some((e) => e.source === 'certificate-monitor')).toBe(false);
  });
});

describe('a certificate whose assumptions do not hold is refused before anything moves', () => {
  const cases: [string, (t: string) => string, RegExp][] = [
    [
      'another LQR gain',
      (t) =>
        t.replace(
          '    kind: lqr\n    model: cartpole',
          '    kind: lqr\n    model: cartpole\n    q: [1, 10, 1, 1]',
        ),
      /controller 'balance' runs the gain K = \[.*\], the certificate's controller has K = \[/,
    ],
    [
      'a heavier pole',
      (t) => t.replace('  task: swingup', '  task: swingup\n  dynamics: { massScale: { pole: 1.2 } }'),
      /parameter massScale\.pole: 1\.2 on the robot, the certificate covers only 1 \(nominal\)/,
    ],
    [
      'another control period',
      (t) => t.replace('rateHz: 50', 'rateHz: 100'),
      /control period: the loop runs at 0\.01 s, the certificate assumes 0\.02 s/,
    ],
    [
      'the rig`s certificate on the simulator',
      (t) => t.replaceAll('cartpole_lqr.', 'cartpole_lqr_rig.'),
      /physics step: 0\.002 s on the robot \(simulator step\), the certificate's model uses 0\.001 s/,
    ],
    [
      'sensor noise beyond the covered estimate error',
      (t) => t.replace('  task: swingup', '  task: swingup\n  observationNoise: 0.01'),
      /observation noise σ = 0\.01 on the robot: 5σ exceeds the estimate error 0 the certificate covers/,
    ],
    [
      'a certificate for a controller that does not exist',
      (t) => t.replace('    certificates:\n      balance:', '    certificates:\n      catcher:'),
      /no controller named 'catcher' \(configured: swingup, balance\)/,
    ],
  ];
  for (const [what, edit, message] of cases)
    it(what, async () => {
      const file = variant(what.replace(/\W+/g, '-'), edit);
      await expect(check(file)).rejects.toThrow(message);
      await expect(check(file)).rejects.toThrow(
        /switching\.guard: certified guard refuses: certificate cartpole_lqr(_rig)?\.cert\.json/,
      );
    });

  it('an edited certificate (rho raised by hand) is refused', async () => {
    const cert = JSON.parse(readFileSync(join(modelDir, 'cartpole_lqr.cert.json'), 'utf8'));
    const edited = join(work, 'edited.cert.json');
    writeFileSync(edited, JSON.stringify({ ...cert, rho: 5000 }));
    copyFileSync(join(modelDir, 'cartpole_lqr.json'), join(work, 'cartpole_lqr.json'));
    const file = variant('edited', (t) =>
      t.replace(/certificate: .*cartpole_lqr\.cert\.json/, `certificate: ${edited}`),
    );
    await expect(check(file)).rejects.toThrow(/switching\.guard: .*does not match its integrity digest/);
  });
});

/** The sim robot, but hiding its plant, as hardware would: the guard cannot check the parameters. */
const opaqueSim: RobotPlugin = {
  ...simRobotPlugin,
  kind: 'opaque-sim',
  async create(options, context) {
    const robot = await simRobotPlugin.create(options, context);
    const { plant: _plant, ...info } = robot.info;
    Object.defineProperty(robot, 'info', { value: info });
    return robot;
  },
  describe: undefined,
};

describe('the certificate monitor', () => {
  it('cannot be turned off: `monitor: false` is refused before anything moves, so no certified run ends "safety: ok" unwatched', async () => {
    const file = variant('monitor-off', (t) => t.replace('\nloop:', '\n    monitor: false\nloop:'));
    const r = await tether(['run', file, '--fast', '--duration', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /monitor-off\.yaml:\d+:\d+: switching\.guard\.monitor: the certificate monitor cannot be turned off/,
    );
    expect(r.stdout).not.toMatch(/safety: ok/);
    // Saying what happens anyway is allowed.
    const on = variant('monitor-on', (t) => t.replace('\nloop:', '\n    monitor: true\nloop:'));
    await expect(check(on)).resolves.toMatchObject({ controllers: ['swingup', 'balance'] });
  });

  it('trips on a plant outside the certificate, hands over to the fallback, and the run says so', async () => {
    const file = variant('wrong-plant', (t) =>
      t
        .replace('kind: sim', 'kind: opaque-sim')
        .replace(
          '  task: swingup',
          '  task: balance\n  dynamics: { massScale: { pole: 4 }, actuatorGainScale: 0.3 }',
        )
        .replace('initial: swingup', 'initial: balance'),
    );
    const config = parseRunConfig(readFileSync(file, 'utf8'), file, {
      ...plugins,
      robots: [...plugins.robots, opaqueSim],
    });
    const log = join(work, 'wrong.mcap');
    const result = await runFromConfig(config, { duration: 4, mode: 'fast', logPath: log });
    expect(result.report.certificateViolations).toBe(1);
    expect(result.report.certificateViolation).toMatch(
      /balance at t=[\d.]+ s: (V did not decrease as certified|the state left the certified region)/,
    );
    expect(result.report.activeController).toBe('swingup');
    const read = await readLog(log);
    const violation = read.events.find((e) => e.source === 'certificate-monitor')!;
    expect(violation.message).toMatch(
      /certificate violated: balance: .*cartpole_lqr\.cert\.json.*; fallback swingup takes over/,
    );
    const changes = controllerChanges(read);
    expect(changes[0]!.to).toBe('swingup');
    // The fallback takes over at the very tick the violation is seen.
    expect(changes[0]!.time).toBeCloseTo(violation.time, 9);
    // The rule asks for balance again; the violated certificate is not admitted again.
    expect(changes).toHaveLength(1);
  });
});

describe('the hybrid supervisor checks what its mode certificates assume about the drive', () => {
  it('refuses a certificate for more torque than the robot has, and another control period', async () => {
    const { createSupervisor, supervisorSchema } = await import('../../controllers/hybrid/supervisor.ts');
    const { HybridSimRobot } = await import('../../sim/hybrid/robot.ts');
    const { torqueModePendulum } = await import('../../sim/hybrid/system.ts');
    const { EventBuffer } = await import('../../src/core/events.ts');
    const hybridDir = join(repo, 'controllers/hybrid');
    const supervisor = await createSupervisor(
      supervisorSchema.parse({
        modes: [
          {
            name: 'full',
            model: 'models/yang2024/pendulum_u6.json',
            certificate: 'models/certificates/pendulum_u6.cert.json',
          },
        ],
      }),
      { baseDir: hybridDir },
    );
    const weak = new HybridSimRobot(torqueModePendulum([{ name: 'full', uLo: -4, uUp: 4 }]), [0, 0]);
    const context = {
      observation: weak.info.observation,
      action: weak.info.action,
      dt: 0.05,
      events: new EventBuffer(),
    };
    expect(() => supervisor.configure(context)).toThrow(
      /mode full's certificate assumes torque in \[-6, 6\], the robot's limits are \[-4, 4\]/,
    );
    const strong = new HybridSimRobot(torqueModePendulum([{ name: 'full', uLo: -6, uUp: 6 }]), [0, 0]);
    expect(() =>
      supervisor.configure({
        ...context,
        observation: strong.info.observation,
        action: strong.info.action,
        dt: 0.02,
      }),
    ).toThrow(/certificate is for a 0\.05 s step, the loop runs at 0\.02 s/);
  });
});
