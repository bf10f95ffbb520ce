import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapStreamReader } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
};

/** Checks a JSON value against the subset of JSON Schema the logger emits; returns the violations. */
function violations(value: unknown, schema: Schema, path: string): string[] {
  const types = schema.type === undefined ? [] : ([] as string[]).concat(schema.type);
  const actual = value === null ? 'null' : Number.isInteger(value) ? 'integer' : typeof value;
  const accepted =
    types.length === 0 || types.includes(actual) || (actual === 'integer' && types.includes('number'));
  if (!accepted) return [`${path}: ${actual} is not ${types.join('|')}`];
  if (actual !== 'object' || schema.properties === undefined) return [];
  const object = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [key, child] of Object.entries(object)) {
    const declared = schema.properties[key] ?? schema.additionalProperties;
    if (!declared) problems.push(`${path}.${key}: not declared in the schema`);
    else problems.push(...violations(child, declared, `${path}.${key}`));
  }
  for (const key of Object.keys(schema.properties)) {
    if (!(key in object)) problems.push(`${path}.${key}: declared but missing`);
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
  it('declare every field of every message with a matching type, so Foxglove can offer the paths', () => {
    const reader = new McapStreamReader();
    reader.append(bytes);
    const schemas = new Map<number, Schema>();
    const channelSchema = new Map<number, number>();
    const checked = new Set<number>();
    const problems: string[] = [];
    for (let record = reader.nextRecord(); record; record = reader.nextRecord()) {
      if (record.type === 'Schema')
        schemas.set(record.id, JSON.parse(Buffer.from(record.data).toString()) as Schema);
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
    expect(checked.size).toBe(7);
  });

  it('nests the arm signals as Foxglove paths like /tether/observation.shoulder.q', () => {
    const reader = new McapStreamReader();
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
