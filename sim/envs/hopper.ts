import { type ActionSpec, signal, type VectorSpec } from '../../src/core/spec.ts';
import type { EnvDefinition } from './definition.ts';
import { actuatorRange, jointRange } from './definition.ts';

const joints = ['thigh', 'leg', 'foot'] as const;
const healthyHeight = 0.7;
const healthyAngle = 0.2;

/** Forward speed (`rootx.vel` of s′) + 1 for staying healthy - 0.001 |a|^2: a function of the signals. */
function hopperReward(next: Float64Array, a: Float64Array): number {
  let effort = 0;
  for (let i = 0; i < a.length; i++) effort += a[i]! ** 2;
  return next[5]! + 1 - 0.001 * effort;
}

/** The torso below 0.7 m, pitched beyond 0.2 rad, or a velocity gone wild. */
function hopperFallen(obs: Float64Array): boolean {
  if (!(obs[0]! > healthyHeight) || !(Math.abs(obs[1]!) < healthyAngle)) return true;
  for (let i = 2; i < obs.length; i++) if (!(Math.abs(obs[i]!) < 100)) return true;
  return false;
}

/**
 * Planar hopper: hop forward without falling. Observation: torso height (`rootz.pos`), pitch
 * (`rooty.pos`), the three joint angles, then all six velocities (`rootx.vel` ... `foot.vel`);
 * the x position is left out so the policy is translation invariant. Action: normalised torques
 * `thigh`, `leg`, `foot` in [-1, 1] (times the 200 N*m gear). Reward: forward speed (`rootx.vel` at
 * the end of the control period, so a run log can be scored) + 1 for staying healthy - 0.001 |a|^2;
 * ends when the torso drops below 0.7 m or pitches beyond 0.2 rad.
 */
export const hopperEnv: EnvDefinition = {
  model: 'hopper',
  description: 'hop forward without falling',
  tasks: ['forward'],
  horizonSeconds: 8,
  signalReward: hopperReward,
  signalTerminated: () => hopperFallen,
  bind(sim) {
    const qposIndex = [
      sim.qposAddress('rootz'),
      sim.qposAddress('rooty'),
      ...joints.map((j) => sim.qposAddress(j)),
    ];
    const qvelIndex = ['rootx', 'rootz', 'rooty', ...joints].map((j) => sim.dofAddress(j));
    const actuators = joints.map((j) => sim.id('actuator', j));
    const observation: VectorSpec = {
      signals: [
        signal('rootz.pos', 'm'),
        signal('rooty.pos', 'rad'),
        ...joints.map((j) => signal(`${j}.pos`, 'rad', ...jointRange(sim, sim.id('joint', j)))),
        signal('rootx.vel', 'm/s'),
        signal('rootz.vel', 'm/s'),
        ...['rooty', ...joints].map((j) => signal(`${j}.vel`, 'rad/s')),
      ],
    };
    const action: ActionSpec = {
      signals: actuators.map((a, i) => signal(joints[i]!, '1', ...actuatorRange(sim, a))),
      mode: 'torque',
      safe: [0, 0, 0],
    };
    return {
      observation,
      action,
      resetState(data, rng, scale) {
        for (let i = 0; i < sim.model.nq; i++)
          data.qpos[i] = data.qpos[i]! + rng.range(-0.005, 0.005) * scale;
        for (let i = 0; i < sim.model.nv; i++) data.qvel[i] = rng.range(-0.005, 0.005) * scale;
      },
      applyAction(a, data) {
        for (let i = 0; i < actuators.length; i++) data.ctrl[actuators[i]!] = a[i]!;
      },
      observe(data, out) {
        for (let i = 0; i < qposIndex.length; i++) out[i] = data.qpos[qposIndex[i]!]!;
        for (let i = 0; i < qvelIndex.length; i++) out[qposIndex.length + i] = data.qvel[qvelIndex[i]!]!;
      },
      reward: hopperReward,
      terminated: hopperFallen,
    };
  },
};
