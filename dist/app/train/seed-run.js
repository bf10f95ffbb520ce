// Compiled from app/train/seed-run.ts by `npm run build`: edit the source, not this file.

// app/train/seed-run.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { cpuEngine } from "../../src/learning/cpu-engine.js";
import { readActorInit } from "../../src/learning/init.js";
import { createNativeEngine, NativeEngineUnavailable } from "../../src/learning/native-engine.js";
import { trainerOptions } from "../../src/learning/train-config.js";
import { Trainer } from "../../src/learning/trainer.js";
import { environmentPairOf, realDatasetOf } from "./environments.js";
import { TrainMetricsLog } from "./metrics-log.js";
import { learningCurvesSvg } from "./plots.js";
async function engineOf(name, threads) {
  const log = (message) => process.stderr.write(`${message}
`);
  if (name === "ts-cpu") return cpuEngine;
  if (name === "native") {
    try {
      return createNativeEngine({ log, threads });
    } catch (error) {
      if (!(error instanceof NativeEngineUnavailable)) throw error;
      log(`${error.message}; training on tfjs instead`);
    }
  }
  return (await import("../../src/learning/tfjs-engine.js")).createTfjsEngine({ native: true, log });
}
function curvesSvg(title, history) {
  const points = history.map((p) => [p.updates, p.realReturn, 0]);
  return learningCurvesSvg(title, "real return", [{ label: "real return", color: "#1f77b4", points }]);
}
async function runSeed(config, seed, options = {}) {
  const engine = await engineOf(config.engine, config.threads);
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
  mkdirSync(dir, { recursive: true });
  const metrics = await TrainMetricsLog.create(
    path.join(dir, "metrics.mcap"),
    { algorithm: config.algorithm, seed: String(seed), engine: engine.name, environment: pair.name },
    trainer.history
  );
  let logged = trainer.history.length;
  const curveFile = path.join(dir, "curves.svg");
  try {
    while (!trainer.done) {
      trainer.runChunk();
      if (trainer.history.length > logged) {
        for (const point of trainer.history.slice(logged)) await metrics.add(point);
        logged = trainer.history.length;
        writeFileSync(
          curveFile,
          curvesSvg(`${config.algorithm}, seed ${seed} (${pair.name})`, trainer.history)
        );
      }
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
    warmup
  };
}
export {
  runSeed
};
