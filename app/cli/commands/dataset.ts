import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import {
  LeRobotError,
  readLeRobotDataset,
  recordedLeRobotTask,
  writeLeRobotDataset,
} from '../../../src/learning/lerobot.ts';
import {
  buildLogDataset,
  DatasetError,
  type DatasetReport,
  type DatasetTask,
  loadLogDataset,
  saveLogDataset,
} from '../../../src/learning/log-dataset.ts';
import { readLog } from '../../../src/logging/reader.ts';
import { datasetTaskOf, taskSectionOfFile } from '../../loop/task.ts';

interface BuildFlags {
  task?: string;
  out?: string;
  minTransitions?: string;
}

export function register(program: Command): void {
  const dataset = program
    .command('dataset')
    .description('turn run logs into training datasets; export and import LeRobot datasets');
  dataset
    .command('build')
    .description(
      'merge run logs (MCAP) into one transition dataset of a task, with provenance and a kept/dropped report',
    )
    .argument('<logs...>', 'MCAP logs written by tether run --log or tether loop')
    .option(
      '--task <config>',
      "the task: a training config (its environment:) or a run config with task:; default: the task each log's run config recorded",
    )
    .option('-o, --out <file>', 'dataset file to write (columnar JSON)', 'dataset.json')
    .option('--min-transitions <n>', 'drop episodes shorter than this (default 1)')
    .action(async (files: string[], flags: BuildFlags) => {
      const logs = [];
      for (const file of files) logs.push(await readLog(file));
      let taskSource: { section: unknown; origin: { what: string; baseDir: string } };
      if (flags.task !== undefined) taskSource = taskSectionOfFile(flags.task);
      else {
        const recorded = logs.map((log) => (log.config as { task?: unknown } | undefined)?.task);
        const missing = logs.filter((_, i) => recorded[i] === undefined).map((l) => l.path);
        if (missing.length > 0)
          throw new DatasetError(
            `${missing.join(', ')}: the run config recorded no task (task: section); pass --task <training config>`,
          );
        const differs = recorded.findIndex((t) => !isDeepStrictEqual(t, recorded[0]));
        if (differs > 0)
          throw new DatasetError(
            `${logs[differs]!.path} recorded another task than ${logs[0]!.path}; build one dataset per task`,
          );
        // Relative paths in a recorded task resolve against the folder the loop recorded with it
        // (taskBaseDir), else against the working directory.
        const baseDir = (logs[0]!.config as { taskBaseDir?: unknown }).taskBaseDir;
        taskSource = {
          section: recorded[0],
          origin: {
            what: `${logs[0]!.path}: task`,
            baseDir: typeof baseDir === 'string' ? baseDir : process.cwd(),
          },
        };
      }
      const task = await datasetTaskOf(taskSource.section, taskSource.origin);
      const minTransitions =
        flags.minTransitions === undefined ? undefined : Number.parseInt(flags.minTransitions, 10);
      const built = buildLogDataset(logs, task, minTransitions === undefined ? {} : { minTransitions });
      const out = path.resolve(flags.out ?? 'dataset.json');
      // The task's relative paths resolve against this folder when the dataset is exported later.
      await saveLogDataset(out, {
        ...built,
        meta: { ...built.meta, taskBaseDir: taskSource.origin.baseDir },
      });
      process.stdout.write(`${formatDatasetReport(built.report)}  written: ${out}\n`);
    });
  dataset
    .command('info')
    .description('print what a dataset holds, where its episodes came from and what was dropped')
    .argument('<file>', 'dataset written by tether dataset build')
    .option('--json', 'print the report and episodes as JSON')
    .action(async (file: string, flags: { json?: boolean }) => {
      const data = await loadLogDataset(file);
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ report: data.report, episodes: data.episodes }, null, 2)}\n`,
        );
        return;
      }
      const byController = new Map<string, { episodes: number; sum: number }>();
      for (const e of data.episodes) {
        const key = e.controllers.join('+');
        const entry = byController.get(key) ?? { episodes: 0, sum: 0 };
        entry.episodes++;
        entry.sum += e.return;
        byController.set(key, entry);
      }
      const lines = [...byController].map(
        ([name, { episodes, sum }]) =>
          `    ${name}: ${episodes} episodes, mean return ${(sum / episodes).toFixed(2)}`,
      );
      process.stdout.write(`${formatDatasetReport(data.report)}  by controller:\n${lines.join('\n')}\n`);
    });
  dataset
    .command('export')
    .description(
      'write a dataset as a LeRobotDataset v3 (parquet frames, meta/info.json, stats.json, tasks, episodes)',
    )
    .argument('<dataset>', 'dataset written by tether dataset build')
    .requiredOption('--format <format>', 'lerobot: LeRobotDataset v3')
    .requiredOption('-o, --out <dir>', 'folder to write (new or empty)')
    .option(
      '--task <config>',
      'the task (signal names, action map, rate): a training config or a run config with task:; default the task the dataset recorded',
    )
    .action(async (file: string, flags: FormatFlags & { out: string }) => {
      checkFormat(flags.format);
      const data = await loadLogDataset(file);
      const { task, baseDir } = await taskFor(
        flags.task,
        { section: data.meta?.['task'], baseDir: data.meta?.['taskBaseDir'] },
        `${file}: meta.task`,
      );
      const out = path.resolve(flags.out);
      const written = await writeLeRobotDataset(out, data, task, { taskBaseDir: baseDir });
      process.stdout.write(
        `lerobot v3: ${written.frames} frames in ${written.episodes} episodes at ${written.fps} fps ` +
          `(task ${task.name}; actions in robot units: ${task.actionMap.map((a) => `${a.name} [${a.unit}]`).join(', ')})\n` +
          `  written: ${out} (${written.files.join(', ')})\n`,
      );
    });
  dataset
    .command('import')
    .description('read a LeRobotDataset v3 as a transition dataset of a task, for tether finetune --data')
    .argument('<dir>', 'the LeRobot dataset folder (holding meta/ and data/)')
    .requiredOption('--format <format>', 'lerobot: LeRobotDataset v3')
    .option(
      '--task <config>',
      'the task its frames are an attempt at: a training config or a run config with task:; default the task a tether export recorded (meta/tether.json)',
    )
    .option('-o, --out <file>', 'dataset file to write (columnar JSON)', 'dataset.json')
    .action(async (dir: string, flags: FormatFlags & { out?: string }) => {
      checkFormat(flags.format);
      const root = path.resolve(dir);
      const { task } = await taskFor(
        flags.task,
        await recordedLeRobotTask(root),
        `${dir}: meta/tether.json task`,
      );
      const { dataset: data, summary: s } = await readLeRobotDataset(root, task);
      const out = path.resolve(flags.out ?? 'dataset.json');
      await saveLogDataset(out, data);
      const dropped =
        s.droppedLastFrames > 0
          ? `; ${s.droppedLastFrames} last frames without a successor dropped${s.droppedEpisodes > 0 ? ` (${s.droppedEpisodes} episodes left empty)` : ''}`
          : '';
      process.stdout.write(
        `lerobot v3: ${s.frames} frames in ${s.dataFiles} data file${s.dataFiles === 1 ? '' : 's'} → ${s.transitions} transitions in ${s.episodes} episodes${dropped}\n` +
          `  reward from ${s.reward}, terminal from ${s.terminal}, s′ from ${s.nextObservation}; ` +
          `${s.provenance ? 'episode provenance from meta/tether.json' : 'no Tether provenance (episodes named by folder and index)'}\n` +
          `${formatDatasetReport(data.report)}  written: ${out}\n`,
      );
    });
}

interface FormatFlags {
  format: string;
  task?: string;
}

function checkFormat(format: string): void {
  if (format !== 'lerobot') throw new LeRobotError(`--format: expected lerobot, got '${format}'`);
}

/** The task of `--task <config>`, else the task section a dataset recorded. */
/** The task of `--task <config>`, else the task section a dataset recorded (and the folder its paths resolve against). */
async function taskFor(
  config: string | undefined,
  recorded: { section: unknown; baseDir: unknown } | undefined,
  where: string,
): Promise<{ task: DatasetTask; baseDir: string }> {
  if (config !== undefined) {
    const { section, origin } = taskSectionOfFile(config);
    return { task: await datasetTaskOf(section, origin), baseDir: origin.baseDir };
  }
  const section = recorded?.section;
  if (typeof section !== 'object' || section === null)
    throw new DatasetError(`${where}: no task section recorded; pass --task <training or run config>`);
  const baseDir = typeof recorded?.baseDir === 'string' ? recorded.baseDir : process.cwd();
  try {
    return { task: await datasetTaskOf(section, { what: where, baseDir }), baseDir };
  } catch (error) {
    throw new DatasetError(
      `${(error as Error).message} (the recorded task, its paths relative to ${baseDir}; pass --task <training or run config>)`,
    );
  }
}

export function formatDatasetReport(r: DatasetReport): string {
  const ends = Object.entries(r.ends)
    .filter(([, n]) => n > 0)
    .map(([end, n]) => `${n} ${end}`)
    .join(', ');
  const lines = [
    `task ${r.task}: ${r.transitions} transitions in ${r.episodes} episodes from ${r.logs.length} log${r.logs.length === 1 ? '' : 's'} (${r.ticks} ticks)`,
    `  episodes ended: ${ends || 'none'}`,
    `  dropped: ${r.dropped.latchedTicks} latched ticks, ${r.dropped.afterTerminalTicks} ticks after a terminal state, ` +
      `${r.dropped.nonFiniteTicks} non-finite, ${r.dropped.missingTicks} missing from the tick sequence, ` +
      `${r.dropped.shortEpisodes} short episodes`,
    ...r.logs.map(
      (l) =>
        `  ${l.log}: ${l.ticks} ticks → ${l.transitions} transitions, ${l.episodes} episodes${l.gaps > 0 ? `, ${l.gaps} gaps` : ''}${l.truncatedFile ? ' (file truncated)' : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
