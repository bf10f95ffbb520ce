import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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

describe('a user-defined gap benchmark', () => {
  it('the shipped cartpole definition names five methods, H2O`s three ablations and two criteria', () => {
    const bench = loadGapBenchmark(path.join(repo, 'bench/gaps/cartpole-gravity.yaml'), {});
    expect(bench.variants.map((v) => v.key)).toEqual([
      'h2o',
      'sac',
      'naive-mix',
      'td3bc',
      'iql',
      'h2o-no-weight',
      'h2o-no-penalty',
      'h2o-no-u',
    ]);
    const noU = bench.variants.find((v) => v.key === 'h2o-no-u')!.config;
    expect(noU.hyperparameters).toMatchObject({ uWeighting: false });
    expect(bench.criteria).toHaveLength(2);
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
    let message = '';
    try {
      loadGapBenchmark(file, {});
    } catch (error) {
      message = (error as Error).message;
    }
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
    const r = spawnSync(
      'npm',
      [
        'run',
        '--silent',
        'bench:h2o-gap',
        '--',
        file,
        '--seeds',
        '0',
        '--updates',
        '20',
        '--workers',
        '1',
        '--out',
        out,
      ],
      { cwd: repo, encoding: 'utf8', timeout: 240_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pass: sac -?[\d.]+ <= 1000/);
    expect(r.stdout).toMatch(/FAIL: td3bc -?[\d.]+ >= best of sac \(sac -?[\d.]+\) \+ 1000/);
    expect(r.stdout).toMatch(/criteria: 1 of 2 pass/);
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
});
