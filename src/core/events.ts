/**
 * Discrete things that happen around the control loop: faults, e-stops, safety interventions,
 * controller and mode switches, certificate checks. Rare by nature, so they may allocate.
 */
export type ControlEventKind =
  | 'lifecycle'
  | 'fault'
  | 'estop'
  | 'recover'
  | 'safety'
  | 'deadline-miss'
  | 'controller-switch'
  | 'mode-switch'
  | 'certificate'
  | 'link'
  | 'info';

export interface ControlEvent {
  /** Loop time in seconds (virtual time in fast mode). */
  readonly time: number;
  readonly kind: ControlEventKind;
  /** Who raised it, e.g. `safety`, `loop`, `supervisor`, `robot`. */
  readonly source: string;
  readonly message: string;
  /** Numbers and labels worth plotting or filtering on (V, rho, joint index...). */
  readonly data?: Readonly<Record<string, number | string | boolean>>;
}

export interface EventSink {
  emit(event: ControlEvent): void;
}

/** Collects events in memory; used by tests and as the default when nothing else listens. */
export class EventBuffer implements EventSink {
  readonly events: ControlEvent[] = [];
  emit(event: ControlEvent): void {
    this.events.push(event);
  }
}
