import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { environmentPlugins } from '../../app/plugins.ts';
import { generateRiverLog } from '../../sim/river/log.ts';
import { riverPair } from '../../sim/river/pair.ts';
import { riverDefaults } from '../../sim/river/river.ts';
import { loadDataset, parseColumnar, saveColumnar } from '../../src/learning/dataset.ts';
import { parseTrainConfig, type TrainConfig, trainerOptions } from '../../src/learning/train-config.ts';
import { Trainer } from '../../src/learning/trainer.ts';
import type { Transitions } from '../../src/learning/transitions.ts';

const base = {
  algorithm: 'h2o',
  environment: { kind: 'river-crossing', current: 1.2 },
  dataset: 'log.json',
  seeds: [0],
  budget: { updates: 10, chunk: 5, startSteps: 20, numEnvs: 2 },
  evaluation: { every: 5, episodes: 1 },
  options: { hidden: [8, 8], discriminatorHidden: [8, 8], realBatch: 8, simBatch: 8, discriminatorBatch: 8 },
};

// The dataset a config names must exist, relative to the config file.
const dir = mkdtempSync(path.join(tmpdir(), 'tether-cfg-'));
writeFileSync(path.join(dir, 'log.json'), '{}');
const parse = (config: object): TrainConfig =>
  parseTrainConfig(stringify(config), path.join(dir, 'cfg.yaml'), environmentPlugins);

describe('training configs', () => {
  it('rejects an unknown algorithm before anything runs, with its line', () => {
    expect(() => parse({ ...base, algorithm: 'ppo' })).toThrow(
      /cfg\.yaml:1:1: algorithm: expected one of "sac" \| "naive-mix" \| "h2o" \| "td3bc" \| "iql", got "ppo"/,
    );
  });

  it("checks the options against the algorithm's own schema, naming the key", () => {
    expect(() => parse({ ...base, options: { hiden: [8] } })).toThrow(/options: unknown key 'hiden'/);
    expect(() => parse({ ...base, algorithm: 'td3bc', options: { realBatch: 8 } })).toThrow(
      /options: unknown key 'realBatch'/,
    );
  });

  it("checks the environment's options with its plugin's schema", () => {
    expect(() => parse({ ...base, environment: { kind: 'river-crossing', curent: 1 } })).toThrow(
      /environment: unknown key 'curent'/,
    );
    expect(() => parse({ ...base, environment: { kind: 'lake' } })).toThrow(
      /environment\.kind: unknown environment 'lake' \(known: river-crossing, mujoco-gap, mujoco-rig, mujoco\)/,
    );
    expect(() =>
      parse({
        ...base,
        environment: { kind: 'mujoco-gap', model: 'cartpole', gap: 'gravity', task: 'flip' },
      }),
    ).toThrow(/environment\.task: model cartpole has no task 'flip' \(tasks: balance, swingup\)/);
  });

  it('rejects unknown top-level keys and requires an existing dataset for offline and hybrid algorithms', () => {
    expect(() => parse({ ...base, sedes: [1] })).toThrow(/unknown key 'sedes'/);
    const { dataset: _unused, ...noData } = base;
    expect(() => parse(noData)).toThrow(/dataset: algorithm h2o learns from a real log/);
    expect(() => parse({ ...noData, algorithm: 'sac', options: {} })).not.toThrow();
    expect(() => parse({ ...base, dataset: 'missing.json' })).toThrow(
      /dataset: no such file: .*missing\.json/,
    );
  });

  it('resolves every path against the config file', () => {
    const config = parse({ ...base, output: 'out/here' });
    expect(config.dataset).toBe(path.join(dir, 'log.json'));
    expect(config.output).toBe(path.join(dir, 'out/here'));
    expect(parse(base).output).toBe(path.join(dir, 'runs', 'cfg'));
  });

  it("fills the algorithm's defaults from its schema and keeps the options given", () => {
    const options = trainerOptions(parse(base), 3);
    expect(options.seed).toBe(3);
    expect(options.algorithm).toBe('h2o');
    if (options.algorithm !== 'h2o') return;
    expect(options.hyperparameters.hidden).toEqual([8, 8]);
    expect(options.hyperparameters.gamma).toBe(0.99);
    expect(options.hyperparameters.beta).toBe(0.01);
    expect(options.hyperparameters.importanceWeight).toBe(true);
    const naive = trainerOptions(parse({ ...base, algorithm: 'naive-mix', options: {} }), 0);
    expect(naive.hyperparameters).toMatchObject({ realBatch: 64, simBatch: 64, penalty: false });
  });
});

describe('real datasets', () => {
  const pair = riverPair({ ...riverDefaults, current: 1.2 });
  const small: Transitions = generateRiverLog(riverDefaults, {
    episodes: 2,
    headingNoise: 0.7,
    randomFraction: 0.2,
    seed: 1,
  });
  const options = trainerOptions(parse(base), 0);

  it('round-trips through the columnar file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-ds-'));
    const file = path.join(dir, 'log.json');
    await saveColumnar(file, small, 8);
    const loaded = await loadDataset(file);
    expect(loaded.size).toBe(120);
    expect(loaded.obs[5]).toBeCloseTo(small.obs[5]!, 7);
    expect(loaded.reward[17]).toBeCloseTo(small.reward[17]!, 7);
  });

  it('refuses a dataset whose shapes do not match the environment', async () => {
    const wrong = { ...small, obsSize: 3, obs: new Float64Array(small.size * 3) };
    await expect(Trainer.create(options, pair, wrong)).rejects.toThrow(
      /observations of size 3 .* the environment expects 2 and 2/,
    );
  });

  it('refuses an empty dataset', async () => {
    const empty = { ...small, size: 0 };
    await expect(Trainer.create(options, pair, empty)).rejects.toThrow(/is empty/);
  });

  it('refuses NaN rewards, naming the transition', async () => {
    const reward = small.reward.slice();
    reward[7] = Number.NaN;
    await expect(Trainer.create(options, pair, { ...small, reward })).rejects.toThrow(
      /reward of transition 7 is NaN/,
    );
    // JSON has no NaN; a null in the file is rejected the same way.
    const raw = JSON.parse(
      JSON.stringify({
        format: 'tether.transitions/1',
        observationSize: 2,
        actionSize: 2,
        size: 1,
        observations: [0, 0],
        actions: [0, 0],
        rewards: [null],
        nextObservations: [0, 0],
        terminated: [0],
      }),
    );
    await expect(Trainer.create(options, pair, parseColumnar(raw, 'x.json'))).rejects.toThrow(
      /reward of transition 0 is NaN/,
    );
  });

  it('names the file and the expected format for an unknown file type or format tag', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tether-ds-'));
    const csv = path.join(dir, 'log.csv');
    writeFileSync(csv, 'a,b\n');
    await expect(loadDataset(csv)).rejects.toThrow(/unknown format '\.csv', expected \.json/);
    expect(() => parseColumnar({ format: 'v0' }, 'old.json')).toThrow(/old\.json: format is "v0"/);
  });
});
