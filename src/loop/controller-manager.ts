/**
 * The controller manager, after ros2_control's: it holds named, configured controllers, exactly one
 * of which is active, and performs every switch at a tick boundary.
 *
 * A switch is only *requested* from outside the tick (an operator, a rule, a fault); the loop calls
 * `beginTick` before it asks any controller for an action, and that is the one place a switch
 * happens: the guard is asked, the old controller is deactivated, the new one activated and reset
 * with the current observation, and the safety layer's rate limiter is re-seeded with the last
 * command sent. So every tick's proposal comes from exactly one controller, and the first command of
 * the new controller ramps from the last command of the old one rather than jumping.
 *
 * Fallback: when the active controller faults (throws, or proposes a non-finite action) and a
 * fallback is configured, the tick holds the last command and the fallback takes over at the next
 * tick boundary, without asking the guard — the alternative is the latched safe state. Without a
 * fallback, a fault poisons the proposal and the safety layer latches.
 *
 * Hot-swap (the closed loop, docs/closed-loop.md): `install` adds a controller that was created,
 * configured against `context` and warmed up elsewhere, while the loop runs; it gets the next index
 * (the log's per-tick controller index keeps meaning what it meant). `startShadow` runs an installed
 * controller beside the active one on every tick — computed and compared, never applied — and
 * `requestRollback` is a switch that, like a fallback, the guard cannot defer: it returns to a
 * controller that was running before. A swap itself is an ordinary `requestSwitch`, so it happens
 * at a tick boundary like every other switch.
 */
import { type Controller, type ControllerContext, isPromiseLike } from '../core/controller.ts';
import type { EventSink } from '../core/events.ts';
import type { VectorSpec } from '../core/spec.ts';
import type { CertificateFiles, SwitchDecision, SwitchGuard } from '../core/switch-guard.ts';
import type { SafetyLayer } from '../safety/types.ts';

/**
 * An automatic switch: every listed signal inside its range (`when`) and, if `after` is given, the
 * active controller active for at least `after` seconds → request `to` (from `from`, or any). A rule
 * with only `after` is a timed transition (a legged robot's stand-up hands over to its policy).
 */
export interface SwitchRule {
  readonly from?: string | undefined;
  readonly to: string;
  readonly when?: Readonly<Record<string, readonly [number, number]>> | undefined;
  readonly after?: number | undefined;
}

export interface ManagedController {
  readonly name: string;
  readonly controller: Controller;
}

export interface ControllerManagerOptions {
  /** Active at start; default: the first controller. */
  readonly initial?: string | undefined;
  /** Takes over at the next tick boundary when the active controller faults. */
  readonly fallback?: string | undefined;
  readonly rules?: readonly SwitchRule[];
  readonly guard?: SwitchGuard | undefined;
}

interface PendingSwitch {
  to: number;
  reason: string;
  /** Fallbacks and rollbacks bypass the guard: the alternative is the latched safe state or a bad controller. */
  forced: boolean;
  rollback?: boolean;
  /** The deferral was already reported (report once per request, not every tick). */
  deferralReported: boolean;
}

interface CompiledRule {
  readonly from: number;
  readonly to: number;
  /** Seconds the active controller must have been active; −1 for none. */
  readonly after: number;
  readonly index: Int32Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly text: string;
}

/** What a shadow controller did while it ran beside the active one. */
export interface ShadowReport {
  readonly name: string;
  /** Ticks on which the shadow produced an action that was compared. */
  readonly ticks: number;
  /** Mean and largest |shadow − active| over action components, in action units. */
  readonly meanAbsDifference: number;
  readonly maxAbsDifference: number;
  /** Shadow actions outside the robot's action limits (component count). */
  readonly outsideLimits: number;
  /** Ticks on which the shadow threw or proposed a non-finite action. */
  readonly faults: number;
  /** Ticks skipped because an asynchronous shadow had not answered the previous one yet. */
  readonly skipped: number;
}

