/**
 * Lifecycle of anything that talks to hardware, after ros2_control's managed nodes:
 *
 *   unconfigured --configure--> ready --activate--> running --deactivate--> ready
 *         any state --fault--> fault --recover--> ready        any --shutdown--> stopped
 *
 * A fault is only left by an explicit `recover` (an operator command), never automatically.
 */

export type LifecycleState = 'unconfigured' | 'ready' | 'running' | 'fault' | 'stopped';

export type LifecycleTransition = 'configure' | 'activate' | 'deactivate' | 'fault' | 'recover' | 'shutdown';

const allowed: Record<LifecycleTransition, readonly LifecycleState[]> = {
  configure: ['unconfigured'],
  activate: ['ready'],
  deactivate: ['running'],
  fault: ['unconfigured', 'ready', 'running', 'fault'],
  recover: ['fault'],
  shutdown: ['unconfigured', 'ready', 'running', 'fault', 'stopped'],
};

const target: Record<LifecycleTransition, LifecycleState> = {
  configure: 'ready',
  activate: 'running',
  deactivate: 'ready',
  fault: 'fault',
  recover: 'ready',
  shutdown: 'stopped',
};

export class LifecycleError extends Error {
  constructor(
    readonly subject: string,
    readonly from: LifecycleState,
    readonly transition: LifecycleTransition,
  ) {
    super(`${subject}: cannot ${transition} while ${from}`);
    this.name = 'LifecycleError';
  }
}

/** Returns the state after `transition`, or throws a LifecycleError naming the subject. */
export function transition(subject: string, from: LifecycleState, t: LifecycleTransition): LifecycleState {
  if (!allowed[t].includes(from)) throw new LifecycleError(subject, from, t);
  return target[t];
}

/** Small holder that enforces the state machine and remembers why a fault happened. */
export class Lifecycle {
  private current: LifecycleState = 'unconfigured';
  private faultReason: string | undefined;
  private readonly listeners: ((state: LifecycleState, reason?: string) => void)[] = [];

  constructor(private readonly subject: string) {}

  get state(): LifecycleState {
    return this.current;
  }

  get lastFault(): string | undefined {
    return this.faultReason;
  }

  onChange(listener: (state: LifecycleState, reason?: string) => void): void {
    this.listeners.push(listener);
  }

  apply(t: LifecycleTransition, reason?: string): LifecycleState {
    this.current = transition(this.subject, this.current, t);
    if (t === 'fault') this.faultReason = reason;
    if (t === 'recover') this.faultReason = undefined;
    for (const l of this.listeners) l(this.current, reason);
    return this.current;
  }
}
