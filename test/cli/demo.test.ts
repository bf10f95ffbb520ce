import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/logging/reader.ts';

const cli = join(import.meta.dirname, '../../bin/tether.mjs');

describe('tether demo (embedded broker, emulated rig process, bundled ONNX policy)', () => {
  it('drives the rig over MQTT, logs every tick and stops the rig', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'tether-demo-')), 'demo.mcap');
    const result = spawnSync(process.execPath, [cli, 'demo', '--duration', '3', '--log', log], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(result.stderr).not.toMatch(/^tether:/m);
    const pid = Number(/separate process (\d+)/.exec(result.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(result.stdout).toMatch(/broker mqtt:\/\/127\.0\.0\.1:\d+/);
    expect(result.stdout).toMatch(/robot left stopped/);
    const read = await readLog(log);
    expect(read.robot?.transport).toBe('mqtt');
    expect(read.controller).toMatch(/policy/);
    expect(read.ticks.tick.length).toBeGreaterThan(100);
    // The rig process is gone: signalling it fails.
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
