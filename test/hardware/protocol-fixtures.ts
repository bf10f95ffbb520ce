import {
  createCommandSample,
  createStateSample,
  EstopSource,
  type Hello,
  stateValueCount,
} from '../../hardware/protocol/messages.ts';
import { cartpoleHelloBase } from '../../hardware/tools/conformance.ts';

/** A cartpole rig's hello, as the emulated rig sends it: a faster watchdog, an unbounded pole angle. */
export const cartpoleHello: Hello = {
  ...cartpoleHelloBase,
  watchdogMs: 100,
  observation: cartpoleHelloBase.observation.map((o) =>
    o.name === 'pole.angle' ? { ...o, lower: -Infinity, upper: Infinity } : o,
  ),
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
