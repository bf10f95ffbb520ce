import type { EnvKernel } from '../../sim/envs/definition.ts';
import type { SimModel } from '../../sim/model.ts';
import type { ActionSpec } from '../../src/core/spec.ts';
import {
  type ActionSignal,
  Feature,
  type Hello,
  type JointInfo,
  type ObservationSignal,
  stateValueCount,
} from '../protocol/messages.ts';

const mjJointFree = 0;
const mjJointSlide = 2;
const mjJointHinge = 3;
const mjTransmissionJoint = 0;

/** A hinge or slide joint as the firmware sees it. */
export interface RigJoint extends JointInfo {
  readonly qposAddress: number;
  readonly dofAddress: number;
}

/**
 * How the emulated rig's state message is laid out for one model, and how the runtime's observation
 * (exactly the simulator's, from the same environment definition) is found in it:
 *   values = [joint positions, joint velocities, joint torques, IMU (free-floating base), sensors]
 * An observation signal named `<joint>.pos` / `<joint>.vel` maps to the joint's raw reading; every other
 * one (e.g. the cartpole's wrapped `pole.angle`, the arm's `flange.x`) travels as a named sensor.
 */
export interface RigLayout {
  readonly joints: readonly RigJoint[];
  /** qpos / dof address of the free joint, or -1. */
  readonly rootQpos: number;
  readonly rootDof: number;
  /** Observation indices (in the kernel's order) that travel as sensors. */
  readonly sensorObservation: Int32Array;
  readonly valueCount: number;
  /** Action index -> the joint it drives (for position mode PD), or -1. */
  readonly actionJoint: Int32Array;
  readonly hello: Hello;
}

export interface LayoutOptions {
  readonly name: string;
  readonly commandMode: 'torque' | 'position' | 'cartesian';
  /** Cartesian mode: the workspace box (m, world frame) announced as the position targets' limits. */
  readonly workspace?: { readonly lower: readonly number[]; readonly upper: readonly number[] };
  readonly stateRateHz: number;
  readonly innerLoopHz: number;
  readonly watchdogMs: number;
  /** Per action: the velocity limit of the joint it drives, announced in HELLO (Infinity: none). */
  readonly velocityLimits?: Float64Array;
}

export function buildRigLayout(sim: SimModel, kernel: EnvKernel, options: LayoutOptions): RigLayout {
  const m = sim.model;
  const jointNames = sim.names('joint');
  const joints: RigJoint[] = [];
  let rootQpos = -1;
  let rootDof = -1;
  for (let j = 0; j < m.njnt; j++) {
    const type = m.jnt_type[j]!;
    if (type === mjJointFree) {
      if (rootQpos < 0) {
        rootQpos = m.jnt_qposadr[j]!;
        rootDof = m.jnt_dofadr[j]!;
      }
      continue;
    }
    if (type !== mjJointSlide && type !== mjJointHinge) continue;
    const limited = m.jnt_limited[j] === 1;
    joints.push({
      name: jointNames[j]!,
      type: type === mjJointSlide ? 1 : 0,
      positionLower: limited ? m.jnt_range[2 * j]! : -Infinity,
      positionUpper: limited ? m.jnt_range[2 * j + 1]! : Infinity,
      velocityLimit: Infinity,
      effortLimit: effortLimit(sim, j),
      qposAddress: m.jnt_qposadr[j]!,
      dofAddress: m.jnt_dofadr[j]!,
    });
  }
  const hasImu = rootQpos >= 0;
  const nJ = joints.length;
  const imuBase = 3 * nJ;
  const sensorBase = imuBase + (hasImu ? 10 : 0);

  const observation: ObservationSignal[] = [];
  const sensorObservation: number[] = [];
  const sensors: { name: string; unit: string }[] = [];
  kernel.observation.signals.forEach((s, i) => {
    const match = /^(.*)\.(pos|vel)$/.exec(s.name);
    const joint = match ? joints.findIndex((j) => j.name === match[1]) : -1;
    let stateIndex: number;
    if (joint >= 0) stateIndex = (match![2] === 'pos' ? 0 : nJ) + joint;
    else {
      stateIndex = sensorBase + sensors.length;
      sensors.push({ name: s.name, unit: s.unit });
      sensorObservation.push(i);
    }
    observation.push({ name: s.name, unit: s.unit, lower: s.lower, upper: s.upper, stateIndex });
  });

  const actionJoint = actuatedJoints(sim, kernel.action, joints);
  options.velocityLimits?.forEach((limit, a) => {
    const j = actionJoint[a]!;
    if (j >= 0 && limit < joints[j]!.velocityLimit) joints[j] = { ...joints[j]!, velocityLimit: limit };
  });
  const action =
    options.commandMode === 'cartesian'
      ? poseSignals(options.workspace ?? { lower: [-1, -1, -1], upper: [1, 1, 1] })
      : actionSignals(kernel.action, options.commandMode, joints, actionJoint);
  const hello: Hello = {
    stateRateHz: options.stateRateHz,
    innerLoopHz: options.innerLoopHz,
    minCommandRateHz: 1,
    maxCommandRateHz: options.innerLoopHz,
    commandMode: options.commandMode,
    features: Feature.estop | Feature.watchdog | (options.commandMode !== 'torque' ? Feature.pdGains : 0),
    watchdogMs: options.watchdogMs,
    name: options.name,
    joints: joints.map(({ name, type, positionLower, positionUpper, velocityLimit, effortLimit }) => ({
      name,
      type,
      positionLower,
      positionUpper,
      velocityLimit,
      effortLimit,
    })),
    hasImu,
    sensors,
    observation,
    action,
  };
  return {
    joints,
    rootQpos,
    rootDof,
    sensorObservation: Int32Array.from(sensorObservation),
    valueCount: stateValueCount(nJ, hasImu, sensors.length),
    actionJoint,
    hello,
  };
}

