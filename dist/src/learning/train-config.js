// Compiled from src/learning/train-config.ts by `npm run build`: edit the source, not this file.

// src/learning/train-config.ts
import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { ConfigDocument } from "../config/document.js";
import { algorithmNames, algorithms } from "./learner.js";
var engineNames = ["native", "tfjs", "ts-cpu"];
var trainFileSchema = z.object({
  algorithm: z.enum(algorithmNames),
  /**
   * native: C float32 SIMD compiled on this machine (falls back to tfjs, saying why, without a C
   * compiler); tfjs: TensorFlow.js, native when installed, else wasm SIMD; ts-cpu: plain
   * TypeScript, float64, no dependencies (the oracle the others are tested against).
   */
  engine: z.enum(engineNames).default("native"),
  /** The (simulator, real system) pair: `kind` names an environment plugin, the other keys are its options. */
  environment: z.looseObject({ kind: z.string() }),
  /**
   * Real data: one or several datasets (columnar .json, `tether dataset build` output, or run log
   * .mcap), relative to this file, joined in order. Required except for sac.
   */
  dataset: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
  /**
   * Start from a deployed policy instead of from scratch: its ONNX file (what runs on the robot)
   * or a training checkpoint (.json, any algorithm), relative to this file (fine-tuning).
   */
  init: z.string().optional(),
  /** How fine-tuning from `init` begins. */
  finetune: z.object({
    /** Critic-only updates on the real data (SAC: on the start steps) before the actor moves. */
    criticWarmup: z.number().int().min(0).default(1e3),
    /** Exploration σ of the stochastic actor at the start (SAC-based learners). */
    initialStd: z.number().positive().default(0.1)
  }).strict().default({ criticWarmup: 1e3, initialStd: 0.1 }),
  seeds: z.array(z.number().int().min(0)).min(1).default([0]),
  budget: z.object({
    /** Gradient updates per seed. */
    updates: z.number().int().positive(),
    /** Sim steps collected, then as many updates. */
    chunk: z.number().int().positive().default(100),
    /** Uniformly random sim steps before the first update. */
    startSteps: z.number().int().min(0).default(1e3),
    /** Simulator copies stepped in lockstep. */
    numEnvs: z.number().int().positive().default(4),
    /** Start steps act `uniform`ly at random, or with the `policy` as it is (fine-tuning). */
    startActions: z.enum(["uniform", "policy"]).default("uniform")
  }).strict(),
  /**
   * Where an online algorithm collects its experience: the pair's `simulator` (every sim-to-real
   * method), or its `real` system, which no user of a real robot can do at this rate: the
   * benchmarks' oracle, the ceiling the others are measured against.
   */
  onlineIn: z.enum(["simulator", "real"]).default("simulator"),
  evaluation: z.object({
    every: z.number().int().positive().default(1e3),
    episodes: z.number().int().positive().default(10)
  }).strict().default({ every: 1e3, episodes: 10 }),
  /** The algorithm's hyperparameters; each algorithm's schema names them and holds their defaults. */
  options: z.record(z.string(), z.unknown()).default({}),
  /** Folder for checkpoints, curves and exported policies, relative to this file; default `runs/<config name>` beside it. */
  output: z.string().optional(),
  checkpointEvery: z.number().int().positive().optional(),
  /** Seeds trained in parallel, one process each. */
  workers: z.number().int().positive().default(2),
  /**
   * Threads per seed sharing the native engine's large products. More than 1 pays only on idle
   * cores: beside other work a thread that waits for a CPU stalls every product it shares.
   */
  threads: z.number().int().positive().default(1)
}).strict();
function loadTrainConfig(file, environments, options = {}) {
  return checkTrainConfig(ConfigDocument.read(file), environments, options);
}
function parseTrainConfig(text, file, environments) {
  return checkTrainConfig(ConfigDocument.parse(text, file), environments);
}
function checkTrainConfig(doc, environments, loadOptions = {}) {
  const top = doc.validate(trainFileSchema, doc.source);
  if (top === void 0) {
    doc.throwIfProblems();
    throw new Error("unreachable: a failed validation records a problem");
  }
  const { kind, ...environmentOptions } = top.environment;
  const plugin = environments.find((p) => p.kind === kind);
  if (plugin === void 0) {
    doc.report(
      ["environment", "kind"],
      `unknown environment '${kind}' (known: ${environments.map((p) => p.kind).join(", ")})`
    );
  }
  const options = plugin && doc.validate(plugin.schema, environmentOptions, ["environment"]);
  const hyperparameters = doc.validate(algorithms[top.algorithm].hyperparameters, top.options, ["options"]);
  const listed = top.dataset === void 0 ? [] : typeof top.dataset === "string" ? [top.dataset] : top.dataset;
  const datasets = listed.map((file) => doc.resolvePath(file));
  if (datasets.length === 0 && algorithms[top.algorithm].usesRealLog && !loadOptions.datasetGivenElsewhere) {
    doc.report(["dataset"], `algorithm ${top.algorithm} learns from a real log; give its path`);
  }
  datasets.forEach((file, i) => {
    if (!loadOptions.datasetsMadeLater && !existsSync(file))
      doc.report(typeof top.dataset === "string" ? ["dataset"] : ["dataset", i], `no such file: ${file}`);
  });
  const init = top.init === void 0 ? void 0 : doc.resolvePath(top.init);
  if (init !== void 0 && !existsSync(init)) doc.report(["init"], `no such file: ${init}`);
  else if (init !== void 0 && !/\.(onnx|json)$/i.test(init))
    doc.report(["init"], `expected a deployed policy (.onnx) or a training checkpoint (.json), got ${init}`);
  doc.throwIfProblems();
  const {
    algorithm: _algorithm,
    environment: _environment,
    options: _options,
    dataset: _dataset,
    init: _init,
    ...rest
  } = top;
  const defaultOutput = path.join("runs", path.basename(doc.file, path.extname(doc.file)));
  return {
    ...rest,
    // The schema looked up by `algorithm` parsed these hyperparameters, so the two correspond.
    ...{ algorithm: top.algorithm, hyperparameters },
    file: path.resolve(doc.file),
    environment: { kind, options },
    dataset: datasets[0],
    datasets,
    init,
    output: doc.resolvePath(top.output ?? defaultOutput)
  };
}
function trainerOptions(config, seed) {
  return {
    ...{ algorithm: config.algorithm, hyperparameters: config.hyperparameters },
    seed,
    updates: config.budget.updates,
    chunk: config.budget.chunk,
    startSteps: config.budget.startSteps,
    numEnvs: config.budget.numEnvs,
    startActions: config.budget.startActions,
    onlineIn: config.onlineIn,
    evalEvery: config.evaluation.every,
    evalEpisodes: config.evaluation.episodes
  };
}
export {
  engineNames,
  loadTrainConfig,
  parseTrainConfig,
  trainFileSchema,
  trainerOptions
};
