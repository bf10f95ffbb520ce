import { afterEach, describe, expect, it } from 'vitest';
import { wrapAngle } from '../../sim/envs/definition.ts';
import { createEnv, envDefinitions, type MujocoEnv } from '../../sim/envs/index.ts';

const open: MujocoEnv[] = [];
async function env(model: string, options: Parameters<typeof createEnv>[1] = {}): Promise<MujocoEnv> {
  const e = await createEnv(model, options);
  open.push(e);
  return e;
}
afterEach(() => {
  for (const e of open.splice(0)) e.dispose();
});

/** Runs `steps` steps with a deterministic action pattern and returns every observation. */
function rollout(e: MujocoEnv, seed: number, steps: number): Float64Array {
  const o = e.observation.signals.length;
  const a = e.action.signals.length;
  const out = new Float64Array(o * (steps + 1));
  const obs = new Float64Array(o);
  const act = new Float64Array(a);
  e.reset(obs, seed);
  out.set(obs, 0);
  for (let k = 0; k < steps; k++) {
    for (let i = 0; i < a; i++)
      act[i] = 0.5 * Math.sin(0.1 * k + i) * Math.min(1, e.action.signals[i]!.upper);
    e.step(act, obs);
    out.set(obs, o * (k + 1));
  }
  return out;
}

