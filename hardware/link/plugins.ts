import { resolve } from 'node:path';
import { z } from 'zod';
import type { PluginContext, RobotPlugin } from '../../src/config/plugin.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { deviceKeyFromEnv } from '../protocol/auth.ts';
import { LinkRobot, type LinkRobotOptions } from './link-robot.ts';
import { defaultPlausibility } from './plausibility.ts';

/** Options every link robot shares, whatever carries the bytes. */
const linkOptions = {
  helloTimeoutMs: z.number().int().positive().default(5000),
  requestTimeoutMs: z.number().int().positive().default(1000),
  heartbeatMs: z.number().int().positive().default(100),
  /** The rig must introduce itself with this name (guards against driving the wrong robot). */
  expectName: z.string().optional(),
  /**
   * The robot this link must present, as one of our models (`tether sim list`) and its task: lets
   * `tether config check` check signal names and contracts without connecting, and a run refuses a
   * rig whose HELLO announces other signals, units, limits or command mode.
   */
  expect: z.object({ model: z.string(), task: z.string().optional() }).strict().optional(),
  gains: z
    .object({ kp: z.array(z.number().nonnegative()), kd: z.array(z.number().nonnegative()) })
    .strict()
    .optional(),
  /**
   * `{ mode: pd, damping }`: the action carries, per joint, a position target, kp and kd (as a sim
   * robot's pd drive does), sent with every command to a position-mode rig with the pd-gains
   * feature; the safe action is damping (kp 0, kd `damping`). Without it the action is the rig's own
   * (torques, or targets with `gains` fixed for the run).
   */
  drive: z
    .object({
      mode: z.literal('pd'),
      damping: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(1),
      maxKp: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(1000),
      maxKd: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).default(100),
    })
    .strict()
    .optional(),
  /**
   * The link key this runtime shares with the rig: the name of the environment variable holding it
   * (hex). Sessions, and so every frame either way, are authenticated with it (docs/security.md).
   */
  auth: z
    .object({ keyEnv: z.string().min(1).default('TETHER_LINK_KEY') })
    .strict()
    .default({ keyEnv: 'TETHER_LINK_KEY' }),
  /** Plausibility monitors on the joint readings (docs/security.md); `false` turns them off. */
  plausibility: z
    .union([
      z.literal(false),
      z
        .object({
          windowCycles: z.number().int().min(2).default(defaultPlausibility.windowCycles),
          minMotion: z.number().nonnegative().default(defaultPlausibility.minMotion),
          stillVelocity: z.number().nonnegative().default(defaultPlausibility.stillVelocity),
          minEffortChange: z.number().positive().default(defaultPlausibility.minEffortChange),
          jumpTolerance: z.number().positive().default(defaultPlausibility.jumpTolerance),
          frozen: z.boolean().default(defaultPlausibility.frozen),
        })
        .strict(),
    ])
    .default({ ...defaultPlausibility }),
  /** A state sequence number jumping further than this many seconds of states is refused. */
  maxSequenceGapS: z.number().positive().default(10),
};

function linkRobotOptions(o: z.output<z.ZodObject<typeof linkOptions>>): LinkRobotOptions {
  return {
    helloTimeoutMs: o.helloTimeoutMs,
    requestTimeoutMs: o.requestTimeoutMs,
    heartbeatMs: o.heartbeatMs,
    deviceKey: deviceKeyFromEnv(o.auth.keyEnv, 'robot.auth.keyEnv'),
    plausibility: o.plausibility,
    maxSequenceGapS: o.maxSequenceGapS,
    ...(o.expectName !== undefined ? { expectName: o.expectName } : {}),
    ...(o.gains !== undefined ? { gains: o.gains } : {}),
    ...(o.drive !== undefined ? { drive: o.drive } : {}),
  };
}

export const serialRobotSchema = z
  .object({
    /** Device path: /dev/ttyACM0, or the host end of a `tether rig` pty (relative to the config file). */
    path: z.string().min(1),
    baudRate: z.number().int().positive().default(1_000_000),
    reconnectMs: z.number().int().positive().default(200),
    ...linkOptions,
  })
  .strict();

/** The specs of the model a link config says it expects, without opening the link. */
const copy = (v: number | readonly number[]): number | number[] => (typeof v === 'number' ? v : [...v]);

/**
 * The expected model's signals, with the rates a link may offer: only its HELLO tells (a 1 kHz rig of
 * a model simulated at 2 ms), so offline checks do not hold the loop rate to the simulator's.
 */
function offlineLink(info: RobotInfo | undefined): RobotInfo | undefined {
  if (info === undefined) return undefined;
  return {
    ...info,
    capabilities: { minRateHz: 1, maxRateHz: Number.POSITIVE_INFINITY, lockStep: false, features: [] },
  };
}

