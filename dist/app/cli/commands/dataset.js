// Compiled from app/cli/commands/dataset.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/dataset.ts
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  LeRobotError,
  readLeRobotDataset,
  recordedLeRobotTask,
  writeLeRobotDataset
} from "../../../src/learning/lerobot.js";
import {
  buildLogDataset,
  DatasetError,
  loadLogDataset,
  saveLogDataset
} from "../../../src/learning/log-dataset.js";
import { readLog } from "../../../src/logging/reader.js";
import { datasetTaskOf, taskSectionOfFile } from "../../loop/task.js";
function register(program) {
  const dataset = program.command("dataset").description("turn run logs into training datasets; export and import LeRobot datasets");
  dataset.command("build").description(
    "merge run logs (MCAP) into one transition dataset of a task, with provenance and a kept/dropped report"
  ).argument("<logs...>", "MCAP logs written by tether run --log or tether loop").option(
    "--task <config>",
    "the task: a training config (its environment:) or a run config with task:; default: the task each log's run config recorded"
  ).option("-o, --out <file>", "dataset file to write (columnar JSON)", "dataset.json").option("--min-transitions <n>", "drop episodes shorter than this (default 1)").action(async (files, flags) => {
    const logs = [];
    for (const file of files) logs.push(await readLog(file));
    let taskSource;
    if (flags.task !== void 0) taskSource = taskSectionOfFile(flags.task);
    else {
      const recorded = logs.map((log) => log.config?.task);
      const missing = logs.filter((_, i) => recorded[i] === void 0).map((l) => l.path);
      if (missing.length > 0)
        throw new DatasetError(
          `${missing.join(", ")}: the run config recorded no task (task: section); pass --task <training config>`
        );
      const differs = recorded.findIndex((t) => !isDeepStrictEqual(t, recorded[0]));
      if (differs > 0)
        throw new DatasetError(
          `${logs[differs].path} recorded another task than ${logs[0].path}; build one dataset per task`
        );
      const baseDir = logs[0].config.taskBaseDir;
      taskSource = {
        section: recorded[0],
        origin: {
          what: `${logs[0].path}: task`,
          baseDir: typeof baseDir === "string" ? baseDir : process.cwd()
        }
      };
    }
    const task = await datasetTaskOf(taskSource.section, taskSource.origin);
    const minTransitions = flags.minTransitions === void 0 ? void 0 : Number.parseInt(flags.minTransitions, 10);
    const built = buildLogDataset(logs, task, minTransitions === void 0 ? {} : { minTransitions });
    const out = path.resolve(flags.out ?? "dataset.json");
    await saveLogDataset(out, {
      ...built,
      meta: { ...built.meta, taskBaseDir: taskSource.origin.baseDir }
    });
    process.stdout.write(`${formatDatasetReport(built.report)}  written: ${out}
`);
  });
  dataset.command("info").description("print what a dataset holds, where its episodes came from and what was dropped").argument("<file>", "dataset written by tether dataset build").option("--json", "print the report and episodes as JSON").action(async (file, flags) => {
    const data = await loadLogDataset(file);
    if (flags.json) {
      process.stdout.write(
        `${JSON.stringify({ report: data.report, episodes: data.episodes }, null, 2)}
`
      );
      return;
    }
    const byController = /* @__PURE__ */ new Map();
    for (const e of data.episodes) {
      const key = e.controllers.join("+");
      const entry = byController.get(key) ?? { episodes: 0, sum: 0 };
      entry.episodes++;
      entry.sum += e.return;
      byController.set(key, entry);
    }
    const lines = [...byController].map(
      ([name, { episodes, sum }]) => `    ${name}: ${episodes} episodes, mean return ${(sum / episodes).toFixed(2)}`
    );
    process.stdout.write(`${formatDatasetReport(data.report)}  by controller:
${lines.join("\n")}
`);
  });
  dataset.command("export").description(
    "write a dataset as a LeRobotDataset v3 (parquet frames, meta/info.json, stats.json, tasks, episodes)"
  ).argument("<dataset>", "dataset written by tether dataset build").requiredOption("--format <format>", "lerobot: LeRobotDataset v3").requiredOption("-o, --out <dir>", "folder to write (new or empty)").option(
    "--task <config>",
    "the task (signal names, action map, rate): a training config or a run config with task:; default the task the dataset recorded"
  ).action(async (file, flags) => {
    checkFormat(flags.format);
    const data = await loadLogDataset(file);
    const { task, baseDir } = await taskFor(
      flags.task,
      { section: data.meta?.["task"], baseDir: data.meta?.["taskBaseDir"] },
      `${file}: meta.task`
    );
    const out = path.resolve(flags.out);
    const written = await writeLeRobotDataset(out, data, task, { taskBaseDir: baseDir });
    process.stdout.write(
      `lerobot v3: ${written.frames} frames in ${written.episodes} episodes at ${written.fps} fps (task ${task.name}; actions in robot units: ${task.actionMap.map((a) => `${a.name} [${a.unit}]`).join(", ")})
  written: ${out} (${written.files.join(", ")})
`
    );
  });
  dataset.command("import").description("read a LeRobotDataset v3 as a transition dataset of a task, for tether finetune --data").argument("<dir>", "the LeRobot dataset folder (holding meta/ and data/)").requiredOption("--format <format>", "lerobot: LeRobotDataset v3").option(
    "--task <config>",
    "the task its frames are an attempt at: a training config or a run config with task:; default the task a tether export recorded (meta/tether.json)"
  ).option("-o, --out <file>", "dataset file to write (columnar JSON)", "dataset.json").action(async (dir, flags) => {
    checkFormat(flags.format);
    const root = path.resolve(dir);
    const { task } = await taskFor(
      flags.task,
      await recordedLeRobotTask(root),
      `${dir}: meta/tether.json task`
    );
    const { dataset: data, summary: s } = await readLeRobotDataset(root, task);
    const out = path.resolve(flags.out ?? "dataset.json");
    await saveLogDataset(out, data);
    const dropped = s.droppedLastFrames > 0 ? `; ${s.droppedLastFrames} last frames without a successor dropped${s.droppedEpisodes > 0 ? ` (${s.droppedEpisodes} episodes left empty)` : ""}` : "";
    process.stdout.write(
      `lerobot v3: ${s.frames} frames in ${s.dataFiles} data file${s.dataFiles === 1 ? "" : "s"} → ${s.transitions} transitions in ${s.episodes} episodes${dropped}
  reward from ${s.reward}, terminal from ${s.terminal}, s′ from ${s.nextObservation}; ${s.provenance ? "episode provenance from meta/tether.json" : "no Tether provenance (episodes named by folder and index)"}
${formatDatasetReport(data.report)}  written: ${out}
`
    );
  });
}
function checkFormat(format) {
  if (format !== "lerobot") throw new LeRobotError(`--format: expected lerobot, got '${format}'`);
}
async function taskFor(config, recorded, where) {
  if (config !== void 0) {
    const { section: section2, origin } = taskSectionOfFile(config);
    return { task: await datasetTaskOf(section2, origin), baseDir: origin.baseDir };
  }
  const section = recorded?.section;
  if (typeof section !== "object" || section === null)
    throw new DatasetError(`${where}: no task section recorded; pass --task <training or run config>`);
  const baseDir = typeof recorded?.baseDir === "string" ? recorded.baseDir : process.cwd();
  try {
    return { task: await datasetTaskOf(section, { what: where, baseDir }), baseDir };
  } catch (error) {
    throw new DatasetError(
      `${error.message} (the recorded task, its paths relative to ${baseDir}; pass --task <training or run config>)`
    );
  }
}
function formatDatasetReport(r) {
  const ends = Object.entries(r.ends).filter(([, n]) => n > 0).map(([end, n]) => `${n} ${end}`).join(", ");
  const lines = [
    `task ${r.task}: ${r.transitions} transitions in ${r.episodes} episodes from ${r.logs.length} log${r.logs.length === 1 ? "" : "s"} (${r.ticks} ticks)`,
    `  episodes ended: ${ends || "none"}`,
    `  dropped: ${r.dropped.latchedTicks} latched ticks, ${r.dropped.afterTerminalTicks} ticks after a terminal state, ${r.dropped.nonFiniteTicks} non-finite, ${r.dropped.missingTicks} missing from the tick sequence, ${r.dropped.shortEpisodes} short episodes`,
    ...r.logs.map(
      (l) => `  ${l.log}: ${l.ticks} ticks → ${l.transitions} transitions, ${l.episodes} episodes${l.gaps > 0 ? `, ${l.gaps} gaps` : ""}${l.truncatedFile ? " (file truncated)" : ""}`
    )
  ];
  return `${lines.join("\n")}
`;
}
export {
  formatDatasetReport,
  register
};
