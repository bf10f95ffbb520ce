import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/core/events.ts';
import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import { createSafetyLayer, safetyOptionsSchema } from '../../src/safety/safety-layer.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

const observationSpec: VectorSpec = {
  signals: [
    signal('cart.pos', 'm'),
    signal('pole.angle', 'rad'),
    signal('cart.vel', 'm/s'),
    signal('pole.angvel', 'rad/s'),
  ],
};
const actionSpec: ActionSpec = { signals: [signal('cart.force', 'N', -20, 20)], mode: 'torque', safe: [0] };

function setup(options: Record<string, unknown> = {}) {
  const events = new EventBuffer();
  const layer = createSafetyLayer(options, actionSpec, observationSpec, events);
  const observation = new Float64Array(4);
  const proposed = new Float64Array(1);
  const command = new Float64Array(1);
  let t = 0;
  const tick = (value: number, observationTime = t) => {
    proposed[0] = value;
    const flags = layer.filter(t, observationTime, observation, proposed, command);
    t += 0.01;
    return flags;
  };
  return { layer, events, observation, command, tick };
}

describe('safety layer', () => {
  it('passes a command inside every limit unchanged', () => {
    const { tick, command } = setup();
    expect(tick(3.5)).toBe(0);
    expect(command[0]).toBe(3.5);
  });

  it('clamps to the ActionSpec limits by default and flags effort for torque robots', () => {
    const { tick, command, events } = setup();
    expect(tick(100)).toBe(SafetyFlag.clampedEffort);
    expect(command[0]).toBe(20);
    expect(tick(-100)).toBe(SafetyFlag.clampedEffort);
    expect(command[0]).toBe(-20);
    expect(events.events.filter((e) => e.kind === 'safety')).toHaveLength(1);
    expect(events.events[0]?.message).toContain('clamped');
  });

  it('uses tighter configured limits and flags position clamps for position robots', () => {
    const spec: ActionSpec = { signals: [signal('j', 'rad', -3, 3)], mode: 'position', safe: [0] };
    const layer = createSafetyLayer(
      { lower: [-1], upper: [1] },
      spec,
      { signals: [signal('q', 'rad')] },
      new EventBuffer(),
    );
    const command = new Float64Array(1);
    const flags = layer.filter(0, 0, new Float64Array(1), Float64Array.of(2), command);
    expect(flags).toBe(SafetyFlag.clampedPosition);
    expect(command[0]).toBe(1);
  });

  it('caps the change per tick', () => {
    const { tick, command } = setup({ maxDeltaPerTick: 2 });
    expect(tick(10)).toBe(SafetyFlag.rateLimited);
    expect(command[0]).toBe(2);
    tick(10);
    expect(command[0]).toBe(4);
    expect(tick(3)).toBe(0);
    expect(command[0]).toBe(3);
  });

  it('smooths exponentially when asked', () => {
    const { tick, command } = setup({ smoothing: 0.5 });
    expect(tick(8)).toBe(SafetyFlag.smoothed);
    expect(command[0]).toBe(4);
    tick(8);
    expect(command[0]).toBe(6);
  });

  it('latches the safe action on a NaN action and stays latched until recover', () => {
    const { tick, command, layer, events } = setup();
    tick(5);
    const flags = tick(Number.NaN);
    expect(flags & SafetyFlag.nonFiniteAction).toBeTruthy();
    expect(flags & SafetyFlag.fault).toBeTruthy();
    expect(command[0]).toBe(0);
    expect(layer.latched).toBe(true);
    expect(layer.latchReason).toContain('cart.force');
    for (let i = 0; i < 5; i++) {
      expect(tick(5)).toBe(SafetyFlag.fault);
      expect(command[0]).toBe(0);
    }
    layer.recover();
    expect(layer.latched).toBe(false);
    expect(tick(5)).toBe(0);
    expect(command[0]).toBe(5);
    expect(events.events.map((e) => e.kind)).toEqual(['fault', 'recover']);
  });

  it('latches on a non-finite observation naming the signal', () => {
    const { tick, observation, layer } = setup();
    observation[1] = Number.POSITIVE_INFINITY;
    expect(tick(1) & SafetyFlag.nonFiniteObservation).toBeTruthy();
    expect(layer.latchReason).toContain('pole.angle');
  });

  it('latches after the configured number of stale ticks, not before', () => {
    const { tick, layer, command } = setup({ staleAfterTicks: 3 });
    expect(tick(1, 0.5)).toBe(0);
    expect(tick(1, 0.5)).toBe(0);
    expect(tick(1, 0.5)).toBe(0);
    expect(layer.latched).toBe(false);
    const flags = tick(1, 0.5);
    expect(flags & SafetyFlag.staleObservation).toBeTruthy();
    expect(layer.latched).toBe(true);
    expect(command[0]).toBe(0);
  });

  it('treats "no sample yet" as stale', () => {
    const { tick, layer } = setup({ staleAfterTicks: 2 });
    tick(1, Number.NaN);
    expect(layer.latched).toBe(false);
    tick(1, Number.NaN);
    expect(layer.latched).toBe(true);
  });

  it('latches when an observation leaves its configured range', () => {
    const { tick, observation, layer } = setup({ observationLimits: { 'pole.angle': [-0.5, 0.5] } });
    observation[1] = 0.4;
    expect(tick(1)).toBe(0);
    observation[1] = 0.6;
    expect(tick(1) & SafetyFlag.fault).toBeTruthy();
    expect(layer.latchReason).toContain("'pole.angle' = 0.6");
  });

  it('software e-stop latches; recover ramps from the safe action through the change cap', () => {
    const { tick, layer, command, events } = setup({ maxDeltaPerTick: 1 });
    for (let i = 0; i < 5; i++) tick(5);
    expect(command[0]).toBe(5);
    layer.estop('operator pressed stop');
    expect(tick(5)).toBe(SafetyFlag.estop);
    expect(command[0]).toBe(0);
    layer.recover();
    expect(tick(5)).toBe(SafetyFlag.rateLimited);
    expect(command[0]).toBe(1);
    expect(events.events.find((e) => e.kind === 'estop')?.message).toBe('operator pressed stop');
  });

  it('a second latch keeps the first reason', () => {
    const { layer } = setup();
    layer.estop('first');
    layer.estop('second');
    expect(layer.latchReason).toBe('first');
  });

  it('reset sets the reference for the change cap', () => {
    const { tick, layer, command } = setup({ maxDeltaPerTick: 1 });
    layer.reset(Float64Array.of(10));
    tick(20);
    expect(command[0]).toBe(11);
  });

  it('rejects options that do not fit the robot with a message naming the option', () => {
    const events = new EventBuffer();
    expect(() => createSafetyLayer({ lower: [0, 1] }, actionSpec, observationSpec, events)).toThrow(
      /safety.lower: expected 1 values/,
    );
    expect(() =>
      createSafetyLayer({ observationLimits: { nope: [0, 1] } }, actionSpec, observationSpec, events),
    ).toThrow(/safety.observationLimits.nope: no such observation \(known: cart.pos/);
    expect(() => createSafetyLayer({ lower: [5], upper: [6] }, actionSpec, observationSpec, events)).toThrow(
      /safe action 0 .* outside the limits/,
    );
    expect(safetyOptionsSchema.safeParse({ smoothing: 0 }).success).toBe(false);
    expect(safetyOptionsSchema.safeParse({ stale: 3 }).success).toBe(false);
  });

  it('never emits a command outside the limits or further than the cap from the last one (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.constant(Number.NaN)), { minLength: 1, maxLength: 50 }),
        fc.double({ min: 0.01, max: 10, noNaN: true }),
        (proposals, cap) => {
          const { tick, command, layer } = setup({ maxDeltaPerTick: cap, staleAfterTicks: 1000 });
          let previous = 0;
          for (const value of proposals) {
            tick(value);
            const out = command[0]!;
            expect(Number.isFinite(out)).toBe(true);
            expect(Math.abs(out)).toBeLessThanOrEqual(20);
            if (!layer.latched) expect(Math.abs(out - previous)).toBeLessThanOrEqual(cap + 1e-9);
            else expect(out).toBe(0);
            previous = out;
          }
        },
      ),
    );
  });
});
