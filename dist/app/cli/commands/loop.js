// Compiled from app/cli/commands/loop.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/loop.ts
import { constants as osConstants } from "node:os";
import { useTestLinkKey } from "../../../hardware/tools/processes.js";
import { loadRunConfig } from "../../../src/config/load.js";
import { formatTaskOutcome } from "../../../src/loop/task-outcome.js";
import { startLiveView } from "../../live/live-view.js";
import { runClosedLoop } from "../../loop/closed-loop.js";
import { loadLoopConfig } from "../../loop/config.js";
import { plugins } from "../../plugins.js";
function register(program) {
  program.command("loop").description(
    "the closed sim-to-real loop: rounds of deploy → log → fine-tune → gate → swap on a running robot (docs/closed-loop.md)"
  ).argument("<config>", "loop config (see configs/loop/)").option("--rounds <n>", "rounds, overriding the config").option("--live [port]", "serve the live view of the run (Foxglove WebSocket and a web page)").option("--quiet", "no status line and no events on stderr").option("--test-key", "use the public test link key when TETHER_LINK_KEY is unset (emulated rigs only)").addHelpText(
    "after",
    "\nCtrl-C (SIGINT), SIGTERM or SIGHUP stops the loop cleanly: the round in progress ends at a tick boundary, the robot stops through its safe stop, then the learner and the rig; the logs are closed and what finished is printed.\nExit status: 0 when every round finished, 2 when the loop could not finish its rounds (it ended latched), 128 + the signal number when it was stopped by one (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP), 1 on an error."
  ).action(async (file, flags) => {
    const loaded = loadLoopConfig(file);
    const rounds = flags.rounds === void 0 ? void 0 : Number.parseInt(flags.rounds, 10);
    if (rounds !== void 0 && !(rounds > 0))
      throw new Error(`--rounds: expected a positive integer, got '${flags.rounds}'`);
    const config = rounds === void 0 ? loaded : { ...loaded, rounds };
    if (flags.testKey) useTestLinkKey();
    const tty = process.stderr.isTTY === true;
    const status = flags.quiet ? void 0 : (line) => process.stderr.write(tty ? `\r\x1B[2K${line}` : `${line}
`);
    const printer = {
      emit: (e) => {
        if (flags.quiet) return;
        if (e.source === "loop" || e.kind === "controller-switch" || e.kind === "fault")
          process.stderr.write(
            `${tty ? "\r\x1B[2K" : ""}[${e.time.toFixed(1)} s] ${e.kind} (${e.source}): ${e.message}
`
          );
      }
    };
    const live = flags.live === void 0 ? void 0 : await startLiveView(loadRunConfig(config.run, plugins), { port: flags.live });
    const stop = new AbortController();
    const onSignal = (signal) => {
      if (stop.signal.aborted) {
        process.stderr.write(
          `
${signal}: still stopping (the robot is being put in its safe state); SIGKILL abandons it
`
        );
        return;
      }
      stop.abort(signal);
    };
    const signals = ["SIGINT", "SIGTERM", "SIGHUP"];
    for (const signal of signals) process.on(signal, onSignal);
    let result;
    try {
      result = await runClosedLoop(config, {
        stop: stop.signal,
        ...status ? { status } : {},
        sinks: live?.sinks ?? [],
        events: [printer, ...live?.events ?? []],
        onStart: (loop, robot, operator) => live?.attach(loop, robot, operator)
      });
    } finally {
      for (const signal of signals) process.off(signal, onSignal);
      await live?.close();
    }
    if (tty && status) process.stderr.write("\n");
    process.stdout.write(formatLoopResult(result));
    process.exitCode = loopExitCode(result);
  });
}
function loopExitCode(r) {
  if (r.interrupted !== void 0) {
    const number = osConstants.signals[r.interrupted.reason];
    return number === void 0 ? 1 : 128 + number;
  }
  return r.latched ? 2 : 0;
}
function formatLoopResult(r) {
  const lines = [
    `${r.name}: ${r.rounds.length} round${r.rounds.length === 1 ? "" : "s"} in ${r.wallSeconds.toFixed(0)} s`
  ];
  if (r.interrupted)
    lines.push(
      `  INTERRUPTED by ${r.interrupted.reason} in round ${r.interrupted.round} (${r.interrupted.phase}): stopped at a tick boundary; the robot stopped through its safe stop, the learner and the rig after it; logs closed. The rounds below finished.`
    );
  lines.push(
    "  round  version  real return (mean ± std, episodes, falls)  real data used  candidate  outcome"
  );
  for (const k of r.rounds) {
    lines.push(
      `  ${String(k.round).padEnd(5)}  ${k.version.padEnd(7)}  ${k.real.meanReturn.toFixed(2)} ± ${k.real.stdReturn.toFixed(2)} (${k.real.episodes}, ${k.real.falls})`.padEnd(
        64
      ) + `  ${k.realTransitionsUsed ?? "-"}`.padEnd(15) + `  ${k.candidate ? `${k.candidate.version} ${k.candidate.sha256.slice(0, 8)}` : "-"}`.padEnd(20) + `  ${k.outcome}: ${k.detail}`
    );
  }
  if (r.final)
    lines.push(
      `  final  ${r.final.version.padEnd(7)}  ${r.final.real.meanReturn.toFixed(2)} ± ${r.final.real.stdReturn.toFixed(2)} (${r.final.real.episodes}, ${r.final.real.falls})`
    );
  const t = r.report;
  lines.push(
    `  loop: ${t.ticks} ticks, period error p99 ${(t.periodError.p99 * 1e6).toFixed(0)} µs max ${(t.periodError.max * 1e6).toFixed(0)} µs, missed deadlines ${t.missedDeadlines}, ${t.switches} switches${r.latched ? `, ended LATCHED (${r.latched})` : r.interrupted ? ", stopped through the safe stop" : ", ended in the safe state between episodes"}`
  );
  if (r.task) lines.push(`  task (every episode, exploring ones included): ${formatTaskOutcome(r.task)}`);
  lines.push(`  output: ${r.output} (summary.json, ledger.jsonl, returns.svg, round-*.mcap, round-*/)`);
  return `${lines.join("\n")}
`;
}
export {
  formatLoopResult,
  loopExitCode,
  register
};
