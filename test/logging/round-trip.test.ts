import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTickRecord } from '../../src/core/tick.ts';
import { concatTransitions, toTransitions } from '../../src/learning/transitions.ts';
import { Topic } from '../../src/logging/layout.ts';
import {
  decompressHandlers,
  iterateTicks,
  NotMcapError,
  readLog,
  type TetherLog,
} from '../../src/logging/reader.ts';
import { summarizeLog } from '../../src/logging/stats.ts';
import { type LogSummary, McapTickLogger } from '../../src/logging/tick-logger.ts';
import { SafetyFlag } from '../../src/safety/types.ts';
import { cartpoleInfo, fillTick } from './fixtures/synthetic.ts';

const rateHz = 200;
const tickCount = 1500;
const faultTick = 1200;
const nanTick = 700;
const config = { robot: { kind: 'cartpole' }, loop: { rateHz }, note: 'round trip' };

/** Expected record for tick i, with the scripted fault and NaN observation applied. */
function expectedTick(i: number) {
  const record = createTickRecord(4, 1);
  fillTick(record, i, rateHz);
  if (i === nanTick) {
    record.observation[2] = Number.NaN;
    record.safetyFlags |= SafetyFlag.nonFiniteObservation;
  }
  if (i >= faultTick) record.safetyFlags |= SafetyFlag.fault;
  return record;
}

/** A real file on disk that McapIndexedReader can read. */
async function indexedReader(path: string) {
  const handle = await open(path, 'r');
  const size = (await handle.stat()).size;
  const reader = await McapIndexedReader.Initialize({
    decompressHandlers: await decompressHandlers(),
    readable: {
      size: async () => BigInt(size),
      read: async (offset, length) => {
        const buffer = new Uint8Array(Number(length));
        await handle.read(buffer, 0, buffer.length, Number(offset));
        return buffer;
      },
    },
  });
  return { reader, close: () => handle.close() };
}

