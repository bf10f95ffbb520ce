/**
 * Command channels: operator inputs a policy reads as observations, e.g. the commanded base velocity
 * (forward, lateral, yaw rate) of a walking policy. A run owns one board; a schedule in the run config,
 * the operator console (`command NAME v1 v2 …`, from the terminal or the MQTT operator channel) and
 * tests write to it, and policy terms with `source: command` read it on every policy step.
 *
 * A channel's values live in one Float64Array that readers keep a reference to, so reading costs
 * nothing per tick. Writes clamp to the channel's ranges (the ranges the policy was trained on).
 */
import type { EventSink } from './events.ts';

export interface CommandChannel {
  readonly name: string;
  /** Current values; readers keep this array. */
  readonly values: Float64Array;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Incremented on every write. */
  version: number;
}

/** A scheduled write: from `at` seconds of loop time on, the channel holds `value`. */
export interface CommandStep {
  readonly at: number;
  readonly value: readonly number[];
}

export interface CommandChannelConfig {
  readonly initial?: readonly number[] | undefined;
  /** [lower, upper] per component; writes are clamped into them. */
  readonly ranges?: readonly (readonly [number, number])[] | undefined;
  readonly schedule?: readonly CommandStep[] | undefined;
}

/**
 * What a write left in the channel, and, where it was clamped, which values were out of range and
 * what the range is: `v = [0.7, 0] (clamped to its ranges): value 1 was 0.9, range [-0.3, 0.7]`.
 */
export function describeWrite(channel: CommandChannel, requested: readonly number[]): string {
  const outside: string[] = [];
  requested.forEach((value, i) => {
    if (value !== channel.values[i])
      outside.push(`value ${i + 1} was ${value}, range [${channel.lower[i]}, ${channel.upper[i]}]`);
  });
  const text = `${channel.name} = [${Array.from(channel.values).join(', ')}]`;
  return outside.length === 0 ? text : `${text} (clamped to its ranges): ${outside.join('; ')}`;
}

export class CommandBoard {
  private readonly channels = new Map<string, CommandChannel>();
  private readonly schedules: { channel: string; steps: CommandStep[]; next: number }[] = [];
  private events: EventSink | undefined;

  constructor(configs: Readonly<Record<string, CommandChannelConfig>> = {}) {
    for (const [name, config] of Object.entries(configs)) {
      const size = config.initial?.length ?? config.ranges?.length ?? config.schedule?.[0]?.value.length;
      if (size === undefined)
        throw new RangeError(
          `commands.${name}: give 'initial', 'ranges' or a 'schedule' (its size is unknown)`,
        );
      this.define(name, config.initial ?? new Array<number>(size).fill(0), config.ranges);
      if (config.schedule?.length) {
        config.schedule.forEach((step, i) => {
          if (step.value.length !== size)
            throw new RangeError(
              `commands.${name}.schedule.${i}.value: ${step.value.length} values, the channel has ${size}`,
            );
        });
        const steps = [...config.schedule].sort((a, b) => a.at - b.at);
        this.schedules.push({ channel: name, steps, next: 0 });
      }
    }
  }

  /** Where writes are reported (an `info` event each). */
  bind(events: EventSink): void {
    this.events = events;
  }

  get names(): readonly string[] {
    return [...this.channels.keys()];
  }

  get(name: string): CommandChannel | undefined {
    return this.channels.get(name);
  }

  /**
   * The channel a reader needs: the run's, if it defines one of this size, or a new one holding
   * `initial` (a policy's command term works without a `commands:` section; the operator can still
   * write to it). A channel of another size is refused.
   */
  channel(
    name: string,
    initial: readonly number[],
    ranges?: readonly (readonly [number, number])[],
  ): CommandChannel {
    const existing = this.channels.get(name);
    if (existing === undefined) return this.define(name, initial, ranges);
    if (existing.values.length !== initial.length) {
      throw new RangeError(
        `command channel '${name}' has ${existing.values.length} values, a reader expects ${initial.length}`,
      );
    }
    return existing;
  }

  /** Writes `values` (clamped to the ranges); returns an error message instead of throwing. */
  set(name: string, values: readonly number[], source: string, time = 0): string | undefined {
    const channel = this.channels.get(name);
    if (channel === undefined)
      return `no command channel '${name}' (channels: ${this.names.join(', ') || 'none'})`;
    if (values.length !== channel.values.length)
      return `command '${name}' takes ${channel.values.length} values, got ${values.length}`;
    if (!values.every(Number.isFinite)) return `command '${name}': every value must be a finite number`;
    for (let i = 0; i < values.length; i++)
      channel.values[i] = Math.min(channel.upper[i]!, Math.max(channel.lower[i]!, values[i]!));
    channel.version++;
    this.events?.emit({
      time,
      kind: 'info',
      source: `command:${source}`,
      message: describeWrite(channel, values),
    });
    return undefined;
  }

  /** Applies the schedule entries due at loop time `time`. Allocation-free when nothing is due. */
  advance(time: number): void {
    for (let s = 0; s < this.schedules.length; s++) {
      const schedule = this.schedules[s]!;
      while (schedule.next < schedule.steps.length && schedule.steps[schedule.next]!.at <= time + 1e-9) {
        const step = schedule.steps[schedule.next++]!;
        this.set(schedule.channel, step.value, 'schedule', time);
      }
    }
  }

  private define(
    name: string,
    initial: readonly number[],
    ranges: readonly (readonly [number, number])[] | undefined,
  ): CommandChannel {
    if (ranges !== undefined && ranges.length !== initial.length)
      throw new RangeError(`command channel '${name}': ${ranges.length} ranges for ${initial.length} values`);
    const channel: CommandChannel = {
      name,
      values: Float64Array.from(initial),
      lower: Float64Array.from(initial, (_, i) => ranges?.[i]?.[0] ?? -Infinity),
      upper: Float64Array.from(initial, (_, i) => ranges?.[i]?.[1] ?? Infinity),
      version: 0,
    };
    for (let i = 0; i < initial.length; i++)
      channel.values[i] = Math.min(channel.upper[i]!, Math.max(channel.lower[i]!, initial[i]!));
    this.channels.set(name, channel);
    return channel;
  }
}
