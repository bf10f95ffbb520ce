// Compiled from app/cli/commands/train.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/train.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { POLICY_NAME } from "../../../src/learning/deployment.js";
import {
  engineNames,
  loadTrainConfig,
  trainerOptions
} from "../../../src/learning/train-config.js";
import { Trainer } from "../../../src/learning/trainer.js";
import { environmentPlugins } from "../../plugins.js";
import { environmentPairOf, realDatasetOf } from "../../train/environments.js";
import { runJobs } from "../../train/parallel.js";
function register(program) {
  program.command("train").description(
    "train a policy (sac, td3bc, iql, naive-mix, h2o) from a training config; one process per seed"
  ).argument("<config>", "training YAML (see configs/train/)").option("--resume", "continue each seed from its last checkpoint in the output folder").option("--seeds <list>", "comma-separated seeds, overriding the config").option(
    "--updates <n>",
    "gradient updates per seed, overriding the config",
    (v) => Number.parseInt(v, 10)
  ).option("--workers <n>", "parallel seed processes, overriding the config", (v) => Number.parseInt(v, 10)).option("--out <dir>", "output folder, overriding the config").option("--engine <name>", `training engine (${engineNames.join(", ")}), overriding the config`).action(async (file, flags) => {
    const loaded = loadTrainConfig(file, environmentPlugins);
    const config = {
      ...loaded,
      ...flags.seeds ? { seeds: parseSeeds(flags.seeds) } : {},
      ...flags.updates ? { budget: { ...loaded.budget, updates: positive(flags.updates, "--updates") } } : {},
      ...flags.workers ? { workers: positive(flags.workers, "--workers") } : {},
      ...flags.engine ? { engine: engineName(flags.engine) } : {},
      // A path given on the command line is relative to the working directory, like any argument.
      ...flags.out ? { output: path.resolve(flags.out) } : {}
    };
    const pair = await environmentPairOf(config);
    const probe = await Trainer.create(
      trainerOptions(config, config.seeds[0]),
      pair,
      await realDatasetOf(config, pair)
    );
    probe.dispose();
    mkdirSync(config.output, { recursive: true });
    const jobs = config.seeds.map((seed) => ({
      config,
      seed,
      resume: flags.resume === true,
      exportDir: path.join(config.output, `seed-${seed}`)
    }));
    const bar = new ProgressBar(config.seeds.length * config.budget.updates, config.algorithm);
    const results = await runJobs(jobs, config.workers, (job, progress) => bar.update(job.seed, progress));
    bar.finish();
    const finals = results.map((r) => r.result.finalReturn);
    const mean = finals.reduce((a, b) => a + b, 0) / finals.length;
    const std = Math.sqrt(finals.reduce((a, b) => a + (b - mean) ** 2, 0) / finals.length);
    const summary = {
      config: path.resolve(file),
      algorithm: config.algorithm,
      seeds: results.map((r) => ({
        seed: r.result.seed,
        engine: r.result.engine,
        finalReturn: r.result.finalReturn,
        seconds: r.result.seconds,
        history: r.result.history,
        diagnostics: r.result.diagnostics,
        // H2O: the final discriminators' w over every sim transition, inside vs outside the gap.
        finalW: r.result.finalW,
        policy: path.join(config.output, `seed-${r.result.seed}`, `${POLICY_NAME}.onnx`),
        contract: path.join(config.output, `seed-${r.result.seed}`, `${POLICY_NAME}.contract.yaml`)
      })),
      meanReturn: mean,
      stdReturn: std
    };
    writeFileSync(path.join(config.output, "summary.json"), `${JSON.stringify(summary, null, 2)}
`);
    process.stdout.write(
      `${config.algorithm}: real return ${mean.toFixed(2)} ± ${std.toFixed(2)} over ${finals.length} seed(s); policies and summary in ${config.output}
`
    );
  });
}
function engineName(text) {
  const name = engineNames.find((n) => n === text);
  if (name === void 0)
    throw new Error(`--engine: expected one of ${engineNames.join(", ")}, got '${text}'`);
  return name;
}
function parseSeeds(text) {
  const seeds = text.split(",").map((s) => Number(s.trim()));
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    throw new Error(`--seeds: expected comma-separated non-negative integers, got '${text}'`);
  }
  return seeds;
}
function positive(value, flag) {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${flag}: expected a positive integer, got ${value}`);
  return value;
}
var ProgressBar = class {
  constructor(total, label) {
    this.total = total;
    this.label = label;
  }
  total;
  label;
  perSeed = /* @__PURE__ */ new Map();
  started = performance.now();
  lastDraw = 0;
  update(seed, progress) {
    this.perSeed.set(seed, progress);
    const now = performance.now();
    if (now - this.lastDraw < (process.stderr.isTTY ? 250 : 5e3)) return;
    this.lastDraw = now;
    this.draw();
  }
  finish() {
    this.draw();
    process.stderr.write("\n");
  }
  draw() {
    let done = 0;
    let rate = 0;
    let lastReturn = null;
    for (const p of this.perSeed.values()) {
      done += p.updates;
      if (p.updates < p.total) rate += p.updatesPerSecond;
      if (p.lastReturn !== null) lastReturn = p.lastReturn;
    }
    const elapsed = (performance.now() - this.started) / 1e3;
    const overall = done / Math.max(elapsed, 1e-9);
    const eta = overall > 0 ? (this.total - done) / overall : Number.NaN;
    const width = 30;
    const filled = Math.round(width * done / this.total);
    const line = `${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${this.total} updates, ${rate.toFixed(0)} upd/s, last eval ${lastReturn === null ? "-" : lastReturn.toFixed(2)}, ETA ${Number.isFinite(eta) ? `${Math.round(eta)} s` : "-"}`;
    process.stderr.write(process.stderr.isTTY ? `\r${line}` : `${line}
`);
  }
};
export {
  register
};
