import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuEngine } from '../../src/learning/cpu-engine.ts';
import type { Engine } from '../../src/learning/engine.ts';
import type { GapDiagnostics } from '../../src/learning/h2o.ts';
import { readActorInit } from '../../src/learning/init.ts';
import { createNativeEngine, NativeEngineUnavailable } from '../../src/learning/native-engine.ts';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import { trainerOptions } from '../../src/learning/train-config.ts';
import { type EvalPoint, Trainer } from '../../src/learning/trainer.ts';
import { environmentPairOf, realDatasetOf } from './environments.ts';
import { TrainMetricsLog } from './metrics-log.ts';
import { learningCurvesSvg } from './plots.ts';

/** What one seed of one config produces. */
export interface SeedResult {
  seed: number;
  algorithm: string;
  /** The engine that trained it (a `native` config may have fallen back to tfjs). */
  engine: string;
  history: EvalPoint[];
  finalReturn: number;
  seconds: number;
  updates: number;
  /** Running w/u sums on sim batch samples over the whole run (includes the untrained start). */
  diagnostics: GapDiagnostics | null;
  /** Mean w of the final discriminators over every sim transition collected, inside vs outside the gap. */
  finalW: { inside: number; outside: number; countInside: number; countOutside: number } | null;
  /** Path of the last checkpoint, if checkpoints were written. */
  checkpoint: string | null;
  /** Fine-tuning: the deployed policy's return on the real system before any update, and the critic warm-up's last statistics. */
  initialReturn: number | null;
  warmup: Record<string, number> | null;
}

export interface SeedProgress {
  seed: number;
  updates: number;
  total: number;
  lastReturn: number | null;
  updatesPerSecond: number;
}

export interface SeedRunOptions {
  readonly resume?: boolean;
  readonly onProgress?: (progress: SeedProgress) => void;
  /** Called with the trained Trainer before it is discarded (exports, w maps). */
  readonly onFinished?: (trainer: Trainer) => void | Promise<void>;
}

/**
 * The training engine a config names. `native` falls back to tfjs (tfjs-node when installed, else
 * wasm SIMD) when this machine cannot build it, and says so.
 */
async function engineOf(name: TrainConfig['engine'], threads: number): Promise<Engine> {
  const log = (message: string) => process.stderr.write(`${message}\n`);
  if (name === 'ts-cpu') return cpuEngine;
  if (name === 'native') {
    try {
      return createNativeEngine({ log, threads });
    } catch (error) {
      if (!(error instanceof NativeEngineUnavailable)) throw error;
      log(`${error.message}; training on tfjs instead`);
    }
  }
  return (await import('../../src/learning/tfjs-engine.ts')).createTfjsEngine({ native: true, log });
}

/** The real return, evaluation by evaluation. */
function curvesSvg(title: string, history: readonly EvalPoint[]): string {
  const points = history.map((p) => [p.updates, p.realReturn, 0] as const);
  return learningCurvesSvg(title, 'real return', [{ label: 'real return', color: '#1f77b4', points }]);
}

/** Trains one seed: periodic evaluation, checkpoints every `checkpointEvery` updates, optional resume. */
export async function runSeed(
  config: TrainConfig,
  seed: number,
  options: SeedRunOptions = {},
): Promise<SeedResult> {
  const engine = await engineOf(config.engine, config.threads);
  const pair = await environmentPairOf(config);
  const trainer = await Trainer.create(
    { ...trainerOptions(config, seed), engine },
    pair,
    await realDatasetOf(config, pair),
  );
  const dir = path.resolve(config.output, `seed-${seed}`);
  const checkpointFile = path.join(dir, 'checkpoint.json');
  let resumed = false;
  if (options.resume) {
    try {
      await trainer.loadCheckpoint(checkpointFile);
      resumed = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  let warmup: Record<string, number> | null = null;
  if (config.init !== undefined && !resumed) {
    if (config.init.toLowerCase().endsWith('.onnx'))
      trainer.initializeActor(await readActorInit(config.init), config.finetune.initialStd);
    else await trainer.initializeFromCheckpoint(config.init);
    warmup = trainer.warmCritics(config.finetune.criticWarmup);
  }
  const initialReturn = config.init !== undefined && !resumed ? trainer.evaluate() : null;
  let lastCheckpoint = trainer.updatesDone;
  let wrote = false;
  const started = performance.now();
  const startUpdates = trainer.updatesDone;
  // What a user watches while it trains: every evaluation in metrics.mcap (Foxglove) and the
  // real-return curve in curves.svg, both written as the run goes.
  mkdirSync(dir, { recursive: true });
  const metrics = await TrainMetricsLog.create(
    path.join(dir, 'metrics.mcap'),
    { algorithm: config.algorithm, seed: String(seed), engine: engine.name, environment: pair.name },
    trainer.history,
  );
  let logged = trainer.history.length;
  const curveFile = path.join(dir, 'curves.svg');
  try {
    while (!trainer.done) {
      trainer.runChunk();
      if (trainer.history.length > logged) {
        for (const point of trainer.history.slice(logged)) await metrics.add(point);
        logged = trainer.history.length;
        writeFileSync(
          curveFile,
          curvesSvg(`${config.algorithm}, seed ${seed} (${pair.name})`, trainer.history),
        );
      }
      const seconds = (performance.now() - started) / 1000;
      options.onProgress?.({
        seed,
        updates: trainer.updatesDone,
        total: config.budget.updates,
        lastReturn: trainer.history.at(-1)?.realReturn ?? null,
        updatesPerSecond: (trainer.updatesDone - startUpdates) / Math.max(seconds, 1e-9),
      });
      const every = config.checkpointEvery;
      if (every !== undefined && (trainer.updatesDone - lastCheckpoint >= every || trainer.done)) {
        await trainer.saveCheckpoint(checkpointFile);
        lastCheckpoint = trainer.updatesDone;
        wrote = true;
      }
    }
  } finally {
    await metrics.close();
  }
  await options.onFinished?.(trainer);
  const agent = trainer.hybridAgent;
  const finalReturn = trainer.history.at(-1)?.realReturn ?? trainer.evaluate();
  const finalW = agent !== null && agent.dSas !== null ? trainer.finalWeights() : null;
  trainer.dispose();
  return {
    seed,
    algorithm: config.algorithm,
    engine: engine.name,
    history: trainer.history,
    finalReturn,
    seconds: trainer.history.at(-1)?.seconds ?? 0,
    updates: trainer.updatesDone,
    diagnostics: agent !== null && agent.dSa !== null ? { ...agent.diagnostics } : null,
    finalW,
    checkpoint: wrote ? checkpointFile : null,
    initialReturn,
    warmup,
  };
}
