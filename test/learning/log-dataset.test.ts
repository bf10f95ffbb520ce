import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { signal } from '../../src/core/spec.ts';
import {
  buildLogDataset,
  type DatasetTask,
  loadLogDataset,
  mergeLogDatasets,
  saveLogDataset,
  splitHeldOut,
} from '../../src/learning/log-dataset.ts';
import type { LoggedEvent, TetherLog } from '../../src/logging/reader.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

/** A task on a 1-D point: reward = next position, terminal beyond |x| > 5, commands ×10 N. */
const task: DatasetTask = {
  name: 'point task',
  observation: ['x.pos'],
  actionMap: [{ name: 'x.force', unit: 'N', scale: 10, offset: 0 }],
  rateHz: 50,
  reward: (_o, _a, next) => next[0]!,
  terminated: (next) => Math.abs(next[0]!) > 5,
};

interface TickSpec {
  tick: number;
  x: number;
  force?: number;
  flags?: number;
  controller?: number;
}

/** A log as the reader returns it, from tick rows. */
function fakeLog(
  rows: readonly TickSpec[],
  options: {
    name?: string;
    robot?: string;
    signals?: string[];
    unit?: string;
    rateHz?: number;
    events?: LoggedEvent[];
    controllers?: string[];
  } = {},
): TetherLog {
  const n = rows.length;
  const column = (pick: (r: TickSpec) => number) => Float64Array.from(rows, pick);
  return {
    path: `/logs/${options.name ?? 'run.mcap'}`,
    bytes: 0,
    truncated: false,
    truncation: undefined,
    chunks: 1,
    library: 'test',
    metadata: new Map(),
    robot: {
      name: options.robot ?? 'point-rig',
      transport: 'serial',
      observation: { signals: (options.signals ?? ['x.pos']).map((s) => signal(s, 'm')) },
      action: { signals: [signal('x.force', options.unit ?? 'N', -10, 10)], mode: 'torque', safe: [0] },
      capabilities: { minRateHz: 1, maxRateHz: 1000, lockStep: false, features: [] },
    },
    controller: 'v0',
    controllers: options.controllers ?? ['v0'],
    rateHz: options.rateHz ?? 50,
    startedAt: '2026-01-01T00:00:00Z',
    config: undefined,
    channels: [],
    ticks: {
      count: n,
      observationNames: ['x.pos'],
      actionNames: ['x.force'],
      observationSize: 1,
      actionSize: 1,
      tick: column((r) => r.tick),
      time: column((r) => r.tick * 0.02),
      wallTime: column(() => 0),
      periodError: column(() => 0),
      computeTime: column(() => 0),
      observationTime: column(() => 0),
      missedDeadlines: column(() => 0),
      controller: Int32Array.from(rows, (r) => r.controller ?? 0),
      mode: new Int32Array(n),
      safetyFlags: Uint32Array.from(rows, (r) => r.flags ?? 0),
      observation: column((r) => r.x),
      action: column((r) => r.force ?? 1),
      command: column((r) => r.force ?? 1),
    },
    incompleteTicks: 0,
    events: options.events ?? [],
    link: [],
    logger: undefined,
    summary: undefined,
  };
}

const latched = SafetyFlag.estop;