describe('environments', () => {
  it('use the fixed signal names other modules rely on', async () => {
    const cartpole = await env('cartpole');
    expect(cartpole.observation.signals.map((s) => s.name)).toEqual([
      'cart.pos',
      'pole.angle',
      'cart.vel',
      'pole.angvel',
    ]);
    expect(cartpole.action.signals.map((s) => [s.name, s.unit, s.lower, s.upper])).toEqual([
      ['cart.force', 'N', -20, 20],
    ]);
    expect(cartpole.action.mode).toBe('torque');
    const pendulum = await env('pendulum');
    expect(pendulum.observation.signals.map((s) => s.name)).toEqual(['pole.angle', 'pole.angvel']);
    expect(pendulum.action.signals.map((s) => s.name)).toEqual(['pole.torque']);
  });

  it('are bit-identical across two runs with the same seed, and differ with another seed', async () => {
    for (const definition of envDefinitions) {
      const first = rollout(await env(definition.model), 7, 60);
      const second = rollout(await env(definition.model), 7, 60);
      const other = rollout(await env(definition.model), 8, 60);
      expect(Buffer.from(first.buffer).equals(Buffer.from(second.buffer)), definition.model).toBe(true);
      expect(Buffer.from(first.buffer).equals(Buffer.from(other.buffer)), definition.model).toBe(false);
    }
  });

  it('advance one control period per step (decimation = control dt / physics dt)', async () => {
    const e = await env('cartpole', { controlDt: 0.02 });
    expect(e.decimation).toBe(10);
    expect(e.dt).toBeCloseTo(0.02, 12);
    const obs = new Float64Array(4);
    e.reset(obs, 1);
    e.step(new Float64Array(1), obs);
    e.step(new Float64Array(1), obs);
    expect(e.time).toBeCloseTo(0.04, 12);
  });

  it('refuse a control period that is not a whole number of physics steps', async () => {
    await expect(createEnv('cartpole', { controlDt: 0.003 })).rejects.toThrow(
      /not a whole number of physics steps/,
    );
  });

  it('replace a NaN action by the safe action and clamp to the limits', async () => {
    const e = await env('cartpole');
    const obs = new Float64Array(4);
    e.reset(obs, 1);
    e.step(Float64Array.of(Number.NaN), obs);
    expect(e.appliedAction[0]).toBe(0);
    expect(obs.every(Number.isFinite)).toBe(true);
    e.step(Float64Array.of(500), obs);
    expect(e.appliedAction[0]).toBe(20);
  });

  it('truncate at the horizon and terminate when the pole falls', async () => {
    const e = await env('cartpole', { horizon: 3, resetNoise: 0 });
    const obs = new Float64Array(4);
    e.reset(obs);
    const zero = new Float64Array(1);
    expect(e.step(zero, obs).truncated).toBe(false);
    e.step(zero, obs);
    expect(e.step(zero, obs).truncated).toBe(true);

    const falling = await env('cartpole', { initialState: { qpos: [0, 0.7] } });
    falling.reset(obs);
    let terminated = false;
    for (let k = 0; k < 50 && !terminated; k++) terminated = falling.step(zero, obs).terminated;
    expect(terminated).toBe(true);
    expect(Math.abs(obs[1]!)).toBeGreaterThan(0.8);
  });

  it('apply initialState and check its size', async () => {
    const e = await env('cartpole', { initialState: { qpos: [0.5, Math.PI] }, resetNoise: 0 });
    const obs = new Float64Array(4);
    e.reset(obs);
    expect(obs[0]).toBe(0.5);
    expect(Math.abs(obs[1]!)).toBeCloseTo(Math.PI, 12);
    await expect(createEnv('cartpole', { initialState: { qpos: [1] } })).rejects.toThrow(
      /qpos has 1 values, expected 2/,
    );
  });

  it('wrap pole angles to (-pi, pi]', () => {
    expect(wrapAngle(0.1)).toBeCloseTo(0.1, 15);
    expect(wrapAngle(2 * Math.PI + 0.1)).toBeCloseTo(0.1, 12);
    expect(wrapAngle(-Math.PI)).toBe(Math.PI);
    expect(wrapAngle((-3 * Math.PI) / 2)).toBeCloseTo(Math.PI / 2, 12);
  });

  it('reward the hopper for moving forward', async () => {
    const e = await env('hopper', { resetNoise: 0 });
    const obs = new Float64Array(11);
    e.reset(obs);
    const result = e.step(new Float64Array(3), obs);
    // Standing still: the healthy bonus (1) with no forward speed and no effort.
    expect(result.reward).toBeCloseTo(1, 1);
    expect(result.terminated).toBe(false);
  });

  it("score every model from its signals alone, as the simulator does, so any robot's log is a dataset", async () => {
    for (const definition of envDefinitions) {
      const task = definition.tasks[0]!;
      expect(definition.signalReward, definition.model).toBeDefined();
      const terminated = definition.signalTerminated?.(task);
      const e = await env(definition.model, { task, seed: 3 });
      const o = e.observation.signals.length;
      const act = new Float64Array(e.action.signals.length);
      const obs = new Float64Array(o);
      e.reset(obs, 3);
      let steps = 0;
      let falls = 0;
      for (let k = 0; k < 200; k++) {
        // Actions well inside the limits, so the applied command is the one given.
        for (let i = 0; i < act.length; i++)
          act[i] = 0.8 * Math.sin(0.2 * k + i) * e.action.signals[i]!.upper;
        const step = e.step(act, obs);
        steps++;
        expect(step.reward, `${definition.model} reward at step ${k}`).toBeCloseTo(
          definition.signalReward!(obs, act),
          9,
        );
        expect(terminated?.(obs) ?? false, `${definition.model} terminal at step ${k}`).toBe(step.terminated);
        if (step.terminated) {
          falls++;
          e.reset(obs, 4 + k);
        }
      }
      expect(steps).toBe(200);
      // The quadruped and the hopper fall under these flailing torques: the terminal set was exercised.
      if (definition.model === 'hopper' || definition.model === 'quadruped') expect(falls).toBeGreaterThan(0);
    }
  });

  it("meet the arm's reach goal only with the flange within 2 cm of the target", async () => {
    const goal = envDefinitions.find((d) => d.model === 'arm')!.signalGoal!('reach')!;
    const obs = new Float64Array(20);
    obs.set([0.45, 0, 0.45], 14);
    obs.set([0.45, 0, 0.45], 17);
    expect(goal(obs)).toBe(true);
    obs[14] = 0.45 + 0.019;
    expect(goal(obs)).toBe(true);
    obs[14] = 0.45 + 0.021;
    expect(goal(obs)).toBe(false);
    obs[14] = Number.NaN;
    expect(goal(obs)).toBe(false);
  });

  it('report the arm flange position consistent with the joint angles', async () => {
    const e = await env('arm', { resetNoise: 0 });
    const obs = new Float64Array(20);
    e.reset(obs);
    // Home pose, gravity pulls for one step: the flange stays near (0.307, 0, 0.590).
    e.step(new Float64Array(7), obs);
    expect(obs[14]).toBeCloseTo(0.307, 2);
    expect(obs[16]).toBeCloseTo(0.59, 2);
    expect(Array.from(obs.slice(17))).toEqual([0.45, 0, 0.45]);
  });
});
