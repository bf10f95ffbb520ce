import { z } from 'zod';

/**
 * Shared pieces of the algorithms' hyperparameter schemas. Each algorithm file (sac.ts, h2o.ts,
 * td3bc.ts, iql.ts) owns one zod schema: its TypeScript type is inferred from it and its defaults are
 * written in it, so a training config, the code and the published JSON Schema cannot disagree.
 */

/** Widths of the hidden layers of an MLP. */
export const hidden = z.array(z.number().int().positive()).min(1).readonly();
export const discount = z.number().gt(0).lte(1);
/** Polyak rate of target networks, applied every update. */
export const polyakRate = z.number().gt(0).lte(1);
export const learningRate = z.number().positive();
export const batchRows = z.number().int().positive();
/** Multiplies rewards inside the learner (the reported returns stay unscaled). */
export const rewardScale = z.number().positive();
