import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import type { EnvDefinition } from './definition.ts';
import { actuatorRange, jointRange } from './definition.ts';

export const quadrupedLegs = ['fl', 'fr', 'rl', 'rr'] as const;
/** Joint (and actuator) names in observation/action order: fl_hip, fl_thigh, fl_knee, fr_hip, ... */
export const quadrupedJoints: readonly string[] = quadrupedLegs.flatMap((leg) =>
  ['hip', 'thigh', 'knee'].map((j) => `${leg}_${j}`),
);

const fallenHeight = 0.15;
/** z component of the trunk's up axis below which the robot has tipped over (about 60 degrees). */
const fallenUpright = 0.5;

/** Index of the first joint signal in the observation (after base.z, the quaternion, the twist). */
const jointBase = 11;

/** Forward speed (`base.vx` of s′) + 0.5 alive bonus - 1e-4 |tau|^2: a function of the signals. */
function quadrupedReward(next: Float64Array, a: Float64Array): number {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i]! ** 2;
  return next[5]! + 0.5 - 1e-4 * effort;
}

/** The trunk below 0.15 m or tipped more than 60 degrees. */
function quadrupedFallen(obs: Float64Array): boolean {
  const qx = obs[2]!;
  const qy = obs[3]!;
  const upright = 1 - 2 * (qx * qx + qy * qy);
  return !(obs[0]! > fallenHeight) || !(upright > fallenUpright);
}

/**
 * 12-DoF quadruped on flat ground. Observation (35): `base.z`; base orientation quaternion
 * `base.qw`, `base.qx`, `base.qy`, `base.qz`; base linear velocity in the world frame `base.vx/vy/vz`;
 * base angular velocity in the body frame `base.wx/wy/wz`; then `<joint>.pos` and `<joint>.vel`
 * for the 12 joints (order in `quadrupedJoints`). Action: `<joint>.torque` in N*m within +-33.5.
 * Episodes start from the `home` standing pose (plus joint noise). Reward: forward speed (`base.vx`
 * at the end of the control period, so a run log can be scored) + 0.5 alive bonus - 1e-4 |tau|^2.
 * Ends when the trunk drops below 0.15 m or tips more than 60 degrees.
 */
export const quadrupedEnv: EnvDefinition = {
  model: 'quadruped',
  description: 'stand and walk forward on flat ground',
  tasks: ['walk'],
  horizonSeconds: 10,
  signalReward: quadrupedReward,
  signalTerminated: () => quadrupedFallen,
  bind(sim) {
    const root = sim.qposAddress('root');
    const rootDof = sim.dofAddress('root');
    const home = sim.keyframe('home');
    const qposIndex = quadrupedJoints.map((j) => sim.qposAddress(j));
    const qvelIndex = quadrupedJoints.map((j) => sim.dofAddress(j));
    const actuators = quadrupedJoints.map((j) => sim.id('actuator', j));
    const observation: VectorSpec = {
      signals: [
        signal('base.z', 'm'),
        ...['qw', 'qx', 'qy', 'qz'].map((c) => signal(`base.${c}`, '1', -1, 1)),
        ...['vx', 'vy', 'vz'].map((c) => signal(`base.${c}`, 'm/s')),
        ...['wx', 'wy', 'wz'].map((c) => signal(`base.${c}`, 'rad/s')),
        ...quadrupedJoints.map((j) => signal(`${j}.pos`, 'rad', ...jointRange(sim, sim.id('joint', j)))),
        ...quadrupedJoints.map((j) => signal(`${j}.vel`, 'rad/s')),
      ],
    };
    const action: ActionSpec = {
      signals: actuators.map((a, i) =>
        signal(`${quadrupedJoints[i]}.torque`, 'N*m', ...actuatorRange(sim, a)),
      ),
      mode: 'torque',
      safe: actuators.map(() => 0),
    };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        data.reset(home);
        for (const q of qposIndex) data.qpos[q] = data.qpos[q]! + rng.range(-0.05, 0.05) * scale;
      },
      applyAction(a, data) {
        for (let i = 0; i < actuators.length; i++) data.ctrl[actuators[i]!] = a[i]!;
      },
      observe(data, out) {
        const qpos = data.qpos;
        const qvel = data.qvel;
        for (let i = 0; i < 5; i++) out[i] = qpos[root + 2 + i]!;
        for (let i = 0; i < 6; i++) out[5 + i] = qvel[rootDof + i]!;
        for (let i = 0; i < 12; i++) {
          out[jointBase + i] = qpos[qposIndex[i]!]!;
          out[jointBase + 12 + i] = qvel[qvelIndex[i]!]!;
        }
      },
      reward: quadrupedReward,
      terminated: quadrupedFallen,
    };
  },
};
