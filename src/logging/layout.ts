/**
 * How a tick is laid out in the MCAP log: topics, JSON schemas and the JSON shape of each message.
 *
 * Vectors (observation, action, command) are logged as nested objects built from the dotted signal
 * names, so `cart.pos` becomes `{"cart":{"pos":0.1}}` and Foxglove's plot panel offers the path
 * `/tether/observation.cart.pos`. A `{names, values}` pair would need `values[3]` paths that say
 * nothing about what is plotted. Every message also carries `tick`, which the reader uses to join
 * the channels of one tick back together.
 *
 * Pure functions only: the writer worker and the reader share them, so both agree on the layout.
 */
import type { ControlEventKind } from '../core/events.ts';
import { type LinkHealth, linkSummaryCounters } from '../core/link-health.ts';
import type { VectorSpec } from '../core/spec.ts';
import { SafetyFlag } from '../safety/types.ts';

export const Topic = {
  observation: '/tether/observation',
  action: '/tether/action',
  command: '/tether/command',
  timing: '/tether/timing',
  mode: '/tether/mode',
  safety: '/tether/safety',
  events: '/tether/events',
  /** Link health (robots behind a link only): counts since configure, about once a second. */
  link: '/tether/link',
  /** The logger's own health: what it wrote and dropped so far, once a second and at close. */
  logger: '/tether/logger',
} as const;

/** The per-tick channels, in the order the writer emits them within one tick. */
export const tickTopics = [
  Topic.observation,
  Topic.action,
  Topic.command,
  Topic.timing,
  Topic.mode,
  Topic.safety,
] as const;

export const MetadataName = {
  robot: 'tether.robot',
  run: 'tether.run',
  config: 'tether.config',
  summary: 'tether.summary',
} as const;

/** Key path of each signal inside the message object, e.g. `['cart', 'pos']`. */
export interface VectorLayout {
  /** `nested` when the dotted names form a clean tree; `flat` otherwise (keys like `cart_pos`). */
  readonly kind: 'nested' | 'flat';
  readonly names: readonly string[];
  readonly paths: readonly (readonly string[])[];
}

const reservedKeys = new Set(['tick']);

function sanitizeKey(segment: string): string {
  const cleaned = segment.replace(/[^A-Za-z0-9_]/g, '_');
  return cleaned.length === 0 ? '_' : cleaned;
}

/**
 * Nested layout when every name splits into identifier-like segments that never make one signal
 * a prefix of another (`cart` and `cart.pos` cannot both be leaves); flat sanitized keys otherwise.
 */
export function vectorLayout(spec: VectorSpec): VectorLayout {
  const names = spec.signals.map((s) => s.name);
  const nested = tryNestedPaths(names);
  if (nested) return { kind: 'nested', names, paths: nested };
  const used = new Set(reservedKeys);
  const paths = names.map((name) => {
    const base = sanitizeKey(name);
    let key = base;
    for (let n = 2; used.has(key); n++) key = `${base}_${n}`;
    used.add(key);
    return [key];
  });
  return { kind: 'flat', names, paths };
}

function tryNestedPaths(names: readonly string[]): string[][] | undefined {
  const leaves = new Set<string>();
  const branches = new Set<string>();
  const paths: string[][] = [];
  for (const name of names) {
    const segments = name.split('.');
    if (segments.some((s) => s.length === 0 || s !== sanitizeKey(s))) return undefined;
    if (reservedKeys.has(segments[0]!)) return undefined;
    for (let i = 1; i < segments.length; i++) {
      const prefix = segments.slice(0, i).join('.');
      if (leaves.has(prefix)) return undefined;
      branches.add(prefix);
    }
    if (leaves.has(name) || branches.has(name)) return undefined;
    leaves.add(name);
    paths.push(segments);
  }
  return paths;
}

/**
 * A message template: `fragments[0] v0 fragments[1] v1 ... fragments[n]`, where value k is
 * `values[slots[k]]`. Encoding a tick is then string concatenation, no object building.
 */
export interface JsonTemplate {
  readonly fragments: readonly string[];
  readonly slots: readonly number[];
}

interface TreeNode {
  readonly children: Map<string, TreeNode>;
  slot: number;
}

