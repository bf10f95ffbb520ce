// Compiled from src/inference/contract-schema.ts by `npm run build`: edit the source, not this file.

// src/inference/contract-schema.ts
import { z } from "zod";
var numberOrList = z.union([z.number(), z.array(z.number())]);
var range = z.tuple([z.number(), z.number()]).refine(([lo, hi]) => lo <= hi, "clip must be [lower, upper] with lower ≤ upper");
var termSources = [
  "signals",
  "last_action",
  "constant",
  "command",
  "projected_gravity",
  "body_frame"
];
var observationTermSchema = z.object({
  name: z.string().min(1),
  source: z.enum(termSources).default("signals"),
  signals: z.array(z.string()).optional(),
  value: z.array(z.number()).optional(),
  /** Base orientation quaternion signals [w, x, y, z] (projected_gravity, body_frame). */
  quaternion: z.array(z.string()).length(4).optional(),
  /** Command channel name (source: command). */
  command: z.string().min(1).optional(),
  /** Per-component [lower, upper] a command is clamped to (the ranges the policy was trained on). */
  ranges: z.array(range).optional(),
  /** Expected unit of every signal of the term; checked against the robot spec (catches deg vs rad). */
  unit: z.string().optional(),
  scale: numberOrList.default(1),
  offset: numberOrList.default(0),
  clip: range.optional(),
  /**
   * When the clip applies: `after_scale` (default: clip((x − offset)·scale)) or `before_scale`
   * (Isaac Lab's observation manager: clip(x − offset)·scale).
   */
  clip_stage: z.enum(["after_scale", "before_scale"]).default("after_scale"),
  history: z.number().int().min(1).default(1)
}).strict().superRefine((t, ctx) => {
  const need = (key, ok) => {
    if (!ok)
      ctx.addIssue({ code: "custom", message: `term '${t.name}' (source ${t.source}) needs '${key}'` });
  };
  if (t.source === "signals") need("signals", !!t.signals?.length);
  if (t.source === "constant") need("value", !!t.value?.length);
  if (t.source === "command") {
    need("command", t.command !== void 0);
    need("value", !!t.value?.length);
    if (t.ranges && t.value && t.ranges.length !== t.value.length)
      ctx.addIssue({
        code: "custom",
        message: `term '${t.name}': ${t.ranges.length} ranges for a command of ${t.value.length} values`
      });
  }
  if (t.source === "projected_gravity") need("quaternion", t.quaternion !== void 0);
  if (t.source === "body_frame") {
    need("quaternion", t.quaternion !== void 0);
    if (t.signals?.length !== 3)
      ctx.addIssue({ code: "custom", message: `term '${t.name}' (source body_frame) needs 3 'signals'` });
  }
});
var normalizerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("none") }).strict(),
  /** Isaac Lab / rsl_rl exports bake the running mean/std into the ONNX graph. */
  z.object({ kind: z.literal("inside_model") }).strict(),
  z.object({
    kind: z.literal("mean_std"),
    mean: z.array(z.number()),
    std: z.array(z.number()),
    eps: z.number().min(0).default(1e-8)
  }).strict(),
  /**
   * LeRobot's `stats.json`: `{ "<key>": { "mean": [...], "std": [...], "min": [...], "max": [...] } }`.
   * `mean_std` (LeRobot's MEAN_STD) gives (x − mean) / (std + eps); `min_max` (MIN_MAX, what its
   * diffusion policy uses) maps [min, max] onto [−1, 1]: 2 (x − min) / (max − min + eps) − 1.
   */
  z.object({
    kind: z.literal("lerobot_stats"),
    path: z.string(),
    key: z.string(),
    mode: z.enum(["mean_std", "min_max"]).default("mean_std"),
    eps: z.number().min(0).default(1e-8)
  }).strict()
]);
var contractSchema = z.object({
  format: z.literal("tether-policy/1"),
  /** Model file relative to the contract. */
  model: z.string().optional(),
  input: z.string().default("obs"),
  output: z.string().default("actions"),
  /** Rate the policy is evaluated at; the loop holds its action in between. */
  policy_rate_hz: z.number().positive(),
  /** Control ticks per policy step; derived from the loop rate when omitted, checked when given. */
  decimation: z.number().int().min(1).optional(),
  observations: z.array(observationTermSchema).min(1),
  normalizer: normalizerSchema.default({ kind: "none" }),
  actions: z.object({
    /** Robot action signals in the order of the model's outputs. */
    signals: z.array(z.string()).min(1),
    /** `cartesian`: the outputs are an end-effector pose for a Cartesian impedance robot. */
    mode: z.enum(["torque", "position", "velocity", "cartesian"]).optional(),
    /** Unit of the robot commands (after scale and offset): one for all signals or one each. */
    unit: z.union([z.string(), z.array(z.string())]).optional(),
    scale: numberOrList.default(1),
    offset: numberOrList.default(0),
    /**
     * Applied to the raw model output, before scaling (Isaac Lab's `clip_actions`). Also the
     * range the robot check takes for the raw output; without it, [−1, 1].
     */
    clip: range.optional(),
    /**
     * Applied to the command after scale and offset, one [lower, upper] for all signals or one per
     * signal (Isaac Lab's JointAction `clip`).
     */
    command_clip: z.union([range, z.array(range)]).optional(),
    /**
     * Action signals the policy does not output but the contract sets on every command, e.g. the
     * per-joint `kp` / `kd` of a pd drive from a deploy YAML's stiffness and damping, or the
     * default-pose targets of joints the policy does not move.
     */
    constants: z.record(z.string(), z.number()).default({}),
    /**
     * A PD stage in the runtime: the policy outputs joint position targets (mode: position) and the
     * robot takes torques. Every control tick writes τ = kp (target − q) − kd q̇ to `signals`, from
     * the observation signals `position` and `velocity` (one per action).
     */
    pd: z.object({
      kp: numberOrList,
      kd: numberOrList,
      position: z.array(z.string()).min(1),
      velocity: z.array(z.string()).min(1)
    }).strict().optional()
  }).strict(),
  /**
   * Recurrent policies (rsl_rl's LSTM/GRU export: `h_in`/`c_in` → `h_out`/`c_out`): state tensors fed
   * back from each output to its input on every policy step, zero after a reset.
   */
  recurrent: z.array(z.object({ input: z.string().min(1), output: z.string().min(1) }).strict()).default([])
}).strict();
export {
  contractSchema,
  termSources
};
