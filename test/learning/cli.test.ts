import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { McapStreamReader } from '@mcap/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { tether } from '../support/cli.ts';

function captureStderr(): { text: () => string } {
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  return { text: () => out };
}

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

const repo = path.resolve(import.meta.dirname, '../..');

interface Evaluation {
  updates: number;
  realReturn: number;
  stats: Record<string, number>;
}

/** The /train/evaluation messages of a complete MCAP file, in order; the file must end with its footer. */
function evaluationsIn(bytes: Uint8Array): Evaluation[] {
  const reader = new McapStreamReader();
  reader.append(bytes);
  const channels = new Map<number, string>();
  const out: Evaluation[] = [];
  let footer = false;
  for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
    if (record.type === 'Channel') channels.set(record.id, record.topic);
    if (record.type === 'Message' && channels.get(record.channelId) === '/train/evaluation')
      out.push(JSON.parse(new TextDecoder().decode(record.data)) as Evaluation);
    if (record.type === 'Footer') footer = true;
  }
  expect(footer).toBe(true);
  return out;
}

describe('tether train', () => {
  it('refuses an unknown algorithm before training, naming the file, line and field', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-train-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'algorithm: ppo\nenvironment: { kind: river-crossing }\nbudget: { updates: 10 }\n');
    const err = captureStderr();
    expect(await main(['node', 'tether', 'train', file])).toBe(1);
    expect(err.text()).toMatch(/bad\.yaml:1:1: algorithm: expected one of "sac" \| .*, got "ppo"/);
  });

  it('refuses a dataset that does not match the environment', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-train-'));
    writeFileSync(
      path.join(dir, 'log.json'),
      JSON.stringify({
        format: 'tether.transitions/1',
        observationSize: 4,
        actionSize: 1,
        size: 1,
        observations: [0, 0, 0, 0],
        actions: [0],
        rewards: [0],
        nextObservations: [0, 0, 0, 0],
        terminated: [0],
      }),
    );
    const file = path.join(dir, 'mismatch.yaml');
    writeFileSync(
      file,
      'algorithm: h2o\nenvironment: { kind: river-crossing }\ndataset: log.json\nbudget: { updates: 10 }\n',
    );
    const err = captureStderr();
    expect(await main(['node', 'tether', 'train', file, '--out', path.join(dir, 'out')])).toBe(1);
    expect(err.text()).toMatch(
      /observations of size 4 and actions of size 1, but the environment expects 2 and 2/,
    );
  });

  it('trains a seed in a worker, checkpoints, and exports a policy that tether eval runs', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-train-'));
    const file = path.join(dir, 'tiny.yaml');
    const dataset = path.join(repo, 'sim/river/data/real-log-c1.2.json');
    writeFileSync(
      file,
      [
        'algorithm: naive-mix',
        'environment: { kind: river-crossing, current: 1.2 }',
        `dataset: ${JSON.stringify(dataset)}`,
        'seeds: [3]',
        'budget: { updates: 60, chunk: 30, startSteps: 100, numEnvs: 2 }',
        'evaluation: { every: 30, episodes: 2 }',
        'options: { hidden: [8, 8] }',
        `output: ${JSON.stringify(path.join(dir, 'out'))}`,
        'checkpointEvery: 30',
        'workers: 1',
      ].join('\n'),
    );
    captureStderr();
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(['node', 'tether', 'train', file])).toBe(0);
    expect(String(stdout.mock.calls.at(-1)?.[0])).toMatch(
      /naive-mix: real return -?\d+\.\d+ ± 0\.00 over 1 seed/,
    );
    const policy = path.join(dir, 'out', 'seed-3', 'policy.onnx');
    expect(await main(['node', 'tether', 'eval', policy, file, '-n', '2'])).toBe(0);
    expect(String(stdout.mock.calls.at(-1)?.[0])).toMatch(
      /river-crossing-real\(C0=1\.2\): return -?\d+\.\d+ ± \d+\.\d+ over 2 episodes/,
    );
  });

  it('trains on the native engine it compiles, and falls back to tfjs saying why when it cannot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-train-'));
    const file = path.join(dir, 'tiny.yaml');
    writeFileSync(
      file,
      [
        'algorithm: sac',
        'environment: { kind: river-crossing, current: 1.2 }',
        'seeds: [1]',
        'budget: { updates: 40, chunk: 20, startSteps: 100, numEnvs: 2 }',
        'evaluation: { every: 20, episodes: 2 }',
        'options: { hidden: [8, 8] }',
        'workers: 1',
      ].join('\n'),
    );
    const engineOf = (out: string) =>
      (JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { seeds: { engine: string }[] })
        .seeds[0]!.engine;
    const native = path.join(dir, 'native');
    const built = await tether(['train', file, '--engine', 'native', '--out', native]);
    expect(built.code).toBe(0);
    expect(engineOf(native)).toMatch(/^native-f32-simd/);
    // A compiler that does not exist: said on stderr, and the run trains on tfjs instead.
    const fallback = path.join(dir, 'fallback');
    const without = await tether(['train', file, '--engine', 'native', '--out', fallback], [], {
      env: { CC: '/nonexistent/cc' },
    });
    expect(without.code).toBe(0);
    expect(without.stderr).toMatch(
      /could not be compiled with '\/nonexistent\/cc'.*; training on tfjs instead/,
    );
    expect(engineOf(fallback)).toMatch(/^tfjs-/);
    const unknown = await tether(['train', file, '--engine', 'cuda', '--out', path.join(dir, 'x')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/--engine: expected one of native, tfjs, ts-cpu, got 'cuda'/);
  }, 120_000);

  // Each algorithm briefly, through the CLI, on the shipped MuJoCo gap configs as a user runs them
  // (native engine, the config's nets and environments); the budget only proves the path.
  // The oracle is SAC collecting on the real side (`onlineIn: real`), the benchmarks' ceiling.
  for (const algorithm of ['sac', 'td3bc', 'iql', 'naive-mix', 'h2o', 'oracle']) {
    it(`trains ${algorithm} on the MuJoCo cartpole gap and exports its policy`, async () => {
      const out = mkdtempSync(path.join(tmpdir(), `tether-train-${algorithm}-`));
      const config = path.join(repo, `configs/train/cartpole-gap-${algorithm}.yaml`);
      const args = ['--seeds', '0', '--updates', '40', '--workers', '1', '--out', out];
      const run = await tether(['train', config, ...args]);
      expect(run.stderr).not.toMatch(/tether:/);
      expect(run.code).toBe(0);
      const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {
        algorithm: string;
        seeds: { engine: string; finalReturn: number; finalW: { inside: number } | null }[];
      };
      expect(summary.algorithm).toBe(algorithm === 'oracle' ? 'sac' : algorithm);
      expect(summary.seeds[0]!.engine).toMatch(/^native-/);
      // The cartpole's return counts the steps the pole stays up: 1 to 500.
      expect(summary.seeds[0]!.finalReturn).toBeGreaterThanOrEqual(1);
      expect(summary.seeds[0]!.finalReturn).toBeLessThanOrEqual(500);
      expect(summary.seeds[0]!.finalW === null).toBe(algorithm !== 'h2o');
      expect(readFileSync(path.join(out, 'seed-0', 'policy.onnx')).length).toBeGreaterThan(1000);
      // What a user watches: every evaluation in metrics.mcap (read here by @mcap/core's own reader,
      // as Foxglove would) with the learner's statistics, and the curve as an SVG.
      const evaluations = evaluationsIn(readFileSync(path.join(out, 'seed-0', 'metrics.mcap')));
      expect(evaluations.map((e) => e.updates)).toEqual([40]);
      expect(evaluations[0]!.realReturn).toBe(summary.seeds[0]!.finalReturn);
      expect(Object.keys(evaluations[0]!.stats)).toEqual(
        expect.arrayContaining(
          algorithm === 'h2o'
            ? [
                'qLoss',
                'meanW',
                'penalty',
                'discriminatorLoss',
                'discriminatorAccuracy',
                'meanQReal',
                'meanQSim',
              ]
            : ['qLoss'],
        ),
      );
      expect(readFileSync(path.join(out, 'seed-0', 'curves.svg'), 'utf8')).toMatch(/^<svg[\s\S]*real return/);
    }, 120_000);
  }
});