/** Largest |ctrlrange| x gear of the actuators driving joint `j` (0 = passive joint). */
function effortLimit(sim: SimModel, j: number): number {
  const m = sim.model;
  let limit = 0;
  for (let a = 0; a < m.nu; a++) {
    if (m.actuator_trntype[a] !== mjTransmissionJoint || m.actuator_trnid[2 * a] !== j) continue;
    const range = Math.max(
      Math.abs(m.actuator_ctrlrange[2 * a]!),
      Math.abs(m.actuator_ctrlrange[2 * a + 1]!),
    );
    limit = Math.max(
      limit,
      m.actuator_ctrllimited[a] === 1 ? range * Math.abs(m.actuator_gear[6 * a]!) : Infinity,
    );
  }
  return limit;
}

/**
 * Action i drives the joint whose name prefixes the action's name (`fl_hip.torque` -> fl_hip); for
 * single-actuator models whose names differ (cartpole `cart.force` -> slider), the one actuated joint.
 */
function actuatedJoints(sim: SimModel, action: ActionSpec, joints: readonly RigJoint[]): Int32Array {
  const m = sim.model;
  const jointNames = sim.names('joint');
  const actuatedJointIds: number[] = [];
  for (let a = 0; a < m.nu; a++) {
    if (m.actuator_trntype[a] === mjTransmissionJoint) actuatedJointIds.push(m.actuator_trnid[2 * a]!);
  }
  return Int32Array.from(action.signals, (s, i) => {
    const prefix = s.name.replace(/\.[^.]*$/, '');
    const byName = joints.findIndex((j) => j.name === prefix);
    if (byName >= 0) return byName;
    const id = actuatedJointIds[i];
    return id === undefined ? -1 : joints.findIndex((j) => j.name === jointNames[id]);
  });
}

/**
 * A cartesian rig's action: the end-effector pose, `ee.x/y/z` within the workspace (m) and the
 * rotation vector `ee.rx/ry/rz` (rad). Its safe state holds the arm wherever the values say; the
 * safe values only have to be valid targets for the runtime's safety layer.
 */
function poseSignals(workspace: NonNullable<LayoutOptions['workspace']>): ActionSignal[] {
  const position = ['x', 'y', 'z'].map((c, k) => ({
    name: `ee.${c}`,
    unit: 'm',
    lower: workspace.lower[k]!,
    upper: workspace.upper[k]!,
    safe: Math.min(Math.max(0, workspace.lower[k]!), workspace.upper[k]!),
    maxDeltaPerTick: Infinity,
  }));
  const rotation = ['rx', 'ry', 'rz'].map((c) => ({
    name: `ee.${c}`,
    unit: 'rad',
    lower: -Math.PI,
    upper: Math.PI,
    safe: 0,
    maxDeltaPerTick: Infinity,
  }));
  return [...position, ...rotation];
}

function actionSignals(
  spec: ActionSpec,
  mode: 'torque' | 'position',
  joints: readonly RigJoint[],
  actionJoint: Int32Array,
): ActionSignal[] {
  return spec.signals.map((s, i) => {
    if (mode === 'torque') {
      const maxDelta = spec.maxDeltaPerTick?.[i] ?? Infinity;
      return {
        name: s.name,
        unit: s.unit,
        lower: s.lower,
        upper: s.upper,
        safe: spec.safe[i] ?? 0,
        maxDeltaPerTick: maxDelta,
      };
    }
    const joint = joints[actionJoint[i]!];
    if (joint === undefined)
      throw new RangeError(`position mode: action '${s.name}' drives no hinge or slide joint`);
    return {
      name: `${joint.name}.target`,
      unit: joint.type === 1 ? 'm' : 'rad',
      lower: joint.positionLower,
      upper: joint.positionUpper,
      // The firmware holds the joint where it is on a fault whatever target arrives; this value only has
      // to be a valid target for the runtime's safety layer.
      safe: Math.min(Math.max(0, joint.positionLower), joint.positionUpper),
      maxDeltaPerTick: Infinity,
    };
  });
}
