import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
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
});
