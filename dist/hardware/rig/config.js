// Compiled from hardware/rig/config.ts by `npm run build`: edit the source, not this file.

// hardware/rig/config.ts
import { z } from "zod";
import { dynamicsSchema } from "../../sim/dynamics.js";
import { modelNames } from "../../sim/models/index.js";
import { ConfigDocument } from "../../src/config/document.js";
var faultSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("drop"),
    /** Probability that a message is lost. */
    probability: z.number().min(0).max(1),
    direction: z.enum(["state", "command", "both"]).default("both"),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("delay"),
    /** Extra latency added to every outgoing state message. */
    ms: z.number().positive(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("corrupt"),
    /** Probability that an outgoing frame gets one byte flipped on the wire (after its CRC). */
    probability: z.number().min(0).max(1),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("freeze"),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("disconnect"),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("sensor-nan"),
    /** Observation signal that reads NaN; default: the first one. */
    signal: z.string().optional(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("stuck-joint"),
    joint: z.string(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    /** A firmware bug: states leave with 0 joints while the physics stands still (a frozen rig hiding behind well-formed frames). */
    kind: z.literal("wrong-shape"),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    /** A firmware bug: the state sequence number jumps by 2^31 once. */
    kind: z.literal("sequence-jump"),
    at: z.number().nonnegative()
  }).strict(),
  z.object({
    /** A compromised rig: its states echo a command the host never sent (as if it applied a foreign one). */
    kind: z.literal("foreign-echo"),
    at: z.number().nonnegative()
  }).strict(),
  z.object({
    /** A sensor glitch: the joint's reported position is offset by `amount` (m or rad) while its velocity is not. */
    kind: z.literal("position-jump"),
    joint: z.string(),
    amount: z.number(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    /**
     * A sensor that stopped updating (a disconnected encoder, a held last value): in STATE the
     * joint's position keeps its value of the fault's start and its velocity reads 0, while the
     * physics runs on. Only the joint's own readings: observation signals sent as sensors (the
     * cartpole's `cart.pos`, `pole.angle`) keep updating, so the controller's commands keep changing.
     */
    kind: z.literal("frozen-sensor"),
    joint: z.string(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    /** A sensor glitch: the joint's reported velocity is offset by `amount` (m/s or rad/s) while its position is not. */
    kind: z.literal("velocity-spike"),
    joint: z.string(),
    amount: z.number(),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    /** Someone pushes the robot: a world-frame force (N) on a body, e.g. an arm's link7 (collision reflex). */
    kind: z.literal("push"),
    body: z.string(),
    force: z.tuple([z.number(), z.number(), z.number()]),
    at: z.number().nonnegative(),
    duration: z.number().positive().optional()
  }).strict(),
  z.object({
    kind: z.literal("estop"),
    /** The rig's own e-stop button: latches until the host sends a recover request. */
    at: z.number().nonnegative()
  }).strict()
]);
var serialLinkSchema = z.object({
  kind: z.literal("serial"),
  /**
   * Base path of the socat pty pair: the rig opens `<link>.rig`, the host opens `<link>.host`.
   * Relative to the config file's directory.
   */
  link: z.string().min(1),
  baudRate: z.number().int().positive().default(1e6)
}).strict();
var mqttUserSchema = z.object({ username: z.string().min(1), passwordEnv: z.string().min(1) }).strict();
var mqttLinkSchema = z.object({
  kind: z.literal("mqtt"),
  /** Broker URL; omitted = start an embedded broker on `listen`. */
  url: z.string().optional(),
  listen: z.object({
    host: z.string().default("127.0.0.1"),
    port: z.number().int().min(0).max(65535).default(1883),
    users: z.array(mqttUserSchema).default([]),
    tls: z.object({ cert: z.string(), key: z.string() }).strict().optional(),
    allowUnauthenticatedExposure: z.boolean().default(false)
  }).strict().default({ host: "127.0.0.1", port: 1883, users: [], allowUnauthenticatedExposure: false }),
  topicPrefix: z.string().min(1).default("tether"),
  /** Credentials for connecting to the broker (the rig's own, with an external broker). */
  username: z.string().optional(),
  passwordEnv: z.string().optional(),
  keepaliveS: z.number().int().positive().default(2),
  allowUnauthenticated: z.boolean().default(false)
}).strict();
var rigConfigSchema = z.object({
  /** One of `tether sim list`. */
  model: z.string().refine((name) => modelNames.includes(name), {
    error: (issue) => `unknown model '${String(issue.input)}' (known models: ${modelNames.join(", ")})`
  }),
  /** Name announced in hello and used as the MQTT topic level; default: the model name. */
  name: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  task: z.string().optional(),
  transport: z.discriminatedUnion("kind", [serialLinkSchema, mqttLinkSchema]),
  /** Rate of state messages. */
  stateRateHz: z.number().int().positive().max(1e3).default(500),
  /** Firmware loop (PD or torque pass-through) rate; physics steps at the same rate. */
  innerLoopHz: z.number().int().positive().max(4e3).default(1e3),
  /**
   * What commands carry: joint torques, joint position targets (joint impedance), or the pose of an
   * end-effector site (`cartesian`: Cartesian impedance, docs/legged-and-arms.md).
   */
  commandMode: z.enum(["torque", "position", "cartesian"]).default("torque"),
  /**
   * PD gains for position mode, one per action (or one for all); in cartesian mode the stiffness and
   * damping per axis (x, y, z in N/m and N*s/m, rx, ry, rz in N*m/rad and N*m*s/rad). Commands may
   * override them.
   */
  kp: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(50),
  kd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(2),
  /**
   * Position mode while not commanded (before activation, latched, after the host left): `hold` the
   * pose (stiff PD: an arm's brakes) or `damping` (kd = `dampingKd` only: the legged safe mode, the
   * robot sits down instead of collapsing).
   */
  safeMode: z.enum(["hold", "damping"]).default("hold"),
  dampingKd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(4),
  /** Cartesian impedance (commandMode: cartesian): the end effector, its workspace, the safe hold. */
  cartesian: z.object({
    /** The end-effector site of the model (the arm's `flange`). */
    site: z.string().min(1).default("flange"),
    /** Position targets outside this box (m, world frame) are refused; announced as the limits. */
    workspace: z.object({
      lower: z.tuple([z.number(), z.number(), z.number()]),
      upper: z.tuple([z.number(), z.number(), z.number()])
    }).strict().refine((w) => w.lower.every((l, k) => l < w.upper[k]), { error: "lower must be below upper" }).default({ lower: [-0.855, -0.855, 0], upper: [0.855, 0.855, 1.19] }),
    /** Joint gains of the safe hold (inactive, latched): the arm holds its joint pose. */
    holdKp: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(600),
    holdKd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(50),
    /** Joint damping in the nullspace of the task, N*m*s/rad: a redundant arm does not drift. */
    nullspaceDamping: z.number().nonnegative().default(1)
  }).strict().optional(),
  /** Add the model's gravity and Coriolis torques to every command, as a Franka does for its user. */
  gravityCompensation: z.boolean().default(false),
  /**
   * Franka-style limits and reflexes, checked every inner tick while commanded (docs/legged-and-arms.md).
   * A violation latches the rig (hold or damping) and is reported with libfranka's error name.
   */
  limits: z.object({
    /** Consecutive inner-loop periods without a new command (libfranka: 20 at 1 kHz); 0 = off. */
    lostCommands: z.number().int().nonnegative().default(0),
    /** Measured |q̇| per joint, rad/s; announced in HELLO as the joints' velocity limits. */
    jointVelocity: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
    /** Commanded torque change per joint, N*m/s (Franka: 1000). Torque mode; cartesian: the law's torque. */
    torqueRate: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
    /** Joint velocity implied by successive position targets, rad/s. Position mode. */
    targetVelocity: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
    /** Their acceleration, rad/s², and jerk, rad/s³ (Franka: 15/7.5/10/12.5/15/20/20 and 7500/3750/…). */
    targetAcceleration: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
    targetJerk: z.union([z.number().positive(), z.array(z.number().positive())]).optional(),
    /** A period without a target extrapolates the last one (Franka's motion commands); off: it holds. */
    extrapolate: z.boolean().default(true),
    /** Refuse targets outside the joints' ranges. Position mode. */
    positionLimits: z.boolean().default(true),
    /** Collision reflex: |external torque| per joint, N*m. */
    externalTorque: z.union([z.number().positive(), z.array(z.number().positive())]).optional()
  }).strict().optional(),
  /** Without a command or heartbeat for this long, the rig latches a fault and goes safe. */
  watchdogMs: z.number().int().positive().max(65535).default(200),
  /**
   * The link key (docs/security.md): the name of the environment variable holding it as hex. The
   * runtime that may command this rig holds the same key; the key itself never goes in a file.
   */
  auth: z.object({ keyEnv: z.string().min(1).default("TETHER_LINK_KEY") }).strict().default({ keyEnv: "TETHER_LINK_KEY" }),
  /**
   * The owner's lease: a session that sent no authenticated frame for this long loses the rig, so a
   * runtime that died can be replaced. Default: max(1000, 2 x watchdogMs).
   */
  sessionLeaseMs: z.number().int().positive().max(65535).optional(),
  /** The reality gap: friction, mass, damping, gains... (sim/dynamics.ts). */
  dynamics: dynamicsSchema.omit({ actionDelay: true, observationNoise: true }).default({}),
  /** Time between a command's arrival and the firmware applying it. */
  actuatorDelayMs: z.number().nonnegative().max(1e3).default(0),
  /** Gaussian noise added to every applied actuator command (action units). */
  actuatorNoise: z.number().nonnegative().default(0),
  /** Gaussian noise added to every reported state value. */
  sensorNoise: z.number().nonnegative().default(0),
  /**
   * Hold the robot at its initial state until activated, and start from a fresh initial state on
   * every activation (an operator resetting the rig between runs). Off: physics runs from the start.
   */
  resetOnActivate: z.boolean().default(true),
  /** Multiplies the task's initial-state randomisation. */
  resetNoise: z.number().nonnegative().default(1),
  seed: z.number().int().nonnegative().default(0),
  faults: z.array(faultSchema).default([])
}).strict().superRefine((config, ctx) => {
  if (config.cartesian !== void 0 && config.commandMode !== "cartesian")
    ctx.addIssue({
      code: "custom",
      path: ["cartesian"],
      message: `only for commandMode: cartesian (this rig takes ${config.commandMode} commands)`
    });
  if (config.commandMode !== "cartesian") return;
  if (!config.gravityCompensation)
    ctx.addIssue({
      code: "custom",
      path: ["gravityCompensation"],
      message: "must be true for commandMode: cartesian (the law leaves gravity to the robot, as a Franka does)"
    });
  if (config.safeMode !== "hold")
    ctx.addIssue({
      code: "custom",
      path: ["safeMode"],
      message: "must be hold for commandMode: cartesian (damping alone drops the arm)"
    });
  for (const key of ["kp", "kd"])
    if (!Array.isArray(config[key]) || config[key].length !== 6)
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: `give 6 values for commandMode: cartesian (x, y, z in N/m${key === "kd" ? "*s" : ""}, rx, ry, rz in N*m${key === "kd" ? "*s" : ""}/rad): one value for all axes mixes translation and rotation`
      });
  if (config.limits === void 0) return;
  for (const key of ["targetVelocity", "targetAcceleration", "targetJerk"])
    if (config.limits[key] !== void 0)
      ctx.addIssue({
        code: "custom",
        path: ["limits", key],
        message: "limits joint position targets: a cartesian rig takes pose targets (position mode only)"
      });
});
function parseRigConfig(input) {
  const result = rigConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new RangeError(`invalid rig config: ${issues.join("; ")}`);
}
function loadRigConfig(file) {
  const doc = ConfigDocument.read(file);
  const config = doc.validate(rigConfigSchema, doc.source);
  doc.throwIfProblems();
  return config;
}
export {
  faultSchema,
  loadRigConfig,
  parseRigConfig,
  rigConfigSchema
};