class ShadowSlot {
  ticks = 0;
  sumAbs = 0;
  maxAbs = 0;
  outside = 0;
  faults = 0;
  skipped = 0;
  inFlight = false;
  started = false;
  readonly action: Float64Array;
  /** The active controller's proposal, kept for an asynchronous shadow's comparison. */
  readonly reference: Float64Array;
  constructor(
    readonly index: number,
    size: number,
  ) {
    this.action = new Float64Array(size);
    this.reference = new Float64Array(size);
  }
}

export class ControllerManager {
  private readonly entries: ManagedController[];
  private activeIndex: number;
  private readonly fallbackIndex: number;
  private readonly guard: SwitchGuard | undefined;
  private readonly ruleSpecs: readonly SwitchRule[];
  private rules: readonly CompiledRule[] = [];
  private pending: PendingSwitch | undefined;
  private events: EventSink | undefined;
  private boundContext: ControllerContext | undefined;
  private shadow: ShadowSlot | undefined;
  /** Loop time of the last tick boundary, for events raised between ticks. */
  private lastTime = 0;
  private switches = 0;
  private violations = 0;
  private violation: string | undefined;
  /** Loop time the active controller became active (NaN until the first tick). */
  private activeSince = Number.NaN;
  private activated = false;
  private resetPending = false;
  /** The safety layer was latched at the last check: the safe action, not the controller, drove the robot. */
  private certificateHeld = false;
  private lastRefusal: string | undefined;

  constructor(controllers: readonly ManagedController[], options: ControllerManagerOptions = {}) {
    if (controllers.length === 0) throw new Error('controller manager: no controllers');
    const names = controllers.map((c) => c.name);
    if (new Set(names).size !== names.length)
      throw new Error(`controller manager: duplicate controller names (${names.join(', ')})`);
    this.entries = [...controllers];
    this.activeIndex = options.initial === undefined ? 0 : this.indexOf(options.initial, 'initial');
    this.fallbackIndex = options.fallback === undefined ? -1 : this.indexOf(options.fallback, 'fallback');
    this.guard = options.guard;
    this.ruleSpecs = options.rules ?? [];
  }

  /** A manager around one controller, for runs and tests that never switch. */
  static single(controller: Controller): ControllerManager {
    return new ControllerManager([{ name: controller.name, controller }]);
  }

  get names(): readonly string[] {
    return this.entries.map((e) => e.name);
  }

  get activeName(): string {
    return this.entries[this.activeIndex]!.name;
  }

  /** Index of the active controller in `names` (logged every tick). */
  get activeNumber(): number {
    return this.activeIndex;
  }

  get active(): Controller {
    return this.entries[this.activeIndex]!.controller;
  }

  /** Why the guard last deferred or denied a requested switch. */
  get lastGuardRefusal(): string | undefined {
    return this.lastRefusal;
  }

  /**
   * Withdraws a requested switch the guard has not admitted yet (forced ones, a fallback or a
   * rollback, cannot be withdrawn). Returns the name it was for, or undefined when none was pending.
   */
  withdrawSwitch(): string | undefined {
    const pending = this.pending;
    if (pending === undefined || pending.forced) return undefined;
    this.pending = undefined;
    return this.entries[pending.to]!.name;
  }

  /** Certificate violations the guard's monitor reported during the run. */
  get certificateViolations(): number {
    return this.violations;
  }

  /** The first certificate violation, as reported. */
  get certificateViolation(): string | undefined {
    return this.violation;
  }

  get switchCount(): number {
    return this.switches;
  }

  get pendingSwitch(): string | undefined {
    return this.pending === undefined ? undefined : this.entries[this.pending.to]!.name;
  }

  get hasFallback(): boolean {
    return this.fallbackIndex >= 0 && this.fallbackIndex !== this.activeIndex;
  }

