// Compiled from app/cli/commands/finetune.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/finetune.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadTrainConfig } from "../../../src/learning/train-config.js";
import { environmentPlugins } from "../../plugins.js";
import { runJobs } from "../../train/parallel.js";
function register(program) {
  program.command("finetune").description(
    "fine-tune a deployed policy on real datasets with the simulator online (the config's algorithm: h2o, naive-mix, td3bc, iql)"
  ).argument(
    "<config>",
    "training config: environment (simulator and task), algorithm and its options, budget"
  ).requiredOption("--data <datasets...>", "real datasets (tether dataset build output, or .mcap logs)").option(
    "--init <policy>",
    "the deployed policy's ONNX file, or a training checkpoint (.json); default the config's init"
  ).option("--updates <n>", "gradient updates, overriding the config").option(
    "--warmup <n>",
    "critic-only updates on the real data before the actor moves, overriding the config"
  ).option("--seed <n>", "seed (default the config's first)").option("--out <dir>", "output folder, overriding the config").action(async (file, flags) => {
    const loaded = loadTrainConfig(file, environmentPlugins, { datasetGivenElsewhere: true });
    const int = (text, flag) => {
      if (text === void 0) return void 0;
      const n = Number(text);
      if (!Number.isInteger(n) || n < 0)
        throw new Error(`${flag}: expected a non-negative integer, got '${text}'`);
      return n;
    };
    const datasets = (flags.data ?? []).map((d) => path.resolve(d));
    const init = flags.init === void 0 ? loaded.init : path.resolve(flags.init);
    if (init === void 0)
      throw new Error("--init: give the deployed policy (.onnx) or a checkpoint (.json) to start from");
    if (loaded.algorithm === "sac")
      throw new Error(
        `${file}: algorithm sac learns from the simulator alone; fine-tuning on real data needs h2o, naive-mix, td3bc or iql`
      );
    const updates = int(flags.updates, "--updates");
    const warmup = int(flags.warmup, "--warmup");
    const seed = int(flags.seed, "--seed") ?? loaded.seeds[0];
    const config = {
      ...loaded,
      dataset: datasets[0],
      datasets,
      init,
      seeds: [seed],
      ...updates ? { budget: { ...loaded.budget, updates } } : {},
      ...warmup !== void 0 ? { finetune: { ...loaded.finetune, criticWarmup: warmup } } : {},
      ...flags.out ? { output: path.resolve(flags.out) } : {}
    };
    mkdirSync(config.output, { recursive: true });
    const exportDir = path.join(config.output, "candidate");
    const [result] = await runJobs([{ config, seed, exportDir }], 1, (_job, p) => {
      if (process.stderr.isTTY)
        process.stderr.write(`\r${config.algorithm}: ${p.updates}/${p.total} updates`);
    });
    if (process.stderr.isTTY) process.stderr.write("\n");
    const r = result.result;
    const summary = {
      config: path.resolve(file),
      algorithm: config.algorithm,
      init,
      datasets,
      seed,
      updates: r.updates,
      warmup: r.warmup,
      standIn: { initialReturn: r.initialReturn, finalReturn: r.finalReturn, history: r.history },
      candidate: exportDir
    };
    writeFileSync(path.join(config.output, "finetune.json"), `${JSON.stringify(summary, null, 2)}
`);
    process.stdout.write(
      `${config.algorithm}: fine-tuned ${path.basename(init)} for ${r.updates} updates on ${datasets.length} dataset(s); stand-in return ${r.initialReturn?.toFixed(2) ?? "-"} → ${r.finalReturn.toFixed(2)}; candidate in ${exportDir}
`
    );
  });
}
export {
  register
};
