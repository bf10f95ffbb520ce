/**
 * The schema of a policy contract file (our YAML/JSON dialect) and the types it defines. Its own
 * module so the Isaac Lab reader, which produces contract input, and the contract checks, which read
 * Isaac Lab files, do not import each other.
 */
import { z } from 'zod';

const numberOrList = z.union([z.number(), z.array(z.number())]);
const range = z
  .tuple([z.number(), z.number()])
  .refine(([lo, hi]) => lo <= hi, 'clip must be [lower, upper] with lower ≤ upper');

const observationTermSchema = z
  .object({
    name: z.string().min(1),
    /** `signals` (default) reads robot observation signals; `last_action` the previous raw policy output; `constant` fixed values (e.g. a velocity command). */
    source: z.enum(['signals', 'last_action', 'constant']).default('signals'),
    signals: z.array(z.string()).optional(),
    value: z.array(z.number()).optional(),
    /** Expected unit of every signal of the term; checked against the robot spec (catches deg vs rad). */
    unit: z.string().optional(),
    scale: numberOrList.default(1),
    offset: numberOrList.default(0),
    clip: range.optional(),
    history: z.number().int().min(1).default(1),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.source === 'signals' && !t.signals?.length)
      ctx.addIssue({ code: 'custom', message: `term '${t.name}' needs 'signals'` });
    if (t.source === 'constant' && !t.value?.length)
      ctx.addIssue({ code: 'custom', message: `term '${t.name}' needs 'value'` });
  });

const normalizerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }).strict(),
  /** Isaac Lab / rsl_rl exports bake the running mean/std into the ONNX graph. */
  z.object({ kind: z.literal('inside_model') }).strict(),
  z
    .object({
      kind: z.literal('mean_std'),
      mean: z.array(z.number()),
      std: z.array(z.number()),
      eps: z.number().min(0).default(1e-8),
    })
    .strict(),
  /** LeRobot's `stats.json`: `{ "<key>": { "mean": [...], "std": [...] } }`. */
  z
    .object({
      kind: z.literal('lerobot_stats'),
      path: z.string(),
      key: z.string(),
      eps: z.number().min(0).default(1e-8),
    })
    .strict(),
]);

export const contractSchema = z
  .object({
    format: z.literal('tether-policy/1'),
    /** Model file relative to the contract. */
    model: z.string().optional(),
    input: z.string().default('obs'),
    output: z.string().default('actions'),
    /** Rate the policy is evaluated at; the loop holds its action in between. */
    policy_rate_hz: z.number().positive(),
    /** Control ticks per policy step; derived from the loop rate when omitted, checked when given. */
    decimation: z.number().int().min(1).optional(),
    observations: z.array(observationTermSchema).min(1),
    normalizer: normalizerSchema.default({ kind: 'none' }),
    actions: z
      .object({
        /** Robot action signals in the order of the model's outputs. */
        signals: z.array(z.string()).min(1),
        mode: z.enum(['torque', 'position', 'velocity']).optional(),
        /** Unit of the robot commands (after scale and offset): one for all signals or one each. */
        unit: z.union([z.string(), z.array(z.string())]).optional(),
        scale: numberOrList.default(1),
        offset: numberOrList.default(0),
        /**
         * Applied to the raw model output, before scaling (Isaac Lab's `clip_actions`). Also the
         * range the robot check takes for the raw output; without it, [−1, 1].
         */
        clip: range.optional(),
      })
      .strict(),
  })
  .strict();

export type ContractInput = z.input<typeof contractSchema>;
export type PolicyContract = z.output<typeof contractSchema>;
export type ObservationTerm = PolicyContract['observations'][number];