  /**
   * Binds the manager to the robot's specs once every controller is configured (ros2_control: all
   * configured, one active): resolves the rules' signal names and remembers where to report.
   */
  bind(context: ControllerContext): void {
    this.events = context.events;
    this.boundContext = context;
    this.rules = this.ruleSpecs.map((rule) => this.compileRule(rule, context.observation));
  }

  /** Activates the initial controller with the first observation. */
  start(observation: Float64Array): void {
    if (this.activated) return;
    this.activated = true;
    const controller = this.active;
    controller.activate?.();
    controller.reset?.(observation);
  }

  /**
   * Asks for a switch at the next tick boundary. Returns an error message for an unknown name or a
   * switch to the controller already active; otherwise the request replaces any pending one.
   */
  requestSwitch(name: string, reason: string): string | undefined {
    const to = this.entries.findIndex((e) => e.name === name);
    if (to < 0) return `no controller named '${name}' (configured: ${this.names.join(', ')})`;
    if (to === this.activeIndex && this.pending === undefined) return `'${name}' is already active`;
    this.pending = { to, reason, forced: false, deferralReported: false };
    return undefined;
  }

  /**
   * Resets the active controller with the observation of the next tick (after an operator
   * recovery, its integrators and histories describe the time before the latch).
   */
  requestReset(): void {
    this.resetPending = true;
  }

  /**
   * The active controller faulted this tick. Returns true when a fallback will take over at the
   * next tick boundary (the loop then holds the last command); false when there is none.
   */
  onControllerFault(reason: string): boolean {
    if (!this.hasFallback) return false;
    if (this.pending?.forced) return true;
    this.pending = {
      to: this.fallbackIndex,
      reason: `fallback: ${reason}`,
      forced: true,
      deferralReported: false,
    };
    return true;
  }

  /**
   * Called by the loop at the start of every tick, before the controller runs: evaluates the rules
   * and performs a pending switch if the guard admits it. Allocation-free unless a switch happens.
   */
  beginTick(observation: Float64Array, time: number, lastCommand: Float64Array, safety: SafetyLayer): void {
    this.lastTime = time;
    if (this.resetPending) {
      this.resetPending = false;
      this.active.reset?.(observation);
    }
    if (Number.isNaN(this.activeSince)) this.activeSince = time;
    this.monitorCertificate(observation, time, safety);
    if (this.pending === undefined) this.evaluateRules(observation, time);
    const pending = this.pending;
    if (pending === undefined) return;
    if (pending.to === this.activeIndex) {
      this.pending = undefined;
      return;
    }
    const from = this.activeName;
    const to = this.entries[pending.to]!.name;
    if (!pending.forced && this.guard) {
      const decision = this.guard.admit(from, to, observation, time, lastCommand, !pending.deferralReported);
      if (decision.verdict !== 'admit') {
        if (decision.verdict === 'deny' || !pending.deferralReported) {
          this.emit(
            time,
            `${from} → ${to} ${decision.verdict === 'deny' ? 'denied' : 'deferred'} by ${this.guard.name}: ${decision.reason}`,
            {
              from,
              to,
              verdict: decision.verdict,
              ...decision.data,
            },
          );
        }
        if (decision.reason !== '') this.lastRefusal = decision.reason;
        if (decision.verdict === 'deny') this.pending = undefined;
        else pending.deferralReported = true;
        return;
      }
      this.perform(pending, observation, time, lastCommand, safety, decision);
      return;
    }
    this.perform(pending, observation, time, lastCommand, safety, undefined);
  }

  update(observation: Float64Array, time: number, action: Float64Array): void | Promise<void> {
    const result = this.entries[this.activeIndex]!.controller.update(observation, time, action);
    if (this.shadow === undefined) return result;
    if (isPromiseLike(result)) {
      return Promise.resolve(result).then(() => this.runShadow(observation, time, action));
    }
    this.runShadow(observation, time, action);
    return result;
  }

  /**
   * The robot's specs, control period and event sink the manager was bound with: a controller
   * installed later must be configured against exactly these.
   */
  get context(): ControllerContext | undefined {
    return this.boundContext;
  }

