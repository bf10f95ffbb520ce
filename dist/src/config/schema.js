// Compiled from src/config/schema.ts by `npm run build`: edit the source, not this file.

// src/config/schema.ts
import { z } from "zod";
var clockModes = ["realtime", "fast"];
var deadlineMissPolicies = ["hold", "safe", "fault", "skip"];
var loopSchema = z.object({
  /** Control rate; the policy rate of a learned controller is this divided by its decimation. */
  rateHz: z.number().min(1).max(2e3),
  mode: z.enum(clockModes).default("realtime"),
  /** Busy-spin this long before each deadline; the sleep before it absorbs timer jitter. */
  spinMicros: z.number().int().min(0).max(5e3).default(1e3),
  deadlineMiss: z.enum(deadlineMissPolicies).default("hold"),
  /** Consecutive missed deadlines after which the loop faults regardless of policy. */
  maxConsecutiveMisses: z.number().int().min(1).default(20)
}).strict();
var logSchema = z.object({
  /** MCAP file to write; relative to the config file, like every path in a config. */
  path: z.string().min(1).optional()
}).strict();
var pluginSection = z.looseObject({ kind: z.string().min(1) });
var controllerName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "a name of letters, digits, - and _, starting with a letter");
var switchRuleSchema = z.object({
  from: controllerName.optional(),
  to: controllerName,
  when: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
  /** Seconds the active controller must have been active first; alone, a timed transition. */
  after: z.number().nonnegative().optional()
}).strict().refine((rule) => rule.when !== void 0 || rule.after !== void 0, {
  message: "a rule needs 'when' (signal ranges), 'after' (seconds), or both"
});
var switchingSchema = z.object({
  /** Controller active at start; default: the first one listed. */
  initial: controllerName.optional(),
  /**
   * Activated at the next tick boundary when the active controller faults (throws or proposes a
   * non-finite action). Without one, a controller fault latches the safety layer.
   */
  fallback: controllerName.optional(),
  rules: z.array(switchRuleSchema).default([]),
  /** Decides every requested switch except fallbacks (e.g. `kind: certified`); default: admit all. */
  guard: pluginSection.optional()
}).strict();
var operatorSchema = z.object({
  /** Read operator commands from standard input (one per line) while the run lasts. */
  stdin: z.boolean().default(false),
  /**
   * Take operator commands over MQTT, sealed with the robot's link key like its commands (broker,
   * topics and key default to the MQTT robot's). Validated by the composition root
   * (hardware/mqtt/operator.ts); `{}` is enough for an MQTT robot.
   */
  mqtt: z.looseObject({}).optional()
}).strict();
var liveSchema = z.object({
  /** Interface to bind. Loopback by default; any other address also needs the token to stream. */
  host: z.string().min(1).default("127.0.0.1"),
  /** TCP port (0 = any free port; the one chosen is printed). 8765 is Foxglove's usual port. */
  port: z.number().int().min(0).max(65535).default(8765),
  /**
   * Environment variable holding the operator token. Without it a fresh token is made per run and
   * printed on the terminal. Operator commands (e-stop included) need the token.
   */
  tokenEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name").optional(),
  /** Browser origins besides the page's own allowed to connect, e.g. `https://app.foxglove.dev`. */
  allowOrigins: z.array(z.url()).default([]),
  /** Tick channels are streamed at up to this rate (every k-th tick); events are never thinned. */
  tickHz: z.number().positive().max(2e3).default(50),
  /** How often buffered ticks and events are sent, per second. */
  publishHz: z.number().min(1).max(100).default(25)
}).strict();
var commandChannelSchema = z.object({
  /** Value until the first write; its length is the channel's size. */
  initial: z.array(z.number()).optional(),
  /** [lower, upper] per component; writes are clamped into them. */
  ranges: z.array(z.tuple([z.number(), z.number()])).optional(),
  /** From `at` seconds of loop time on, the channel holds `value`. */
  schedule: z.array(z.object({ at: z.number().nonnegative(), value: z.array(z.number()) }).strict()).optional()
}).strict();
var runConfigSchema = z.object({
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
  task: pluginSection.optional()
}).strict();
export {
  clockModes,
  commandChannelSchema,
  controllerName,
  deadlineMissPolicies,
  liveSchema,
  logSchema,
  loopSchema,
  operatorSchema,
  pluginSection,
  runConfigSchema,
  switchRuleSchema,
  switchingSchema
};
