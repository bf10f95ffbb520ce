import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTickRecord } from '../../src/core/tick.ts';
import { readLog } from '../../src/logging/reader.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { cartpoleInfo, fillTick } from './fixtures/synthetic.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-overflow-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ring overflow', () => {
  it('drops and counts ticks when the writer falls behind, and never tears a slot', async () => {
    const path = join(dir, 'burst.mcap');
    const rateHz = 1000;
    const logger = await McapTickLogger.open(path, {
      robot: cartpoleInfo,
      controller: 'burst',
      rateHz,
      ringCapacity: 8,
    });
    const record = createTickRecord(4, 1);
    const total = 50_000;
    // One synchronous burst: the writer thread encodes far slower than this loop copies.
    for (let i = 0; i < total; i++) {
      fillTick(record, i, rateHz);
      logger.writeTick(record);
    }
    const droppedDuringBurst = logger.droppedTicks;
    const summary = await logger.close();
    expect(droppedDuringBurst).toBeGreaterThan(0);
    expect(summary.droppedTicks).toBe(droppedDuringBurst);
    expect(summary.ticks + summary.droppedTicks).toBe(total);

    const log = await readLog(path);
    expect(log.ticks.count).toBe(summary.ticks);
    expect(log.summary?.droppedTicks).toBe(droppedDuringBurst);
    // The logger's own channel says the same, written while the run went on and at close.
    expect(log.logger?.droppedTicks).toBe(droppedDuringBurst);
    expect(log.channels.find((c) => c.topic === '/tether/logger')?.messageCount).toBeGreaterThanOrEqual(2);
    // Every logged tick is intact: its numbers are exactly those of the tick it claims to be.
    const expected = createTickRecord(4, 1);
    for (let row = 0; row < log.ticks.count; row++) {
      const tick = log.ticks.tick[row]!;
      if (row > 0) expect(tick).toBeGreaterThan(log.ticks.tick[row - 1]!);
      fillTick(expected, tick, rateHz);
      expect(Array.from(log.ticks.observation.subarray(row * 4, row * 4 + 4))).toEqual(
        Array.from(expected.observation),
      );
      expect(log.ticks.command[row]).toBe(expected.command[0]);
      expect(log.ticks.time[row]).toBe(expected.deadline);
    }
  });

  it("keeps every tick of a burst with whenFull: 'wait' (virtual-time runs)", async () => {
    const path = join(dir, 'lossless.mcap');
    const rateHz = 1000;
    const logger = await McapTickLogger.open(path, {
      robot: cartpoleInfo,
      controller: 'lossless',
      rateHz,
      ringCapacity: 8,
      whenFull: 'wait',
    });
    const record = createTickRecord(4, 1);
    const total = 5_000;
    for (let i = 0; i < total; i++) {
      fillTick(record, i, rateHz);
      logger.writeTick(record);
    }
    const summary = await logger.close();
    expect(summary).toMatchObject({ ticks: total, droppedTicks: 0 });
    const log = await readLog(path);
    expect(Array.from(log.ticks.tick)).toEqual(Array.from({ length: total }, (_, i) => i));
  });

  it('counts ticks written after close as dropped instead of throwing', async () => {
    const logger = await McapTickLogger.open(join(dir, 'late.mcap'), {
      robot: cartpoleInfo,
      controller: 'late',
      rateHz: 50,
    });
    const record = createTickRecord(4, 1);
    logger.writeTick(record);
    const summary = await logger.close();
    expect(summary.ticks).toBe(1);
    logger.writeTick(record);
    expect(logger.droppedTicks).toBe(1);
    expect(await logger.close()).toBe(summary);
  });

  it('counts an event it cannot log instead of throwing into the loop', async () => {
    const logger = await McapTickLogger.open(join(dir, 'events.mcap'), {
      robot: cartpoleInfo,
      controller: 'ev',
      rateHz: 50,
    });
    const uncloneable = { data: { callback: () => 1 } } as unknown as { data: Record<string, number> };
    expect(() =>
      logger.emit({ time: 0, kind: 'info', source: 'test', message: 'bad', ...uncloneable }),
    ).not.toThrow();
    logger.emit({ time: 0.1, kind: 'info', source: 'test', message: 'good' });
    const summary = await logger.close();
    expect(summary).toMatchObject({ events: 1, droppedEvents: 1 });
    expect((await readLog(join(dir, 'events.mcap'))).events.map((e) => e.message)).toEqual(['good']);
  });
});
