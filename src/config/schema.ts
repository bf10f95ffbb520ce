import { z } from 'zod';

/** How the loop keeps time. `fast` runs the same pipeline on a virtual clock, as fast as it can. */
export const clockModes = ['realtime', 'fast'] as const;
export type ClockMode = (typeof clockModes)[number];

/** What the loop sends when a tick misses its deadline. */
export const deadlineMissPolicies = ['hold', 'safe', 'fault'] as const;
export type DeadlineMissPolicy = (typeof deadlineMissPolicies)[number];

export const loopSchema = z
  .object({
    /** Control rate; the policy rate of a learned controller is this divided by its decimation. */
    rateHz: z.number().min(1).max(2000),
    mode: z.enum(clockModes).default('realtime'),
    /** Busy-spin this long before each deadline; the sleep before it absorbs timer jitter. */
    spinMicros: z.number().int().min(0).max(5000).default(1000),
    deadlineMiss: z.enum(deadlineMissPolicies).default('hold'),
    /** Consecutive missed deadlines after which the loop faults regardless of policy. */
    maxConsecutiveMisses: z.number().int().min(1).default(20),
  })
  .strict();

export const logSchema = z
  .object({
    /** MCAP file to write; relative paths resolve against the working directory. */
    path: z.string().min(1).optional(),
  })
  .strict();

/** The sections whose content depends on `kind` are validated later by the plugin named there. */
const pluginSection = z.looseObject({ kind: z.string().min(1) });

export const runConfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Seconds; the CLI's --duration overrides it. Omitted = until Ctrl-C. */
    duration: z.number().positive().optional(),
    seed: z.number().int().min(0).default(0),
    robot: pluginSection,
    controller: pluginSection,
    loop: loopSchema,
    safety: z.record(z.string(), z.unknown()).default({}),
    log: logSchema.default({}),
  })
  .strict();

export type LoopOptions = z.output<typeof loopSchema>;
export type RawRunConfig = z.output<typeof runConfigSchema>;
