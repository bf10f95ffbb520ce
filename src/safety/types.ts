import type { EventSink } from '../core/events.ts';

/** Reasons the safety layer changed or replaced a command; OR-ed into TickRecord.safetyFlags. */
export const SafetyFlag = {
  none: 0,
  clampedPosition: 1 << 0,
  clampedVelocity: 1 << 1,
  clampedEffort: 1 << 2,
  rateLimited: 1 << 3,
  smoothed: 1 << 4,
  nonFiniteAction: 1 << 5,
  nonFiniteObservation: 1 << 6,
  staleObservation: 1 << 7,
  estop: 1 << 8,
  fault: 1 << 9,
} as const;

/**
 * Sits between controller and robot. `filter` runs every tick, must not allocate, and always
 * writes a command that is safe to send: the proposal (possibly clamped) or the safe action.
 */
export interface SafetyLayer {
  /** True once an e-stop or fault latched; only `recover` clears it. */
  readonly latched: boolean;
  readonly latchReason: string | undefined;
  /**
   * @param time loop time in seconds
   * @param observationTime robot timestamp of `observation` (NaN = none yet)
   * @returns the SafetyFlag bitmask for this tick
   */
  filter(
    time: number,
    observationTime: number,
    observation: Float64Array,
    proposed: Float64Array,
    command: Float64Array,
  ): number;
  /** Latch the safe state (software e-stop, remote e-stop, robot fault). */
  estop(reason: string): void;
  /** Operator command: clear the latch. Never called automatically. */
  recover(): void;
  /**
   * Why `observation` would latch the layer right now (non-finite, outside an observation limit),
   * or undefined when it is acceptable: an operator recovery is refused while this says no.
   */
  observationProblem(observation: Float64Array): string | undefined;
  /** Forget the previous command (rate limiter, smoother), e.g. after a controller switch. */
  reset(lastCommand: Float64Array): void;
  readonly events?: EventSink;
}
