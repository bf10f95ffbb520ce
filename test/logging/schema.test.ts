import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel } from '@foxglove/schemas';
import * as foxgloveJsonSchemas from '@foxglove/schemas/jsonschema.js';
import { McapStreamReader } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { eventLevel, eventSchema, Topic } from '../../src/logging/layout.ts';
import { decompressHandlers } from '../../src/logging/reader.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

/** Tether logs are zstd-compressed; readers need the codec. */
const zstdHandlers = await decompressHandlers();

type Schema = { type?: unknown; properties?: Record<string, Schema> };

/**
 * Checks a JSON value against its schema; returns the violations. JSON has no NaN, so a declared
 * number may be null (the logger writes non-finite values as null).
 */
function violations(value: unknown, schema: Schema, path: string): string[] {
  const actual = value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  const declared = schema.type;
  const accepted =
    actual === declared ||
    (actual === 'integer' && declared === 'number') ||
    (actual === 'null' && (declared === 'number' || declared === 'integer'));
  if (!accepted) return [`${path}: ${actual} is not ${String(declared)}`];
  if (actual !== 'object') return [];
  const object = value as Record<string, unknown>;
  const properties = schema.properties ?? {};
  // An object declared without properties (event data) takes any keys.
  const open = Object.keys(properties).length === 0;
  const problems: string[] = [];
  for (const [key, child] of Object.entries(object)) {
    const childSchema = properties[key];
    if (childSchema) problems.push(...violations(child, childSchema, `${path}.${key}`));
    else if (!open) problems.push(`${path}.${key}: not declared in the schema`);
  }
  for (const key of Object.keys(properties)) {
    if (!(key in object)) problems.push(`${path}.${key}: declared but missing`);
  }
  return problems;
}

/**
 * The rules Foxglove's JSON-schema parser enforces before it decodes a channel: an object root,
 * and every property with one `type` it knows (objects need `properties`; no type unions).
 */
function foxgloveProblems(schema: Schema, path: string): string[] {
  if (schema.type !== 'object' || typeof schema.properties !== 'object') {
    return [`${path}: must be an object schema with properties`];
  }
  const problems: string[] = [];
  for (const [key, child] of Object.entries(schema.properties)) {
    const at = `${path}.${key}`;
    if (child.type === 'object') problems.push(...foxgloveProblems(child, at));
    else if (!['boolean', 'string', 'number', 'integer'].includes(child.type as string)) {
      problems.push(`${at}: unsupported type ${JSON.stringify(child.type)}`);
    }
  }
  return problems;
}

const arm: RobotInfo = {
  name: 'arm',
  transport: 'serial',
  observation: {
    signals: ['shoulder.q', 'shoulder.dq', 'elbow.q', 'elbow.dq', 'gripper'].map((n) => signal(n, 'rad')),
  },
  action: {
    signals: [signal('shoulder.tau', 'N*m'), signal('elbow.tau', 'N*m')],
    mode: 'torque',
    safe: [0, 0],
  },
  capabilities: { minRateHz: 10, maxRateHz: 500, lockStep: false, features: ['estop'] },
};

let dir: string;
let bytes: Uint8Array;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tether-schema-'));
  const path = join(dir, 'arm.mcap');
  const logger = await McapTickLogger.open(path, { robot: arm, controller: 'pd', rateHz: 100 });
  const record = createTickRecord(5, 2);
  for (let i = 0; i < 20; i++) {
    record.tick = i;
    record.deadline = i / 100;
    record.observation.fill(i * 0.1);
    record.observation[4] = i === 3 ? Number.NaN : 1;
    record.action.fill(-i);
    record.command.fill(-i / 2);
    record.safetyFlags = i % 2 ? SafetyFlag.clampedEffort : 0;
    logger.writeTick(record);
  }
  logger.emit({
    time: 0.05,
    kind: 'safety',
    source: 'safety',
    message: 'clamped',
    data: { joint: 1, limit: 'effort' },
  });
  await logger.close();
  bytes = await readFile(path);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JSON schemas', () => {
  it("satisfy Foxglove's schema parser and declare every field of every message with its type", () => {
    const reader = new McapStreamReader({ decompressHandlers: zstdHandlers });
    reader.append(bytes);
    const schemas = new Map<number, Schema>();
    const channelSchema = new Map<number, number>();
    const checked = new Set<number>();
    const problems: string[] = [];
    for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
      if (record.type === 'Schema') {
        const schema = JSON.parse(Buffer.from(record.data).toString()) as Schema;
        problems.push(...foxgloveProblems(schema, record.name));
        schemas.set(record.id, schema);
      }
      if (record.type === 'Channel') channelSchema.set(record.id, record.schemaId);
      if (record.type === 'Message') {
        const schema = schemas.get(channelSchema.get(record.channelId)!)!;
        problems.push(
          ...violations(
            JSON.parse(Buffer.from(record.data).toString()),
            schema,
            `channel ${record.channelId}`,
          ),
        );
        checked.add(record.channelId);
      }
    }
    expect(problems).toEqual([]);
    expect(checked.size).toBe(8);
  });

  it("/tether/events is Foxglove's own foxglove.Log (checked against @foxglove/schemas): its fields, types, levels and required keys", () => {
    type Published = {
      properties: Record<string, Schema & { oneOf?: { const: number }[] }>;
      required: string[];
    };
    const published = foxgloveJsonSchemas.Log as unknown as Published;
    expect(eventSchema.title).toBe('foxglove.Log');
    const ours = eventSchema.properties as Record<string, Schema>;
    for (const [key, theirs] of Object.entries(published.properties)) {
      // Foxglove declares `level` as an enum of consts (LogLevel); we declare the integer it holds.
      const type = theirs.oneOf ? 'integer' : theirs.type;
      expect(ours[key]?.type, `foxglove.Log.${key}`).toBe(type);
      if (theirs.type === 'object')
        expect(Object.keys(ours[key]!.properties!)).toEqual(Object.keys(theirs.properties!));
    }
    const levels = published.properties['level']!.oneOf!.map((o) => o.const);
    for (const [kind, level] of Object.entries(eventLevel)) expect(levels, kind).toContain(level);
    expect(eventLevel.fault).toBe(LogLevel.ERROR);
    expect(eventLevel.safety).toBe(LogLevel.WARNING);
    // Every event message the logger wrote carries every key Foxglove requires.
    const reader = new McapStreamReader({ decompressHandlers: zstdHandlers });
    reader.append(bytes);
    const channels = new Map<number, string>();
    let events = 0;
    for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
      if (record.type === 'Channel') channels.set(record.id, record.topic);
      if (record.type !== 'Message' || channels.get(record.channelId) !== Topic.events) continue;
      const body = JSON.parse(Buffer.from(record.data).toString()) as Record<string, unknown>;
      for (const key of published.required) expect(body, key).toHaveProperty(key);
      events++;
    }
    expect(events).toBeGreaterThan(0);
  });

  it('nests the arm signals as Foxglove paths like /tether/observation.shoulder.q', () => {
    const reader = new McapStreamReader({ decompressHandlers: zstdHandlers });
    reader.append(bytes);
    for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
      if (record.type === 'Schema' && record.name === 'tether.Observation') {
        const schema = JSON.parse(Buffer.from(record.data).toString()) as Schema;
        expect(Object.keys(schema.properties!)).toEqual(['tick', 'shoulder', 'elbow', 'gripper']);
        expect(Object.keys(schema.properties!['shoulder']!.properties!)).toEqual(['q', 'dq']);
        return;
      }
    }
    throw new Error('no tether.Observation schema in the file');
  });
});
