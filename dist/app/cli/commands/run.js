// Compiled from app/cli/commands/run.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/run.ts
import { createInterface } from "node:readline";
import { loadRunConfig } from "../../../src/config/load.js";
import { formatLinkHealth } from "../../../src/core/link-health.js";
import { OperatorConsole } from "../../../src/loop/operator.js";
import { runFromConfig } from "../../../src/loop/runner.js";
import { formatTaskOutcome } from "../../../src/loop/task-outcome.js";
import { startLiveView } from "../../live/live-view.js";
import { startMqttOperator } from "../../operator-mqtt.js";
import { plugins } from "../../plugins.js";
import { runExitCode } from "../exit-code.js";
import { formatMicros } from "../format.js";
function register(program) {
  program.command("run").description("run a controller against a robot (simulated or real) as described by a YAML config").argument("<config>", "run configuration (YAML)").option("-d, --duration <seconds>", "stop after this many seconds of loop time").option("-l, --log <file.mcap>", "log every tick to this MCAP file (overrides log.path)").option("--realtime", "tick on the wall clock (default unless the config says fast)").option("--fast", "tick on a virtual clock, as fast as possible (training, tests)").addHelpText(
    "after",
    "\nExit status: 0 when the run ended with the safety layer clear and its task (task:, if any) succeeded, 2 when it ended latched, 3 when a certificate was violated, 4 when it ended clear but the task failed (its terminal state was reached), 1 on an error."
  ).option(
    "--operator",
    "read operator commands from stdin: estop [reason] | recover | switch NAME | status | command NAME v1 v2 … (default when stdin is a terminal)"
  ).option(
    "--live [port]",
    "serve the live view: Foxglove WebSocket and a web page (default port 8765 or live.port; 0 = any free port)"
  ).action(async (file, flags) => {
    const config = loadRunConfig(file, plugins);
    const duration = parseDuration(flags.duration);
    if (flags.realtime && flags.fast) throw new Error("--realtime and --fast exclude each other");
    const mode = flags.fast ? "fast" : flags.realtime ? "realtime" : void 0;
    const logPath = flags.log;
    const operatorOnStdin = flags.operator || config.operator.stdin || process.stdin.isTTY === true;
    let operatorInput;
    const eventPrinter = {
      emit: (e) => process.stderr.write(`[${e.time.toFixed(3)} s] ${e.kind} (${e.source}): ${e.message}
`)
    };
    const status = process.stderr.isTTY ? new StatusLine() : void 0;
    let signalled;
    let stopLoop;
    const onSignal = (signal) => {
      signalled = signal;
      stopLoop?.();
    };
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    const live = await startLiveView(config, { port: flags.live });
    const mqttOperator = await startMqttOperator(config).catch(async (error) => {
      await live?.close();
      throw error;
    });
    const result = await runFromConfig(
      config,
      { duration, mode, logPath },
      {
        onStart: (loop, robot, logger) => {
          stopLoop = () => loop.stop();
          if (signalled) loop.stop();
          status?.start(loop, robot, logger);
          const operator = new OperatorConsole(loop, robot);
          live?.attach(loop, robot, operator, logger);
          if (operatorOnStdin) operatorInput = readOperatorCommands(loop, operator);
          if (mqttOperator) {
            mqttOperator.onRefused = (reason) => loop.events.emit({
              time: loop.record.deadline,
              kind: "link",
              source: "operator:mqtt",
              message: reason
            });
            mqttOperator.attach(operator);
          }
        },
        events: [eventPrinter, ...live?.events ?? []],
        sinks: live?.sinks ?? []
      }
    ).finally(() => Promise.all([live?.close(), mqttOperator?.close()]));
    operatorInput?.close();
    status?.stop();
    printReport(config.name, result, signalled);
    process.exitCode = runExitCode(result);
  });
}
function parseDuration(text) {
  if (text === void 0) return void 0;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new Error(`--duration: expected a positive number of seconds, got '${text}'`);
  return seconds;
}
function readOperatorCommands(loop, operator) {
  const input = createInterface({ input: process.stdin, terminal: false });
  process.stderr.write(
    `operator: type estop [reason] | recover | switch NAME (${loop.controllers.names.join(", ")}) | status${loop.commands && loop.commands.names.length > 0 ? ` | command NAME v1 v2 … (${loop.commands.names.join(", ")})` : ""}
`
  );
  input.on("line", (line) => {
    void operator.execute(line, "stdin").then((reply) => {
      if (reply.message !== "")
        process.stderr.write(`operator: ${reply.ok ? "" : "refused: "}${reply.message}
`);
    });
  });
  return input;
}
var StatusLine = class {
  timer;
  start(loop, robot, logger) {
    const record = loop.record;
    this.timer = setInterval(() => {
      const controllers = loop.controllers;
      const health = robot.linkHealth?.();
      const link = health === void 0 ? "" : `  link: ${formatLinkHealth(health, true)}`;
      const log = logger === void 0 ? "" : `  log dropped=${logger.droppedTicks}${logger.droppedEvents > 0 ? ` events-lost=${logger.droppedEvents}` : ""}`;
      process.stderr.write(
        `\r  t=${record.deadline.toFixed(1)} s  ticks=${record.tick + 1}  missed=${record.missedDeadlines}  controller=${controllers.activeName}  mode=${record.mode}  safety=${loop.safety.latched ? "LATCHED" : "ok"}${log}${link}   `
      );
    }, 1e3);
    this.timer.unref();
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    process.stderr.write("\n");
  }
};
function printReport(name, result, signalled) {
  const r = result.report;
  const lines = [
    `${name}: ${r.ticks} ticks over ${r.loopSeconds.toFixed(2)} s of loop time (${r.wallSeconds.toFixed(2)} s wall)${signalled === "SIGINT" ? ", stopped by Ctrl-C" : signalled ? `, stopped by ${signalled}` : ""}`,
    `  period error  p50 ${formatMicros(r.periodError.p50)}  p99 ${formatMicros(r.periodError.p99)}  max ${formatMicros(r.periodError.max)}`,
    `  compute time  p50 ${formatMicros(r.computeTime.p50)}  p99 ${formatMicros(r.computeTime.p99)}  max ${formatMicros(r.computeTime.max)}`,
    `  missed deadlines ${r.missedDeadlines}, late results dropped ${r.lateTicks}, safety interventions ${r.safetyInterventions}, controller errors ${r.controllerErrors}`,
    `  controllers: ${r.switches} switch${r.switches === 1 ? "" : "es"} (${r.fallbacks} to the fallback); ${r.activeController} active at the end`,
    `  safety: ${r.certificateViolations > 0 ? `CERTIFICATE VIOLATED (${r.certificateViolation}${r.certificateViolations > 1 ? `; ${r.certificateViolations} violations` : ""})${r.latched ? `, LATCHED (${r.latched})` : ""}` : r.latched ? `LATCHED (${r.latched})` : "ok"}; robot left ${result.robotState}`
  ];
  if (result.link) {
    lines.push(`  link: ${formatLinkHealth(result.link)}`);
    const rig = Object.entries(result.link.counters).filter(([key, n]) => key.startsWith("rig_") && n > 0);
    if (rig.length > 0)
      lines.push(`  rig refused: ${rig.map(([key, n]) => `${key.slice(4)} ${n}`).join(", ")}`);
  }
  if (result.task) lines.push(`  task: ${formatTaskOutcome(result.task)}`);
  const log = result.log;
  if (log)
    lines.push(
      `  log: ${log.path} (${log.ticks} ticks, ${log.events} events, ${log.droppedTicks} dropped, ${log.bytes} bytes)`
    );
  process.stdout.write(`${lines.join("\n")}
`);
}
export {
  register
};
