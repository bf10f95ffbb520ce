import type { Command } from 'commander';
import { envDefinition } from '../../../sim/envs/index.ts';
import { MujocoEnv } from '../../../sim/envs/mujoco-env.ts';
import { SimModel } from '../../../sim/model.ts';
import { models } from '../../../sim/models/index.ts';

interface ModelSummary {
  name: string;
  description: string;
  tasks: string[];
  nq: number;
  nv: number;
  observation: number;
  action: number;
  timestepMs: number;
  defaultRateHz: number;
  /** Every observation signal with its unit, in order. */
  observationSignals: string[];
  /** Every action signal with its unit (mode torque), in order. */
  actionSignals: string[];
  /** The action signals with `drive: { mode: pd }` (position targets, kp, kd), when the model has one. */
  pdActionSignals?: string[];
}

const named = (signals: readonly { name: string; unit: string }[]): string[] =>
  signals.map((s) => `${s.name} [${s.unit}]`);

async function summarise(name: string, description: string, defaultRateHz: number): Promise<ModelSummary> {
  const sim = await SimModel.load(name);
  const definition = envDefinition(name);
  const env = new MujocoEnv(sim, definition, { controlDt: 1 / defaultRateHz }, true);
  let pdActionSignals: string[] | undefined;
  try {
    const pd = new MujocoEnv(sim, definition, { controlDt: 1 / defaultRateHz, drive: { mode: 'pd' } });
    pdActionSignals = named(pd.action.signals);
    pd.dispose();
  } catch {
    // The model's actions do not name joints (e.g. the cartpole's `cart.force`): no pd drive.
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
      timestepMs: sim.timestep * 1000,
      defaultRateHz,
      observationSignals: named(env.observation.signals),
      actionSignals: named(env.action.signals),
      ...(pdActionSignals ? { pdActionSignals } : {}),
    };
  } finally {
    env.dispose();
  }
}

function table(rows: ModelSummary[]): string {
  const header = ['model', 'obs', 'act', 'nq', 'nv', 'dt (ms)', 'rate (Hz)', 'tasks', 'description'];
  const cells = rows.map((r) => [
    r.name,
    String(r.observation),
    String(r.action),
    String(r.nq),
    String(r.nv),
    r.timestepMs.toFixed(1),
    String(r.defaultRateHz),
    r.tasks.join(','),
    r.description,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const signals = rows.flatMap((r) => [
    '',
    `${r.name}`,
    `  observation (${r.observation}): ${r.observationSignals.join(', ')}`,
    `  action, drive torque (${r.action}): ${r.actionSignals.join(', ')}`,
    ...(r.pdActionSignals
      ? [`  action, drive pd (${r.pdActionSignals.length}): ${r.pdActionSignals.join(', ')}`]
      : []),
  ]);
  return [line(header), ...cells.map(line), ...signals].join('\n');
}

export function register(program: Command): void {
  const sim = program.command('sim').description('MuJoCo models and environments');
  sim
    .command('list')
    .description(
      'list the built-in models: sizes, timestep, default rate and every observation and action signal',
    )
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { json?: boolean }) => {
      const rows: ModelSummary[] = [];
      for (const m of models) rows.push(await summarise(m.name, m.description, m.defaultRateHz));
      process.stdout.write(flags.json ? `${JSON.stringify(rows, null, 2)}\n` : `${table(rows)}\n`);
    });
  sim
    .command('check')
    .description('compile MJCF files and report MuJoCo errors with file and line')
    .argument('<files...>', 'MJCF (.xml) files')
    .action(async (files: string[]) => {
      for (const file of files) {
        try {
          const model = await SimModel.fromFile(file);
          const m = model.model;
          process.stdout.write(
            `ok  ${file}  (nq ${m.nq}, nv ${m.nv}, nu ${m.nu}, timestep ${m.opt.timestep} s)\n`,
          );
          model.dispose();
        } catch (error) {
          process.stderr.write(`${(error as Error).message}\n`);
          process.exitCode = 1;
        }
      }
    });
}
