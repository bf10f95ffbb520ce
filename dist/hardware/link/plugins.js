// Compiled from hardware/link/plugins.ts by `npm run build`: edit the source, not this file.

// hardware/link/plugins.ts
import { resolve } from "node:path";
import { z } from "zod";
import { deviceKeyFromEnv } from "../protocol/auth.js";
import { LinkRobot } from "./link-robot.js";
import { defaultPlausibility } from "./plausibility.js";
var linkOptions = {
  helloTimeoutMs: z.number().int().positive().default(5e3),
  requestTimeoutMs: z.number().int().positive().default(1e3),
  heartbeatMs: z.number().int().positive().default(100),
  /** The rig must introduce itself with this name (guards against driving the wrong robot). */
  expectName: z.string().optional(),
  /**
   * The robot this link must present, as one of our models (`tether sim list`) and its task: lets
   * `tether config check` check signal names and contracts without connecting, and a run refuses a
   * rig whose HELLO announces other signals, units, limits or command mode.
   */
  expect: z.object({ model: z.string(), task: z.string().optional() }).strict().optional(),
  gains: z.object({ kp: z.array(z.number().nonnegative()), kd: z.array(z.number().nonnegative()) }).strict().optional(),
  /**
   * `{ mode: pd, damping }`: the action carries, per joint, a position target, kp and kd (as a sim
   * robot's pd drive does), sent with every command to a position-mode rig with the pd-gains
   * feature; the safe action is damping (kp 0, kd `damping`). Without it the action is the rig's own
   * (torques, or targets with `gains` fixed for the run).
   */
  drive: z.object({
    mode: z.literal("pd"),
    damping: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(1),
    maxKp: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(1e3),
    maxKd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(100)
  }).strict().optional(),
  /**
   * The link key this runtime shares with the rig: the name of the environment variable holding it
   * (hex). Sessions, and so every frame either way, are authenticated with it (docs/security.md).
   */
  auth: z.object({ keyEnv: z.string().min(1).default("TETHER_LINK_KEY") }).strict().default({ keyEnv: "TETHER_LINK_KEY" }),
  /** Plausibility monitors on the joint readings (docs/security.md); `false` turns them off. */
  plausibility: z.union([
    z.literal(false),
    z.object({
      windowCycles: z.number().int().min(2).default(defaultPlausibility.windowCycles),
      minMotion: z.number().nonnegative().default(defaultPlausibility.minMotion),
      stillVelocity: z.number().nonnegative().default(defaultPlausibility.stillVelocity),
      minEffortChange: z.number().positive().default(defaultPlausibility.minEffortChange),
      jumpTolerance: z.number().positive().default(defaultPlausibility.jumpTolerance),
      frozen: z.boolean().default(defaultPlausibility.frozen)
    }).strict()
  ]).default({ ...defaultPlausibility }),
  /** A state sequence number jumping further than this many seconds of states is refused. */
  maxSequenceGapS: z.number().positive().default(10)
};
function linkRobotOptions(o) {
  return {
    helloTimeoutMs: o.helloTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs,
    heartbeatMs: o.heartbeatMs,
    deviceKey: deviceKeyFromEnv(o.auth.keyEnv, "robot.auth.keyEnv"),
    plausibility: o.plausibility,
    maxSequenceGapS: o.maxSequenceGapS,
    ...o.expectName !== void 0 ? { expectName: o.expectName } : {},
    ...o.gains !== void 0 ? { gains: o.gains } : {},
    ...o.drive !== void 0 ? { drive: o.drive } : {}
  };
}
var serialRobotSchema = z.object({
  /** Device path: /dev/ttyACM0, or the host end of a `tether rig` pty (relative to the config file). */
  path: z.string().min(1),
  baudRate: z.number().int().positive().default(1e6),
  reconnectMs: z.number().int().positive().default(200),
  ...linkOptions
}).strict();
var copy = (v) => typeof v === "number" ? v : [...v];
function offlineLink(info) {
  if (info === void 0) return void 0;
  return {
    ...info,
    capabilities: { minRateHz: 1, maxRateHz: Number.POSITIVE_INFINITY, lockStep: false, features: [] }
  };
}
async function describeExpected(expect, context, drive) {
  if (expect === void 0) return void 0;
  const { simRobotPlugin } = await import("../../sim/sim-robot.js");
  const { modelEntry } = await import("../../sim/models/index.js");
  const specContext = { ...context, controlDt: 1 / modelEntry(expect.model).defaultRateHz };
  const info = await simRobotPlugin.describe(
    {
      model: expect.model,
      ...expect.task !== void 0 ? { task: expect.task } : {},
      // The same pd drive on the model gives the signals a pd-drive link presents.
      ...drive !== void 0 ? {
        drive: {
          mode: "pd",
          damping: copy(drive.damping),
          maxKp: copy(drive.maxKp),
          maxKd: copy(drive.maxKd),
          fault: "damping",
          holdKp: 0,
          holdKd: 0,
          gravityCompensation: false
        }
      } : {}
    },
    specContext
  );
  if (info === void 0) return void 0;
  const { plant: _plant, ...presented } = info;
  return presented;
}
var serialRobotPlugin = {
  kind: "serial",
  describe: async (options, context) => offlineLink(await describeExpected(options.expect, context, options.drive)),
  description: "a robot (or `tether rig`) on a serial port: COBS + CRC-32 framed tether protocol",
  schema: serialRobotSchema,
  async create(options, context) {
    const path = options.path.startsWith("/") ? options.path : resolve(context.baseDir, options.path);
    const { SerialTransport } = await import("./serial-transport.js");
    const transport = new SerialTransport({
      path,
      baudRate: options.baudRate,
      reconnectMs: options.reconnectMs
    });
    return new LinkRobot(transport, "serial", linkRobotOptions(options));
  }
};
var mqttRobotSchema = z.object({
  /** Robot name: the topic level under `topicPrefix`. */
  robot: z.string().min(1),
  /** Broker URL; the default is the broker `tether rig` embeds on loopback. */
  url: z.string().default("mqtt://127.0.0.1:1883"),
  topicPrefix: z.string().min(1).default("tether"),
  username: z.string().optional(),
  /** Name of the environment variable holding the password (keeps secrets out of config files). */
  passwordEnv: z.string().optional(),
  tls: z.object({
    ca: z.string().optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().default(true)
  }).strict().optional(),
  keepaliveS: z.number().int().positive().default(2),
  reconnectMs: z.number().int().positive().default(500),
  connectTimeoutMs: z.number().int().positive().default(3e3),
  /** Accept an unauthenticated broker beyond loopback. Anyone on that network can then command the robot. */
  allowUnauthenticated: z.boolean().default(false),
  ...linkOptions
}).strict();
var mqttRobotPlugin = {
  kind: "mqtt",
  describe: async (options, context) => offlineLink(await describeExpected(options.expect, context, options.drive)),
  description: "a robot (or `tether rig`) over MQTT: one topic per message type, last-will disconnect detection",
  schema: mqttRobotSchema,
  create: (options, context) => createMqttRobot(options, context)
};
async function createMqttRobot(options, context, observer = false) {
  let password;
  if (options.passwordEnv !== void 0) {
    password = process.env[options.passwordEnv];
    if (password === void 0) {
      throw new Error(`robot.passwordEnv: environment variable ${options.passwordEnv} is not set`);
    }
  }
  const file = (p) => p === void 0 ? void 0 : resolve(context.baseDir, p);
  const tls = options.tls;
  const { MqttTransport } = await import("../mqtt/transport.js");
  const transport = new MqttTransport({
    url: options.url,
    robot: options.robot,
    role: "host",
    topicPrefix: options.topicPrefix,
    keepaliveS: options.keepaliveS,
    reconnectMs: options.reconnectMs,
    connectTimeoutMs: options.connectTimeoutMs,
    allowUnauthenticated: options.allowUnauthenticated,
    observer,
    ...options.username !== void 0 ? { username: options.username } : {},
    ...password !== void 0 ? { password } : {},
    ...tls !== void 0 ? {
      tls: {
        ca: file(tls.ca),
        cert: file(tls.cert),
        key: file(tls.key),
        rejectUnauthorized: tls.rejectUnauthorized
      }
    } : {}
  });
  return new LinkRobot(transport, "mqtt", linkRobotOptions(options));
}
export {
  createMqttRobot,
  mqttRobotPlugin,
  mqttRobotSchema,
  serialRobotPlugin,
  serialRobotSchema
};
