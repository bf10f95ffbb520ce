/**
 * The MQTT operator channel of a run (`operator.mqtt` in a run config): resolves its options against
 * the robot section (an MQTT robot lends its broker, credentials, topic level and link key) and starts
 * it. Operator commands over MQTT are sealed with the owner's link key, like the robot's commands.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type MqttOperatorOptions,
  MqttOperatorSource,
  mqttOperatorSchema,
} from '../hardware/mqtt/operator.ts';
import { deviceKeyFromEnv } from '../hardware/protocol/auth.ts';
import type { RunConfig } from '../src/config/load.ts';

interface RobotSection {
  url?: string;
  topicPrefix?: string;
  robot?: string;
  username?: string;
  passwordEnv?: string;
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  allowUnauthenticated?: boolean;
  auth?: { keyEnv: string };
}

/** The channel's options, or undefined when the config has no `operator.mqtt`. Errors are located. */
export function mqttOperatorOptions(config: RunConfig): MqttOperatorOptions | undefined {
  const raw = config.operator.mqtt;
  if (raw === undefined) return undefined;
  const parsed = config.document.validate(mqttOperatorSchema, raw, ['operator', 'mqtt']);
  config.document.throwIfProblems();
  if (parsed === undefined) return undefined;
  const robot = (config.robot.options ?? {}) as RobotSection;
  const mqttRobot = config.robot.plugin.kind === 'mqtt';
  const from = <K extends keyof RobotSection>(key: K): RobotSection[K] | undefined =>
    mqttRobot ? robot[key] : undefined;
  const url = parsed.url ?? from('url');
  const robotName = parsed.robot ?? from('robot');
  const problems: [string, string][] = [];
  if (url === undefined) problems.push(['url', 'give the broker URL (the robot is not on MQTT)']);
  if (robotName === undefined) problems.push(['robot', 'give the topic level (the robot is not on MQTT)']);
  const keyEnv = parsed.keyEnv ?? robot.auth?.keyEnv;
  if (keyEnv === undefined) problems.push(['keyEnv', 'name the environment variable of the link key']);
  for (const [key, message] of problems) config.document.report(['operator', 'mqtt', key], message);
  config.document.throwIfProblems();
  const passwordEnv = parsed.passwordEnv ?? (parsed.username === undefined ? from('passwordEnv') : undefined);
  const username = parsed.username ?? from('username');
  let password: string | undefined;
  if (passwordEnv !== undefined) {
    password = process.env[passwordEnv];
    if (password === undefined)
      throw new Error(`operator.mqtt.passwordEnv: environment variable ${passwordEnv} is not set`);
  }
  const tls = parsed.tls ?? from('tls');
  const file = (p: string | undefined) =>
    p === undefined ? undefined : readFileSync(resolve(config.baseDir, p));
  return {
    url: url!,
    topicPrefix: parsed.topicPrefix ?? from('topicPrefix') ?? 'tether',
    robot: robotName!,
    deviceKey: deviceKeyFromEnv(keyEnv!, 'operator.mqtt.keyEnv'),
    allowUnauthenticated: parsed.allowUnauthenticated || (from('allowUnauthenticated') ?? false),
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(tls !== undefined
      ? {
          tls: {
            ...(tls.ca ? { ca: file(tls.ca)! } : {}),
            ...(tls.cert ? { cert: file(tls.cert)! } : {}),
            ...(tls.key ? { key: file(tls.key)! } : {}),
            rejectUnauthorized: tls.rejectUnauthorized,
          },
        }
      : {}),
  };
}

/** Starts the channel before the run (commands are answered "not running yet" until attached). */
export async function startMqttOperator(config: RunConfig): Promise<MqttOperatorSource | undefined> {
  const options = mqttOperatorOptions(config);
  return options === undefined ? undefined : MqttOperatorSource.start(options);
}
