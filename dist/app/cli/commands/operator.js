// Compiled from app/cli/commands/operator.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/operator.ts
import { MqttOperatorClient } from "../../../hardware/mqtt/operator.js";
import { loadRunConfig } from "../../../src/config/load.js";
import { mqttOperatorOptions } from "../../operator-mqtt.js";
import { plugins } from "../../plugins.js";
function register(program) {
  program.command("operator").description(
    "send one operator command to a running `tether run` over MQTT (its config's operator.mqtt), sealed with the link key"
  ).argument("<config>", "the run configuration the runtime was started with").argument("<command...>", "estop [reason] | recover | switch NAME | status | command NAME v1 v2 …").option("--timeout <ms>", "how long to wait for the run and its reply", "5000").addHelpText(
    "after",
    "\nExit status: 0 when the run accepted the command, 3 when it refused it, 1 on an error."
  ).action(async (file, words, flags) => {
    const config = loadRunConfig(file, plugins);
    const options = mqttOperatorOptions(config);
    if (options === void 0)
      throw new Error(`${file}: no operator.mqtt section; the run takes no operator commands over MQTT`);
    const timeout = Number(flags.timeout);
    const client = await MqttOperatorClient.connect(options, timeout);
    try {
      const reply = await client.send(words.join(" "), timeout);
      process.stdout.write(
        `${reply.ok ? "" : "refused: "}${reply.message}${reply.authenticated ? "" : " (unauthenticated reply)"}
`
      );
      if (!reply.ok) process.exitCode = 3;
    } finally {
      await client.close();
    }
  });
}
export {
  register
};
