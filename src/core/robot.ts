import type { LifecycleState } from './lifecycle.ts';
import type { LinkHealth } from './link-health.ts';
import type { ActionSpec, VectorSpec } from './spec.ts';

/**
 * The hardware interface: anything that produces observations and accepts actions.
 * A MuJoCo simulation, a serial-bus servo arm and an MQTT-connected legged robot all implement it,
 * so the control loop never knows which one it drives.
 *
 * Hot-path methods (`read`, `write`) take caller-owned typed arrays and must not allocate.
 */
export interface Robot {
  readonly info: RobotInfo;
  readonly state: LifecycleState;
  /** Why the robot is in `fault`, if it is. */
  readonly faultReason: string | undefined;

  /** unconfigured -> ready: open links, load models, exchange capabilities. */
  configure(): Promise<void>;
  /** ready -> running: start streaming state; commands are accepted from now on. */
  activate(): Promise<void>;
  /** running -> ready: send the safe action and stop accepting commands. */
  deactivate(): Promise<void>;
  /** fault -> ready, only on an explicit operator request. */
  recover(): Promise<void>;
  /** any -> stopped: send the safe action (best effort) and release every resource. */
  shutdown(): Promise<void>;

  /**
   * Copies the latest observation into `out` (length = observation spec size) and returns the
   * sample's timestamp in seconds on the robot's clock, or NaN if no sample has arrived yet.
   * The caller compares timestamps across ticks to detect stale data.
   */
  read(out: Float64Array): number;
  /**
   * Sends an action (length = action spec size). For a lock-stepped simulator this also advances
   * physics by one control period, so the same loop runs sim in real time or as fast as possible.
   */
  write(action: Float64Array): void;
  /** Enter `fault` (e.g. from the safety layer or a watchdog); the robot goes to its safe action. */
  fault(reason: string): void;

  /**
   * Optional: the runtime's safety layer latched. A robot with a safe state of its own (a rig's
   * firmware latch) enters it, so nothing outside the runtime can move it until `recover()`.
   */
  onSafetyLatch?(reason: string): void;
  /** Optional: robots behind a link report its health (counts since `configure`). */
  linkHealth?(): LinkHealth;
  /**
   * Optional: what the device itself says about its state, in one line, asked over its link (a
   * rig's STATUS: idle, active or latched and why). Rejects when the device does not answer.
   */
  deviceStatus?(): Promise<string>;
  /**
   * Optional: where a robot reports link events that do not fault it (frames refused, a second
   * would-be owner refused); `undefined` removes the listener.
   */
  onLinkEvent?(listener: LinkEventListener | undefined): void;
}

export type LinkEventListener = (
  message: string,
  data?: Readonly<Record<string, number | string | boolean>>,
) => void;

export type RobotTransport = 'sim' | 'serial' | 'mqtt';

export interface RobotInfo {
  readonly name: string;
  readonly transport: RobotTransport;
  readonly observation: VectorSpec;
  readonly action: ActionSpec;
  readonly capabilities: RobotCapabilities;
  /** What a simulated robot simulates (absent for hardware, which cannot tell). */
  readonly plant?: PlantInfo;
}

/** The model behind a simulated robot, for checks against what a certificate assumes. */
export interface PlantInfo {
  /** Model name, e.g. `cartpole`. */
  readonly model: string;
  /** Physics step, s. */
  readonly physicsStep: number;
  /** The dynamics parameters applied to the model (scales, delays, noise; `{}` = nominal). */
  readonly dynamics: Readonly<Record<string, unknown>>;
  /**
   * The discrete-time equations the simulator integrates, in the verifier's terms (e.g.
   * `{ system: 'pendulum', m, l, beta, g, dt }`), when it integrates one of the verifier's closed-form
   * systems exactly; a certificate that states no plant can only be matched against these.
   */
  readonly equations?: Readonly<Record<string, number | string>>;
  /**
   * True when the plant's state jumps at guards (a hybrid system's reset maps, e.g. the heading
   * error at a road's vertex), which `equations` do not describe: a certificate of those equations
   * says nothing across a jump, so a runtime monitor cannot demand that V decrease over one.
   */
  readonly resets?: boolean;
}

export interface RobotCapabilities {
  /** Control rates (Hz) the robot accepts commands at. */
  readonly minRateHz: number;
  readonly maxRateHz: number;
  /** True when `write` advances time (a lock-stepped simulator) rather than the robot's own clock. */
  readonly lockStep: boolean;
  /** Rate of the device-side inner loop (PD / impedance), if any. */
  readonly innerLoopHz?: number;
  /** Free-form features, e.g. `imu`, `estop`, `pd-gains`. */
  readonly features: readonly string[];
}
