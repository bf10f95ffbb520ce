import { describe, expect, it } from 'vitest';
import { createEnv } from '../../sim/envs/index.ts';
import { SimModel } from '../../sim/model.ts';
import { modelNames, readModelXml } from '../../sim/models/index.ts';
import { compileXml, loadMujoco, MjcfError } from '../../sim/mujoco.ts';

const knownList = modelNames.join(', ');

describe('MJCF loading', () => {
  it('compiles every built-in model', async () => {
    for (const name of modelNames) {
      const sim = await SimModel.load(name);
      expect(sim.model.nu).toBeGreaterThan(0);
      expect(sim.timestep).toBe(0.002);
      sim.dispose();
    }
  });

  it('reports an XML keyword error with the source, the line and MuJoCo’s message', async () => {
    const mj = await loadMujoco();
    const xml =
      '<mujoco>\n<worldbody>\n<body>\n<geom type="spere" size="1"/>\n</body>\n</worldbody>\n</mujoco>';
    const error = catchError(() => compileXml(mj, xml, 'models/broken.xml'));
    expect(error).toBeInstanceOf(MjcfError);
    const mjcf = error as MjcfError;
    expect(mjcf.line).toBe(4);
    expect(mjcf.mujocoMessage).toContain("invalid keyword: 'spere'");
    expect(mjcf.message).toMatch(/^models\/broken\.xml:4: /);
  });

  it('reports malformed XML (mismatched tags) with its line', async () => {
    const mj = await loadMujoco();
    const error = catchError(() =>
      compileXml(mj, '<mujoco>\n<worldbody>\n<body>\n</worldbody>\n</mujoco>', 'x.xml'),
    );
    expect(error).toBeInstanceOf(MjcfError);
    expect((error as MjcfError).line).toBeGreaterThan(0);
    expect((error as Error).message).toMatch(/mismatched/i);
  });

  it('reports compile errors (bad geom size) in MuJoCo’s words', async () => {
    const mj = await loadMujoco();
    const xml = '<mujoco><worldbody><body><geom type="sphere" size="0"/></body></worldbody></mujoco>';
    const error = catchError(() => compileXml(mj, xml));
    expect(error).toBeInstanceOf(MjcfError);
    expect((error as Error).message).toContain('size 0 must be positive');
    expect((error as Error).message).toContain('<string>');
  });

  it('names a missing file', async () => {
    await expect(SimModel.fromFile('does/not/exist.xml')).rejects.toThrow(/does\/not\/exist\.xml.*ENOENT/);
  });

  it('loads a model from a file', async () => {
    const sim = await SimModel.fromFile(readModelXmlPath('cartpole'));
    expect(sim.names('joint')).toEqual(['slider', 'hinge']);
    sim.dispose();
  });
});

describe('model names', () => {
  it('an unknown model name lists the known models', async () => {
    await expect(SimModel.load('cartpol')).rejects.toThrow(
      `unknown model 'cartpol' (known models: ${knownList})`,
    );
    await expect(createEnv('walker')).rejects.toThrow(
      /known models: pendulum, cartpole, hopper, quadruped, arm/,
    );
  });

  it('an unknown joint name lists the model’s joints', async () => {
    const sim = await SimModel.load('cartpole');
    expect(() => sim.qposAddress('elbow')).toThrow("no joint named 'elbow' (known: slider, hinge)");
    sim.dispose();
  });

  it('refuses use after dispose', async () => {
    const sim = await SimModel.load('pendulum');
    sim.dispose();
    expect(() => sim.id('joint', 'hinge')).toThrow(/after dispose/);
  });

  it('reads MJCF text with its repository-relative source name', () => {
    expect(readModelXml('arm').source).toBe('sim/models/arm.xml');
  });
});

describe('arm kinematics', () => {
  it('places the flange where the Panda DH parameters put it', async () => {
    const sim = await SimModel.load('arm');
    const { mj, model } = sim;
    const data = new mj.MjData(model);
    try {
      mj.mj_forward(model, data);
      const flange = sim.id('site', 'flange');
      // q = 0: x = a7 = 0.088, z = d1 + d3 + d5 - d_flange = 0.333 + 0.316 + 0.384 - 0.107
      expectClose(Array.from(data.site_xpos.slice(3 * flange, 3 * flange + 3)), [0.088, 0, 0.926], 1e-9);
      mj.mj_resetDataKeyframe(model, data, sim.keyframe('home'));
      mj.mj_forward(model, data);
      // The usual "ready" pose puts the flange at about (0.307, 0, 0.590).
      expectClose(Array.from(data.site_xpos.slice(3 * flange, 3 * flange + 3)), [0.3069, 0, 0.5903], 1e-3);
    } finally {
      data.delete();
      sim.dispose();
    }
  });

  it('carries the Panda joint and torque limits', async () => {
    const sim = await SimModel.load('arm');
    expect(Array.from(sim.model.jnt_range.slice(6, 8))).toEqual([-3.0718, -0.0698]);
    expect(Array.from(sim.model.actuator_ctrlrange.slice(0, 2))).toEqual([-87, 87]);
    expect(Array.from(sim.model.actuator_ctrlrange.slice(12, 14))).toEqual([-12, 12]);
    sim.dispose();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

function expectClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (const [i, v] of actual.entries()) expect(Math.abs(v - expected[i]!)).toBeLessThan(tolerance);
}

function readModelXmlPath(name: string): string {
  return new URL(`../../sim/models/${name}.xml`, import.meta.url).pathname;
}
