import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import type { EnvDefinition } from './definition.ts';
import { actuatorRange, wrapAngle } from './definition.ts';

/** Quadratic cost of angle, rate and effort; a function of signals only. */
function pendulumReward(obs: Float64Array, a: Float64Array): number {
  return -(obs[0]! ** 2 + 0.1 * obs[1]! ** 2 + 0.001 * a[0]! ** 2);
}

/**
 * Inverted pendulum. Observation [pole.angle (rad, 0 = upright, wrapped to (-pi, pi]), pole.angvel],
 * action [pole.torque]. Reward is the usual quadratic cost (angle, rate, effort), never terminates.
 * Tasks: `balance` starts within 0.2 rad of upright, `swingup` starts hanging down.
 */
export const pendulumEnv: EnvDefinition = {
  model: 'pendulum',
  description: 'balance (or swing up) the pendulum',
  tasks: ['balance', 'swingup'],
  horizonSeconds: 10,
  signalReward: pendulumReward,
  bind(sim, task) {
    const hinge = sim.qposAddress('hinge');
    const hingeDof = sim.dofAddress('hinge');
    const motor = sim.id('actuator', 'torque');
    const [lo, hi] = actuatorRange(sim, motor);
    const observation: VectorSpec = {
      signals: [signal('pole.angle', 'rad', -Math.PI, Math.PI), signal('pole.angvel', 'rad/s')],
    };
    const action: ActionSpec = { signals: [signal('pole.torque', 'N*m', lo, hi)], mode: 'torque', safe: [0] };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        const start = task === 'swingup' ? Math.PI : 0;
        data.qpos[hinge] = start + rng.range(-0.2, 0.2) * scale;
        data.qvel[hingeDof] = rng.range(-0.2, 0.2) * scale;
      },
      applyAction(a, data) {
        data.ctrl[motor] = a[0]!;
      },
      observe(data, out) {
        out[0] = wrapAngle(data.qpos[hinge]!);
        out[1] = data.qvel[hingeDof]!;
      },
      reward: pendulumReward,
      terminated: () => false,
    };
  },
};