/** Template for `{"tick":…, <vector as nested object>}`; slot 0 is the tick, slot i+1 signal i. */
export function vectorTemplate(layout: VectorLayout): JsonTemplate {
  const root: TreeNode = { children: new Map(), slot: -1 };
  layout.paths.forEach((path, index) => {
    let node = root;
    for (const key of path) {
      let child = node.children.get(key);
      if (!child) {
        child = { children: new Map(), slot: -1 };
        node.children.set(key, child);
      }
      node = child;
    }
    node.slot = index + 1;
  });
  const fragments: string[] = ['{"tick":'];
  const slots: number[] = [0];
  let pending = '';
  const walk = (node: TreeNode, first: boolean): void => {
    for (const [key, child] of node.children) {
      pending += `${first ? '' : ','}"${key}":`;
      first = false;
      if (child.slot >= 0) {
        fragments.push(pending);
        slots.push(child.slot);
        pending = '';
      } else {
        pending += '{';
        walk(child, true);
        pending += '}';
      }
    }
  };
  walk(root, false);
  fragments.push(`${pending}}`);
  return { fragments, slots };
}

/** Template for a flat object with the given keys, slot i for key i. */
export function flatTemplate(keys: readonly string[]): JsonTemplate {
  const fragments = keys.map((key, i) => `${i === 0 ? '{' : ','}"${key}":`);
  fragments.push('}');
  return { fragments, slots: keys.map((_, i) => i) };
}

/** JSON has no NaN or Infinity: non-finite numbers are logged as null and read back as NaN. */
export function jsonNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

export function fillTemplate(template: JsonTemplate, values: ArrayLike<number>): string {
  const { fragments, slots } = template;
  let out = fragments[0]!;
  for (let k = 0; k < slots.length; k++) out += jsonNumber(values[slots[k]!]!) + fragments[k + 1]!;
  return out;
}

export const timingKeys = [
  'tick',
  'deadline',
  'period_error',
  'compute_time',
  'missed_deadlines',
  'observation_time',
] as const;
export const modeKeys = ['tick', 'controller', 'mode'] as const;

/** snake_case names of the SafetyFlag bits, in bit order. */
export const safetyFlagNames: readonly { readonly key: string; readonly flag: keyof typeof SafetyFlag }[] = (
  Object.keys(SafetyFlag) as (keyof typeof SafetyFlag)[]
)
  .filter((flag) => SafetyFlag[flag] !== 0)
  .sort((a, b) => SafetyFlag[a] - SafetyFlag[b])
  .map((flag) => ({ flag, key: flag.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) }));

export const safetyKeys: readonly string[] = ['tick', 'flags', ...safetyFlagNames.map((f) => f.key)];

/** Values for the safety template: tick, the raw mask, then 0/1 per flag (Foxglove plots numbers). */
export function fillSafetyValues(tick: number, flags: number, out: Float64Array): void {
  out[0] = tick;
  out[1] = flags;
  for (let i = 0; i < safetyFlagNames.length; i++) {
    out[i + 2] = flags & SafetyFlag[safetyFlagNames[i]!.flag] ? 1 : 0;
  }
}

// ---------------------------------------------------------------------------------------------
// JSON schemas, limited to what Foxglove's schema parser accepts: every property has exactly one
// `type` (boolean, string, number, integer, or object with `properties`); no type unions, so a
// value that may be null (non-finite numbers) is still declared a number.

type JsonSchema = Record<string, unknown>;

const tickProperty = { type: 'integer', minimum: 0, description: 'Control tick index from 0' };

export function vectorSchema(title: string, description: string, spec: VectorSpec, layout: VectorLayout) {
  const root: JsonSchema = {
    type: 'object',
    properties: { tick: tickProperty } as Record<string, JsonSchema>,
  };
  layout.paths.forEach((path, index) => {
    let node = root;
    path.forEach((key, depth) => {
      const properties = node['properties'] as Record<string, JsonSchema>;
      if (depth === path.length - 1) {
        const signal = spec.signals[index]!;
        properties[key] = {
          type: 'number',
          description: `${signal.name} [${signal.unit}] (null when not finite)`,
        };
      } else {
        properties[key] ??= { type: 'object', properties: {} };
        node = properties[key]!;
      }
    });
  });
  return { title, description, ...root };
}

