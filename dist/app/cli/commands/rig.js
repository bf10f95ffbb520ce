// Compiled from app/cli/commands/rig.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/rig.ts
import { writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { RigState, rigStateNames } from "../../../hardware/protocol/messages.js";
import { loadRigConfig, parseRigConfig } from "../../../hardware/rig/config.js";
import { EmulatedRig } from "../../../hardware/rig/rig.js";
import { idleV8Workers } from "../../../src/loop/background-threads.js";
import { describeChange, requestedNice, setThreadNice } from "../../../src/loop/priority.js";
import { quantile } from "../../../src/loop/timing.js";
function register(program) {
  const rig = program.command("rig").description("start the emulated rig: a MuJoCo robot behind the wire protocol, on a socat pty or MQTT").argument("<config>", "rig configuration (YAML, see configs/rig/)").option("--transport <kind>", "override transport.kind: 'serial' or 'mqtt'").option("--link <path>", "serial: base path of the pty pair (the host opens <path>.host)").option("--broker <url>", "mqtt: connect to this broker instead of the config's (or the embedded one)").option("--port <port>", "mqtt: port of the embedded broker (0 = any free port)").option("--stats <file.json>", "write counters, latencies and injected faults here on exit").option("-d, --duration <seconds>", "stop after this many seconds").option("-q, --quiet", "only print the ready line and errors").action(async (file, flags) => {
    const config = withOverrides(loadRigConfig(file), flags);
    const seconds = parseDuration(flags.duration);
    const log = flags.quiet ? () => void 0 : (line) => process.stderr.write(`rig: ${line}
`);
    log(describeChange("rig", setThreadNice(requestedNice())));
    const rig2 = await EmulatedRig.create(config, dirname(resolve(file)), log);
    await rig2.start();
    const v8Workers = await idleV8Workers();
    if (v8Workers !== void 0) log(v8Workers);
    const stopped = untilStopped(rig2, seconds);
    process.stdout.write(
      `rig ${config.name ?? config.model} ready: ${config.transport.kind} ${rig2.hostLink}
`
    );
    const report = await stopped;
    if (flags.stats) writeFileSync(flags.stats, JSON.stringify(report));
    if (!flags.quiet) printSummary(report);
  });
  rig.command("status").description("ask a rig over its link how it is: idle, active or latched and why, ticks, latches, owner").argument("<config>", "the run configuration that drives the rig (its robot: section names the link)").option("--json", "print the answer as JSON").addHelpText(
    "after",
    "\nAnswered to any holder of the link key; reading it commands nothing. Over a serial link only while no run holds the port."
  ).action(async (file, flags) => {
    const robot = await linkRobotOf(file, true);
    try {
      const status = await robot.rigStatus();
      process.stdout.write(
        flags.json ? `${JSON.stringify(describeStatus(status))}
` : formatStatus(status)
      );
    } finally {
      await robot.shutdown();
    }
  });
  rig.command("recover").description("clear a rig's latch as its owner, so the next run activates it without a restart").argument("<config>", "the run configuration that drives the rig (its robot: section names the link)").addHelpText(
    "after",
    "\nTakes the rig the way a run does (the link key, and only while no other run owns it), asks it to recover, and releases it.\nExit status: 0 when the rig is not latched afterwards, 1 on an error."
  ).action(async (file) => {
    const robot = await linkRobotOf(file, false);
    try {
      await robot.configure();
      const before = await robot.rigStatus();
      if (before.state !== RigState.latched) {
        process.stdout.write(`rig is ${rigStateNames[before.state]}, not latched: nothing to recover
`);
        return;
      }
      await robot.recoverRig();
      const after = await robot.rigStatus();
      if (after.state === RigState.latched) throw new Error(`the rig is still latched: ${after.reason}`);
      process.stdout.write(
        `recovered: the rig was latched (${before.reason}); now ${rigStateNames[after.state]}
`
      );
    } finally {
      await robot.shutdown();
    }
  });
}
async function linkRobotOf(file, observer) {
  const [{ loadRunConfig }, { plugins }, { createMqttRobot, mqttRobotSchema }] = await Promise.all([
    import("../../../src/config/load.js"),
    import("../../plugins.js"),
    import("../../../hardware/link/plugins.js")
  ]);
  const config = loadRunConfig(file, plugins);
  const { plugin, options } = config.robot;
  const context = { baseDir: config.baseDir, controlDt: 1 / config.loop.rateHz, seed: config.seed };
  if (plugin.kind === "mqtt") return createMqttRobot(mqttRobotSchema.parse(options), context, observer);
  if (plugin.kind === "serial") return await plugin.create(options, context);
  throw new Error(`${file}: robot.kind is '${plugin.kind}'; a rig answers over a link (kind serial or mqtt)`);
}
function describeStatus(s) {
  return {
    state: rigStateNames[s.state],
    reason: s.reason,
    owned: s.owned,
    ticks: s.ticks,
    latches: s.latches,
    commandsApplied: s.commandsApplied
  };
}
function formatStatus(s) {
  return `${rigStateNames[s.state]}${s.state === RigState.latched ? `: ${s.reason}` : ""}
  owner: ${s.owned ? "a run holds the rig" : "none (free to take)"}
  ${s.ticks} inner-loop ticks, ${s.latches} latch${s.latches === 1 ? "" : "es"}, ${s.commandsApplied} commands applied since the rig started
`;
}
function withOverrides(config, flags) {
  const kind = flags.transport ?? config.transport.kind;
  if (kind !== "serial" && kind !== "mqtt")
    throw new Error(`--transport: expected 'serial' or 'mqtt', got '${kind}'`);
  if (kind === "serial") {
    const current2 = config.transport.kind === "serial" ? config.transport : void 0;
    const link = flags.link === void 0 ? current2?.link : resolve(flags.link);
    if (link === void 0)
      throw new Error("--transport serial needs --link <path> (or transport.link in the config)");
    return parseRigConfig({ ...config, transport: { kind, link, baudRate: current2?.baudRate ?? 1e6 } });
  }
  const current = config.transport.kind === "mqtt" ? config.transport : { kind: "mqtt" };
  const port = flags.port === void 0 ? void 0 : Number(flags.port);
  if (port !== void 0 && !(Number.isInteger(port) && port >= 0 && port < 65536)) {
    throw new Error(`--port: expected a port number, got '${flags.port}'`);
  }
  const listen = "listen" in current ? current.listen : void 0;
  return parseRigConfig({
    ...config,
    transport: {
      ...current,
      ...flags.broker !== void 0 ? { url: flags.broker } : {},
      ...port !== void 0 ? { listen: { ...listen, port } } : {}
    }
  });
}
function parseDuration(duration) {
  if (duration === void 0) return void 0;
  const seconds = Number(duration);
  if (!(seconds > 0)) throw new Error(`--duration: expected a positive number of seconds, got '${duration}'`);
  return seconds;
}
function untilStopped(rig, seconds) {
  return new Promise((done) => {
    let stopping = false;
    let timer;
    const stop = () => {
      if (stopping) return;
      stopping = true;
      clearTimeout(timer);
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      rig.stop().then(done, (error) => {
        process.stderr.write(`rig: error while stopping: ${error.message}
`);
        done(rig.report);
      });
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (seconds !== void 0) timer = setTimeout(stop, seconds * 1e3);
  });
}
function printSummary(r) {
  const sorted = Float64Array.from(r.latencyUs).sort();
  const latency = sorted.length === 0 ? "no command answered a state" : `p50 ${quantile(sorted, 0.5).toFixed(0)} us  p99 ${quantile(sorted, 0.99).toFixed(0)} us  max ${sorted[sorted.length - 1].toFixed(0)} us`;
  process.stderr.write(
    `rig ${r.name}: ${r.statesSent} states sent, ${r.commandsReceived} commands received, ${r.counters.crcErrors} CRC errors, ${r.decodeErrors} undecodable, ${r.overruns} overruns
  state->command latency ${latency}
`
  );
}
export {
  register
};