async function describeExpected(
  expect: { model: string; task?: string | undefined } | undefined,
  context: PluginContext,
  drive?: LinkRobotOptions['drive'],
): Promise<RobotInfo | undefined> {
  if (expect === undefined) return undefined;
  // Loaded on demand: only `config check` and the run's HELLO comparison need the model's specs.
  const { simRobotPlugin } = await import('../../sim/sim-robot.ts');
  const { modelEntry } = await import('../../sim/models/index.ts');
  // The specs do not depend on the rate: describe at the model's own rate (a 1 kHz link loop need
  // not be a whole number of the simulator's physics steps).
  const specContext = { ...context, controlDt: 1 / modelEntry(expect.model).defaultRateHz };
  const info = await simRobotPlugin.describe!(
    {
      model: expect.model,
      ...(expect.task !== undefined ? { task: expect.task } : {}),
      // The same pd drive on the model gives the signals a pd-drive link presents.
      ...(drive !== undefined
        ? {
            drive: {
              mode: 'pd' as const,
              damping: copy(drive.damping),
              maxKp: copy(drive.maxKp),
              maxKd: copy(drive.maxKd),
              fault: 'damping' as const,
              holdKp: 0,
              holdKd: 0,
              gravityCompensation: false,
            },
          }
        : {}),
    },
    specContext,
  );
  if (info === undefined) return undefined;
  // A link presents the model's signals, not its simulator: the plant behind it is unknown.
  const { plant: _plant, ...presented } = info;
  return presented;
}

export const serialRobotPlugin: RobotPlugin<z.output<typeof serialRobotSchema>> = {
  kind: 'serial',
  describe: async (options, context) =>
    offlineLink(await describeExpected(options.expect, context, options.drive)),
  description: 'a robot (or `tether rig`) on a serial port: COBS + CRC-32 framed tether protocol',
  schema: serialRobotSchema,
  async create(options, context) {
    const path = options.path.startsWith('/') ? options.path : resolve(context.baseDir, options.path);
    // The transport (and the serial port's native binding) loads only for a run that uses it.
    const { SerialTransport } = await import('./serial-transport.ts');
    const transport = new SerialTransport({
      path,
      baudRate: options.baudRate,
      reconnectMs: options.reconnectMs,
    });
    return new LinkRobot(transport, 'serial', linkRobotOptions(options));
  },
};

export const mqttRobotSchema = z
  .object({
    /** Robot name: the topic level under `topicPrefix`. */
    robot: z.string().min(1),
    /** Broker URL; the default is the broker `tether rig` embeds on loopback. */
    url: z.string().default('mqtt://127.0.0.1:1883'),
    topicPrefix: z.string().min(1).default('tether'),
    username: z.string().optional(),
    /** Name of the environment variable holding the password (keeps secrets out of config files). */
    passwordEnv: z.string().optional(),
    tls: z
      .object({
        ca: z.string().optional(),
        cert: z.string().optional(),
        key: z.string().optional(),
        rejectUnauthorized: z.boolean().default(true),
      })
      .strict()
      .optional(),
    keepaliveS: z.number().int().positive().default(2),
    reconnectMs: z.number().int().positive().default(500),
    connectTimeoutMs: z.number().int().positive().default(3000),
    /** Accept an unauthenticated broker beyond loopback. Anyone on that network can then command the robot. */
    allowUnauthenticated: z.boolean().default(false),
    ...linkOptions,
  })
  .strict();

export const mqttRobotPlugin: RobotPlugin<z.output<typeof mqttRobotSchema>> = {
  kind: 'mqtt',
  describe: async (options, context) =>
    offlineLink(await describeExpected(options.expect, context, options.drive)),
  description:
    'a robot (or `tether rig`) over MQTT: one topic per message type, last-will disconnect detection',
  schema: mqttRobotSchema,
  create: (options, context) => createMqttRobot(options, context),
};

/**
 * The robot of an `mqtt` robot section; an `observer` never announces itself on the broker (status
 * requests beside a running owner, `tether rig status`).
 */
export async function createMqttRobot(
  options: z.output<typeof mqttRobotSchema>,
  context: PluginContext,
  observer = false,
): Promise<LinkRobot> {
  let password: string | undefined;
  if (options.passwordEnv !== undefined) {
    password = process.env[options.passwordEnv];
    if (password === undefined) {
      throw new Error(`robot.passwordEnv: environment variable ${options.passwordEnv} is not set`);
    }
  }
  const file = (p: string | undefined) => (p === undefined ? undefined : resolve(context.baseDir, p));
  const tls = options.tls;
  // The MQTT client loads only for a run that uses it.
  const { MqttTransport } = await import('../mqtt/transport.ts');
  const transport = new MqttTransport({
    url: options.url,
    robot: options.robot,
    role: 'host',
    topicPrefix: options.topicPrefix,
    keepaliveS: options.keepaliveS,
    reconnectMs: options.reconnectMs,
    connectTimeoutMs: options.connectTimeoutMs,
    allowUnauthenticated: options.allowUnauthenticated,
    observer,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls !== undefined
      ? {
          tls: {
            ca: file(tls.ca),
            cert: file(tls.cert),
            key: file(tls.key),
            rejectUnauthorized: tls.rejectUnauthorized,
          },
        }
      : {}),
  });
  return new LinkRobot(transport, 'mqtt', linkRobotOptions(options));
}
