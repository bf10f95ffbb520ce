// Compiled from src/core/commands.ts by `npm run build`: edit the source, not this file.

// src/core/commands.ts
function describeWrite(channel, requested) {
  const outside = [];
  requested.forEach((value, i) => {
    if (value !== channel.values[i])
      outside.push(`value ${i + 1} was ${value}, range [${channel.lower[i]}, ${channel.upper[i]}]`);
  });
  const text = `${channel.name} = [${Array.from(channel.values).join(", ")}]`;
  return outside.length === 0 ? text : `${text} (clamped to its ranges): ${outside.join("; ")}`;
}
var CommandBoard = class {
  channels = /* @__PURE__ */ new Map();
  schedules = [];
  events;
  constructor(configs = {}) {
    for (const [name, config] of Object.entries(configs)) {
      const size = config.initial?.length ?? config.ranges?.length ?? config.schedule?.[0]?.value.length;
      if (size === void 0)
        throw new RangeError(
          `commands.${name}: give 'initial', 'ranges' or a 'schedule' (its size is unknown)`
        );
      this.define(name, config.initial ?? new Array(size).fill(0), config.ranges);
      if (config.schedule?.length) {
        config.schedule.forEach((step, i) => {
          if (step.value.length !== size)
            throw new RangeError(
              `commands.${name}.schedule.${i}.value: ${step.value.length} values, the channel has ${size}`
            );
        });
        const steps = [...config.schedule].sort((a, b) => a.at - b.at);
        this.schedules.push({ channel: name, steps, next: 0 });
      }
    }
  }
  /** Where writes are reported (an `info` event each). */
  bind(events) {
    this.events = events;
  }
  get names() {
    return [...this.channels.keys()];
  }
  get(name) {
    return this.channels.get(name);
  }
  /**
   * The channel a reader needs: the run's, if it defines one of this size, or a new one holding
   * `initial` (a policy's command term works without a `commands:` section; the operator can still
   * write to it). A channel of another size is refused.
   */
  channel(name, initial, ranges) {
    const existing = this.channels.get(name);
    if (existing === void 0) return this.define(name, initial, ranges);
    if (existing.values.length !== initial.length) {
      throw new RangeError(
        `command channel '${name}' has ${existing.values.length} values, a reader expects ${initial.length}`
      );
    }
    return existing;
  }
  /** Writes `values` (clamped to the ranges); returns an error message instead of throwing. */
  set(name, values, source, time = 0) {
    const channel = this.channels.get(name);
    if (channel === void 0)
      return `no command channel '${name}' (channels: ${this.names.join(", ") || "none"})`;
    if (values.length !== channel.values.length)
      return `command '${name}' takes ${channel.values.length} values, got ${values.length}`;
    if (!values.every(Number.isFinite)) return `command '${name}': every value must be a finite number`;
    for (let i = 0; i < values.length; i++)
      channel.values[i] = Math.min(channel.upper[i], Math.max(channel.lower[i], values[i]));
    channel.version++;
    this.events?.emit({
      time,
      kind: "info",
      source: `command:${source}`,
      message: describeWrite(channel, values)
    });
    return void 0;
  }
  /** Applies the schedule entries due at loop time `time`. Allocation-free when nothing is due. */
  advance(time) {
    for (let s = 0; s < this.schedules.length; s++) {
      const schedule = this.schedules[s];
      while (schedule.next < schedule.steps.length && schedule.steps[schedule.next].at <= time + 1e-9) {
        const step = schedule.steps[schedule.next++];
        this.set(schedule.channel, step.value, "schedule", time);
      }
    }
  }
  define(name, initial, ranges) {
    if (ranges !== void 0 && ranges.length !== initial.length)
      throw new RangeError(`command channel '${name}': ${ranges.length} ranges for ${initial.length} values`);
    const channel = {
      name,
      values: Float64Array.from(initial),
      lower: Float64Array.from(initial, (_, i) => ranges?.[i]?.[0] ?? -Infinity),
      upper: Float64Array.from(initial, (_, i) => ranges?.[i]?.[1] ?? Infinity),
      version: 0
    };
    for (let i = 0; i < initial.length; i++)
      channel.values[i] = Math.min(channel.upper[i], Math.max(channel.lower[i], initial[i]));
    this.channels.set(name, channel);
    return channel;
  }
};
export {
  CommandBoard,
  describeWrite
};
