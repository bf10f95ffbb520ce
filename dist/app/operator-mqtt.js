// Compiled from app/operator-mqtt.ts by `npm run build`: edit the source, not this file.

// app/operator-mqtt.ts
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  MqttOperatorSource,
  mqttOperatorSchema
} from "../hardware/mqtt/operator.js";
import { deviceKeyFromEnv } from "../hardware/protocol/auth.js";
function mqttOperatorOptions(config) {
  const raw = config.operator.mqtt;
  if (raw === void 0) return void 0;
  const parsed = config.document.validate(mqttOperatorSchema, raw, ["operator", "mqtt"]);
  config.document.throwIfProblems();
  if (parsed === void 0) return void 0;
  const robot = config.robot.options ?? {};
  const mqttRobot = config.robot.plugin.kind === "mqtt";
  const from = (key) => mqttRobot ? robot[key] : void 0;
  const url = parsed.url ?? from("url");
  const robotName = parsed.robot ?? from("robot");
  const problems = [];
  if (url === void 0) problems.push(["url", "give the broker URL (the robot is not on MQTT)"]);
  if (robotName === void 0) problems.push(["robot", "give the topic level (the robot is not on MQTT)"]);
  const keyEnv = parsed.keyEnv ?? robot.auth?.keyEnv;
  if (keyEnv === void 0) problems.push(["keyEnv", "name the environment variable of the link key"]);
  for (const [key, message] of problems) config.document.report(["operator", "mqtt", key], message);
  config.document.throwIfProblems();
  const passwordEnv = parsed.passwordEnv ?? (parsed.username === void 0 ? from("passwordEnv") : void 0);
  const username = parsed.username ?? from("username");
  let password;
  if (passwordEnv !== void 0) {
    password = process.env[passwordEnv];
    if (password === void 0)
      throw new Error(`operator.mqtt.passwordEnv: environment variable ${passwordEnv} is not set`);
  }
  const tls = parsed.tls ?? from("tls");
  const file = (p) => p === void 0 ? void 0 : readFileSync(resolve(config.baseDir, p));
  return {
    url,
    topicPrefix: parsed.topicPrefix ?? from("topicPrefix") ?? "tether",
    robot: robotName,
    deviceKey: deviceKeyFromEnv(keyEnv, "operator.mqtt.keyEnv"),
    allowUnauthenticated: parsed.allowUnauthenticated || (from("allowUnauthenticated") ?? false),
    ...username !== void 0 ? { username } : {},
    ...password !== void 0 ? { password } : {},
    ...tls !== void 0 ? {
      tls: {
        ...tls.ca ? { ca: file(tls.ca) } : {},
        ...tls.cert ? { cert: file(tls.cert) } : {},
        ...tls.key ? { key: file(tls.key) } : {},
        rejectUnauthorized: tls.rejectUnauthorized
      }
    } : {}
  };
}
async function startMqttOperator(config) {
  const options = mqttOperatorOptions(config);
  return options === void 0 ? void 0 : MqttOperatorSource.start(options);
}
export {
  mqttOperatorOptions,
  startMqttOperator
};
