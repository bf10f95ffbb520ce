import type { PolicyContract } from '../inference/contract.ts';
import type { CommandBoard } from './commands.ts';
import type { EventSink } from './events.ts';
import type { RobotInfo } from './robot.ts';
import type { ActionSpec, VectorSpec } from './spec.ts';

/** What a controller learns about the robot when it is configured. */
export interface ControllerContext {
  readonly observation: VectorSpec;
  readonly action: ActionSpec;
  /** Control period in seconds. */
  readonly dt: number;
  /**
   * False on a virtual clock (fast mode): wall-clock budgets mean nothing there, so a controller
   * counts slow computations but does not warn about them. Absent = real time.
   */
  readonly realtime?: boolean;
  /** Where to report rare events (mode switches, certificate decisions, fallbacks). */
  readonly events: EventSink;
  /** The run's command channels (e.g. a commanded base velocity); absent outside a run. */
  readonly commands?: CommandBoard;
  /**
   * The robot as it introduced itself (name, plant, capabilities), so a controller that carries
   * certificates can check the plant they were proved for; absent outside a run.
   */
  readonly robot?: RobotInfo;
}

/**
 * A controller maps an observation to an action. Classical controllers answer synchronously;
 * learned ones may return a promise (e.g. ONNX Runtime's async run). `update` writes into the
 * caller-owned `action` array and must not allocate on the hot path.
 */
export interface Controller {
  readonly name: string;
  /** Validate against the robot's specs and preallocate buffers. Throws with a precise message. */
  configure(context: ControllerContext): void | Promise<void>;
  /**
   * Lifecycle, after ros2_control: a configured controller is inactive until the controller manager
   * activates it at a tick boundary; it is deactivated when another takes over. Both are called
   * from inside the tick and must be quick (no I/O, no model loading: do that in `configure`).
   */
  activate?(): void;
  deactivate?(): void;
  /** Reset internal state (integrators, histories) before the first tick or after a switch. */
  reset?(observation: Float64Array): void;
  update(observation: Float64Array, time: number, action: Float64Array): void | Promise<void>;
  /** Index of the active mode for hybrid controllers (logged every tick); 0 otherwise. */
  readonly mode?: number;
  /** Release native resources (sessions, workers). */
  dispose?(): void | Promise<void>;
  /**
   * The control law in closed form, when it has one (after `configure`), so a certificate's
   * controller can be compared with the one that runs.
   */
  describeLaw?(): ControlLaw | undefined;
  /**
   * For a controller that carries its own certificates (the hybrid supervisor's modes): checks,
   * every tick before `update`, that the active certificate still holds along the measured
   * trajectory. A violation is handled as the guard's monitor's is: an event, the fallback at once
   * (or the safe state), and exit status 3. Runs every tick: cheap and allocation-free.
   */
  monitorCertificate?(observation: Float64Array, time: number): MonitorViolation | undefined;
}

/** A runtime monitor's finding: the active controller's certificate no longer holds. */
export interface MonitorViolation {
  readonly reason: string;
  readonly data?: Readonly<Record<string, number | string | boolean>>;
  /**
   * The controller took command outside the region its certificate covers (it started the run
   * there, a fallback or rollback forced it in, or it resumed there after a latch): it may not run
   * on, but no plant broke the certificate, so this is not counted as a violation.
   */
  readonly uncovered?: boolean;
}

/** u = clamp(u0 − K (x − x0), lower, upper) over the observation (K row-major nu × nx). */
export interface AffineControlLaw {
  readonly kind: 'affine';
  readonly gain: Float64Array;
  readonly x0: Float64Array;
  readonly u0: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
}

/** A learned policy: the ONNX graph that runs and the contract between it and the robot. */
export interface PolicyControlLaw {
  readonly kind: 'policy';
  readonly onnx: Uint8Array;
  readonly contract: PolicyContract;
}

export type ControlLaw = AffineControlLaw | PolicyControlLaw;

/** Returns true if `value` is a thenable (so the loop can await async controllers without `instanceof`). */
export function isPromiseLike(value: unknown): value is PromiseLike<void> {
  return (
    typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
  );
}
