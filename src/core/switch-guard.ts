import type { Controller, ControllerContext, MonitorViolation } from './controller.ts';

/** What a switch guard answers for one requested switch. */
export interface SwitchDecision {
  /** admit: switch now; defer: ask again next tick; deny: drop the request. */
  readonly verdict: 'admit' | 'defer' | 'deny';
  readonly reason: string;
  /** Numbers worth logging with the decision (a certificate's V bound and ρ, say). */
  readonly data?: Readonly<Record<string, number | string | boolean>>;
}

/** What a guard learns about the run before the first tick. */
export interface GuardContext extends ControllerContext {
  /** The run's controller names, in the manager's order. */
  readonly controllers: readonly string[];
  /** The configured controllers by name, so a guard can compare their control laws with its own. */
  readonly controllerInstances?: ReadonlyMap<string, Controller>;
}

/** A certificate as files: the verifier model it proves and the certificate itself (absolute paths). */
export interface CertificateFiles {
  readonly model: string;
  readonly certificate: string;
}

/**
 * Decides whether a requested switch may happen in the current state; the controller manager asks
 * it at the tick boundary. A certified guard admits a switch only where a verified region of
 * attraction of the target controller contains the state. `admit` runs inside the tick, at most
 * once per tick while a switch is pending: keep it fast.
 */
export interface SwitchGuard {
  readonly name: string;
  /**
   * Checks what the guard assumes against the robot and the run (signal names, units, limits,
   * control period, controller names) and throws naming the mismatch; called before the robot
   * moves, and by `tether config check`.
   */
  configure?(context: GuardContext): void | Promise<void>;
  /**
   * `lastCommand` is the command the loop sent last (the one a delayed actuator still applies at
   * the start of the next period). `explain` false: the manager already reported why this request
   * was deferred and will not read the reason of another deferral, so a guard may return one shared
   * decision with no reason and allocate nothing while the request stays pending (an admission or
   * a denial is always explained).
   */
  admit(
    from: string,
    to: string,
    observation: Float64Array,
    time: number,
    lastCommand: Float64Array,
    explain?: boolean,
  ): SwitchDecision;
  /**
   * Called by the manager at the start of every tick with the active controller's name: checks that
   * what the active controller's certificate promises still holds along the measured trajectory.
   * Returns a violation (the manager then hands over to the fallback at once, or latches the safe
   * state without one), or undefined. Runs every tick: keep it cheap and allocation-free.
   */
  monitor?(active: string, observation: Float64Array, time: number): MonitorViolation | undefined;
  /**
   * The active controller resumes command after the safety layer's latch (an operator recovery):
   * while latched the safe action drove the robot, not the controller, so the manager did not call
   * `monitor`; the next check starts afresh from the recovered state.
   */
  resume?(active: string): void;
  /**
   * A controller installed while the loop runs (a new policy version) and the certificate that
   * covers it: checked against the robot and the run exactly like a configured one, then it governs
   * that controller (admission and monitor). Throws naming every mismatch. `time` is the loop time
   * of the last tick boundary, for the log.
   */
  adopt?(name: string, controller: Controller, certificate: CertificateFiles, time: number): void;
  dispose?(): void | Promise<void>;
}
