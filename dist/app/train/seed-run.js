// Compiled from app/train/seed-run.ts by `npm run build`: edit the source, not this file.

// app/train/seed-run.ts
import { mkdirSync } from "node:fs";
import path from "node:path";
import { cpuEngine } from "../../src/learning/cpu-engine.js";
import { readActorInit } from "../../src/learning/init.js";
import { trainerOptions } from "../../src/learning/train-config.js";
import { Trainer } from "../../src/learning/trainer.js";
import { environmentPairOf, realDatasetOf } from "./environments.js";
async function runSeed(config, seed, options = {}) {
  const engine = config.engine === "tfjs" ? await (await import("../../src/learning/tfjs-engine.js")).createTfjsEngine({
    native: true,
    log: (m) => process.stderr.write(`${m}
`)
  }) : cpuEngine;
  const pair = await environmentPairOf(config);
  const trainer = await Trainer.create(
    { ...trainerOptions(config, seed), engine },
    pair,
    await realDatasetOf(config, pair)
  );
  const dir = path.resolve(config.output, `seed-${seed}`);
  const checkpointFile = path.join(dir, "checkpoint.json");
  let resumed = false;
  if (options.resume) {
    try {
      await trainer.loadCheckpoint(checkpointFile);
      resumed = true;
    } catch (error) {
      if (error.code !== "ENOENT") throw error;
    }
  }
  let warmup = null;
  if (config.init !== void 0 && !resumed) {
    if (config.init.toLowerCase().endsWith(".onnx"))
      trainer.initializeActor(await readActorInit(config.init), config.finetune.initialStd);
    else await trainer.initializeFromCheckpoint(config.init);
    warmup = trainer.warmCritics(config.finetune.criticWarmup);
  }
  const initialReturn = config.init !== void 0 && !resumed ? trainer.evaluate() : null;
  let lastCheckpoint = trainer.updatesDone;
  let wrote = false;
  const started = performance.now();
  const startUpdates = trainer.updatesDone;
  while (!trainer.done) {
    trainer.runChunk();
    const seconds = (performance.now() - started) / 1e3;
    options.onProgress?.({
      seed,
      updates: trainer.updatesDone,
      total: config.budget.updates,
      lastReturn: trainer.history.at(-1)?.realReturn ?? null,
      updatesPerSecond: (trainer.updatesDone - startUpdates) / Math.max(seconds, 1e-9)
    });
    const every = config.checkpointEvery;
    if (every !== void 0 && (trainer.updatesDone - lastCheckpoint >= every || trainer.done)) {
      mkdirSync(dir, { recursive: true });
      await trainer.saveCheckpoint(checkpointFile);
      lastCheckpoint = trainer.updatesDone;
      wrote = true;
    }
  }
  await options.onFinished?.(trainer);
  const agent = trainer.hybridAgent;
  const finalReturn = trainer.history.at(-1)?.realReturn ?? trainer.evaluate();
  const finalW = agent !== null && agent.dSas !== null ? trainer.finalWeights() : null;
  trainer.dispose();
  return {
    seed,
    algorithm: config.algorithm,
    history: trainer.history,
    finalReturn,
    seconds: trainer.history.at(-1)?.seconds ?? 0,
    updates: trainer.updatesDone,
    diagnostics: agent !== null && agent.dSa !== null ? { ...agent.diagnostics } : null,
    finalW,
    checkpoint: wrote ? checkpointFile : null,
    initialReturn,
    warmup
  };
}
export {
  runSeed
};
