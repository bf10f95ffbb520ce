import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTickRecord } from '../../src/core/tick.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { SafetyFlag } from '../../src/safety/types.ts';
import { cartpoleInfo, fillTick } from './fixtures/synthetic.ts';

const cli = fileURLToPath(new URL('../../bin/tether.mjs', import.meta.url));
const run = promisify(execFile);

/** Runs `tether log info ...`; resolves with the exit code instead of rejecting on failure. */
async function tether(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const rateHz = 100;
const ticks = 400;
let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-cli-log-'));
  path = join(dir, 'run.mcap');
  const logger = await McapTickLogger.open(path, {
    robot: cartpoleInfo,
    controller: 'pid',
    rateHz,
    maxChunkBytes: 8 * 1024,
  });
  const record = createTickRecord(4, 1);
  for (let i = 0; i < ticks; i++) {
    fillTick(record, i, rateHz);
    record.periodError = i === 123 ? 0.004 : 1e-4;
    record.missedDeadlines = i >= 300 ? 2 : 0;
    if (i >= 350) record.safetyFlags = SafetyFlag.estop;
    logger.writeTick(record);
  }
  logger.emit({ time: 3.5, kind: 'estop', source: 'operator', message: 'button pressed' });
  await logger.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('tether log info', () => {
  it('prints channels, counts, rate, timing, safety and faults', async () => {
    const { code, stdout } = await tether('log', 'info', path);
    expect(code).toBe(0);
    expect(stdout).toMatch(/status\s+complete/);
    expect(stdout).toMatch(/robot\s+cartpole \(sim\), 4 observations, 1 action/);
    expect(stdout).toMatch(/controller\s+pid/);
    expect(stdout).toMatch(/tick rate\s+nominal 100 Hz, measured 100\.00 Hz/);
    expect(stdout).toMatch(/duration\s+3\.990 s/);
    expect(stdout).toMatch(/ticks\s+400 \(0 missing, 0 dropped by the logger\)/);
    expect(stdout).toMatch(/period error\s+p50 100\.0 µs\s+p99 100\.0 µs\s+max 4\.00 ms/);
    expect(stdout).toMatch(/missed deadlines\s+2/);
    expect(stdout).toMatch(/safety\s+\d+ ticks with interventions \(.*estop 50/);
    expect(stdout).toMatch(/t=3\.500 s\s+estop from operator: button pressed/);
    expect(stdout).toMatch(/\/tether\/observation\s+tether\.Observation\s+json\s+400/);
    expect(stdout).toMatch(/\/tether\/events\s+foxglove\.Log\s+json\s+1/);
  });

  it('prints machine-readable JSON with --json', async () => {
    const { code, stdout } = await tether('log', 'info', path, '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as Record<string, unknown>;
    expect(report['ticks']).toBe(ticks);
    expect(report['truncated']).toBe(false);
    expect(report['periodError']).toEqual({ p50: 1e-4, p99: 1e-4, max: 0.004 });
    expect((report['safety'] as { byFlag: Record<string, number> }).byFlag['estop']).toBe(50);
    expect((report['channels'] as unknown[]).length).toBe(8);
  });

  it('reports a truncated file as truncated, not as an exception', async () => {
    const cut = join(dir, 'cut.mcap');
    const bytes = await readFile(path);
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { code, stdout, stderr } = await tether('log', 'info', cut);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/status\s+TRUNCATED: the file ends before the MCAP footer/);
    const ticksLine = /ticks\s+(\d+) \(/.exec(stdout);
    expect(Number(ticksLine?.[1])).toBeGreaterThan(0);
    expect(Number(ticksLine?.[1])).toBeLessThan(ticks);
  });

  it('rejects a file that is not MCAP with one clear line', async () => {
    const notes = join(dir, 'notes.txt');
    await writeFile(notes, 'hello');
    const { code, stdout, stderr } = await tether('log', 'info', notes);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim()).toMatch(/^tether: .*notes\.txt is not an MCAP file: expected the magic bytes/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
