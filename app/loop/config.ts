/**
 * The YAML of `tether loop`: which run config drives the robot, which emulated rig to start (if
 * any), which fine-tuning config makes candidates, how many rounds of how many episodes, the gates
 * and the swap. Read through ConfigDocument like every config: errors carry their line, relative
 * paths resolve against the file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigDocument } from '../../src/config/document.ts';
import { gatesSchema } from '../../src/learning/gates.ts';
import { loadTrainConfig, type TrainConfig } from '../../src/learning/train-config.ts';
import { environmentPlugins } from '../plugins.ts';

const rollbackSchema = z
  .object({
    /** Seconds of running ticks under a new version before it is kept. */
    window: z.number().positive().default(10),
    maxFalls: z.number().int().positive().optional(),
    maxInterventionRate: z.number().min(0).max(1).optional(),
    minRewardRatio: z.number().min(0).optional(),
    /**
     * Return drop: once `minEpisodes` episodes under the new version ended, roll back when their mean
     * return is below this share of the previous version's mean over its round.
     */
    minReturnRatio: z.number().min(0).optional(),
    minEpisodes: z.number().int().positive().default(2),
  })
  .strict();

export const loopFileSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Run config: the robot (its link), the deployed policy as a controller, safety, loop rate. */
    run: z.string(),
    /** The controller of the run config that is the deployed policy (kind: policy); default its initial one. */
    policy: z.string().optional(),
    /** An emulated rig config to start for the loop (its link is placed in the output folder). */
    rig: z.string().optional(),
    /** Training config that makes candidates: its environment is the task, its algorithm the method. */
    finetune: z.string(),
    /** Rounds of fine-tuning; 0 only measures the deployed policy (the final episodes). */
    rounds: z.number().int().min(0).default(3),
    episodes: z
      .object({
        /** Episodes collected under a version in each round (and in the final evaluation). */
        perRound: z.number().int().positive().default(10),
        /** Seconds after which the loop ends an episode (e-stop, then reset); default the task's horizon. */
        horizon: z.number().positive().optional(),
        /** How the loop resets the robot between episodes: recover attempts and the pause between them. */
        resetAttempts: z.number().int().positive().default(25),
        resetPause: z.number().positive().default(0.2),
        /** Episodes under the final version after the last round (0: none); default perRound. */
        final: z.number().int().min(0).optional(),
        /**
         * Exploration on the robot: Gaussian noise of σ `std` (learner units; 0.3 = 6 N on the
         * ±20 N cartpole) on the commands of this `share` of the episodes, which are data, not
         * measurements: per-round returns count only the other episodes.
         */
        exploration: z
          .object({ std: z.number().min(0).default(0), share: z.number().min(0).max(0.9).default(0.5) })
          .strict()
          .default({ std: 0, share: 0.5 }),
      })
      .strict()
      .default({ perRound: 10, resetAttempts: 25, resetPause: 0.2, exploration: { std: 0, share: 0.5 } }),
    gates: gatesSchema.default(gatesSchema.parse({})),
    swap: z
      .object({
        /** Seconds the candidate runs in shadow beside the deployed policy before the swap (0: none). */
        shadow: z.number().min(0).default(2),
        /** Refuse the swap when the shadow's actions differ from the deployed ones by more (mean |Δa|, robot units). */
        maxShadowDifference: z.number().positive().optional(),
        rollback: rollbackSchema.default({ window: 10, minEpisodes: 2 }),
        /**
         * Seconds the switch guard may defer the swap (a certified candidate is admitted only inside
         * its proved region); after that the request is withdrawn and the deployed version stays.
         */
        admitWithin: z.number().positive().default(10),
      })
      .strict()
      .default({ shadow: 2, rollback: { window: 10, minEpisodes: 2 }, admitWithin: 10 }),
    learner: z
      .object({
        /** Added to the learner process's niceness (0–19): the loop keeps the CPU first. */
        nice: z.number().int().min(0).max(19).default(10),
        seed: z.number().int().min(0).default(0),
        /** Updates per round, overriding the fine-tuning config's budget. */
        updates: z.number().int().positive().optional(),
        /** Critic warm-up updates per round, overriding the fine-tuning config's. */
        criticWarmup: z.number().int().min(0).optional(),
        /**
         * Actor and learner apart: this rig publishes its episodes to a broker and takes candidates
         * from the fleet's learner (`tether learner`) instead of fine-tuning beside the loop; it
         * still gates every candidate itself, in its lower-priority gate process.
         */
        broker: z
          .object({
            url: z.string(),
            prefix: z.string().min(1).default('tether'),
            fleet: z
              .string()
              .regex(/^[A-Za-z0-9_-]+$/)
              .default('default'),
            /** This rig's name in the fleet (topic level and episode ids). */
            rig: z
              .string()
              .regex(/^[A-Za-z0-9_-]+$/)
              .default('rig'),
            username: z.string().optional(),
            passwordEnv: z.string().optional(),
            /** Episodes the fleet's learner waits for before each fine-tuning (`tether learner`). */
            batch: z.number().int().positive().default(10),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({ nice: 10, seed: 0 }),
    /** Folder for logs, datasets, candidates, reports and the plot; default runs/loop/<name>. */
    output: z.string().optional(),
  })
  .strict();

export type LoopFile = z.output<typeof loopFileSchema>;

export interface LoopConfig extends Omit<LoopFile, 'run' | 'rig' | 'finetune' | 'output'> {
  readonly file: string;
  readonly name: string;
  /** Absolute paths. */
  readonly run: string;
  readonly rig: string | undefined;
  readonly finetune: TrainConfig;
  readonly output: string;
}

export function loadLoopConfig(file: string): LoopConfig {
  const doc = ConfigDocument.read(file);
  const top = doc.validate(loopFileSchema, doc.source);
  if (top === undefined) {
    doc.throwIfProblems();
    throw new Error('unreachable: a failed validation records a problem');
  }
  const run = doc.resolvePath(top.run);
  if (!existsSync(run)) doc.report(['run'], `no such file: ${run}`);
  const rig = top.rig === undefined ? undefined : doc.resolvePath(top.rig);
  if (rig !== undefined && !existsSync(rig)) doc.report(['rig'], `no such file: ${rig}`);
  const finetuneFile = doc.resolvePath(top.finetune);
  if (!existsSync(finetuneFile)) doc.report(['finetune'], `no such file: ${finetuneFile}`);
  doc.throwIfProblems();
  const loaded = loadTrainConfig(finetuneFile, environmentPlugins, { datasetGivenElsewhere: true });
  const warmup = top.learner.criticWarmup;
  const finetune =
    warmup === undefined ? loaded : { ...loaded, finetune: { ...loaded.finetune, criticWarmup: warmup } };
  if (finetune.algorithm === 'sac')
    doc.report(
      ['finetune'],
      `${finetuneFile}: algorithm sac learns from the simulator alone; the loop fine-tunes on the rig's logs (h2o, naive-mix, td3bc, iql)`,
    );
  doc.throwIfProblems();
  const name = top.name ?? path.basename(file, path.extname(file));
  return {
    ...top,
    file: path.resolve(file),
    name,
    run,
    rig,
    finetune,
    output: doc.resolvePath(top.output ?? path.join('..', '..', 'runs', 'loop', name)),
  };
}
