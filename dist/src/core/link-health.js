// Compiled from src/core/link-health.ts by `npm run build`: edit the source, not this file.

// src/core/link-health.ts
var linkSummaryCounters = [
  "crcErrors",
  "decodeErrors",
  "shapeErrors",
  "nonFinite",
  "sequenceErrors",
  "statesLost",
  "duplicates",
  "forged",
  "replayed",
  "foreignSession",
  "unauthenticated",
  "intrusions",
  "implausible"
];
function formatLinkHealth(health, short = false) {
  const labels = {
    crcErrors: "crc",
    decodeErrors: "decode",
    shapeErrors: "shape",
    nonFinite: "non-finite",
    sequenceErrors: "sequence",
    statesLost: "lost",
    duplicates: "dup",
    forged: "forged",
    replayed: "replayed",
    foreignSession: "foreign",
    unauthenticated: "unauth",
    intrusions: "intrusions",
    implausible: "implausible"
  };
  const parts = [];
  for (const key of linkSummaryCounters) {
    const value = health.counters[key];
    if (value === void 0) continue;
    if (short && value === 0 && key !== "intrusions") continue;
    parts.push(`${labels[key]} ${value}`);
  }
  const rtt = health.roundTripMs;
  if (rtt !== void 0)
    parts.push(
      short ? `rtt ${rtt.last.toFixed(1)} ms` : `rtt p50 ${rtt.p50.toFixed(2)} p99 ${rtt.p99.toFixed(2)} max ${rtt.max.toFixed(2)} ms`
    );
  return parts.join(short ? " " : ", ");
}
export {
  formatLinkHealth,
  linkSummaryCounters
};
