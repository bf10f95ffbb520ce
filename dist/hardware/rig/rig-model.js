// Compiled from hardware/rig/rig-model.ts by `npm run build`: edit the source, not this file.

// hardware/rig/rig-model.ts
import {
  Feature,
  stateValueCount
} from "../protocol/messages.js";
var mjJointFree = 0;
var mjJointSlide = 2;
var mjJointHinge = 3;
var mjTransmissionJoint = 0;
function buildRigLayout(sim, kernel, options) {
  const m = sim.model;
  const jointNames = sim.names("joint");
  const joints = [];
  let rootQpos = -1;
  let rootDof = -1;
  for (let j = 0; j < m.njnt; j++) {
    const type = m.jnt_type[j];
    if (type === mjJointFree) {
      if (rootQpos < 0) {
        rootQpos = m.jnt_qposadr[j];
        rootDof = m.jnt_dofadr[j];
      }
      continue;
    }
    if (type !== mjJointSlide && type !== mjJointHinge) continue;
    const limited = m.jnt_limited[j] === 1;
    joints.push({
      name: jointNames[j],
      type: type === mjJointSlide ? 1 : 0,
      positionLower: limited ? m.jnt_range[2 * j] : -Infinity,
      positionUpper: limited ? m.jnt_range[2 * j + 1] : Infinity,
      velocityLimit: Infinity,
      effortLimit: effortLimit(sim, j),
      qposAddress: m.jnt_qposadr[j],
      dofAddress: m.jnt_dofadr[j]
    });
  }
  const hasImu = rootQpos >= 0;
  const nJ = joints.length;
  const imuBase = 3 * nJ;
  const sensorBase = imuBase + (hasImu ? 10 : 0);
  const observation = [];
  const sensorObservation = [];
  const sensors = [];
  kernel.observation.signals.forEach((s, i) => {
    const match = /^(.*)\.(pos|vel)$/.exec(s.name);
    const joint = match ? joints.findIndex((j) => j.name === match[1]) : -1;
    let stateIndex;
    if (joint >= 0) stateIndex = (match[2] === "pos" ? 0 : nJ) + joint;
    else {
      stateIndex = sensorBase + sensors.length;
      sensors.push({ name: s.name, unit: s.unit });
      sensorObservation.push(i);
    }
    observation.push({ name: s.name, unit: s.unit, lower: s.lower, upper: s.upper, stateIndex });
  });
  const actionJoint = actuatedJoints(sim, kernel.action, joints);
  options.velocityLimits?.forEach((limit, a) => {
    const j = actionJoint[a];
    if (j >= 0 && limit < joints[j].velocityLimit) joints[j] = { ...joints[j], velocityLimit: limit };
  });
  const action = options.commandMode === "cartesian" ? poseSignals(options.workspace ?? { lower: [-1, -1, -1], upper: [1, 1, 1] }) : actionSignals(kernel.action, options.commandMode, joints, actionJoint);
  const hello = {
    stateRateHz: options.stateRateHz,
    innerLoopHz: options.innerLoopHz,
    minCommandRateHz: 1,
    maxCommandRateHz: options.innerLoopHz,
    commandMode: options.commandMode,
    features: Feature.estop | Feature.watchdog | (options.commandMode !== "torque" ? Feature.pdGains : 0),
    watchdogMs: options.watchdogMs,
    name: options.name,
    joints: joints.map(({ name, type, positionLower, positionUpper, velocityLimit, effortLimit: effortLimit2 }) => ({
      name,
      type,
      positionLower,
      positionUpper,
      velocityLimit,
      effortLimit: effortLimit2
    })),
    hasImu,
    sensors,
    observation,
    action
  };
  return {
    joints,
    rootQpos,
    rootDof,
    sensorObservation: Int32Array.from(sensorObservation),
    valueCount: stateValueCount(nJ, hasImu, sensors.length),
    actionJoint,
    hello
  };
}
function effortLimit(sim, j) {
  const m = sim.model;
  let limit = 0;
  for (let a = 0; a < m.nu; a++) {
    if (m.actuator_trntype[a] !== mjTransmissionJoint || m.actuator_trnid[2 * a] !== j) continue;
    const range = Math.max(
      Math.abs(m.actuator_ctrlrange[2 * a]),
      Math.abs(m.actuator_ctrlrange[2 * a + 1])
    );
    limit = Math.max(
      limit,
      m.actuator_ctrllimited[a] === 1 ? range * Math.abs(m.actuator_gear[6 * a]) : Infinity
    );
  }
  return limit;
}
function actuatedJoints(sim, action, joints) {
  const m = sim.model;
  const jointNames = sim.names("joint");
  const actuatedJointIds = [];
  for (let a = 0; a < m.nu; a++) {
    if (m.actuator_trntype[a] === mjTransmissionJoint) actuatedJointIds.push(m.actuator_trnid[2 * a]);
  }
  return Int32Array.from(action.signals, (s, i) => {
    const prefix = s.name.replace(/\.[^.]*$/, "");
    const byName = joints.findIndex((j) => j.name === prefix);
    if (byName >= 0) return byName;
    const id = actuatedJointIds[i];
    return id === void 0 ? -1 : joints.findIndex((j) => j.name === jointNames[id]);
  });
}
function poseSignals(workspace) {
  const position = ["x", "y", "z"].map((c, k) => ({
    name: `ee.${c}`,
    unit: "m",
    lower: workspace.lower[k],
    upper: workspace.upper[k],
    safe: Math.min(Math.max(0, workspace.lower[k]), workspace.upper[k]),
    maxDeltaPerTick: Infinity
  }));
  const rotation = ["rx", "ry", "rz"].map((c) => ({
    name: `ee.${c}`,
    unit: "rad",
    lower: -Math.PI,
    upper: Math.PI,
    safe: 0,
    maxDeltaPerTick: Infinity
  }));
  return [...position, ...rotation];
}
function actionSignals(spec, mode, joints, actionJoint) {
  return spec.signals.map((s, i) => {
    if (mode === "torque") {
      const maxDelta = spec.maxDeltaPerTick?.[i] ?? Infinity;
      return {
        name: s.name,
        unit: s.unit,
        lower: s.lower,
        upper: s.upper,
        safe: spec.safe[i] ?? 0,
        maxDeltaPerTick: maxDelta
      };
    }
    const joint = joints[actionJoint[i]];
    if (joint === void 0)
      throw new RangeError(`position mode: action '${s.name}' drives no hinge or slide joint`);
    return {
      name: `${joint.name}.target`,
      unit: joint.type === 1 ? "m" : "rad",
      lower: joint.positionLower,
      upper: joint.positionUpper,
      // The firmware holds the joint where it is on a fault whatever target arrives; this value only has
      // to be a valid target for the runtime's safety layer.
      safe: Math.min(Math.max(0, joint.positionLower), joint.positionUpper),
      maxDeltaPerTick: Infinity
    };
  });
}
export {
  buildRigLayout
};
