import path from 'node:path';
import { z } from 'zod';
import type { EnvironmentPlugin } from '../../src/config/plugin.ts';
import type { EnvironmentPair } from '../../src/core/environment.ts';
import { dynamicsSchema } from '../dynamics.ts';
import { signalTask } from '../envs/definition.ts';
import { createEnv, envDefinition, envDefinitions } from '../envs/index.ts';
import { NormalizedActions, normalizingMap } from './pair.ts';

/**
 * The closed loop's environment pair (`kind: mujoco-rig`): the simulator a policy is trained and
 * fine-tuned in, against a MuJoCo stand-in for an emulated rig built from that rig's own config
 * (its dynamics, actuator delay and noise, sensor noise).
 *
 * In the loop the real data come from the rig itself, through its logs; the stand-in only serves
 * what must not touch the robot: the trainer's progress evaluation, the benchmark's oracle (SAC
 * online in the rig's dynamics) and its figures. Gates never use it (they use the simulator and
 * held-out rig episodes), so a loop decision never relies on knowing the rig's dynamics.
 */
const rigPairOptions = z
  .object({
    /** A model in sim/models that has an environment. */
    model: z.enum(envDefinitions.map((d) => d.model) as [string, ...string[]]),
    /** One of the model's tasks; default its first. */
    task: z.string().optional(),
    /** Episode length in seconds; default the task's. */
    horizon: z.number().positive().optional(),
    /** Control rate, Hz; default the model's (cartpole 50 Hz, arm 500 Hz). Rewards are per tick of it. */
    rateHz: z.number().positive().optional(),
    /** The simulator's dynamics (sim/dynamics.ts); `{}` is the nominal model. */
    sim: dynamicsSchema.default({}),
    /** The emulated rig's config (tether rig), relative to this file: its dynamics become the stand-in's. */
    rig: z.string(),
    /** Use the rig's dynamics on the simulator side too (the benchmark's oracle). */
    simIsRig: z.boolean().default(false),
  })
  .strict();

export type RigPairOptions = z.output<typeof rigPairOptions>;

/**
 * What the stand-in takes from a rig config: the keys that make the rig another robot. The config
 * itself is read by the rig's own loader (hardware/rig/config.ts, through the one config loader, so
 * its errors are located); the composition root passes that loader in, since sim/ sits below hardware/.
 */
export interface RigGapSource {
  readonly model: string;
  readonly dynamics: Omit<z.output<typeof dynamicsSchema>, 'actionDelay' | 'observationNoise'>;
  /** Time between a command's arrival and the firmware applying it. */
  readonly actuatorDelayMs: number;
  /** Gaussian noise on every applied actuator command (action units). */
  readonly actuatorNoise: number;
  /** Gaussian noise on every reported state value. */
  readonly sensorNoise: number;
}

/** Reads and validates a rig config file, throwing its located problems. */
export type RigConfigReader = (file: string) => RigGapSource;

export interface RigGap {
  readonly file: string;
  readonly dynamics: z.output<typeof dynamicsSchema>;
  readonly actuatorNoise: number;
}

/** The gap of a rig config: dynamics, the delay in whole control ticks, the noise. */
export function rigGap(rig: RigGapSource, file: string, model: string, controlDt: number): RigGap {
  if (rig.model !== model) throw new Error(`rig config ${file} emulates '${rig.model}', not '${model}'`);
  const delay = Math.round(rig.actuatorDelayMs / (1000 * controlDt));
  return {
    file,
    dynamics: {
      ...rig.dynamics,
      ...(delay > 0 ? { actionDelay: delay } : {}),
      ...(rig.sensorNoise > 0 ? { observationNoise: rig.sensorNoise } : {}),
    },
    actuatorNoise: rig.actuatorNoise,
  };
}

export async function rigPair(
  options: RigPairOptions,
  baseDir: string,
  readRig: RigConfigReader,
): Promise<EnvironmentPair> {
  const definition = envDefinition(options.model);
  const taskName = options.task ?? definition.tasks[0]!;
  const rate = options.rateHz === undefined ? {} : { controlDt: 1 / options.rateHz };
  const stock = await createEnv(options.model, { task: taskName, ...rate });
  const actionMap = normalizingMap(stock.action);
  const controlDt = stock.dt;
  stock.dispose();
  const rigFile = path.resolve(baseDir, options.rig);
  const gap = rigGap(readRig(rigFile), rigFile, options.model, controlDt);
  const horizon = options.horizon === undefined ? {} : { horizon: Math.round(options.horizon / controlDt) };
  // The rig's actuator noise is in robot units; the normalised wrapper adds it in learner units.
  const rigNoise = gap.actuatorNoise / (actionMap[0]?.scale ?? 1);
  const make = async (seed: number, dynamics: unknown, noise: number) =>
    new NormalizedActions(
      await createEnv(options.model, { task: taskName, seed, dynamics, ...rate, ...horizon }),
      noise,
      seed,
    );
  return {
    name: `${options.model} ${taskName}, rig ${path.basename(gap.file)}${options.simIsRig ? ' (sim = rig)' : ''}`,
    sim: (seed) => (options.simIsRig ? make(seed, gap.dynamics, rigNoise) : make(seed, options.sim, 0)),
    real: (seed) => make(seed, gap.dynamics, rigNoise),
    gapRegion: null,
    actionMap,
    ...signalTask(definition, taskName),
  };
}

/** The `mujoco-rig` environment, reading rig configs with `readRig` (the rig's own loader). */
export function createRigPairPlugin(readRig: RigConfigReader): EnvironmentPlugin<RigPairOptions> {
  return {
    kind: 'mujoco-rig',
    description: 'a MuJoCo simulator against a stand-in for an emulated rig, made from the rig config',
    schema: rigPairOptions,
    create: (options, context) => rigPair(options, context.baseDir, readRig),
  };
}