  /**
   * Adds a controller while the loop runs (a hot-swap candidate). It must already be configured
   * against `context` and warmed up: nothing slow may happen at the tick boundary. It is inactive
   * until a switch selects it; `data` (e.g. its version and hash) goes into the install event.
   * With `certificate`, the guard checks it against the robot, the run and this controller's law
   * and then governs the controller by it (admission and monitor), as it does a configured one.
   * Returns an error message (a duplicate name, a certificate refused or no guard to take it) and
   * installs nothing then; otherwise undefined.
   */
  install(
    name: string,
    controller: Controller,
    data: Readonly<Record<string, number | string | boolean>> = {},
    certificate?: CertificateFiles,
  ): string | undefined {
    if (this.entries.some((e) => e.name === name))
      return `a controller named '${name}' is already installed (${this.names.join(', ')})`;
    if (certificate !== undefined) {
      if (this.guard?.adopt === undefined)
        return `'${name}' comes with a certificate, but the run has no guard that takes certificates (switching.guard: { kind: certified })`;
      try {
        this.guard.adopt(name, controller, certificate, this.lastTime);
      } catch (error) {
        return `'${name}' not installed: ${(error as Error).message}`;
      }
    }
    this.entries.push({ name, controller });
    const index = this.entries.length - 1;
    this.emit(this.lastTime, `installed ${name} as controller ${index}`, { installed: name, index, ...data });
    return undefined;
  }

  /**
   * Runs an installed controller in shadow: from the next tick on it computes an action on every
   * tick from the same observation, compared with the active controller's proposal and never
   * applied. Replaces (and reports) a shadow already running. Returns an error message or undefined.
   */
  startShadow(name: string): string | undefined {
    const index = this.entries.findIndex((e) => e.name === name);
    if (index < 0) return `no controller named '${name}' (configured: ${this.names.join(', ')})`;
    if (index === this.activeIndex) return `'${name}' is active; only an inactive controller can shadow it`;
    const size = this.boundContext?.action.signals.length;
    if (size === undefined) return 'the manager is not bound to a robot yet';
    this.endShadow();
    this.shadow = new ShadowSlot(index, size);
    this.emit(this.lastTime, `${name} runs in shadow beside ${this.activeName}`, { shadow: name, index });
    return undefined;
  }

  /** Ends shadow mode; returns (and logs) what the shadow did, or undefined when none ran. */
  stopShadow(): ShadowReport | undefined {
    return this.endShadow();
  }

  /** What the running shadow did so far, if one runs. */
  get shadowReport(): ShadowReport | undefined {
    const s = this.shadow;
    return s === undefined ? undefined : this.reportOf(s);
  }

  /**
   * Asks to return to `name` at the next tick boundary without asking the guard (like a fallback):
   * used when live metrics show that a newly swapped-in controller does worse than the one before.
   */
  requestRollback(name: string, reason: string): string | undefined {
    const to = this.entries.findIndex((e) => e.name === name);
    if (to < 0) return `no controller named '${name}' (configured: ${this.names.join(', ')})`;
    if (to === this.activeIndex && this.pending === undefined) return `'${name}' is already active`;
    this.pending = {
      to,
      reason: `rollback: ${reason}`,
      forced: true,
      rollback: true,
      deferralReported: false,
    };
    return undefined;
  }

  private runShadow(observation: Float64Array, time: number, active: Float64Array): void {
    const s = this.shadow;
    if (s === undefined) return;
    if (s.inFlight) {
      s.skipped++;
      return;
    }
    const controller = this.entries[s.index]!.controller;
    let result: void | Promise<void>;
    try {
      if (!s.started) {
        s.started = true;
        controller.activate?.();
        controller.reset?.(observation);
      }
      result = controller.update(observation, time, s.action);
    } catch {
      s.faults++;
      return;
    }
    if (!isPromiseLike(result)) {
      this.compareShadow(s, active);
      return;
    }
    s.reference.set(active);
    s.inFlight = true;
    Promise.resolve(result).then(
      () => {
        s.inFlight = false;
        this.compareShadow(s, s.reference);
      },
      () => {
        s.inFlight = false;
        s.faults++;
      },
    );
  }

