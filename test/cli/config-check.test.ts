import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestLinkKey } from '../../hardware/tools/processes.ts';
import { tether } from '../support/cli.ts';

const configs = join(import.meta.dirname, '../../configs');

describe('tether config check: every kind of config, before anything moves', () => {
  it('tells run, loop, training and rig configs apart and checks each as its command would', async () => {
    const files = ['loop/arm.yaml', 'loop/arm-h2o.yaml', 'rig/arm-weak-motor.yaml', 'cartpole.yaml'].map(
      (f) => join(configs, f),
    );
    const result = await tether(['config', 'check', ...files]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^ok .*arm\.yaml .*loop config: 3 rounds of h2o; its run, rig and fine-tuning configs checked/,
    );
    expect(lines[1]).toMatch(/^ok .*arm-h2o\.yaml .*training config: h2o on mujoco-rig/);
    expect(lines[2]).toMatch(
      /^ok .*arm-weak-motor\.yaml .*rig config: arm reach over serial, torque commands/,
    );
    expect(lines[3]).toMatch(/^ok .*cartpole\.yaml .*sim robot; controllers lqr/);
  });

  it("locates a typo in a loop's rig config at that file's line and key", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-config-check-'));
    const rig = join(dir, 'rig.yaml');
    writeFileSync(
      rig,
      readFileSync(join(configs, 'rig/arm-weak-motor.yaml'), 'utf8').replace(
        'actuatorGainScale',
        'actuatorGainScle',
      ),
    );
    const loop = join(dir, 'loop.yaml');
    writeFileSync(
      loop,
      readFileSync(join(configs, 'loop/arm.yaml'), 'utf8')
        .replace('run: arm-run.yaml', `run: ${join(configs, 'loop/arm-run.yaml')}`)
        .replace('rig: ../rig/arm-weak-motor.yaml', `rig: ${rig}`)
        .replace('finetune: arm-h2o.yaml', `finetune: ${join(configs, 'loop/arm-h2o.yaml')}`),
    );
    const result = await tether(['config', 'check', loop]);
    expect(result.code).toBe(1);
    const line =
      readFileSync(rig, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('actuatorGainScle')) + 1;
    expect(result.stderr).toContain(`${rig}:${line}:`);
    expect(result.stderr).toContain('actuatorGainScle');
  });

  it("locates a typo in the rig config a run's mujoco-rig task is built from", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-config-check-'));
    const rig = join(dir, 'rig.yaml');
    const rigText = readFileSync(join(configs, 'rig/cartpole-weak-motor.yaml'), 'utf8');
    writeFileSync(rig, rigText.replace('actuatorGainScale', 'actuatorGianScale'));
    const run = join(dir, 'run.yaml');
    writeFileSync(
      run,
      readFileSync(join(configs, 'cartpole.yaml'), 'utf8')
        .replace('path: ../runs/cartpole.mcap', 'path: run.mcap')
        .replace(
          'task: { kind: mujoco, model: cartpole, task: balance }',
          'task: { kind: mujoco-rig, model: cartpole, task: balance, rig: rig.yaml }',
        ),
    );
    const result = await tether(['config', 'check', run]);
    expect(result.code).toBe(1);
    const line = rigText.split('\n').findIndex((l) => l.includes('actuatorGainScale')) + 1;
    expect(result.stderr).toContain(`${run}:`);
    expect(result.stderr).toContain(`${rig}:${line}:3: dynamics: unknown key 'actuatorGianScale'; expected `);
    // With the key spelt right the same run config passes.
    writeFileSync(rig, rigText);
    const fixed = await tether(['config', 'check', run]);
    expect(fixed.code, fixed.stderr).toBe(0);
  });
});

/**
 * The three mistakes that used to pass `config check` and fail only at run time, after the robot
 * link was open. The robot is an MQTT robot whose broker is a plain TCP listener here: any attempt
 * to open the device shows up as a connection to it, and none may arrive.
 */
describe('tether config check: the mistakes it must catch before any device is opened', () => {
  let device: Server;
  let connections = 0;
  const dir = mkdtempSync(join(tmpdir(), 'tether-config-check-'));
  const contract = join(configs, '../controllers/policies/examples/cartpole/cartpole-balance.contract.yaml');

  beforeAll(async () => {
    device = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((done) => device.listen(0, '127.0.0.1', done));
  });
  afterAll(() => new Promise<void>((done) => device.close(() => done())));

  /** configs/cartpole-mqtt.yaml with its broker on the listener and `edit` applied; the file and the line of `mark`. */
  function variant(
    name: string,
    edit: (text: string) => string,
    mark: string,
  ): { file: string; line: number } {
    const address = device.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const original = readFileSync(join(configs, 'cartpole-mqtt.yaml'), 'utf8');
    const text = edit(
      original.replace('  robot: cartpole\n', `  robot: cartpole\n  url: mqtt://127.0.0.1:${port}\n`),
    );
    expect(text).not.toBe(original);
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.includes(mark)) + 1;
    expect(line).toBeGreaterThan(0);
    return { file, line };
  }

  it("passes the unedited config, so each refusal below is the edit's", async () => {
    const { file } = variant('ok', (t) => t, 'robot: cartpole');
    const result = await tether(['config', 'check', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ok .*ok\.yaml .*mqtt robot; controllers lqr/);
    expect(connections).toBe(0);
  });

  it('refuses a typo in safety: at its file:line:col, naming the key and the keys expected', async () => {
    const { file, line } = variant(
      'safety-typo',
      (t) => t.replace('maxDeltaPerTick:', 'maxDeltaPerTik:'),
      'maxDeltaPerTik',
    );
    const check = await tether(['config', 'check', file]);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('');
    expect(check.stderr).toContain(`${file}:${line}:3: safety: unknown key 'maxDeltaPerTik'; expected `);
    expect(check.stderr).toMatch(/expected [^\n]*\bmaxDeltaPerTick\b/);
    // `tether run` refuses it the same way, before it opens the link.
    const run = await tether(['run', file, '--duration', '1'], [], {
      env: { TETHER_LINK_KEY: useTestLinkKey() },
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${file}:${line}:3: safety: unknown key 'maxDeltaPerTik'`);
    expect(connections).toBe(0);
  });

  it('refuses a policy whose contract file is missing, at the controller section', async () => {
    const { file, line } = variant(
      'missing-contract',
      (t) =>
        t.replace('  kind: lqr\n  model: cartpole\n', '  kind: policy\n  contract: missing.contract.yaml\n'),
      'controller:',
    );
    const result = await tether(['config', 'check', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${file}:${line}:1: controller: cannot read policy contract '${join(dir, 'missing.contract.yaml')}'`,
    );
    // The same section with the real contract passes: the refusal is the missing file's.
    const present = variant(
      'present-contract',
      (t) => t.replace('  kind: lqr\n  model: cartpole\n', `  kind: policy\n  contract: ${contract}\n`),
      'controller:',
    );
    const ok = await tether(['config', 'check', present.file]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(connections).toBe(0);
  });

  it('refuses an unknown signal name, naming the robot and the signals it has', async () => {
    const { file, line } = variant(
      'bad-signal',
      (t) => t.replace('    pole.angle: [', '    pole.angel: ['),
      'pole.angel',
    );
    const result = await tether(['config', 'check', file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${file}:${line}:5: safety.observationLimits.pole.angel: no observation 'pole.angel' on sim:cartpole (known: cart.pos, pole.angle, cart.vel, pole.angvel)`,
    );
    expect(connections).toBe(0);
  });
});
