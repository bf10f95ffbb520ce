// Compiled from app/cli/commands/learner.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/learner.ts
import path from "node:path";
import { loadRunConfig } from "../../../src/config/load.js";
import { loadLoopConfig } from "../../loop/config.js";
import { FleetLearner } from "../../loop/fleet.js";
import { plugins } from "../../plugins.js";
function register(program) {
  program.command("learner").description(
    "the learner of a fleet: takes every rig's episodes from the broker, fine-tunes, publishes candidates (docs/closed-loop.md)"
  ).argument("<config>", "loop config with learner.broker (the same file the rigs run)").option("--dir <dir>", "spool and candidates (default <output>/learner)").action(async (file, flags) => {
    const loop = loadLoopConfig(file);
    const broker = loop.learner.broker;
    if (broker === void 0)
      throw new Error(`${file}: learner.broker is not set; the loop learns beside the rig`);
    const run = loadRunConfig(loop.run, plugins);
    const entry = run.controllers.find((c) => c.name === (loop.policy ?? run.switching.initial));
    const options = entry?.options;
    if (entry?.plugin.kind !== "policy" || options?.contract === void 0)
      throw new Error(`${loop.run}: the deployed controller is not a policy`);
    const contract = path.resolve(run.baseDir, options.contract);
    const { parse } = await import("yaml");
    const { readFileSync } = await import("node:fs");
    const model = options.model ? path.resolve(run.baseDir, options.model) : path.resolve(
      path.dirname(contract),
      parse(readFileSync(contract, "utf8")).model
    );
    const learner = new FleetLearner({
      broker: {
        url: broker.url,
        prefix: broker.prefix,
        fleet: broker.fleet,
        username: broker.username,
        password: broker.passwordEnv ? process.env[broker.passwordEnv] : void 0
      },
      config: loop.finetune,
      initial: model,
      dir: flags.dir ? path.resolve(flags.dir) : path.join(loop.output, "learner"),
      batch: broker.batch,
      updates: loop.learner.updates,
      seed: loop.learner.seed,
      log: (line) => process.stderr.write(`${line}
`)
    });
    await learner.start();
    await new Promise((done) => {
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await learner.close();
    process.stdout.write(
      `learner: ${learner.spool.episodes.length} episodes spooled (${learner.duplicates} redeliveries ignored), ${learner.candidates.length} candidates this run
`
    );
  });
}
export {
  register
};