describe('logs are datasets', () => {
  it('cuts episodes at latches, tick gaps, non-finite ticks and terminal states, and reports what it dropped', () => {
    const rows: TickSpec[] = [
      // Episode 0: 0..3, ends by the loop's e-stop (latched, not terminal: truncated).
      { tick: 0, x: 0 },
      { tick: 1, x: 1 },
      { tick: 2, x: 2 },
      { tick: 3, x: 3, flags: latched },
      { tick: 4, x: 0, flags: latched },
      // Episode 1: 5..7, then a gap (ticks 8, 9 missing).
      { tick: 5, x: 0 },
      { tick: 6, x: 1 },
      { tick: 7, x: 2 },
      // Episode 2: 10..12, ends in a terminal state that the safety layer did not latch.
      { tick: 10, x: 4 },
      { tick: 11, x: 5 },
      { tick: 12, x: 6 },
      // After the terminal state, until the next latch: off the task.
      { tick: 13, x: 7 },
      { tick: 14, x: 8, flags: latched },
      // Episode 3: a NaN observation cuts it.
      { tick: 15, x: 0 },
      { tick: 16, x: 1 },
      { tick: 17, x: Number.NaN },
      { tick: 18, x: 0 },
      { tick: 19, x: 1 },
    ];
    const data = buildLogDataset([fakeLog(rows)], task);
    expect(data.episodes.map((e) => [e.start, e.end, e.transitions])).toEqual([
      ['log-start', 'latched', 3],
      ['after-latch', 'tick-gap', 2],
      ['after-gap', 'terminated', 2],
      ['after-latch', 'non-finite', 1],
      ['after-drop', 'end-of-log', 1],
    ]);
    // Transitions never span a cut; terminated only where the task says so.
    expect(Array.from(data.terminated)).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect(Array.from(data.episode)).toEqual([0, 0, 0, 1, 1, 2, 2, 3, 4]);
    // Rewards from the task (next position); actions back in learner units (1 N / 10).
    expect(Array.from(data.reward.subarray(0, 3))).toEqual([1, 2, 3]);
    expect(data.act[0]).toBeCloseTo(0.1, 12);
    expect(data.episodes[0]!.return).toBe(6);
    expect(data.report.dropped).toEqual({
      latchedTicks: 3,
      nonFiniteTicks: 1,
      afterTerminalTicks: 2,
      missingTicks: 2,
      shortEpisodes: 0,
    });
    expect(data.report.ends).toMatchObject({
      latched: 1,
      'tick-gap': 1,
      terminated: 1,
      'non-finite': 1,
      'end-of-log': 1,
    });
  });

  it('cuts long stretches at the horizon and drops short episodes when asked', () => {
    const rows = Array.from({ length: 11 }, (_, t) => ({ tick: t, x: 0.1 * t }));
    const data = buildLogDataset([fakeLog(rows)], { ...task, horizon: 4 }, { minTransitions: 3 });
    expect(data.episodes.map((e) => [e.start, e.end, e.transitions])).toEqual([
      ['log-start', 'horizon', 4],
      ['after-horizon', 'horizon', 4],
    ]);
    expect(data.report.dropped.shortEpisodes).toBe(1);
  });

  it('names each episode by its controller version and policy hash, from install and version events', () => {
    const event = (data: Record<string, string | number>): LoggedEvent => ({
      time: 0,
      wallTime: 0,
      kind: 'controller-switch',
      source: 'controller-manager',
      message: '',
      data,
    });
    const log = fakeLog(
      [
        { tick: 0, x: 0, controller: 1 },
        { tick: 1, x: 0, controller: 1 },
        { tick: 2, x: 0, controller: 2 },
        { tick: 3, x: 0, controller: 2, flags: latched },
        { tick: 4, x: 0, controller: 2 },
        { tick: 5, x: 0, controller: 2 },
      ],
      {
        controllers: ['policy'],
        events: [
          event({ installed: 'v0', index: 1, hash: 'aaa' }),
          event({ installed: 'v1', index: 2, hash: 'bbb' }),
        ],
      },
    );
    const data = buildLogDataset([log], task);
    expect(data.episodes.map((e) => [e.controllers, e.hashes])).toEqual([
      [
        ['v0', 'v1'],
        ['aaa', 'bbb'],
      ],
      [['v1'], ['bbb']],
    ]);
    expect(data.episodes[0]!.robot).toBe('point-rig');
    expect(data.episodes[0]!.id).toBe('run.mcap#0');
  });

  it('refuses a log of another robot, unit or rate, and a log with no episode of the task', () => {
    const rows = [
      { tick: 0, x: 0 },
      { tick: 1, x: 1 },
    ];
    expect(() => buildLogDataset([fakeLog(rows, { signals: ['y.pos'], robot: 'arm' })], task)).toThrow(
      "robot 'arm' recorded observations [y.pos], the task expects [x.pos]: this log is not a recording of point task",
    );
    expect(() => buildLogDataset([fakeLog(rows, { unit: 'Nm' })], task)).toThrow(
      "action 'x.force' in Nm, the task's action map is in N",
    );
    expect(() => buildLogDataset([fakeLog(rows, { rateHz: 100 })], task)).toThrow(
      'a control rate of 100 Hz, the task runs at 50 Hz',
    );
    const allLatched = rows.map((r) => ({ ...r, flags: latched }));
    expect(() => buildLogDataset([fakeLog(allLatched)], task)).toThrow(
      /no episode of point task in these logs \(\/logs\/run.mcap: 2 ticks, 2 latched/,
    );
    expect(() => buildLogDataset([], task)).toThrow(/no logs given/);
  });

  it('saves and loads with its episodes; merges rounds; holds the same episodes out as it grows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-dataset-'));
    const episodesOf = (name: string) =>
      fakeLog(
        Array.from({ length: 40 }, (_, t) => ({
          tick: t,
          x: (t % 5) * 0.1,
          flags: t % 5 === 4 ? latched : 0,
        })),
        { name },
      );
    const a = buildLogDataset([episodesOf('round-0.mcap')], task);
    const b = buildLogDataset([episodesOf('round-1.mcap')], task);
    const file = path.join(dir, 'a.json');
    await saveLogDataset(file, a);
    const loaded = await loadLogDataset(file);
    expect(loaded.size).toBe(a.size);
    expect(loaded.episodes).toEqual(a.episodes);
    expect(Array.from(loaded.episode)).toEqual(Array.from(a.episode));
    const merged = mergeLogDatasets([loaded, b]);
    expect(merged.episodes.length).toBe(16);
    expect(merged.report.logs.length).toBe(2);
    expect(() => mergeLogDatasets([a, a])).toThrow(/appears in two of the datasets/);
    const first = splitHeldOut(a, 0.25);
    const later = splitHeldOut(merged, 0.25);
    const ids = (d: typeof a) => d.episodes.map((e) => e.id);
    // An episode held out in round 0 stays held out when round 1 joins.
    for (const id of ids(first.heldOut)) expect(ids(later.heldOut)).toContain(id);
    expect(first.train.size + first.heldOut.size).toBe(a.size);
    expect(first.heldOut.episodes.length).toBeGreaterThan(0);
  });
});