let dir: string;
let path: string;
let summary: LogSummary;
let log: TetherLog;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-log-'));
  path = join(dir, 'nested', 'run.mcap');
  const logger = await McapTickLogger.open(path, { robot: cartpoleInfo, controller: 'lqr', config, rateHz });
  logger.emit({ time: 0, kind: 'lifecycle', source: 'robot', message: 'running' });
  for (let i = 0; i < tickCount; i++) {
    logger.writeTick(expectedTick(i));
    if (i === faultTick) {
      logger.emit({
        time: i / rateHz,
        kind: 'fault',
        source: 'safety',
        message: 'joint limit',
        data: { joint: 0, over: true },
      });
    }
    // Let the writer thread keep up (the default ring holds 4 s of ticks, 1024 slots here).
    while (logger.backlog > 512) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  summary = await logger.close();
  log = await readLog(path);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const loggerMessages = () => log.channels.find((c) => c.topic === Topic.logger)?.messageCount ?? 0;

describe('McapTickLogger → readLog round trip', () => {
  it('reports what it wrote when closed', () => {
    // The logger's own counts: at least one at start and one at close.
    expect(loggerMessages()).toBeGreaterThanOrEqual(2);
    expect(log.logger).toMatchObject({ ticks: tickCount, droppedTicks: 0, droppedEvents: 0 });
    expect(summary).toMatchObject({
      ticks: tickCount,
      droppedTicks: 0,
      events: 2,
      messages: tickCount * 6 + 2 + loggerMessages(),
    });
    expect(summary.durationS).toBeCloseTo((tickCount - 1) / rateHz, 12);
    expect(summary.chunks).toBeGreaterThan(1);
  });

  it('writes a valid, indexed, zstd-compressed MCAP file with the tick and event channels on the Unix epoch', async () => {
    const { reader, close } = await indexedReader(path);
    try {
      const topics = [...reader.channelsById.values()].map((c) => c.topic).sort();
      // A sim robot has no link, so no link-health channel.
      expect(topics).toEqual(
        Object.values(Topic)
          .filter((t) => t !== Topic.link)
          .sort(),
      );
      expect(reader.statistics?.messageCount).toBe(BigInt(tickCount * 6 + 2 + loggerMessages()));
      expect(reader.chunkIndexes.length).toBe(summary.chunks);
      const schemas = [...reader.schemasById.values()];
      expect(schemas.every((s) => s.encoding === 'jsonschema')).toBe(true);
      expect(reader.chunkIndexes.every((c) => c.compression === 'zstd')).toBe(true);
      // Log time is the run's wall-clock start on the Unix epoch plus the tick deadline, in ns.
      const times: bigint[] = [];
      for await (const message of reader.readMessages({ topics: [Topic.timing] }))
        times.push(message.logTime);
      const span = times.at(-1)! - times[0]!;
      expect(span).toBe(BigInt(Math.round(((tickCount - 1) / rateHz) * 1e9)));
      expect(Number(times[0]! / 1_000_000n)).toBe(Date.parse(log.startedAt!));
    } finally {
      await close();
    }
  });

  it('reads every tick back exactly, NaN included', () => {
    expect(log.truncated).toBe(false);
    expect(log.ticks.count).toBe(tickCount);
    expect(log.incompleteTicks).toBe(0);
    expect(log.ticks.observationNames).toEqual(['cart.pos', 'cart.vel', 'pole.angle', 'pole.vel']);
    for (const row of iterateTicks(log)) {
      const expected = expectedTick(row.index);
      expect(row.tick).toBe(row.index);
      expect(row.time).toBe(expected.deadline);
      expect(Array.from(row.observation)).toEqual(Array.from(expected.observation));
      expect(Array.from(row.action)).toEqual(Array.from(expected.action));
      expect(Array.from(row.command)).toEqual(Array.from(expected.command));
      expect(row.mode).toBe(expected.mode);
      expect(row.safetyFlags).toBe(expected.safetyFlags);
      expect(log.ticks.periodError[row.index]).toBe(expected.periodError);
      expect(log.ticks.computeTime[row.index]).toBe(expected.computeTime);
      expect(log.ticks.observationTime[row.index]).toBe(expected.observationTime);
      expect(log.ticks.missedDeadlines[row.index]).toBe(expected.missedDeadlines);
    }
    expect(Number.isNaN(log.ticks.observation[nanTick * 4 + 2]!)).toBe(true);
  });

  it('records wall-clock publish times in order', () => {
    const wall = log.ticks.wallTime;
    const now = Date.now() / 1000;
    expect(wall[0]).toBeGreaterThan(now - 600);
    expect(wall[wall.length - 1]).toBeLessThanOrEqual(now);
    for (let i = 1; i < wall.length; i++) expect(wall[i]).toBeGreaterThanOrEqual(wall[i - 1]!);
  });

  it('stores robot info (with infinite bounds), controller, rate and config as metadata', () => {
    expect(log.robot).toEqual(cartpoleInfo);
    expect(log.robot?.observation.signals[1]?.upper).toBe(Number.POSITIVE_INFINITY);
    expect(log.controller).toBe('lqr');
    expect(log.rateHz).toBe(rateHz);
    expect(log.config).toEqual(config);
    expect(log.summary).toMatchObject({ ticks: tickCount, droppedTicks: 0, events: 2 });
  });

  it('reads events with their data', () => {
    expect(log.events.map((e) => e.kind)).toEqual(['lifecycle', 'fault']);
    expect(log.events[1]).toMatchObject({
      time: faultTick / rateHz,
      source: 'safety',
      message: 'joint limit',
      data: { joint: 0, over: true },
    });
  });

  it('summarises timing, safety interventions and faults', () => {
    const report = summarizeLog(log);
    const sortedPeriod = Array.from({ length: tickCount }, (_, i) => expectedTick(i).periodError).sort(
      (a, b) => a - b,
    );
    expect(report.periodError?.max).toBe(sortedPeriod[tickCount - 1]);
    expect(report.periodError?.p50).toBe(sortedPeriod[Math.ceil(0.5 * tickCount) - 1]);
    expect(report.missedDeadlines).toBe(expectedTick(tickCount - 1).missedDeadlines);
    expect(report.measuredRateHz).toBeCloseTo(rateHz, 6);
    expect(report.safety.byFlag['fault']).toBe(tickCount - faultTick);
    expect(report.safety.byFlag['nonFiniteObservation']).toBe(1);
    expect(report.events.faults).toEqual([
      { time: faultTick / rateHz, kind: 'fault', source: 'safety', message: 'joint limit' },
    ]);
    expect(report.channels.find((c) => c.topic === Topic.observation)?.messageCount).toBe(tickCount);
  });
});

// Learning turns the ticks the reader yields into transitions (src/learning/transitions.ts).
describe('toTransitions on a read log', () => {
  /** The log carries no reward; this one makes the reward of a row easy to check. */
  const rewardOf = (obs: Float64Array, act: Float64Array, next: Float64Array) => next[0]! - obs[0]! + act[0]!;

  it('pairs consecutive ticks, skips NaN and latched ticks, and terminates the episode at the fault', () => {
    const t = toTransitions(log, rewardOf);
    // Valid starts: 0..faultTick-1, minus the NaN tick and the tick before it (its s' is NaN).
    expect(t.size).toBe(faultTick - 2);
    expect(t.tick.includes(nanTick)).toBe(false);
    expect(t.tick.includes(nanTick - 1)).toBe(false);
    const k = 10;
    const tick = t.tick[k]!;
    const s = expectedTick(tick);
    const next = expectedTick(tick + 1);
    expect(Array.from(t.obs.subarray(k * 4, k * 4 + 4))).toEqual(Array.from(s.observation));
    expect(Array.from(t.nextObs.subarray(k * 4, k * 4 + 4))).toEqual(Array.from(next.observation));
    expect(t.act[k]).toBe(s.command[0]);
    expect(t.reward[k]).toBe(rewardOf(s.observation, s.command, next.observation));
    expect(toTransitions(log, rewardOf, { action: 'proposal' }).act[k]).toBe(s.action[0]);
    expect(t.terminated[t.size - 1]).toBe(1);
    expect(t.terminated.reduce((a, b) => a + b, 0)).toBe(1);
    expect(t.meta).toEqual({ source: log.path });
    // Segments end before the NaN gap and at the fault.
    expect(t.segmentEnd[t.tick.indexOf(nanTick - 2)]).toBe(1);
    expect(t.segmentEnd.reduce((a, b) => a + b, 0)).toBe(2);
  });

  it('joins the transitions of several logs, ending a segment at each seam', () => {
    const one = toTransitions(log, rewardOf);
    const both = concatTransitions([one, one]);
    expect(both.size).toBe(2 * one.size);
    expect(Array.from(both.obs.subarray(one.size * 4))).toEqual(Array.from(one.obs));
    expect(Array.from(both.reward.subarray(one.size))).toEqual(Array.from(one.reward));
    expect(both.segmentEnd[one.size - 1]).toBe(1);
    expect(both.segmentEnd.reduce((a, b) => a + b, 0)).toBe(2 * one.segmentEnd.reduce((a, b) => a + b, 0));
    const wider = { ...one, obsSize: 5 };
    expect(() => concatTransitions([one, wider])).toThrow(
      /transitions 1 have 5 observations and 1 actions, expected 4 and 1/,
    );
    expect(() => concatTransitions([])).toThrow(/at least one/);
  });

  it('refuses a log without ticks with a clear error', () => {
    const empty = { path: 'empty.mcap', ticks: { ...log.ticks, count: 0 } };
    expect(() => toTransitions(empty, rewardOf)).toThrow(/empty\.mcap has no ticks/);
  });
});

describe('readLog on bad input', () => {
  it('rejects a file that is not MCAP, naming the file and the expected magic', async () => {
    const bogus = join(dir, 'notes.mcap');
    await writeFile(bogus, 'robot: cartpole\n');
    const error = await readLog(bogus).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotMcapError);
    expect((error as Error).message).toMatch(/notes\.mcap is not an MCAP file: expected the magic bytes/);
  });

  it('rejects an empty file and a missing file clearly', async () => {
    const empty = join(dir, 'empty.mcap');
    await writeFile(empty, '');
    await expect(readLog(empty)).rejects.toThrow(/is empty/);
    await expect(readLog(join(dir, 'missing.mcap'))).rejects.toThrow(/log file not found/);
  });

  it('reads a truncated copy up to its last complete chunk and says it is truncated', async () => {
    const { readFile } = await import('node:fs/promises');
    const bytes = await readFile(path);
    const cut = join(dir, 'cut.mcap');
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const partial = await readLog(cut);
    expect(partial.truncated).toBe(true);
    expect(partial.truncation).toMatch(/ends before the MCAP footer/);
    expect(partial.ticks.count).toBeGreaterThan(0);
    expect(partial.ticks.count).toBeLessThan(tickCount);
    expect(partial.summary).toBeUndefined();
    expect(Array.from(partial.ticks.tick)).toEqual(Array.from({ length: partial.ticks.count }, (_, i) => i));
    expect(Array.from(partial.ticks.observation)).toEqual(
      Array.from(log.ticks.observation.subarray(0, partial.ticks.count * 4)),
    );
  });
});

describe('McapTickLogger input checks', () => {
  it('names the bad option', async () => {
    await expect(
      McapTickLogger.open(join(dir, 'x.mcap'), { robot: cartpoleInfo, controller: 'c', rateHz: 0 }),
    ).rejects.toThrow(/rateHz must be a positive number/);
    await expect(
      McapTickLogger.open('', { robot: cartpoleInfo, controller: 'c', rateHz: 10 }),
    ).rejects.toThrow(/log path must be a non-empty string/);
  });

  it('fails to open an impossible path with a clear error', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, 'x');
    const options = { robot: cartpoleInfo, controller: 'c', rateHz: 10 };
    await expect(McapTickLogger.open(join(file, 'run.mcap'), options)).rejects.toThrow(
      /cannot open log .*run\.mcap: cannot create its folder/,
    );
    // A directory where the file should be: the writer thread reports the failure.
    await expect(McapTickLogger.open(dir, options)).rejects.toThrow(/cannot open log .*EISDIR/);
    // A full disk: /dev/full accepts the open and fails every write with ENOSPC.
    await expect(McapTickLogger.open('/dev/full', options)).rejects.toThrow(
      /cannot open log \/dev\/full: .*ENOSPC/,
    );
  });
});
