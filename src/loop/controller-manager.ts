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
 */
import type { Controller, ControllerContext } from '../core/controller.ts';
import type { EventSink } from '../core/events.ts';
import type { VectorSpec } from '../core/spec.ts';
import type { SwitchDecision, SwitchGuard } from '../core/switch-guard.ts';
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
  /** Fallbacks bypass the guard: the alternative is the latched safe state. */
  forced: boolean;
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

export class ControllerManager {
  private readonly entries: readonly ManagedController[];
  private activeIndex: number;
  private readonly fallbackIndex: number;
  private readonly guard: SwitchGuard | undefined;
  private readonly ruleSpecs: readonly SwitchRule[];
  private rules: readonly CompiledRule[] = [];
  private pending: PendingSwitch | undefined;
  private events: EventSink | undefined;
  private switches = 0;
  /** Loop time the active controller became active (NaN until the first tick). */
  private activeSince = Number.NaN;
  private activated = false;
  private resetPending = false;

  constructor(controllers: readonly ManagedController[], options: ControllerManagerOptions = {}) {
    if (controllers.length === 0) throw new Error('controller manager: no controllers');
    const names = controllers.map((c) => c.name);
    if (new Set(names).size !== names.length)
      throw new Error(`controller manager: duplicate controller names (${names.join(', ')})`);
    this.entries = controllers;
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
    if (this.resetPending) {
      this.resetPending = false;
      this.active.reset?.(observation);
    }
    if (Number.isNaN(this.activeSince)) this.activeSince = time;
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
      const decision = this.guard.admit(from, to, observation, time);
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
    return this.entries[this.activeIndex]!.controller.update(observation, time, action);
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

  private emit(time: number, message: string, data: Record<string, number | string | boolean>): void {
    this.events?.emit({ time, kind: 'controller-switch', source: 'controller-manager', message, data });
  }
}
