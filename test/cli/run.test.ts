import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/logging/reader.ts';
import { tether } from '../support/cli.ts';

function tempConfig(yaml: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tether-run-'));
  const file = join(dir, 'run.yaml');
  writeFileSync(file, yaml);
  return { dir, file };
}

const cartpoleConstant = [
  'robot:',
  '  kind: sim',
  '  model: cartpole',
  'controller:',
  '  kind: constant',
  'loop:',
  '  rateHz: 50',
  '',
].join('\n');

describe('tether run (real MuJoCo cartpole)', () => {
  it('runs a config on the virtual clock and writes a log that the reader opens', async () => {
    const { dir, file } = tempConfig(cartpoleConstant);
    const log = join(dir, 'run.mcap');
    const result = await tether(['run', file, '--fast', '--duration', '3', '--log', log]);
    expect(result.stderr).not.toMatch(/tether:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/150 ticks over 3\.00 s/);
    const read = await readLog(log);
    expect(read.ticks.tick.length).toBe(150);
    expect(read.events.some((e) => e.message.includes('stopped after 150 ticks'))).toBe(true);
  });

  it('balances the cartpole with configs/cartpole.yaml and logs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tether-run-'));
    const log = join(dir, 'cartpole.mcap');
    const config = join(import.meta.dirname, '../../configs/cartpole.yaml');
    const result = await tether(['run', config, '--fast', '--duration', '5', '--log', log]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/safety: ok/);
    const read = await readLog(log);
    const { observation, observationSize: n, observationNames } = read.ticks;
    const angle = observationNames.indexOf('pole.angle');
    const count = read.ticks.tick.length;
    expect(count).toBe(250);
    const angles = Array.from({ length: count }, (_, i) => observation[i * n + angle]!);
    expect(Math.abs(angles[0]!)).toBeGreaterThan(0.1); // it really started off upright
    expect(Math.max(...angles.map(Math.abs))).toBeLessThan(0.3);
    expect(Math.abs(angles[count - 1]!)).toBeLessThan(0.01);
  });

  it('stops cleanly on Ctrl-C, leaves the robot stopped and keeps the log', async () => {
    const { dir, file } = tempConfig(cartpoleConstant);
    const log = join(dir, 'run.mcap');
    const result = await tether(['run', file, '--realtime', '--duration', '600', '--log', log], [], {
      onSpawn: (child) => {
        // Interrupt once the loop is running and has ticked for a while.
        child.stderr?.on('data', (d: Buffer) => {
          if (d.toString().includes('running under')) setTimeout(() => child.kill('SIGINT'), 500);
        });
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stopped by Ctrl-C/);
    expect(result.stdout).toMatch(/robot left stopped/);
    const read = await readLog(log);
    expect(read.ticks.tick.length).toBeGreaterThan(0);
    expect(read.truncated).toBe(false);
  });

  it('refuses a malformed config with the file, line and key, before touching the robot', async () => {
    const { file } = tempConfig(cartpoleConstant.replace('rateHz: 50', 'rateHz: -3'));
    const result = await tether(['run', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/run\.yaml:7:\d+: loop\.rateHz: /);
  });

  it('names the known models when the model is unknown', async () => {
    const { file } = tempConfig(cartpoleConstant.replace('model: cartpole', 'model: unicycle'));
    const result = await tether(['run', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/robot\.model/);
    expect(result.stderr).toMatch(/cartpole/);
  });
});
