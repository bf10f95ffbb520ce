/**
 * The per-tick record the control loop fills in place and hands to loggers and telemetry.
 * One instance lives for the whole run; consumers must copy what they keep before returning.
 */
export interface TickRecord {
  /** Tick index from 0. */
  tick: number;
  /** Scheduled start of this tick in loop seconds (virtual time in fast mode). */
  deadline: number;
  /** Actual start minus deadline, seconds (0 in fast mode). */
  periodError: number;
  /** Time spent from reading the observation to writing the command, seconds. */
  computeTime: number;
  /** Timestamp of the observation on the robot's clock (NaN if none has arrived). */
  observationTime: number;
  readonly observation: Float64Array;
  /** What the controller proposed. */
  readonly action: Float64Array;
  /** What was sent to the robot after the safety layer. */
  readonly command: Float64Array;
  /** Bitmask of SafetyFlag values raised this tick (see src/safety/types.ts). */
  safetyFlags: number;
  /** Index of the active controller among the run's controllers (the controller manager's order). */
  controller: number;
  /** Index of the active controller's mode (0 when the controller has no modes). */
  mode: number;
  /** Deadlines missed before this tick started (cumulative). */
  missedDeadlines: number;
}

export function createTickRecord(observationSize: number, actionSize: number): TickRecord {
  return {
    tick: 0,
    deadline: 0,
    periodError: 0,
    computeTime: 0,
    observationTime: Number.NaN,
    observation: new Float64Array(observationSize),
    action: new Float64Array(actionSize),
    command: new Float64Array(actionSize),
    safetyFlags: 0,
    controller: 0,
    mode: 0,
    missedDeadlines: 0,
  };
}
