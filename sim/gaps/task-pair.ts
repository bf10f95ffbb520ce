import { z } from 'zod';
import type { EnvironmentPlugin } from '../../src/config/plugin.ts';
import type { EnvironmentPair } from '../../src/core/environment.ts';
import { dynamicsSchema } from '../dynamics.ts';
import { signalTask } from '../envs/definition.ts';
import { createEnv, envDefinition, envDefinitions } from '../envs/index.ts';
import { NormalizedActions, normalizingMap } from './pair.ts';

/**
 * A MuJoCo model's task with no gap (`kind: mujoco`): the same environment on both sides. It is
 * what a run config names as its `task:` when the robot is that simulator, or a rig whose task is
 * the model's (the reward and the terminal condition are functions of the logged signals).
 */
const mujocoTaskOptions = z
  .object({
    /** A model in sim/models that has an environment. */
    model: z.enum(envDefinitions.map((d) => d.model) as [string, ...string[]]),
    /** One of the model's tasks (cartpole: balance, swingup); default its first. */
    task: z.string().optional(),
    /** Episode length in seconds; default the task's (cartpole: 10 s). */
    horizon: z.number().positive().optional(),
    /** Control rate, Hz; default the model's (cartpole: 50 Hz). Rewards are per tick of this rate. */
    rateHz: z.number().positive().optional(),
    /** The dynamics of both sides (sim/dynamics.ts); `{}` is the nominal model. */
    dynamics: dynamicsSchema.default({}),
  })
  .strict()
  .superRefine((o, ctx) => {
    const tasks = envDefinitions.find((d) => d.model === o.model)?.tasks;
    if (tasks && o.task !== undefined && !tasks.includes(o.task))
      ctx.addIssue({
        code: 'custom',
        path: ['task'],
        message: `model ${o.model} has no task '${o.task}' (tasks: ${tasks.join(', ')})`,
      });
  });

export type MujocoTaskOptions = z.output<typeof mujocoTaskOptions>;

export async function mujocoTaskPair(options: MujocoTaskOptions): Promise<EnvironmentPair> {
  const definition = envDefinition(options.model);
  const taskName = options.task ?? definition.tasks[0]!;
  const controlDt = options.rateHz === undefined ? {} : { controlDt: 1 / options.rateHz };
  const stock = await createEnv(options.model, { task: taskName, ...controlDt });
  const actionMap = normalizingMap(stock.action);
  const dt = stock.dt;
  stock.dispose();
  const horizon = options.horizon === undefined ? {} : { horizon: Math.round(options.horizon / dt) };
  const make = async (seed: number) =>
    new NormalizedActions(
      await createEnv(options.model, {
        task: taskName,
        seed,
        dynamics: options.dynamics,
        ...controlDt,
        ...horizon,
      }),
      0,
      seed,
    );
  return {
    name: `${options.model} ${taskName}`,
    sim: make,
    real: make,
    gapRegion: null,
    actionMap,
    ...signalTask(definition, taskName),
  };
}

export const mujocoTaskPlugin: EnvironmentPlugin<MujocoTaskOptions> = {
  kind: 'mujoco',
  description:
    "a MuJoCo model's task, the same on both sides (the task of a run on that model or a rig of it)",
  schema: mujocoTaskOptions,
  create: (options) => mujocoTaskPair(options),
};
