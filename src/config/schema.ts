import { z } from 'zod';

/** How the loop keeps time. `fast` runs the same pipeline on a virtual clock, as fast as it can. */
export const clockModes = ['realtime', 'fast'] as const;
export type ClockMode = (typeof clockModes)[number];

/**
 * What the loop sends when a tick misses its deadline: the last command again (`hold`), the safe
 * action, a latched fault, or nothing (`skip`: a device with its own inner loop extrapolates or
 * repeats, as a Franka does with a lost packet, and counts the lost commands).
 */
export const deadlineMissPolicies = ['hold', 'safe', 'fault', 'skip'] as const;
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
    /** MCAP file to write; relative to the config file, like every path in a config. */
    path: z.string().min(1).optional(),
  })
  .strict();

/** The sections whose content depends on `kind` are validated later by the plugin named there. */
export const pluginSection = z.looseObject({ kind: z.string().min(1) });

/** Controller names are log labels and operator arguments: keep them to one plain word. */
export const controllerName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'a name of letters, digits, - and _, starting with a letter');

/**
 * An automatic switch: when every listed observation signal lies inside its range, the manager
 * requests a switch from `from` (any controller when omitted) to `to`. A switch guard, when one is
 * configured, may still defer or deny it.
 */
export const switchRuleSchema = z
  .object({
    from: controllerName.optional(),
    to: controllerName,
    when: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
    /** Seconds the active controller must have been active first; alone, a timed transition. */
    after: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((rule) => rule.when !== undefined || rule.after !== undefined, {
    message: "a rule needs 'when' (signal ranges), 'after' (seconds), or both",
  });

/** How the controller manager starts, falls back and switches. */
export const switchingSchema = z
  .object({
    /** Controller active at start; default: the first one listed. */
    initial: controllerName.optional(),
    /**
     * Activated at the next tick boundary when the active controller faults (throws or proposes a
     * non-finite action). Without one, a controller fault latches the safety layer.
     */
    fallback: controllerName.optional(),
    rules: z.array(switchRuleSchema).default([]),
    /** Decides every requested switch except fallbacks (e.g. `kind: certified`); default: admit all. */
    guard: pluginSection.optional(),
  })
  .strict();

/** Where operator commands (estop, recover, switch NAME, status) may come from. */
export const operatorSchema = z
  .object({
    /** Read operator commands from standard input (one per line) while the run lasts. */
    stdin: z.boolean().default(false),
    /**
     * Take operator commands over MQTT, sealed with the robot's link key like its commands (broker,
     * topics and key default to the MQTT robot's). Validated by the composition root
     * (hardware/mqtt/operator.ts); `{}` is enough for an MQTT robot.
     */
    mqtt: z.looseObject({}).optional(),
  })
  .strict();

/**
 * The live view (docs/live.md): a Foxglove WebSocket server and a small web page, served by the run's
 * own process. Present = on; `tether run --live [port]` turns it on without a config section.
 */
export const liveSchema = z
  .object({
    /** Interface to bind. Loopback by default; any other address also needs the token to stream. */
    host: z.string().min(1).default('127.0.0.1'),
    /** TCP port (0 = any free port; the one chosen is printed). 8765 is Foxglove's usual port. */
    port: z.number().int().min(0).max(65535).default(8765),
    /**
     * Environment variable holding the operator token. Without it a fresh token is made per run and
     * printed on the terminal. Operator commands (e-stop included) need the token.
     */
    tokenEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
      .optional(),
    /** Browser origins besides the page's own allowed to connect, e.g. `https://app.foxglove.dev`. */
    allowOrigins: z.array(z.url()).default([]),
    /** Tick channels are streamed at up to this rate (every k-th tick); events are never thinned. */
    tickHz: z.number().positive().max(2000).default(50),
    /** How often buffered ticks and events are sent, per second. */
    publishHz: z.number().min(1).max(100).default(25),
  })
  .strict();

/**
 * A command channel (src/core/commands.ts): operator input a policy reads, e.g. a commanded base
 * velocity `[vx, vy, yaw rate]`. Written by the schedule here, the operator console
 * (`command NAME v1 v2 …`) and the MQTT operator channel.
 */
export const commandChannelSchema = z
  .object({
    /** Value until the first write; its length is the channel's size. */
    initial: z.array(z.number()).optional(),
    /** [lower, upper] per component; writes are clamped into them. */
    ranges: z.array(z.tuple([z.number(), z.number()])).optional(),
    /** From `at` seconds of loop time on, the channel holds `value`. */
    schedule: z
      .array(z.object({ at: z.number().nonnegative(), value: z.array(z.number()) }).strict())
      .optional(),
  })
  .strict();

export const runConfigSchema = z
  .object({
    name: z.string().min(1).optional(),
    /** Seconds; the CLI's --duration overrides it. Omitted = until Ctrl-C. */
    duration: z.number().positive().optional(),
    seed: z.number().int().min(0).default(0),
    robot: pluginSection,
    /** One controller (named after its kind), or `controllers:` for several. */
    controller: pluginSection.optional(),
    /** Named controllers for the controller manager; the first is active at start. */
    controllers: z.record(controllerName, pluginSection).optional(),
    switching: switchingSchema.optional(),
    /** Command channels by name (e.g. `base_velocity`), read by policies' `source: command` terms. */
    commands: z.record(controllerName, commandChannelSchema).optional(),
    loop: loopSchema,
    /** Validated by the safety layer's own schema (src/safety/safety-layer.ts). */
    safety: z.unknown().optional(),
    log: logSchema.default({}),
    operator: operatorSchema.default({ stdin: false }),
    live: liveSchema.optional(),
    /**
     * The task the run is an attempt at: an environment plugin's `{ kind, ...options }` (what a
     * training config calls `environment:`), validated by that plugin. It supplies the reward, the
     * terminal condition and the horizon the run's summary scores it by; logged with the run, it
     * makes the log a dataset of the task.
     */
    task: pluginSection.optional(),
  })
  .strict();

export type LoopOptions = z.output<typeof loopSchema>;
export type RawRunConfig = z.output<typeof runConfigSchema>;
export type SwitchRuleOptions = z.output<typeof switchRuleSchema>;
export type SwitchingOptions = z.output<typeof switchingSchema>;
export type OperatorOptions = z.output<typeof operatorSchema>;
export type LiveOptions = z.output<typeof liveSchema>;
export type CommandChannelOptions = z.output<typeof commandChannelSchema>;
