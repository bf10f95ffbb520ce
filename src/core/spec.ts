/**
 * Typed descriptions of the signals a robot produces (observations) and accepts (actions).
 * Specs are plain data so they can travel over the wire (hello/capabilities) and be checked
 * against policy contracts at load time.
 */

export interface SignalSpec {
  /** Unique within its vector, e.g. `cart.pos`, `hinge.vel`, `fr_hip.torque`. */
  readonly name: string;
  /** SI unit: `m`, `rad`, `m/s`, `rad/s`, `N`, `N*m`, `1` for dimensionless. */
  readonly unit: string;
  /** Physical limits; `-Infinity` / `Infinity` when unbounded. */
  readonly lower: number;
  readonly upper: number;
}

export interface VectorSpec {
  readonly signals: readonly SignalSpec[];
}

/**
 * How an action vector is interpreted by the robot. `cartesian`: the end-effector pose (x, y, z in m,
 * rotation vector rx, ry, rz in rad, world frame) for the robot's Cartesian impedance.
 */
export type CommandMode = 'torque' | 'position' | 'velocity' | 'cartesian';

export interface ActionSpec extends VectorSpec {
  readonly mode: CommandMode;
  /** Action the robot goes to in its safe state (e.g. zero torque, or hold position). */
  readonly safe: readonly number[];
  /** Largest change of each action component between two control ticks; omitted = unlimited. */
  readonly maxDeltaPerTick?: readonly number[];
}

export function signal(name: string, unit: string, lower = -Infinity, upper = Infinity): SignalSpec {
  if (!(lower <= upper)) throw new RangeError(`signal ${name}: lower ${lower} > upper ${upper}`);
  return { name, unit, lower, upper };
}

export function signalIndex(spec: VectorSpec, name: string): number {
  const index = spec.signals.findIndex((s) => s.name === name);
  if (index < 0) {
    const known = spec.signals.map((s) => s.name).join(', ');
    throw new RangeError(`no signal named '${name}' (known: ${known})`);
  }
  return index;
}

export function lowerBounds(spec: VectorSpec): Float64Array {
  return Float64Array.from(spec.signals, (s) => s.lower);
}

export function upperBounds(spec: VectorSpec): Float64Array {
  return Float64Array.from(spec.signals, (s) => s.upper);
}
