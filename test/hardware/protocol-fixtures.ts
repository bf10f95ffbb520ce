import {
  createCommandSample,
  createStateSample,
  EstopSource,
  Feature,
  type Hello,
  stateValueCount,
} from '../../hardware/protocol/messages.ts';

/** A cartpole rig's hello, as the emulated rig sends it. */
export const cartpoleHello: Hello = {
  stateRateHz: 500,
  innerLoopHz: 1000,
  minCommandRateHz: 1,
  maxCommandRateHz: 1000,
  commandMode: 'torque',
  features: Feature.estop | Feature.watchdog,
  watchdogMs: 100,
  name: 'cartpole',
  joints: [
    {
      name: 'slider',
      type: 1,
      positionLower: -3,
      positionUpper: 3,
      velocityLimit: Infinity,
      effortLimit: 20,
    },
    {
      name: 'hinge',
      type: 0,
      positionLower: -Infinity,
      positionUpper: Infinity,
      velocityLimit: Infinity,
      effortLimit: 0,
    },
  ],
  hasImu: false,
  sensors: [],
  observation: [
    { name: 'cart.pos', unit: 'm', lower: -3, upper: 3, stateIndex: 0 },
    { name: 'pole.angle', unit: 'rad', lower: -Infinity, upper: Infinity, stateIndex: 1 },
    { name: 'cart.vel', unit: 'm/s', lower: -Infinity, upper: Infinity, stateIndex: 2 },
    { name: 'pole.angvel', unit: 'rad/s', lower: -Infinity, upper: Infinity, stateIndex: 3 },
  ],
  action: [{ name: 'cart.force', unit: 'N', lower: -20, upper: 20, safe: 0, maxDeltaPerTick: Infinity }],
};

export function sampleState(seed = 1) {
  const s = createStateSample();
  s.seq = 7;
  s.timeUs = 2 ** 33 + 12345;
  s.commandSeq = 6;
  s.flags = 4;
  s.jointCount = 2;
  s.hasImu = true;
  s.sensorCount = 1;
  s.valueCount = stateValueCount(2, true, 1);
  for (let i = 0; i < s.valueCount; i++) s.values[i] = Math.fround(seed * (i + 1) * 0.25 - 1);
  return s;
}

export function sampleCommand() {
  const c = createCommandSample();
  c.seq = 3;
  c.timeUs = 99;
  c.stateSeq = 7;
  c.mode = 1;
  c.count = 3;
  c.hasGains = true;
  c.target.set([0.5, -0.25, 1]);
  c.kp.set([100, 50, 25]);
  c.kd.set([2, 1, 0.5]);
  return c;
}

export const sampleEstop = { source: EstopSource.operator, reason: 'big red button' };
