import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type RiverConfig, riverDefaults } from '../../sim/river/river.ts';
import { type H2oConfig, h2oDefaults, naiveMixDefaults, sacSimDefaults } from './h2o.ts';
import { type Td3BcConfig, td3bcDefaults } from './td3bc.ts';
import type { AlgorithmName, TrainerOptions } from './trainer.ts';

/**
 * The YAML of `tether train`: which algorithm, on which simulator/real pair, from which real log,
 * for which seeds and budget. Unknown keys anywhere are errors, reported with their path.
 */
const hidden = z.array(z.number().int().positive()).min(1);

const hybridOptions = z
  .object({
    hidden,
    gamma: z.number().gt(0).lte(1),
    tau: z.number().gt(0).lte(1),
    actorLr: z.number().positive(),
    criticLr: z.number().positive(),
    alphaLr: z.number().positive(),
    backupEntropy: z.boolean(),
    realBatch: z.number().int().min(0),
    simBatch: z.number().int().positive(),
    importanceWeight: z.boolean(),
    penalty: z.boolean(),
    uWeighting: z.boolean(),
    beta: z.number().min(0),
    uSamples: z.number().int().positive(),
    uNoiseScale: z.number().min(0),
    discriminatorHidden: hidden,
    discriminatorLr: z.number().positive(),
    discriminatorBatch: z.number().int().positive(),
    discriminatorNoise: z.number().min(0),
    rewardScale: z.number().positive(),
  })
  .partial()
  .strict();

const td3bcOptions = z
  .object({
    hidden,
    gamma: z.number().gt(0).lte(1),
    tau: z.number().gt(0).lte(1),
    actorLr: z.number().positive(),
    criticLr: z.number().positive(),
    batchSize: z.number().int().positive(),
    policyNoise: z.number().min(0),
    noiseClip: z.number().min(0),
    policyDelay: z.number().int().positive(),
    alpha: z.number().positive(),
    normalizeStates: z.boolean(),
    rewardScale: z.number().positive(),
  })
  .partial()
  .strict();

const riverEnvironment = z
  .object({
    kind: z.literal('river-crossing'),
    current: z.number().min(0),
    centerX: z.number(),
    centerY: z.number(),
    widthX: z.number().positive(),
    widthY: z.number().positive(),
    processNoise: z.number().min(0),
  })
  .partial({ current: true, centerX: true, centerY: true, widthX: true, widthY: true, processNoise: true })
  .strict();

const mujocoGapEnvironment = z
  .object({
    kind: z.literal('mujoco-gap'),
    model: z.string(),
    gap: z.enum(['gravity', 'friction', 'action-noise']),
    strength: z.number().min(0).optional(),
    task: z.string().optional(),
  })
  .strict();

export const trainConfigSchema = z
  .object({
    algorithm: z.enum(['sac', 'naive-mix', 'h2o', 'td3bc']),
    /** tfjs: TensorFlow.js, native when installed, else wasm SIMD; ts-cpu: plain TypeScript, Float64, no dependencies. */
    engine: z.enum(['tfjs', 'ts-cpu']).default('tfjs'),
    environment: z.discriminatedUnion('kind', [riverEnvironment, mujocoGapEnvironment]),
    /** Real log (columnar .json or .mcap), relative to the config file. Required except for sac. */
    dataset: z.string().optional(),
    seeds: z.array(z.number().int().min(0)).min(1).default([0]),
    budget: z
      .object({
        updates: z.number().int().positive(),
        chunk: z.number().int().positive().default(100),
        startSteps: z.number().int().min(0).default(1000),
        numEnvs: z.number().int().positive().default(4),
      })
      .strict(),
    evaluation: z
      .object({
        every: z.number().int().positive().default(1000),
        episodes: z.number().int().positive().default(10),
      })
      .strict()
      .default({ every: 1000, episodes: 10 }),
    options: z.record(z.string(), z.unknown()).default({}),
    /** Output folder for checkpoints, curves and the exported policy, relative to the working directory. */
    output: z.string().default('runs/train'),
    checkpointEvery: z.number().int().positive().optional(),
    workers: z.number().int().positive().default(2),
  })
  .strict();

export type TrainConfig = z.output<typeof trainConfigSchema> & { readonly baseDir: string };

export function parseTrainConfig(raw: unknown, source: string, baseDir: string): TrainConfig {
  const result = trainConfigSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${source}: ${issues}`);
  }
  const config = { ...result.data, baseDir };
  // Check the algorithm's own options now, so a typo fails before any training starts.
  algorithmConfigs(config, source);
  if (config.algorithm !== 'sac' && config.dataset === undefined) {
    throw new Error(
      `${source}: dataset: algorithm ${config.algorithm} learns from a real log; give its path`,
    );
  }
  return config;
}

export function loadTrainConfig(file: string): TrainConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`cannot read training config ${file}`);
  }
  return parseTrainConfig(parseYaml(text), file, path.dirname(path.resolve(file)));
}

export function algorithmConfigs(
  config: TrainConfig,
  source = 'config',
): { h2o: H2oConfig; td3bc: Td3BcConfig } {
  if (config.algorithm === 'td3bc') {
    const parsed = td3bcOptions.safeParse(config.options);
    if (!parsed.success) throw new Error(`${source}: options: ${formatIssues(parsed.error)}`);
    return { h2o: h2oDefaults, td3bc: { ...td3bcDefaults, ...stripUndefined(parsed.data) } };
  }
  const parsed = hybridOptions.safeParse(config.options);
  if (!parsed.success) throw new Error(`${source}: options: ${formatIssues(parsed.error)}`);
  const base = { sac: sacSimDefaults, 'naive-mix': naiveMixDefaults, h2o: h2oDefaults }[config.algorithm];
  const o = stripUndefined(parsed.data);
  const sacKeys = ['hidden', 'gamma', 'tau', 'actorLr', 'criticLr', 'alphaLr', 'backupEntropy'] as const;
  const sac = { ...base.sac };
  const rest: Record<string, unknown> = { ...o };
  for (const key of sacKeys) {
    if (key in o) (sac as Record<string, unknown>)[key] = o[key];
    delete rest[key];
  }
  return { h2o: { ...base, ...(rest as Partial<H2oConfig>), sac }, td3bc: td3bcDefaults };
}

export function trainerOptions(config: TrainConfig, seed: number): TrainerOptions {
  const { h2o, td3bc } = algorithmConfigs(config);
  return {
    algorithm: config.algorithm as AlgorithmName,
    seed,
    updates: config.budget.updates,
    chunk: config.budget.chunk,
    startSteps: config.budget.startSteps,
    numEnvs: config.budget.numEnvs,
    evalEvery: config.evaluation.every,
    evalEpisodes: config.evaluation.episodes,
    h2o,
    td3bc,
  };
}

export function riverConfigOf(config: TrainConfig): RiverConfig {
  if (config.environment.kind !== 'river-crossing') throw new Error('not a river-crossing config');
  const { kind: _kind, ...rest } = config.environment;
  return { ...riverDefaults, ...stripUndefined(rest) };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
