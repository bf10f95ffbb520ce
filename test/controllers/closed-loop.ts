import type { MujocoEnv } from '../../sim/envs/index.ts';
import type { Controller } from '../../src/core/controller.ts';
import { isPromiseLike } from '../../src/core/controller.ts';
import { EventBuffer } from '../../src/core/events.ts';

/** Configures `controller` for `env`'s specs and rate. */
export async function configureFor(controller: Controller, env: MujocoEnv): Promise<void> {
  await controller.configure({
    observation: env.observation,
    action: env.action,
    dt: env.dt,
    events: new EventBuffer(),
  });
}

/**
 * Runs controller and environment in closed loop for `seconds` from the current reset and calls
 * `visit` with every observation (time in seconds). Returns the final observation.
 */
export async function closedLoop(
  env: MujocoEnv,
  controller: Controller,
  seconds: number,
  visit: (observation: Float64Array, time: number) => void = () => {},
  seed?: number,
): Promise<Float64Array> {
  const obs = new Float64Array(env.observation.signals.length);
  const act = new Float64Array(env.action.signals.length);
  env.reset(obs, seed);
  controller.reset?.(obs);
  const steps = Math.round(seconds / env.dt);
  for (let k = 0; k < steps; k++) {
    const pending = controller.update(obs, k * env.dt, act);
    if (isPromiseLike(pending)) await pending;
    env.step(act, obs);
    visit(obs, (k + 1) * env.dt);
  }
  return obs;
}
