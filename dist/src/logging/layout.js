// Compiled from src/logging/layout.ts by `npm run build`: edit the source, not this file.

// src/logging/layout.ts
import { linkSummaryCounters } from "../core/link-health.js";
import { SafetyFlag } from "../safety/types.js";
var Topic = {
  observation: "/tether/observation",
  action: "/tether/action",
  command: "/tether/command",
  timing: "/tether/timing",
  mode: "/tether/mode",
  safety: "/tether/safety",
  events: "/tether/events",
  /** Link health (robots behind a link only): counts since configure, about once a second. */
  link: "/tether/link",
  /** The logger's own health: what it wrote and dropped so far, once a second and at close. */
  logger: "/tether/logger"
};
var tickTopics = [
  Topic.observation,
  Topic.action,
  Topic.command,
  Topic.timing,
  Topic.mode,
  Topic.safety
];
var MetadataName = {
  robot: "tether.robot",
  run: "tether.run",
  config: "tether.config",
  summary: "tether.summary"
};
var reservedKeys = /* @__PURE__ */ new Set(["tick"]);
function sanitizeKey(segment) {
  const cleaned = segment.replace(/[^A-Za-z0-9_]/g, "_");
  return cleaned.length === 0 ? "_" : cleaned;
}
function vectorLayout(spec) {
  const names = spec.signals.map((s) => s.name);
  const nested = tryNestedPaths(names);
  if (nested) return { kind: "nested", names, paths: nested };
  const used = new Set(reservedKeys);
  const paths = names.map((name) => {
    const base = sanitizeKey(name);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
    used.add(key);
    return [key];
  });
  return { kind: "flat", names, paths };
}
function tryNestedPaths(names) {
  const leaves = /* @__PURE__ */ new Set();
  const branches = /* @__PURE__ */ new Set();
  const paths = [];
  for (const name of names) {
    const segments = name.split(".");
    if (segments.some((s) => s.length === 0 || s !== sanitizeKey(s))) return void 0;
    if (reservedKeys.has(segments[0])) return void 0;
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join(".");
      if (leaves.has(prefix)) return void 0;
      branches.add(prefix);
    }
    if (leaves.has(name) || branches.has(name)) return void 0;
    leaves.add(name);
    paths.push(segments);
  }
  return paths;
}
function vectorTemplate(layout) {
  const root = { children: /* @__PURE__ */ new Map(), slot: -1 };
  layout.paths.forEach((path, index) => {
    let node = root;
    for (const key of path) {
      let child = node.children.get(key);
      if (!child) {
        child = { children: /* @__PURE__ */ new Map(), slot: -1 };
        node.children.set(key, child);
      }
      node = child;
    }
    node.slot = index + 1;
  });
  const fragments = ['{"tick":'];
  const slots = [0];
  let pending = "";
  const walk = (node, first) => {
    for (const [key, child] of node.children) {
      pending += `${first ? "" : ","}"${key}":`;
      first = false;
      if (child.slot >= 0) {
        fragments.push(pending);
        slots.push(child.slot);
        pending = "";
      } else {
        pending += "{";
        walk(child, true);
        pending += "}";
      }
    }
  };
  walk(root, false);
  fragments.push(`${pending}}`);
  return { fragments, slots };
}
function flatTemplate(keys) {
  const fragments = keys.map((key, i) => `${i === 0 ? "{" : ","}"${key}":`);
  fragments.push("}");
  return { fragments, slots: keys.map((_, i) => i) };
}
function jsonNumber(value) {
  return Number.isFinite(value) ? String(value) : "null";
}
function fillTemplate(template, values) {
  const { fragments, slots } = template;
  let out = fragments[0];
  for (let k = 0; k < slots.length; k++) out += jsonNumber(values[slots[k]]) + fragments[k + 1];
  return out;
}
var timingKeys = [
  "tick",
  "deadline",
  "period_error",
  "compute_time",
  "missed_deadlines",
  "observation_time"
];
var modeKeys = ["tick", "controller", "mode"];
var safetyFlagNames = Object.keys(SafetyFlag).filter((flag) => SafetyFlag[flag] !== 0).sort((a, b) => SafetyFlag[a] - SafetyFlag[b]).map((flag) => ({ flag, key: flag.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }));
var safetyKeys = ["tick", "flags", ...safetyFlagNames.map((f) => f.key)];
function fillSafetyValues(tick, flags, out) {
  out[0] = tick;
  out[1] = flags;
  for (let i = 0; i < safetyFlagNames.length; i++) {
    out[i + 2] = flags & SafetyFlag[safetyFlagNames[i].flag] ? 1 : 0;
  }
}
var tickProperty = { type: "integer", minimum: 0, description: "Control tick index from 0" };
function vectorSchema(title, description, spec, layout) {
  const root = {
    type: "object",
    properties: { tick: tickProperty }
  };
  layout.paths.forEach((path, index) => {
    let node = root;
    path.forEach((key, depth) => {
      const properties = node["properties"];
      if (depth === path.length - 1) {
        const signal = spec.signals[index];
        properties[key] = {
          type: "number",
          description: `${signal.name} [${signal.unit}] (null when not finite)`
        };
      } else {
        properties[key] ??= { type: "object", properties: {} };
        node = properties[key];
      }
    });
  });
  return { title, description, ...root };
}
var timingSchema = {
  title: "tether.Timing",
  description: "Loop timing of one control tick (seconds)",
  type: "object",
  properties: {
    tick: tickProperty,
    deadline: { type: "number", description: "Scheduled start of the tick in loop time [s]" },
    period_error: { type: "number", description: "Actual start minus deadline [s]" },
    compute_time: { type: "number", description: "Observation read to command written [s]" },
    missed_deadlines: { type: "integer", description: "Deadlines missed so far (cumulative)" },
    observation_time: {
      type: "number",
      description: "Robot timestamp of the observation [s]; null before the first sample"
    }
  }
};
var modeSchema = {
  title: "tether.Mode",
  description: "Active controller and its mode",
  type: "object",
  properties: {
    tick: tickProperty,
    controller: {
      type: "integer",
      description: "Index of the active controller in the run metadata `controllers` list"
    },
    mode: { type: "integer", description: "Active mode index of that controller's modes" }
  }
};
var safetySchema = {
  title: "tether.Safety",
  description: "What the safety layer did to the command this tick (1 = raised)",
  type: "object",
  properties: {
    tick: tickProperty,
    flags: { type: "integer", description: "SafetyFlag bitmask" },
    ...Object.fromEntries(
      safetyFlagNames.map(({ key, flag }) => [
        key,
        { type: "integer", description: `1 when SafetyFlag.${flag} was raised` }
      ])
    )
  }
};
var eventSchema = {
  title: "foxglove.Log",
  description: "A control event (fault, e-stop, safety intervention, switch, ...)",
  type: "object",
  properties: {
    timestamp: {
      type: "object",
      properties: { sec: { type: "integer", minimum: 0 }, nsec: { type: "integer", minimum: 0 } }
    },
    level: { type: "integer", description: "1 debug, 2 info, 3 warning, 4 error, 5 fatal" },
    message: { type: "string" },
    name: { type: "string", description: "Who raised it" },
    file: { type: "string" },
    line: { type: "integer", minimum: 0 },
    time: { type: "number", description: "Loop time [s]" },
    kind: { type: "string" },
    source: { type: "string" },
    // Keys differ per event, so none are declared; Foxglove's Raw Messages panel still shows them.
    data: { type: "object", description: "Event details (numbers, labels, flags)", properties: {} }
  }
};
var eventLevel = {
  lifecycle: 2,
  fault: 4,
  estop: 4,
  recover: 2,
  safety: 3,
  "deadline-miss": 3,
  "controller-switch": 2,
  "mode-switch": 2,
  certificate: 2,
  link: 3,
  info: 2
};
var linkSchema = {
  title: "tether.Link",
  description: "Health of the robot link: counts since configure, command round trip",
  type: "object",
  properties: {
    time: { type: "number", description: "Loop time of the sample [s]" },
    session: { type: "string", description: "Session owning the rig (hex), empty when none" },
    ...Object.fromEntries(
      linkSummaryCounters.map((key) => [key, { type: "integer", description: `${key} since configure` }])
    ),
    rtt_last_ms: { type: "number", description: "Last command round trip [ms]" },
    rtt_p50_ms: { type: "number", description: "Median command round trip [ms]" },
    rtt_p99_ms: { type: "number", description: "99th percentile command round trip [ms]" },
    rtt_max_ms: { type: "number", description: "Largest command round trip [ms]" }
  }
};
var loggerSchema = {
  title: "tether.Logger",
  description: "The logger's own counts so far, once a second and at close: a log cut short by a crash keeps them up to its last complete chunk",
  type: "object",
  properties: {
    time: { type: "number", description: "Loop time of the last tick written [s]" },
    ticks: { type: "integer", description: "Ticks written so far" },
    dropped_ticks: { type: "integer", description: "Ticks dropped so far (the writer fell behind)" },
    dropped_events: { type: "integer", description: "Events not logged so far" },
    backlog: { type: "integer", description: "Ticks waiting in the ring for the writer" }
  }
};
function loggerMessage(c) {
  return JSON.stringify({
    time: Number.isFinite(c.time) ? c.time : 0,
    ticks: c.ticks,
    dropped_ticks: c.droppedTicks,
    dropped_events: c.droppedEvents,
    backlog: c.backlog
  });
}
function parseLoggerMessage(body) {
  const count = (key) => typeof body[key] === "number" ? body[key] : 0;
  return {
    time: count("time"),
    ticks: count("ticks"),
    droppedTicks: count("dropped_ticks"),
    droppedEvents: count("dropped_events"),
    backlog: count("backlog")
  };
}
function linkMessage(time, health) {
  const body = { time, session: health.session ?? "" };
  for (const [key, value] of Object.entries(health.counters))
    body[key.replace(/[^A-Za-z0-9_]/g, "_")] = value;
  const rtt = health.roundTripMs;
  if (rtt !== void 0) {
    body["rtt_last_ms"] = rtt.last;
    body["rtt_p50_ms"] = rtt.p50;
    body["rtt_p99_ms"] = rtt.p99;
    body["rtt_max_ms"] = rtt.max;
    body["rtt_samples"] = rtt.samples;
  }
  return JSON.stringify(body);
}
function parseLinkMessage(body) {
  const counters = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === "time" || key === "session" || key.startsWith("rtt_") || typeof value !== "number") continue;
    counters[key] = value;
  }
  const num = (key) => typeof body[key] === "number" ? body[key] : Number.NaN;
  const session = typeof body["session"] === "string" && body["session"] !== "" ? body["session"] : void 0;
  return {
    time: num("time"),
    health: {
      counters,
      ...typeof body["rtt_p50_ms"] === "number" ? {
        roundTripMs: {
          last: num("rtt_last_ms"),
          p50: num("rtt_p50_ms"),
          p99: num("rtt_p99_ms"),
          max: num("rtt_max_ms"),
          samples: num("rtt_samples")
        }
      } : {},
      ...session !== void 0 ? { session } : {}
    }
  };
}
function secondsToNs(seconds) {
  if (!(seconds > 0)) return 0n;
  const whole = Math.floor(seconds);
  return BigInt(whole) * 1000000000n + BigInt(Math.round((seconds - whole) * 1e9));
}
function nsToSeconds(ns) {
  const whole = ns / 1000000000n;
  return Number(whole) + Number(ns - whole * 1000000000n) / 1e9;
}
function toMetadataJson(value) {
  return JSON.stringify(
    value,
    (_key, v) => typeof v === "number" && !Number.isFinite(v) ? { $number: String(v) } : v
  );
}
function fromMetadataJson(text) {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === "object" && "$number" in v) {
      return Number(v.$number);
    }
    return v;
  });
}
export {
  MetadataName,
  Topic,
  eventLevel,
  eventSchema,
  fillSafetyValues,
  fillTemplate,
  flatTemplate,
  fromMetadataJson,
  jsonNumber,
  linkMessage,
  linkSchema,
  loggerMessage,
  loggerSchema,
  modeKeys,
  modeSchema,
  nsToSeconds,
  parseLinkMessage,
  parseLoggerMessage,
  safetyFlagNames,
  safetyKeys,
  safetySchema,
  secondsToNs,
  tickTopics,
  timingKeys,
  timingSchema,
  toMetadataJson,
  vectorLayout,
  vectorSchema,
  vectorTemplate
};
