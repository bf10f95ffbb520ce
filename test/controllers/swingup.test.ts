import { describe, expect, it } from 'vitest';
import { controllerPlugins } from '../../app/plugins.ts';
import {
  CartpoleSwingUpController,
  cartpoleSwingUpPlugin,
} from '../../controllers/classical/cartpole-swingup.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { closedLoop, configureFor } from './closed-loop.ts';

describe('cartpole swing-up', () => {
  it('is registered as controller kind `cartpole-swingup`', () => {
    expect(controllerPlugins).toContain(cartpoleSwingUpPlugin);
  });

  it('brings the pole from hanging to upright and holds it, from several starts', async () => {
    const env = await createEnv('cartpole', { task: 'swingup' });
    const controller = new CartpoleSwingUpController();
    await configureFor(controller, env);
    for (const seed of [1, 2, 3]) {
      let firstAngle = Number.NaN;
      let worstLateAngle = 0;
      let worstCart = 0;
      const final = await closedLoop(
        env,
        controller,
        10,
        (obs, t) => {
          if (Number.isNaN(firstAngle)) firstAngle = obs[1]!;
          if (t > 8) worstLateAngle = Math.max(worstLateAngle, Math.abs(obs[1]!));
          worstCart = Math.max(worstCart, Math.abs(obs[0]!));
        },
        seed,
      );
      expect(Math.abs(firstAngle), `seed ${seed} starts hanging`).toBeGreaterThan(3);
      expect(worstLateAngle, `seed ${seed} upright in the last 2 s`).toBeLessThan(0.05);
      expect(worstCart, `seed ${seed} stays on the rail`).toBeLessThan(2.8);
      expect(controller.mode, `seed ${seed} ends in the LQR catch`).toBe(1);
      expect(Math.abs(final[0]!)).toBeLessThan(0.2);
    }
    env.dispose();
  });

  it('rejects a robot with other signals', async () => {
    const env = await createEnv('pendulum');
    await expect(configureFor(new CartpoleSwingUpController(), env)).rejects.toThrow(
      /expects 4 observations/,
    );
    env.dispose();
  });
});
