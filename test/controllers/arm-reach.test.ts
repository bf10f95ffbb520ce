import { describe, expect, it } from 'vitest';
import { controllerPlugins } from '../../app/plugins.ts';
import { ConstantController } from '../../controllers/basic/constant.ts';
import { ArmReachController, armReachPlugin } from '../../controllers/classical/arm-reach.ts';
import { armVelocityLimits } from '../../sim/envs/arm.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { closedLoop, configureFor } from './closed-loop.ts';

const distance = (obs: Float64Array) =>
  Math.hypot(obs[14]! - obs[17]!, obs[15]! - obs[18]!, obs[16]! - obs[19]!);

describe('arm reach', () => {
  it('is registered as controller kind `arm-reach`', () => {
    expect(controllerPlugins).toContain(armReachPlugin);
  });

  it('reaches random targets within 1 cm in 3 s, inside the Panda velocity limits', async () => {
    const env = await createEnv('arm');
    const controller = new ArmReachController();
    await configureFor(controller, env);
    for (const seed of [11, 12, 13, 14]) {
      let fastest = 0;
      let start = Number.NaN;
      const final = await closedLoop(
        env,
        controller,
        3,
        (obs) => {
          if (Number.isNaN(start)) start = distance(obs);
          for (let j = 0; j < 7; j++)
            fastest = Math.max(fastest, Math.abs(obs[7 + j]!) / armVelocityLimits[j]!);
        },
        seed,
      );
      expect(start, `seed ${seed}: the target is not trivially close`).toBeGreaterThan(0.05);
      expect(distance(final), `seed ${seed}`).toBeLessThan(0.01);
      expect(fastest, `seed ${seed}: fraction of the velocity limit`).toBeLessThan(1);
    }
    controller.dispose();
    env.dispose();
  });

  it('reaches a target given in its options under a heavier payload model mismatch', async () => {
    const env = await createEnv('arm', { resetNoise: 0, dynamics: { massScale: { link7: 1.5 } } });
    const controller = new ArmReachController({ target: [0.5, 0.2, 0.4] });
    await configureFor(controller, env);
    const final = await closedLoop(env, controller, 4);
    // The controller's own model is nominal, so gravity compensation is slightly off: allow 2 cm.
    expect(Math.hypot(final[14]! - 0.5, final[15]! - 0.2, final[16]! - 0.4)).toBeLessThan(0.02);
    controller.dispose();
    env.dispose();
  });

  it('without gravity compensation the arm sags away (the test can fail)', async () => {
    const env = await createEnv('arm', { resetNoise: 0 });
    const idle = new ConstantController(new Array(7).fill(0));
    await configureFor(idle, env);
    const final = await closedLoop(env, idle, 1);
    expect(distance(final)).toBeGreaterThan(0.05);
    env.dispose();
  });

  it('needs <joint>.torque actions and matching observations', async () => {
    const env = await createEnv('cartpole');
    await expect(configureFor(new ArmReachController(), env)).rejects.toThrow(
      /'cart\.force' is not a '<joint>\.torque' signal/,
    );
    env.dispose();
  });
});
