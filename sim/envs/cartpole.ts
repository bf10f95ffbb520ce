import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import type { EnvDefinition } from './definition.ts';
import { actuatorRange, jointRange, wrapAngle } from './definition.ts';

/** Cart position beyond which an episode ends (the rail's joint limit is 3 m). */
const railLimit = 2.8;
/** Pole angle beyond which a balance episode counts as fallen. */
const fallenAngle = 0.8;

/** Upright pole, cart near the centre, little effort; a function of signals only. */
function cartpoleReward(obs: Float64Array, a: Float64Array): number {
  return Math.cos(obs[1]!) - 0.01 * obs[0]! ** 2 - 0.0005 * a[0]! ** 2;
}

/** The episode ends when the cart leaves the rail or (balance) the pole falls past 0.8 rad. */
function cartpoleTerminated(task: string): (obs: Float64Array) => boolean {
  return (obs) => Math.abs(obs[0]!) > railLimit || (task === 'balance' && Math.abs(obs[1]!) > fallenAngle);
}

/**
 * Cartpole. Observation [cart.pos (m), pole.angle (rad, 0 = upright, wrapped), cart.vel, pole.angvel],
 * action [cart.force] in N within [-20, 20]. This is also MuJoCo's state order (qpos, qvel), which
 * LQR relies on. Reward cos(angle) minus small position and effort costs.
 * Tasks: `balance` (starts near upright, ends when the pole passes 0.8 rad) and `swingup`
 * (starts hanging down); both end when the cart leaves +-2.8 m.
 */
export const cartpoleEnv: EnvDefinition = {
  model: 'cartpole',
  description: 'balance or swing up the pole by pushing the cart',
  tasks: ['balance', 'swingup'],
  horizonSeconds: 10,
  signalReward: cartpoleReward,
  signalTerminated: cartpoleTerminated,
  bind(sim, task) {
    const slider = sim.qposAddress('slider');
    const sliderDof = sim.dofAddress('slider');
    const hinge = sim.qposAddress('hinge');
    const hingeDof = sim.dofAddress('hinge');
    const motor = sim.id('actuator', 'force');
    const [lo, hi] = actuatorRange(sim, motor);
    const [xMin, xMax] = jointRange(sim, sim.id('joint', 'slider'));
    const observation: VectorSpec = {
      signals: [
        signal('cart.pos', 'm', xMin, xMax),
        signal('pole.angle', 'rad', -Math.PI, Math.PI),
        signal('cart.vel', 'm/s'),
        signal('pole.angvel', 'rad/s'),
      ],
    };
    const action: ActionSpec = { signals: [signal('cart.force', 'N', lo, hi)], mode: 'torque', safe: [0] };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        const start = task === 'swingup' ? Math.PI : 0;
        data.qpos[slider] = rng.range(-0.05, 0.05) * scale;
        data.qpos[hinge] = start + rng.range(-0.05, 0.05) * scale;
        data.qvel[sliderDof] = rng.range(-0.05, 0.05) * scale;
        data.qvel[hingeDof] = rng.range(-0.05, 0.05) * scale;
      },
      applyAction(a, data) {
        data.ctrl[motor] = a[0]!;
      },
      observe(data, out) {
        out[0] = data.qpos[slider]!;
        out[1] = wrapAngle(data.qpos[hinge]!);
        out[2] = data.qvel[sliderDof]!;
        out[3] = data.qvel[hingeDof]!;
      },
      reward: cartpoleReward,
      terminated: cartpoleTerminated(task),
    };
  },
};
