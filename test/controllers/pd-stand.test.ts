import { describe, expect, it } from 'vitest';
import { controllerPlugins } from '../../app/plugins.ts';
import { ConstantController } from '../../controllers/basic/constant.ts';
import { PdStandController, pdStandPlugin } from '../../controllers/classical/pd-stand.ts';
import { createEnv } from '../../sim/envs/index.ts';
import { closedLoop, configureFor } from './closed-loop.ts';

describe('quadruped PD stand', () => {
  it('is registered as controller kind `pd-stand`', () => {
    expect(controllerPlugins).toContain(pdStandPlugin);
  });

  it('keeps the base height in a band and the trunk level for 5 s', async () => {
    const env = await createEnv('quadruped', { seed: 3 });
    const controller = new PdStandController();
    await configureFor(controller, env);
    let low = Infinity;
    let high = -Infinity;
    let leastUpright = 1;
    await closedLoop(env, controller, 5, (obs, t) => {
      if (t < 0.5) return; // settling onto the feet
      low = Math.min(low, obs[0]!);
      high = Math.max(high, obs[0]!);
      leastUpright = Math.min(leastUpright, 1 - 2 * (obs[2]! ** 2 + obs[3]! ** 2));
    });
    expect(low).toBeGreaterThan(0.27);
    expect(high).toBeLessThan(0.34);
    expect(leastUpright).toBeGreaterThan(0.99);
    env.dispose();
  });

  it('holds the stand when pushed by a heavier trunk (20 % more mass)', async () => {
    const env = await createEnv('quadruped', { seed: 4, dynamics: { massScale: { trunk: 1.2 } } });
    const controller = new PdStandController();
    await configureFor(controller, env);
    const final = await closedLoop(env, controller, 5);
    expect(final[0]).toBeGreaterThan(0.25);
    env.dispose();
  });

  it('with zero torque the robot collapses (the test can fail)', async () => {
    const env = await createEnv('quadruped', { seed: 3 });
    const idle = new ConstantController(new Array(12).fill(0));
    await configureFor(idle, env);
    const final = await closedLoop(env, idle, 2);
    expect(final[0]).toBeLessThan(0.2);
    env.dispose();
  });

  it('rejects gains of the wrong length', async () => {
    const env = await createEnv('quadruped');
    await expect(configureFor(new PdStandController({ kp: [1, 2] }), env)).rejects.toThrow(
      /kp has 2 values, expected 12/,
    );
    env.dispose();
  });
});
