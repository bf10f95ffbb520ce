// Compiled from app/cli/commands/config.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/config.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadRunConfig } from "../../../src/config/load.js";
import { checkRunConfig } from "../../../src/loop/assemble.js";
import { jsonSchemas } from "../../json-schema.js";
import { plugins } from "../../plugins.js";
function register(program) {
  const config = program.command("config").description("check run configs and export their JSON Schema");
  config.command("check").description(
    "check run configs exactly as `tether run` would before moving anything, without opening any device"
  ).argument("<files...>", "YAML run configs").action(async (files) => {
    let failed = 0;
    for (const file of files) {
      try {
        const c = loadRunConfig(file, plugins);
        const check = await checkRunConfig(c);
        const against = check.robot ? `checked against ${check.robot.name}` : `robot specs come from the ${c.robot.plugin.kind} robot when it connects: signal names and contracts are checked then`;
        process.stdout.write(
          `ok  ${file}  (${c.robot.plugin.kind} robot; controllers ${check.controllers.join(", ")}; ${c.loop.rateHz} Hz; ${against})
`
        );
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
export {
  register
};
