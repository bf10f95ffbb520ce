/**
 * The stuck and still checks on synthetic readings, cycle by cycle (the integration tests in
 * authority.test.ts seize the emulated rig's joints for real; these pin the exact timing).
 */
import { describe, expect, it } from 'vitest';
import { defaultPlausibility, PlausibilityMonitor } from '../../hardware/link/plausibility.ts';
import type { JointInfo } from '../../hardware/protocol/messages.ts';

const cart: JointInfo = {
  name: 'slider',
  type: 1,
  positionLower: -3,
  positionUpper: 3,
  velocityLimit: 5,
  effortLimit: 20,
};
const pole: JointInfo = {
  name: 'hinge',
  type: 0,
  positionLower: -Infinity,
  positionUpper: Infinity,
  velocityLimit: 20,
  effortLimit: 0,
};
const window = defaultPlausibility.windowCycles;
const options = { ...defaultPlausibility, minEffortChange: 0.05, frozen: false };

/** Feeds one cycle: positions, velocities, efforts of [cart, pole]; returns the verdict's kind. */
function feed(
  monitor: PlausibilityMonitor,
  cycle: number,
  cartQ: number,
  poleQ: number,
  force: number,
  cartV = 0,
  poleV = 0,
) {
  const values = Float64Array.of(cartQ, poleQ, cartV, poleV, force, 0);
  return monitor.check(values, cycle * 0.01)?.kind;
}

describe('stuck and still', () => {
  it('a slowly growing push on a joint that does not move: caught the window after it reaches the bound', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    // The cart sits still (seized); the force grows by 0.05 N a cycle, a sliding window of 10 cycles
    // would never see the 1 N bound. The pole moves, so only the cart is judged.
    const verdicts: (string | undefined)[] = [];
    for (let c = 0; c < 60; c++) verdicts.push(feed(monitor, c, 0.5, 0.01 * c, 0.05 * c));
    const bound = 20; // 20 × 0.05 N = 1 N = 5 % of 20 N
    expect(verdicts.indexOf('stuck')).toBe(bound + window);
    expect(verdicts.slice(0, bound + window).every((v) => v === undefined)).toBe(true);
  });

  it('a free joint that moves as it is pushed is re-anchored and never judged', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    const omega = 100 / 7; // rad/s at 100 Hz
    for (let c = 0; c < 200; c++) {
      // A 1 kg cart pushed by ±3 N swings ±3/ω² m about its mean, in phase with the force.
      const phase = c / 7;
      const force = 3 * Math.sin(phase);
      const q = (-3 / omega ** 2) * Math.sin(phase);
      const v = (-3 / omega) * Math.cos(phase);
      // The pole leans against the cart's acceleration (a/g rad).
      const lean = (3 / 9.81) * Math.sin(phase);
      const leanRate = (3 / 9.81) * omega * Math.cos(phase);
      expect(feed(monitor, c, q, lean, force, v, leanRate)).toBeUndefined();
    }
  });

  it('a steady force without motion (holding a load) is no finding', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    for (let c = 0; c < 200; c++) expect(feed(monitor, c, 0.5, 0.01 * c, 15)).toBeUndefined();
  });

  it('a joint pushed against its end stop is no finding', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    for (let c = 0; c < 200; c++) expect(feed(monitor, c, 2.99, 0.01 * c, 0.1 * c)).toBeUndefined();
  });

  it('a passive joint that stays still while the drive changes: caught the window after the bound', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    const verdicts: (string | undefined)[] = [];
    // The cart moves (it is free), the pole stays at 0.2 rad whatever the cart does: seized.
    for (let c = 0; c < 40; c++) verdicts.push(feed(monitor, c, 0.02 * c, 0.2, 0.25 * c));
    expect(verdicts.indexOf('still')).toBe(4 + window); // 4 × 0.25 N = 1 N
  });

  it('after reset, the history is forgotten', () => {
    const monitor = new PlausibilityMonitor([cart, pole], 1, options);
    for (let c = 0; c < 25; c++) feed(monitor, c, 0.5, 0.01 * c, 0.05 * c);
    monitor.reset();
    // Just under the bound since the reset: nothing, however long.
    for (let c = 25; c < 100; c++) expect(feed(monitor, c, 0.5, 0.01 * c, 1.25 + 0.001 * c)).toBeUndefined();
  });
});
