/**
 * An Isaac-Lab-style export, constructed rather than trained, so the deploy layout users bring from
 * Isaac Lab / unitree_rl_lab can be seen and run without a download:
 *
 *   policy.onnx   input `obs`, output `actions`; an ELU MLP (normaliser would be inside: none needed)
 *   deploy.yaml   joint order, default joint pose, step_dt, per-term scales, history, action scale/clip
 *   policy.yaml   the `isaaclab-deploy/1` contract that binds deploy terms to the cartpole's signals
 *
 * The policy is LQR for the MuJoCo cartpole written in Isaac Lab's conventions: observation
 * [joint_pos_rel (hinge, slider), joint_vel_rel · 0.5, last_action], raw action = force / 20 N with a
 * ±1 clip. The default pose puts the cart at 0.5 m, so the policy balances the pole there. One ELU
 * hidden pair keeps it an MLP and exactly linear: ½·ELU(z + 10) − ½·ELU(−z + 10) = z for |z| < 10.
 *
 * Run: node --import tsx controllers/policies/examples/isaac-cartpole/make.ts
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { createEnv } from '../../../../sim/envs/index.ts';
import { EventBuffer } from '../../../../src/core/events.ts';
import { mlpToOnnx } from '../../../../src/inference/onnx/build.ts';
import { LqrController } from '../../../classical/lqr.ts';

export const deployConfig = {
  joint_names: ['hinge', 'slider'],
  default_joint_pos: [0, 0.5],
  step_dt: 0.02,
  actions: { JointEffortAction: { scale: 20, clip: [-1, 1], joint_names: ['slider'] } },
  observations: {
    joint_pos_rel: { scale: 1, clip: null, history_length: 1 },
    joint_vel_rel: { scale: 0.5, clip: null, history_length: 1 },
    last_action: { scale: 1, clip: null, history_length: 1 },
  },
};

export const binding = {
  observations: { joint_pos_rel: ['pole.angle', 'cart.pos'], joint_vel_rel: ['pole.angvel', 'cart.vel'] },
  actions: ['cart.force'],
  mode: 'torque',
};

/** The ONNX bytes: LQR at the deploy's step_dt, in the deploy's joint order and scales. */
export async function isaacStyleCartpoleOnnx(): Promise<Uint8Array> {
  const dt = deployConfig.step_dt;
  const env = await createEnv('cartpole', { controlDt: dt });
  const lqr = new LqrController({ model: 'cartpole' });
  try {
    await lqr.configure({ observation: env.observation, action: env.action, dt, events: new EventBuffer() });
  } finally {
    env.dispose();
  }
  // The gain is in the robot's order: cart.pos, pole.angle, cart.vel, pole.angvel.
  const [kPos, kAngle, kVel, kAngvel] = Array.from(lqr.gain);
  const velScale = deployConfig.observations.joint_vel_rel.scale;
  const forceScale = deployConfig.actions.JointEffortAction.scale;
  const w = [-kAngle!, -kPos!, -kAngvel! / velScale, -kVel! / velScale, 0].map((v) => v / forceScale);
  return mlpToOnnx(
    {
      layers: [
        {
          inSize: 5,
          outSize: 2,
          activation: 'elu',
          weight: Float32Array.from([...w, ...w.map((v) => -v)]),
          bias: Float32Array.of(10, 10),
        },
        {
          inSize: 2,
          outSize: 1,
          activation: 'identity',
          weight: Float32Array.of(0.5, -0.5),
          bias: Float32Array.of(0),
        },
      ],
    },
    { graphName: 'isaac_style_cartpole', docString: 'LQR for the MuJoCo cartpole in Isaac Lab conventions' },
  );
}

/** Writes policy.onnx, deploy.yaml and policy.yaml into `dir`. */
export async function writeIsaacStyleCartpole(dir: string): Promise<void> {
  await writeFile(path.join(dir, 'policy.onnx'), await isaacStyleCartpoleOnnx());
  await writeFile(path.join(dir, 'deploy.yaml'), stringify(deployConfig));
  await writeFile(
    path.join(dir, 'policy.yaml'),
    stringify({ format: 'isaaclab-deploy/1', deploy: 'deploy.yaml', model: 'policy.onnx', bind: binding }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeIsaacStyleCartpole(fileURLToPath(new URL('.', import.meta.url)));
}
