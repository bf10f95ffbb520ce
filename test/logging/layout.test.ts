import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signal } from '../../src/core/spec.ts';
import {
  fillSafetyValues,
  fillTemplate,
  flatTemplate,
  fromMetadataJson,
  nsToSeconds,
  safetyKeys,
  secondsToNs,
  toMetadataJson,
  vectorLayout,
  vectorTemplate,
} from '../../src/logging/layout.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

const specOf = (...names: string[]) => ({ signals: names.map((name) => signal(name, 'm')) });

function valueAt(message: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], message);
}

describe('vector layout', () => {
  it('nests dotted names so Foxglove paths read /tether/observation.cart.pos', () => {
    const layout = vectorLayout(specOf('cart.pos', 'cart.vel', 'pole.angle'));
    expect(layout.kind).toBe('nested');
    const json = fillTemplate(vectorTemplate(layout), [7, 0.5, -1.25, 3e-9]);
    expect(JSON.parse(json)).toEqual({ tick: 7, cart: { pos: 0.5, vel: -1.25 }, pole: { angle: 3e-9 } });
  });

  it('falls back to flat keys when one name is a prefix of another or collides with tick', () => {
    const prefix = vectorLayout(specOf('cart', 'cart.pos'));
    expect(prefix.kind).toBe('flat');
    expect(JSON.parse(fillTemplate(vectorTemplate(prefix), [1, 2, 3]))).toEqual({
      tick: 1,
      cart: 2,
      cart_pos: 3,
    });
    const reserved = vectorLayout(specOf('tick', 'a-b', 'a_b'));
    expect(reserved.paths).toEqual([['tick_2'], ['a_b'], ['a_b_2']]);
  });

  it('logs non-finite numbers as null (JSON has no NaN)', () => {
    const json = fillTemplate(flatTemplate(['a', 'b', 'c']), [Number.NaN, Number.POSITIVE_INFINITY, 1]);
    expect(JSON.parse(json)).toEqual({ a: null, b: null, c: 1 });
  });

  it('round-trips any signal names and values through the template exactly', () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,8}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { minLength: 1, maxLength: 8 }),
        fc.array(fc.double(), { minLength: 9, maxLength: 9 }),
        (names, numbers) => {
          const layout = vectorLayout(specOf(...names));
          const values = [3, ...numbers.slice(0, names.length)];
          const parsed = JSON.parse(fillTemplate(vectorTemplate(layout), values)) as Record<string, unknown>;
          expect(parsed['tick']).toBe(3);
          layout.paths.forEach((path, i) => {
            const expected = values[i + 1]!;
            expect(valueAt(parsed, path)).toBe(
              Number.isFinite(expected) ? (expected === 0 ? expected + 0 : expected) : null,
            );
          });
          expect(new Set(layout.paths.map((p) => p.join('.'))).size).toBe(names.length);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('safety values', () => {
  it('expands the bitmask into one 0/1 column per flag', () => {
    const out = new Float64Array(safetyKeys.length);
    fillSafetyValues(4, SafetyFlag.clampedEffort | SafetyFlag.estop, out);
    const parsed = JSON.parse(fillTemplate(flatTemplate(safetyKeys), out)) as Record<string, number>;
    expect(parsed['flags']).toBe(SafetyFlag.clampedEffort | SafetyFlag.estop);
    expect(parsed['clamped_effort']).toBe(1);
    expect(parsed['estop']).toBe(1);
    expect(parsed['clamped_position']).toBe(0);
    expect(parsed['non_finite_observation']).toBe(0);
  });
});

describe('time and metadata encoding', () => {
  it('converts seconds to nanoseconds and back without drifting', () => {
    expect(secondsToNs(1.5)).toBe(1_500_000_000n);
    expect(secondsToNs(-1)).toBe(0n);
    expect(secondsToNs(Number.NaN)).toBe(0n);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), (s) => {
        expect(Math.abs(nsToSeconds(secondsToNs(s)) - s)).toBeLessThanOrEqual(1e-9 + s * 1e-15);
      }),
    );
  });

  it('keeps infinite signal bounds in metadata JSON', () => {
    const spec = specOf('x');
    expect(fromMetadataJson(toMetadataJson(spec))).toEqual(spec);
    expect(spec.signals[0]!.lower).toBe(Number.NEGATIVE_INFINITY);
  });
});
