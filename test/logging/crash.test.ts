import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { McapStreamReader } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTickRecord } from '../../src/core/tick.ts';
import { Topic } from '../../src/logging/layout.ts';
import { decompressHandlers, readLog } from '../../src/logging/reader.ts';
import { summarizeLog } from '../../src/logging/stats.ts';
import { fillTick } from './fixtures/synthetic.ts';

/** Tether logs are zstd-compressed; readers need the codec. */
const zstdHandlers = await decompressHandlers();

const child = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));
const forgetful = fileURLToPath(new URL('./fixtures/no-close-writer.ts', import.meta.url));
const dropping = fileURLToPath(new URL('./fixtures/dropping-writer.ts', import.meta.url));
const tetherCli = fileURLToPath(new URL('../../bin/tether.mjs', import.meta.url));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-crash-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileSize(path: string): Promise<number> {
  return stat(path).then(
    (s) => s.size,
    () => 0,
  );
}

/** Messages inside complete chunk records, counted independently of readLog. */
function completeChunkMessages(bytes: Uint8Array, topic: string): number {
  const reader = new McapStreamReader({ decompressHandlers: zstdHandlers });
  reader.append(bytes);
  const channels = new Map<number, string>();
  let count = 0;
  for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
    if (record.type === 'Channel') channels.set(record.id, record.topic);
    if (record.type === 'Message' && channels.get(record.channelId) === topic) count++;
  }
  return count;
}

describe('crash tolerance', () => {
  it('recovers every complete chunk after kill -9 mid-run', async () => {
    const path = join(dir, 'killed.mcap');
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    proc.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );

    // Kill once at least a dozen 16 KiB chunks are on disk, while the writer is mid-stream.
    const deadline = Date.now() + 30_000;
    while ((await fileSize(path)) < 12 * 16 * 1024) {
      if (proc.exitCode !== null) throw new Error(`crash-writer exited early: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`crash-writer wrote too little: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const log = await readLog(path);
    expect(log.truncated).toBe(true);
    expect(log.summary).toBeUndefined();
    expect(log.robot?.name).toBe('cartpole');
    expect(log.controller).toBe('crash-test');
    expect(log.chunks).toBeGreaterThanOrEqual(10);

    // Every observation in a complete chunk became a tick (a tick cut by the last chunk boundary
    // is counted as incomplete, never returned half-filled).
    const inChunks = completeChunkMessages(await readFile(path), Topic.observation);
    expect(log.ticks.count + log.incompleteTicks).toBe(inChunks);
    expect(log.incompleteTicks).toBeLessThanOrEqual(1);

    // The recovered ticks are the first N ticks, in order, with exactly the values written.
    const expected = createTickRecord(4, 1);
    for (let row = 0; row < log.ticks.count; row++) {
      expect(log.ticks.tick[row]).toBe(row);
      fillTick(expected, row, 1000);
      expect(Array.from(log.ticks.observation.subarray(row * 4, row * 4 + 4))).toEqual(
        Array.from(expected.observation),
      );
      expect(log.ticks.safetyFlags[row]).toBe(expected.safetyFlags);
    }
    expect(log.events.length).toBeGreaterThan(0);
  });

  it('keeps the drop count of a killed run up to its last complete chunk; tether log info shows it', async () => {
    const path = join(dir, 'dropping.mcap');
    const proc = spawn(process.execPath, ['--import', 'tsx', dropping, path], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    proc.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );
    const deadline = Date.now() + 30_000;
    while (!/dropped \d+\n/.test(stdout)) {
      if (proc.exitCode !== null) throw new Error(`dropping-writer exited early: ${stderr}`);
      if (Date.now() > deadline) throw new Error(`dropping-writer never finished its bursts: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const dropped = Number(/dropped (\d+)/.exec(stdout)![1]);
    // The count goes to /tether/logger once a second: wait until a complete chunk holds it (read
    // from the file while the writer still runs), however slow a busy machine makes that, then kill.
    const landed = Date.now() + 30_000;
    while ((await readLog(path)).logger?.droppedTicks !== dropped) {
      if (Date.now() > landed) throw new Error(`the drop count never reached a complete chunk: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    proc.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const log = await readLog(path);
    expect(log.truncated).toBe(true);
    expect(log.summary).toBeUndefined();
    expect(dropped).toBeGreaterThan(0);
    expect(log.logger?.droppedTicks).toBe(dropped);
    const report = summarizeLog(log);
    expect(report.droppedTicks).toBe(dropped);
    expect(report.droppedAsOf).toBeGreaterThan(0);

    const info = await new Promise<string>((resolve) => {
      const cli = spawn(process.execPath, [tetherCli, 'log', 'info', path], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      cli.stdout.on('data', (data: Buffer) => (out += data.toString()));
      cli.on('close', () => resolve(out));
    });
    expect(info).toMatch(
      new RegExp(`${dropped} dropped by the logger by \\d+\\.\\d s, its last count before the log ends`),
    );
  });

  it('does not keep a process alive that forgot close(); the log is left truncated but readable', async () => {
    const path = join(dir, 'forgotten.mcap');
    const proc = spawn(process.execPath, ['--import', 'tsx', forgetful, path], { stdio: 'ignore' });
    const code = await new Promise<number | null>((resolve) =>
      proc.on('exit', (exitCode) => resolve(exitCode)),
    );
    expect(code).toBe(0);
    const log = await readLog(path);
    expect(log.truncated).toBe(true);
    expect(log.controller).toBe('forgetful');
  });
});