export const timingSchema = {
  title: 'tether.Timing',
  description: 'Loop timing of one control tick (seconds)',
  type: 'object',
  properties: {
    tick: tickProperty,
    deadline: { type: 'number', description: 'Scheduled start of the tick in loop time [s]' },
    period_error: { type: 'number', description: 'Actual start minus deadline [s]' },
    compute_time: { type: 'number', description: 'Observation read to command written [s]' },
    missed_deadlines: { type: 'integer', description: 'Deadlines missed so far (cumulative)' },
    observation_time: {
      type: 'number',
      description: 'Robot timestamp of the observation [s]; null before the first sample',
    },
  },
};

export const modeSchema = {
  title: 'tether.Mode',
  description: 'Active controller and its mode',
  type: 'object',
  properties: {
    tick: tickProperty,
    controller: {
      type: 'integer',
      description: 'Index of the active controller in the run metadata `controllers` list',
    },
    mode: { type: 'integer', description: "Active mode index of that controller's modes" },
  },
};

export const safetySchema = {
  title: 'tether.Safety',
  description: 'What the safety layer did to the command this tick (1 = raised)',
  type: 'object',
  properties: {
    tick: tickProperty,
    flags: { type: 'integer', description: 'SafetyFlag bitmask' },
    ...Object.fromEntries(
      safetyFlagNames.map(({ key, flag }) => [
        key,
        { type: 'integer', description: `1 when SafetyFlag.${flag} was raised` },
      ]),
    ),
  },
};

/**
 * Events use the shape of `foxglove.Log` (so Foxglove's Log panel lists them) plus the
 * ControlEvent fields, which keep their own names for the reader.
 */
export const eventSchema = {
  title: 'foxglove.Log',
  description: 'A control event (fault, e-stop, safety intervention, switch, ...)',
  type: 'object',
  properties: {
    timestamp: {
      type: 'object',
      properties: { sec: { type: 'integer', minimum: 0 }, nsec: { type: 'integer', minimum: 0 } },
    },
    level: { type: 'integer', description: '1 debug, 2 info, 3 warning, 4 error, 5 fatal' },
    message: { type: 'string' },
    name: { type: 'string', description: 'Who raised it' },
    file: { type: 'string' },
    line: { type: 'integer', minimum: 0 },
    time: { type: 'number', description: 'Loop time [s]' },
    kind: { type: 'string' },
    source: { type: 'string' },
    // Keys differ per event, so none are declared; Foxglove's Raw Messages panel still shows them.
    data: { type: 'object', description: 'Event details (numbers, labels, flags)', properties: {} },
  },
};

export const eventLevel: Readonly<Record<ControlEventKind, number>> = {
  lifecycle: 2,
  fault: 4,
  estop: 4,
  recover: 2,
  safety: 3,
  'deadline-miss': 3,
  'controller-switch': 2,
  'mode-switch': 2,
  certificate: 2,
  link: 3,
  info: 2,
};

/**
 * `/tether/link`: one flat object per sample, `{time, session, <counter>: n, ..., rtt_p50_ms, ...}`,
 * so Foxglove plots `/tether/link.forged` directly. Counter names keep their case; characters other
 * than letters, digits and `_` become `_` (`rig.forged` → `rig_forged`).
 */
export const linkSchema = {
  title: 'tether.Link',
  description: 'Health of the robot link: counts since configure, command round trip',
  type: 'object',
  properties: {
    time: { type: 'number', description: 'Loop time of the sample [s]' },
    session: { type: 'string', description: 'Session owning the rig (hex), empty when none' },
    ...Object.fromEntries(
      linkSummaryCounters.map((key) => [key, { type: 'integer', description: `${key} since configure` }]),
    ),
    rtt_last_ms: { type: 'number', description: 'Last command round trip [ms]' },
    rtt_p50_ms: { type: 'number', description: 'Median command round trip [ms]' },
    rtt_p99_ms: { type: 'number', description: '99th percentile command round trip [ms]' },
    rtt_max_ms: { type: 'number', description: 'Largest command round trip [ms]' },
  },
};