  private compareShadow(s: ShadowSlot, active: Float64Array): void {
    const signals = this.boundContext!.action.signals;
    let finite = true;
    for (let i = 0; i < s.action.length; i++) {
      const v = s.action[i]!;
      if (!Number.isFinite(v)) {
        finite = false;
        break;
      }
      const d = Math.abs(v - active[i]!);
      s.sumAbs += d;
      if (d > s.maxAbs) s.maxAbs = d;
      const limit = signals[i]!;
      if (v < limit.lower || v > limit.upper) s.outside++;
    }
    if (finite) s.ticks++;
    else s.faults++;
  }

  private endShadow(): ShadowReport | undefined {
    const s = this.shadow;
    if (s === undefined) return undefined;
    this.shadow = undefined;
    const entry = this.entries[s.index]!;
    if (s.started && s.index !== this.activeIndex) entry.controller.deactivate?.();
    const report = this.reportOf(s);
    this.emit(
      this.lastTime,
      `shadow ${report.name} ended: ${report.ticks} ticks, mean |Δa| ${report.meanAbsDifference.toPrecision(3)}, ` +
        `max ${report.maxAbsDifference.toPrecision(3)}, ${report.outsideLimits} outside limits, ${report.faults} faults`,
      {
        shadow: report.name,
        shadowTicks: report.ticks,
        meanAbsDifference: report.meanAbsDifference,
        maxAbsDifference: report.maxAbsDifference,
        outsideLimits: report.outsideLimits,
        faults: report.faults,
        skipped: report.skipped,
      },
    );
    return report;
  }

  private reportOf(s: ShadowSlot): ShadowReport {
    const components = Math.max(1, s.ticks * s.action.length);
    return {
      name: this.entries[s.index]!.name,
      ticks: s.ticks,
      meanAbsDifference: s.ticks === 0 ? 0 : s.sumAbs / components,
      maxAbsDifference: s.maxAbs,
      outsideLimits: s.outside,
      faults: s.faults,
      skipped: s.skipped,
    };
  }

  /** Mode index of the active controller, for hybrid controllers (0 otherwise). */
  get mode(): number {
    return this.entries[this.activeIndex]!.controller.mode ?? 0;
  }

  async dispose(): Promise<void> {
    let first: unknown;
    for (const { controller } of this.entries) {
      try {
        await controller.dispose?.();
      } catch (error) {
        first ??= error;
      }
    }
    if (first !== undefined) throw first;
  }

  private perform(
    pending: PendingSwitch,
    observation: Float64Array,
    time: number,
    lastCommand: Float64Array,
    safety: SafetyLayer,
    decision: SwitchDecision | undefined,
  ): void {
    const old = this.entries[this.activeIndex]!;
    const next = this.entries[pending.to]!;
    this.pending = undefined;
    // A shadow that becomes active stops shadowing first: one controller, one role.
    if (this.shadow?.index === pending.to) this.endShadow();
    old.controller.deactivate?.();
    next.controller.activate?.();
    next.controller.reset?.(observation);
    safety.reset(lastCommand);
    this.activeIndex = pending.to;
    this.activeSince = time;
    this.switches++;
    this.emit(time, `${old.name} → ${next.name} (${pending.reason})`, {
      from: old.name,
      to: next.name,
      verdict: 'admit',
      forced: pending.forced,
      ...(pending.rollback ? { rollback: true } : {}),
      ...(decision ? { guard: this.guard?.name ?? '', ...decision.data } : {}),
    });
  }

