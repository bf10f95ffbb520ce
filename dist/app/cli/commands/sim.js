// Compiled from app/cli/commands/sim.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/sim.ts
import { envDefinition } from "../../../sim/envs/index.js";
import { MujocoEnv } from "../../../sim/envs/mujoco-env.js";
import { SimModel } from "../../../sim/model.js";
import { models } from "../../../sim/models/index.js";
var named = (signals) => signals.map((s) => `${s.name} [${s.unit}]`);
async function summarise(name, description, defaultRateHz) {
  const sim = await SimModel.load(name);
  const definition = envDefinition(name);
  const env = new MujocoEnv(sim, definition, { controlDt: 1 / defaultRateHz }, true);
  let pdActionSignals;
  try {
    const pd = new MujocoEnv(sim, definition, { controlDt: 1 / defaultRateHz, drive: { mode: "pd" } });
    pdActionSignals = named(pd.action.signals);
    pd.dispose();
  } catch {
  }
  try {
    return {
      name,
      description,
      tasks: [...definition.tasks],
      nq: sim.model.nq,
      nv: sim.model.nv,
      observation: env.observation.signals.length,
      action: env.action.signals.length,
      timestepMs: sim.timestep * 1e3,
      defaultRateHz,
      observationSignals: named(env.observation.signals),
      actionSignals: named(env.action.signals),
      ...pdActionSignals ? { pdActionSignals } : {}
    };
  } finally {
    env.dispose();
  }
}
function table(rows) {
  const header = ["model", "obs", "act", "nq", "nv", "dt (ms)", "rate (Hz)", "tasks", "description"];
  const cells = rows.map((r) => [
    r.name,
    String(r.observation),
    String(r.action),
    String(r.nq),
    String(r.nv),
    r.timestepMs.toFixed(1),
    String(r.defaultRateHz),
    r.tasks.join(","),
    r.description
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd();
  const signals = rows.flatMap((r) => [
    "",
    `${r.name}`,
    `  observation (${r.observation}): ${r.observationSignals.join(", ")}`,
    `  action, drive torque (${r.action}): ${r.actionSignals.join(", ")}`,
    ...r.pdActionSignals ? [`  action, drive pd (${r.pdActionSignals.length}): ${r.pdActionSignals.join(", ")}`] : []
  ]);
  return [line(header), ...cells.map(line), ...signals].join("\n");
}
function register(program) {
  const sim = program.command("sim").description("MuJoCo models and environments");
  sim.command("list").description(
    "list the built-in models: sizes, timestep, default rate and every observation and action signal"
  ).option("--json", "print JSON instead of a table").action(async (flags) => {
    const rows = [];
    for (const m of models) rows.push(await summarise(m.name, m.description, m.defaultRateHz));
    process.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}
` : `${table(rows)}
`);
  });
  sim.command("check").description("compile MJCF files and report MuJoCo errors with file and line").argument("<files...>", "MJCF (.xml) files").action(async (files) => {
    for (const file of files) {
      try {
        const model = await SimModel.fromFile(file);
        const m = model.model;
        process.stdout.write(
          `ok  ${file}  (nq ${m.nq}, nv ${m.nv}, nu ${m.nu}, timestep ${m.opt.timestep} s)
`
        );
        model.dispose();
      } catch (error) {
        process.stderr.write(`${error.message}
`);
        process.exitCode = 1;
      }
    }
  });
}
export {
  register
};
