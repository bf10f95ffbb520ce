import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeGapLogs } from '../../bench/data/make-gap-log.ts';
import { judge, loadGapBenchmark } from '../../bench/h2o-gap.ts';

/**
 * The dynamics-gap benchmark on a pair the user defines (bench/h2o-gap.ts): methods, references and
 * pass criteria come from the benchmark file, and a bad file is refused before anything trains.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const train = (name: string) => path.join(repo, 'configs/train', name);

function benchmarkFile(body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tether-gap-bench-'));
  const file = path.join(dir, 'bench.yaml');
  writeFileSync(file, body);
  return file;
}

/** The message a benchmark file is refused with (empty when it loads). */
function refusal(file: string): string {
  try {
    loadGapBenchmark(file, {});
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** The benchmark's npm script on `file`, as a user runs it: one seed, 20 updates, one worker. */
function runBenchmark(file: string, out: string) {
  const args = ['--seeds', '0', '--updates', '20', '--workers', '1', '--out', out];
  return spawnSync('npm', ['run', '--silent', 'bench:h2o-gap', '--', file, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 240_000,
  });
}

describe('a user-defined gap benchmark', () => {
  it('the shipped cartpole definition names six methods, H2O`s three ablations, a data sweep and two criteria', () => {
    const bench = loadGapBenchmark(path.join(repo, 'bench/gaps/cartpole-gravity.yaml'), {});
    const logs = ['medium-5', 'medium-20', 'medium-100', 'replay'];
    expect(bench.variants.map((v) => v.key)).toEqual([
      'h2o',
      'sac',
      'naive-mix',
      'td3bc',
      'iql',
      'oracle',
      'h2o-no-weight',
      'h2o-no-penalty',
      'h2o-no-u',
      ...['h2o', 'naive-mix', 'td3bc', 'iql'].flatMap((m) => logs.map((log) => `${m}@${log}`)),
    ]);
    const noU = bench.variants.find((v) => v.key === 'h2o-no-u')!.config;
    expect(noU.hyperparameters).toMatchObject({ uWeighting: false });
    // The oracle trains online on the real system of the same pair; a sweep run only swaps the log.
    const oracle = bench.variants.find((v) => v.key === 'oracle')!.config;
    expect(oracle).toMatchObject({ algorithm: 'sac', onlineIn: 'real', datasets: [] });
    const swept = bench.variants.find((v) => v.key === 'td3bc@medium-20')!;
    expect(swept.sweep).toEqual({ method: 'td3bc', log: 'medium-20' });
    expect(swept.config.datasets).toEqual([path.join(repo, 'sim/gaps/data/cartpole-medium-20.json')]);
    expect(swept.config.hyperparameters).toEqual(
      bench.variants.find((v) => v.key === 'td3bc')!.config.hyperparameters,
    );
    expect(bench.data!.logs['replay']).toEqual({
      file: path.join(repo, 'sim/gaps/data/cartpole-replay.json'),
      replay: true,
    });
    expect(bench.criteria).toHaveLength(2);
  });

  it('runs a subset of the hopper definition`s methods (--methods), never without the method its scores are relative to', () => {
    const hopper = path.join(repo, 'bench/gaps/hopper-friction.yaml');
    // Its logs are made by the data script: the definition loads before they exist.
    const pilot = loadGapBenchmark(hopper, { methods: ['sac', 'oracle', 'h2o'], seeds: [0, 1] });
    expect(pilot.variants.map((v) => v.key)).toEqual(['h2o', 'sac', 'oracle']);
    expect(pilot.variants.every((v) => v.config.seeds.length === 2)).toBe(true);
    expect(pilot.variants[0]!.config.environment.options).toMatchObject({
      model: 'hopper',
      gap: 'friction',
      strength: 0.3,
    });
    expect(() => loadGapBenchmark(hopper, { methods: ['sac', 'h2o'] })).toThrow(
      /--methods: the reference method 'oracle' must run too/,
    );
    expect(() => loadGapBenchmark(hopper, { methods: ['oracle', 'ppo'] })).toThrow(
      /--methods: no method named ppo/,
    );
  });

  it('refuses a sweep over an unknown log or of a method with no real log, and a reference to an unknown method', () => {
    const file = benchmarkFile(
      [
        'name: sweep',
        'title: sweep',
        'methods:',
        `  sac: { config: ${train('cartpole-gap-sac.yaml')} }`,
        `  td3bc: { config: ${train('cartpole-gap-td3bc.yaml')} }`,
        'references: { zero: { return: 0 }, full: { method: ceiling } }',
        'data:',
        '  behaviour: { updates: 100 }',
        '  logs: { small: { file: small.json, episodes: 2 } }',
        'sweep: { methods: [td3bc, sac], logs: [small, large] }',
        '',
      ].join('\n'),
    );
    const message = refusal(file);
    expect(message).toMatch(/:10:\d+: sweep\.logs\[1\]: no log named 'large' in data\.logs \(logs: small\)/);
    expect(message).toMatch(
      /:10:\d+: sweep\.methods\[1\]: 'sac' trains sac on no real log; a data sweep needs one/,
    );
    expect(message).toMatch(/:6:\d+: references\.full\.method: no method named 'ceiling'/);
  });

  it('refuses, with the file, line and key, a criterion on an unknown method, a mixed pair and a non-H2O ablation', () => {
    const file = benchmarkFile(
      [
        'name: mixed',
        'title: mixed pairs',
        'methods:',
        `  sac: { config: ${train('cartpole-gap-sac.yaml')} }`,
        `  river: { config: ${train('river-sac.yaml')} }`,
        'ablations: sac',
        'references: { zero: { return: 0 }, full: { return: 100 } }',
        'criteria:',
        '  - { method: h2o, atLeast: 50 }',
        '',
      ].join('\n'),
    );
    const message = refusal(file);
    expect(message).toContain(file);
    expect(message).toMatch(/:5:\d+: methods\.river\.config: its environment pair differs from sac's/);
    expect(message).toMatch(/:6:\d+: ablations: 'sac' trains sac, not h2o/);
    expect(message).toMatch(/:9:\d+: criteria\[0\]: no method named 'h2o' \(methods: sac, river\)/);
  });

  it('judges criteria on mean scores: bounds, and beating the best of several by a margin', () => {
    const scores: Record<string, number> = { h2o: 70, sac: 40, iql: 66 };
    const at = (m: string) => scores[m]!;
    expect(judge({ method: 'sac', atMost: 60 }, at)).toEqual({ text: 'sac 40.0 <= 60', passed: true });
    expect(judge({ method: 'h2o', atLeast: 75 }, at).passed).toBe(false);
    const beats = judge({ method: 'h2o', beats: ['sac', 'iql'], by: 5 }, at);
    expect(beats).toEqual({ text: 'h2o 70.0 >= best of sac, iql (iql 66.0) + 5', passed: false });
    expect(judge({ method: 'h2o', beats: ['sac', 'iql'], by: 3 }, at).passed).toBe(true);
  });

  it('runs end to end from the npm script on a two-method definition, writing scores and verdicts', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'tether-gap-results-'));
    const file = benchmarkFile(
      [
        'name: tiny-gap',
        'title: tiny',
        'methods:',
        `  sac: { config: ${train('cartpole-gap-sac.yaml')}, label: SAC }`,
        `  td3bc: { config: ${train('cartpole-gap-td3bc.yaml')} }`,
        'references:',
        '  zero: { policy: random, episodes: 2 }',
        '  full: { return: 500 }',
        'criteria:',
        '  - { method: sac, atMost: 1000 }',
        '  - { method: td3bc, beats: [sac], by: 1000 }',
        '',
      ].join('\n'),
    );
    const r = runBenchmark(file, out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pass: sac -?[\d.]+ <= 1000/);
    expect(r.stdout).toMatch(/FAIL: td3bc -?[\d.]+ >= best of sac \(sac -?[\d.]+\) \+ 1000/);
    expect(r.stdout).toMatch(/criteria: 1 of 2 judged pass/);
    const json = JSON.parse(readFileSync(path.join(out, 'tiny-gap.json'), 'utf8'));
    expect(json.references.full).toBe(500);
    expect(json.references.zero).toBeGreaterThan(0);
    for (const key of ['sac', 'td3bc']) {
      const { returns, scores } = json.results[key];
      expect(returns).toHaveLength(1);
      expect(scores[0]).toBeCloseTo(
        (100 * (returns[0] - json.references.zero)) / (500 - json.references.zero),
        9,
      );
    }
    expect(json.criteria.map((c: { passed: boolean }) => c.passed)).toEqual([true, false]);
    expect(readFileSync(path.join(out, 'tiny-gap-curves.svg'), 'utf8')).toContain('<svg');
  }, 300_000);

  it('makes its real logs from a behaviour trained on the real system, sweeps a method over them and scores against the oracle', async () => {
    const file = benchmarkFile(
      [
        'name: tiny-sweep',
        'title: tiny sweep',
        'methods:',
        `  td3bc: { config: ${train('cartpole-gap-td3bc.yaml')} }`,
        `  oracle: { config: ${train('cartpole-gap-oracle.yaml')} }`,
        'references:',
        '  zero: { policy: random, episodes: 2 }',
        '  full: { method: oracle }',
        'data:',
        '  behaviour: { updates: 200, seed: 3, hidden: [16, 16] }',
        '  logs:',
        '    few: { file: few.json, episodes: 2 }',
        '    more: { file: more.json, episodes: 4 }',
        '    replay: { file: replay.json, replay: true }',
        'sweep: { methods: [td3bc], logs: [few, more, replay] }',
        '',
      ].join('\n'),
    );
    const dir = path.dirname(file);
    await makeGapLogs(file);
    const read = (name: string) => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
    const [few, more, replay] = [read('few.json'), read('more.json'), read('replay.json')];
    // The 2-episode log is the first two episodes of the 4-episode one: the sweep varies the amount only.
    expect(few.size).toBeGreaterThan(0);
    expect(more.size).toBeGreaterThan(few.size);
    expect(more.observations.slice(0, few.observations.length)).toEqual(few.observations);
    expect(more.actions.slice(0, few.actions.length)).toEqual(few.actions);
    expect(few.meta).toMatchObject({ kind: 'medium', episodes: 2 });
    expect(few.meta.behaviour).toMatch(/^SAC online on the real system, 200 updates, seed 3/);
    // The replay log holds the behaviour's whole stream: its 1000 uniform start steps, then its own.
    expect(replay.meta.kind).toBe('replay');
    expect(replay.size).toBeGreaterThanOrEqual(1200);
    expect(Math.min(...replay.actions.slice(0, 1000))).toBeLessThan(-0.9);
    expect(Math.max(...replay.actions.slice(0, 1000))).toBeGreaterThan(0.9);

    const out = mkdtempSync(path.join(tmpdir(), 'tether-gap-results-'));
    const r = runBenchmark(file, out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/real data sweep/);
    const json = JSON.parse(readFileSync(path.join(out, 'tiny-sweep.json'), 'utf8'));
    expect(json.references.full).toBeCloseTo(json.results.oracle.returns[0], 9);
    expect(Object.keys(json.sweep.td3bc)).toEqual(['few', 'more', 'replay']);
    expect(json.sweep.td3bc.few.transitions).toBe(few.size);
    expect(json.sweep.td3bc.replay.transitions).toBe(replay.size);
    expect(json.sweep.td3bc.more.meanScore).toBeCloseTo(json.results['td3bc@more'].meanScore, 9);
    expect(json.data.logs.more).toMatchObject({ transitions: more.size, episodes: 4 });
    expect(readFileSync(path.join(out, 'tiny-sweep-data.svg'), 'utf8')).toContain(
      'real transitions in the log',
    );
  }, 300_000);
});
