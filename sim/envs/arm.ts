import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import type { EnvDefinition } from './definition.ts';
import { actuatorRange, jointRange } from './definition.ts';

export const armJoints: readonly string[] = [
  'joint1',
  'joint2',
  'joint3',
  'joint4',
  'joint5',
  'joint6',
  'joint7',
];
/** Franka Panda joint velocity limits (rad/s), published with the kinematics cited in arm.xml. */
export const armVelocityLimits: readonly number[] = [2.175, 2.175, 2.175, 2.175, 2.61, 2.61, 2.61];

/** Targets are drawn from this box in front of the robot (metres, base frame). */
const targetLow = [0.3, -0.3, 0.25];
const targetHigh = [0.6, 0.3, 0.65];
const targetNominal = [0.45, 0, 0.45];

/** Distance (m) from the flange to the target within which the reach counts as done. */
export const armReachTolerance = 0.02;

const jointCount = armJoints.length;

/** |flange − target| in metres, from the observation's `flange.x/y/z` and `target.x/y/z`. */
function flangeDistance(obs: Float64Array): number {
  const at = 2 * jointCount;
  return Math.hypot(obs[at]! - obs[at + 3]!, obs[at + 1]! - obs[at + 4]!, obs[at + 2]! - obs[at + 5]!);
}

/** -|flange - target| - 1e-4 |tau|^2: a function of the signals (flange and target are observed). */
function armReward(obs: Float64Array, a: Float64Array): number {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i]! ** 2;
  return -flangeDistance(obs) - 1e-4 * effort;
}

/** The flange within `armReachTolerance` of the target (false for a non-finite observation). */
function armReached(obs: Float64Array): boolean {
  return flangeDistance(obs) <= armReachTolerance;
}

/**
 * 7-DoF arm reaching a Cartesian target with its flange. Observation (20): `joint1.pos` ...
 * `joint7.pos` (rad, with the Panda's limits), `joint1.vel` ... `joint7.vel` (rad/s, Panda velocity
 * limits), `flange.x/y/z` and `target.x/y/z` in metres. Action: `joint1.torque` ... `joint7.torque`
 * in N*m within the Panda's torque limits (87 / 12). Episodes start at the `home` pose with joint
 * noise and a target drawn from a box in front of the robot (the box centre when resetNoise is 0).
 * Reward: -distance - 1e-4 |tau|^2; never terminates; the goal (what makes a run a success) is
 * the flange within 2 cm of the target at the end.
 */
export const armEnv: EnvDefinition = {
  model: 'arm',
  description: 'reach a Cartesian target with the flange',
  tasks: ['reach'],
  horizonSeconds: 5,
  signalReward: armReward,
  signalGoal: () => armReached,
  bind(sim) {
    const home = sim.keyframe('home');
    const qposIndex = armJoints.map((j) => sim.qposAddress(j));
    const qvelIndex = armJoints.map((j) => sim.dofAddress(j));
    const actuators = armJoints.map((j) => sim.id('actuator', j));
    const flange = sim.id('site', 'flange');
    const target = new Float64Array(3);
    const n = armJoints.length;
    const observation: VectorSpec = {
      signals: [
        ...armJoints.map((j) => signal(`${j}.pos`, 'rad', ...jointRange(sim, sim.id('joint', j)))),
        ...armJoints.map((j, i) =>
          signal(`${j}.vel`, 'rad/s', -armVelocityLimits[i]!, armVelocityLimits[i]!),
        ),
        ...['x', 'y', 'z'].map((c) => signal(`flange.${c}`, 'm')),
        ...['x', 'y', 'z'].map((c) => signal(`target.${c}`, 'm')),
      ],
    };
    const action: ActionSpec = {
      signals: actuators.map((a, i) => signal(`${armJoints[i]}.torque`, 'N*m', ...actuatorRange(sim, a))),
      mode: 'torque',
      safe: actuators.map(() => 0),
    };
    let siteXpos = new Float64Array(0);
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        data.reset(home);
        for (const q of qposIndex) data.qpos[q] = data.qpos[q]! + rng.range(-0.05, 0.05) * scale;
        for (let k = 0; k < 3; k++) {
          target[k] = scale === 0 ? targetNominal[k]! : rng.range(targetLow[k]!, targetHigh[k]!);
        }
      },
      applyAction(a, data) {
        for (let i = 0; i < n; i++) data.ctrl[actuators[i]!] = a[i]!;
      },
      observe(data, out) {
        // mj_step leaves site positions at the pre-integration state; refresh the kinematics so the
        // flange position matches the joint angles reported beside it.
        sim.mj.mj_kinematics(sim.model, data.data);
        if (siteXpos.byteLength === 0) siteXpos = data.data.site_xpos;
        for (let i = 0; i < n; i++) {
          out[i] = data.qpos[qposIndex[i]!]!;
          out[n + i] = data.qvel[qvelIndex[i]!]!;
        }
        for (let k = 0; k < 3; k++) {
          out[2 * n + k] = siteXpos[3 * flange + k]!;
          out[2 * n + 3 + k] = target[k]!;
        }
      },
      reward: armReward,
      terminated: () => false,
    };
  },
};
