// Compiled from app/cli/commands/config.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/config.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadRigConfig } from "../../../hardware/rig/config.js";
import { ConfigDocument } from "../../../src/config/document.js";
import { loadRunConfig } from "../../../src/config/load.js";
import { loadTrainConfig } from "../../../src/learning/train-config.js";
import { checkRunConfig } from "../../../src/loop/assemble.js";
import { jsonSchemas } from "../../json-schema.js";
import { loadLoopConfig } from "../../loop/config.js";
import { environmentPlugins, plugins } from "../../plugins.js";
function register(program) {
  const config = program.command("config").description("check run, loop, training and rig configs and export their JSON Schema");
  config.command("check").description(
    "check configs exactly as the command that takes them would before moving anything, without opening any device: run configs (tether run), loop configs with the run, fine-tuning and rig configs they name (tether loop), training configs (tether train, finetune) and rig configs (tether rig); the kind is told by the top-level keys"
  ).argument("<files...>", "YAML configs").action(async (files) => {
    let failed = 0;
    for (const file of files) {
      try {
        process.stdout.write(`ok  ${file}  (${await checkConfigFile(file)})
`);
      } catch (error) {
        failed++;
        process.stderr.write(`${error.message}
`);
      }
    }
    if (failed > 0) process.exitCode = 1;
  });
  config.command("schema").description("write the JSON Schemas of run, train and rig configs and policy contracts (for editors)").option("--kind <kind>", `only one schema: ${Object.keys(jsonSchemas).join(", ")}`).option("-o, --out <file>", "output file of the one --kind (default: its file in configs/schema/)").action((flags) => {
    if (flags.kind !== void 0 && !(flags.kind in jsonSchemas)) {
      throw new Error(
        `--kind: expected one of ${Object.keys(jsonSchemas).join(", ")}, got '${flags.kind}'`
      );
    }
    if (flags.out !== void 0 && flags.kind === void 0) throw new Error("--out needs --kind");
    const kinds = flags.kind ? [flags.kind] : Object.keys(jsonSchemas);
    for (const kind of kinds) {
      const file = flags.out ?? jsonSchemas[kind].file;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(jsonSchemas[kind].build(), null, 2)}
`);
      process.stdout.write(`wrote ${file}
`);
    }
  });
}
function configKind(source) {
  const keys = typeof source === "object" && source !== null ? Object.keys(source) : [];
  if (keys.includes("finetune") && keys.includes("run")) return "loop";
  if (keys.includes("algorithm")) return "train";
  if (keys.includes("transport") && keys.includes("model") && !keys.includes("robot")) return "rig";
  return "run";
}
async function checkConfigFile(file) {
  const kind = configKind(ConfigDocument.read(file).source);
  if (kind === "rig") {
    const rig = loadRigConfig(file);
    const what = rig.task === void 0 ? rig.model : `${rig.model} ${rig.task}`;
    return `rig config: ${what} over ${rig.transport.kind}, ${rig.commandMode} commands`;
  }
  if (kind === "train") {
    const train = loadTrainConfig(file, environmentPlugins, { datasetGivenElsewhere: true });
    return `training config: ${train.algorithm} on ${train.environment.kind}, ${train.budget.updates} updates, seeds ${train.seeds.join(", ")}`;
  }
  if (kind === "loop") {
    const loop = loadLoopConfig(file);
    await checkRun(loop.run);
    if (loop.rig !== void 0) loadRigConfig(loop.rig);
    return `loop config: ${loop.rounds} rounds of ${loop.finetune.algorithm}; its run${loop.rig ? ", rig" : ""} and fine-tuning configs checked`;
  }
  return checkRun(file);
}
async function checkRun(file) {
  const c = loadRunConfig(file, plugins);
  const check = await checkRunConfig(c);
  const against = check.robot ? `checked against ${check.robot.name}` : `robot specs come from the ${c.robot.plugin.kind} robot when it connects: signal names and contracts are checked then`;
  return `${c.robot.plugin.kind} robot; controllers ${check.controllers.join(", ")}; ${c.loop.rateHz} Hz; ${against}`;
}
export {
  register
};