  private evaluateRules(observation: Float64Array, time: number): void {
    const rules = this.rules;
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r]!;
      if (rule.to === this.activeIndex || (rule.from >= 0 && rule.from !== this.activeIndex)) continue;
      if (rule.after >= 0 && time - this.activeSince < rule.after - 1e-9) continue;
      let inside = true;
      for (let k = 0; k < rule.index.length && inside; k++) {
        const v = observation[rule.index[k]!]!;
        inside = v >= rule.lower[k]! && v <= rule.upper[k]!;
      }
      if (inside) {
        this.pending = { to: rule.to, reason: `rule: ${rule.text}`, forced: false, deferralReported: false };
        return;
      }
    }
  }

  private compileRule(rule: SwitchRule, observation: VectorSpec): CompiledRule {
    const signals = observation.signals.map((s) => s.name);
    const entries = Object.entries(rule.when ?? {});
    const index = Int32Array.from(entries, ([name]) => {
      const i = signals.indexOf(name);
      if (i < 0)
        throw new RangeError(
          `switching rule to '${rule.to}': no observation '${name}' (known: ${signals.join(', ')})`,
        );
      return i;
    });
    const text = [
      ...(rule.after !== undefined ? [`active for ${rule.after} s`] : []),
      ...entries.map(([name, [lo, hi]]) => `${name} in [${lo}, ${hi}]`),
    ].join(' and ');
    return {
      from: rule.from === undefined ? -1 : this.indexOf(rule.from, 'rule.from'),
      to: this.indexOf(rule.to, 'rule.to'),
      after: rule.after ?? -1,
      index,
      lower: Float64Array.from(entries, ([, [lo]]) => lo),
      upper: Float64Array.from(entries, ([, [, hi]]) => hi),
      text,
    };
  }

  private indexOf(name: string, what: string): number {
    const i = this.entries.findIndex((e) => e.name === name);
    if (i < 0)
      throw new Error(`controller manager: ${what} '${name}' is not one of ${this.names.join(', ')}`);
    return i;
  }

  /**
   * The certificate monitors, the guard's and the active controller's own (a hybrid supervisor's):
   * a violation is an event, and the fallback takes over at this very boundary (forced, like a
   * fault's); without a fallback the safety layer latches.
   */
  private monitorCertificate(observation: Float64Array, time: number, safety: SafetyLayer): void {
    // A certificate is about the loop closed by its controller: while the safety layer is latched
    // the safe action drives the robot (an episode's end, an e-stop), so nothing is checked, and
    // after the recovery the checks start afresh from the recovered state.
    if (safety.latched) {
      this.certificateHeld = true;
      return;
    }
    if (this.certificateHeld) {
      this.certificateHeld = false;
      this.guard?.resume?.(this.activeName);
    }
    const found =
      this.guard?.monitor?.(this.activeName, observation, time) ??
      this.active.monitorCertificate?.(observation, time);
    if (found === undefined) return;
    // Outside its certified region the controller may not run on either way; only a violation
    // (the plant broke what was proved) counts as one.
    const what = found.uncovered ? 'not covered by its certificate' : 'certificate violated';
    if (!found.uncovered) {
      this.violations++;
      this.violation ??= `${this.activeName} at t=${time.toFixed(3)} s: ${found.reason}`;
    }
    const fallback = this.hasFallback;
    this.events?.emit({
      time,
      kind: 'certificate',
      source: 'certificate-monitor',
      message: `${what}: ${this.activeName}: ${found.reason}; ${fallback ? `fallback ${this.entries[this.fallbackIndex]!.name} takes over` : 'no fallback: safe state'}`,
      data: { controller: this.activeName, violated: !found.uncovered, ...found.data },
    });
    if (fallback)
      this.pending = {
        to: this.fallbackIndex,
        reason: `fallback: ${what} (${found.reason})`,
        forced: true,
        deferralReported: false,
      };
    else safety.estop(`${what}: ${found.reason}`);
  }

  private emit(time: number, message: string, data: Record<string, number | string | boolean>): void {
    this.events?.emit({ time, kind: 'controller-switch', source: 'controller-manager', message, data });
  }
}