export const loggerSchema = {
  title: 'tether.Logger',
  description:
    "The logger's own counts so far, once a second and at close: a log cut short by a crash keeps them up to its last complete chunk",
  type: 'object',
  properties: {
    time: { type: 'number', description: 'Loop time of the last tick written [s]' },
    ticks: { type: 'integer', description: 'Ticks written so far' },
    dropped_ticks: { type: 'integer', description: 'Ticks dropped so far (the writer fell behind)' },
    dropped_events: { type: 'integer', description: 'Events not logged so far' },
    backlog: { type: 'integer', description: 'Ticks waiting in the ring for the writer' },
  },
};

/** One `/tether/logger` sample. */
export interface LoggerCounts {
  /** Loop time of the last tick written [s] (0 before the first). */
  readonly time: number;
  readonly ticks: number;
  readonly droppedTicks: number;
  readonly droppedEvents: number;
  readonly backlog: number;
}

export function loggerMessage(c: LoggerCounts): string {
  return JSON.stringify({
    time: Number.isFinite(c.time) ? c.time : 0,
    ticks: c.ticks,
    dropped_ticks: c.droppedTicks,
    dropped_events: c.droppedEvents,
    backlog: c.backlog,
  });
}

export function parseLoggerMessage(body: Record<string, unknown>): LoggerCounts {
  const count = (key: string) => (typeof body[key] === 'number' ? (body[key] as number) : 0);
  return {
    time: count('time'),
    ticks: count('ticks'),
    droppedTicks: count('dropped_ticks'),
    droppedEvents: count('dropped_events'),
    backlog: count('backlog'),
  };
}

export function linkMessage(time: number, health: LinkHealth): string {
  const body: Record<string, number | string> = { time, session: health.session ?? '' };
  for (const [key, value] of Object.entries(health.counters))
    body[key.replace(/[^A-Za-z0-9_]/g, '_')] = value;
  const rtt = health.roundTripMs;
  if (rtt !== undefined) {
    body['rtt_last_ms'] = rtt.last;
    body['rtt_p50_ms'] = rtt.p50;
    body['rtt_p99_ms'] = rtt.p99;
    body['rtt_max_ms'] = rtt.max;
    body['rtt_samples'] = rtt.samples;
  }
  return JSON.stringify(body);
}

/** Reads a `/tether/link` message back into a LinkHealth and its loop time. */
export function parseLinkMessage(body: Record<string, unknown>): { time: number; health: LinkHealth } {
  const counters: Record<string, number> = {};
  for (const [key, value] of Object.entries(body)) {
    if (key === 'time' || key === 'session' || key.startsWith('rtt_') || typeof value !== 'number') continue;
    counters[key] = value;
  }
  const num = (key: string) => (typeof body[key] === 'number' ? (body[key] as number) : Number.NaN);
  const session = typeof body['session'] === 'string' && body['session'] !== '' ? body['session'] : undefined;
  return {
    time: num('time'),
    health: {
      counters,
      ...(typeof body['rtt_p50_ms'] === 'number'
        ? {
            roundTripMs: {
              last: num('rtt_last_ms'),
              p50: num('rtt_p50_ms'),
              p99: num('rtt_p99_ms'),
              max: num('rtt_max_ms'),
              samples: num('rtt_samples'),
            },
          }
        : {}),
      ...(session !== undefined ? { session } : {}),
    },
  };
}

/** Seconds to integer nanoseconds for MCAP timestamps (negative and non-finite clamp to 0). */
export function secondsToNs(seconds: number): bigint {
  if (!(seconds > 0)) return 0n;
  const whole = Math.floor(seconds);
  return BigInt(whole) * 1_000_000_000n + BigInt(Math.round((seconds - whole) * 1e9));
}

export function nsToSeconds(ns: bigint): number {
  const whole = ns / 1_000_000_000n;
  return Number(whole) + Number(ns - whole * 1_000_000_000n) / 1e9;
}

/** JSON for metadata values: keeps ±Infinity (signal bounds) that plain JSON would turn into null. */
export function toMetadataJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
}

export function fromMetadataJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && '$number' in v) {
      return Number((v as { $number: string }).$number);
    }
    return v;
  });
}
