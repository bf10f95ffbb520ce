// Compiled from app/cli/commands/log.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/log.ts
import { formatLinkHealth } from "../../../src/core/link-health.js";
import { readLog } from "../../../src/logging/reader.js";
import { summarizeLog } from "../../../src/logging/stats.js";
import { formatTaskOutcome } from "../../../src/loop/task-outcome.js";
import { formatMicros } from "../format.js";
function register(program) {
  const log = program.command("log").description("inspect MCAP logs written by `tether run --log`");
  log.command("info").description("summarise a log: channels, ticks, timing, safety interventions, faults").argument("<file>", "MCAP log file").option("--json", "print the summary as JSON").action(async (file, flags) => {
    const report = summarizeLog(await readLog(file));
    process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}
` : formatReport(report));
  });
}
function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
function formatBytes(bytes) {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(1)} KiB`;
  return `${bytes} B`;
}
function formatSpread(spread) {
  if (!spread) return "n/a";
  return `p50 ${formatMicros(spread.p50)}  p99 ${formatMicros(spread.p99)}  max ${formatMicros(spread.max)}`;
}
function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows.map((row) => `  ${row.map((cell, i) => cell.padEnd(widths[i])).join("  ")}`.trimEnd());
}
function formatReport(r) {
  const lines = [];
  const line = (label, value) => lines.push(`${label.padEnd(18)}${value}`);
  line("file", `${r.path} (${formatBytes(r.bytes)}, ${r.chunks} chunks)`);
  line("status", r.truncated ? `TRUNCATED: ${r.truncation}` : "complete");
  if (r.robot) {
    const { name, transport, observations, actions } = r.robot;
    line(
      "robot",
      `${name} (${transport}), ${plural(observations, "observation")}, ${plural(actions, "action")}`
    );
  }
  if (r.controller !== void 0) line("controller", r.controller);
  if (r.startedAt !== void 0) line("started", r.startedAt);
  const nominal = r.nominalRateHz === void 0 ? "" : `nominal ${r.nominalRateHz} Hz, `;
  const measured = r.measuredRateHz === void 0 ? "measured n/a" : `measured ${r.measuredRateHz.toFixed(2)} Hz`;
  line("tick rate", nominal + measured);
  line("duration", `${r.durationS.toFixed(3)} s of loop time`);
  const losses = [
    `${r.missingTicks} missing`,
    r.droppedTicks === void 0 ? void 0 : `${r.droppedTicks} dropped by the logger${r.droppedAsOf === void 0 ? "" : ` by ${r.droppedAsOf.toFixed(1)} s, its last count before the log ends`}`,
    r.droppedEvents ? `${r.droppedEvents} events not logged` : void 0,
    r.incompleteTicks > 0 ? `${r.incompleteTicks} incomplete` : void 0
  ].filter((part) => part !== void 0);
  line("ticks", `${r.ticks} (${losses.join(", ")})`);
  line("period error", formatSpread(r.periodError));
  line("compute time", formatSpread(r.computeTime));
  line("missed deadlines", String(r.missedDeadlines));
  const flags = Object.entries(r.safety.byFlag).map(([flag, count]) => `${flag} ${count}`).join(", ");
  line("safety", `${r.safety.ticksWithInterventions} ticks with interventions${flags ? ` (${flags})` : ""}`);
  const kinds = Object.entries(r.events.byKind).map(([kind, count]) => `${kind} ${count}`).join(", ");
  line("events", `${r.events.count}${kinds ? ` (${kinds})` : ""}`);
  for (const fault of r.events.faults) {
    lines.push(`  t=${fault.time.toFixed(3)} s  ${fault.kind} from ${fault.source}: ${fault.message}`);
  }
  if (r.task) line("task", formatTaskOutcome(r.task));
  if (r.link) {
    const { last, samples } = r.link;
    line("link", `${formatLinkHealth(last)} (${plural(samples, "sample")})`);
    const rig = Object.entries(last.counters).filter(([key]) => key.startsWith("rig_"));
    if (rig.length > 0) line("rig refused", rig.map(([key, n]) => `${key.slice(4)} ${n}`).join(", "));
    if (r.link.session !== void 0) line("session", r.link.session);
  }
  lines.push("channels");
  lines.push(
    ...table([
      ["topic", "schema", "encoding", "messages"],
      ...r.channels.map((c) => [c.topic, c.schemaName, c.messageEncoding, String(c.messageCount)])
    ])
  );
  return `${lines.join("\n")}
`;
}
export {
  formatReport,
  register
};
