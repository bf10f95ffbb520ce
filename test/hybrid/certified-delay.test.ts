import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { checkPlantAssumptions } from '../../controllers/hybrid/certified-switch-guard.ts';
import { SimRobot, simRobotOptions } from '../../sim/sim-robot.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { checkRunConfig } from '../../src/loop/assemble.ts';
import { loadModel } from '../../src/verification/io.ts';
import { type LyapunovModel, parseModel } from '../../src/verification/model.ts';

const repo = join(import.meta.dirname, '../..');
const simModel = () => loadModel(join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr.json'));

/** The simulator's cartpole model with an input delay of `seconds` covered and assumed. */
function covering(seconds: number): LyapunovModel {
  const s = simModel().source;
  return parseModel(
    { ...s, uncertainty: { input_delay: seconds }, assumptions: { ...s.assumptions!, delay: seconds } },
    `cartpole_lqr with an input delay of ${seconds} s`,
  );
}

/** What the guard finds wrong with `model` on the MuJoCo cartpole that delays actions by `ticks`. */
async function problemsOn(model: LyapunovModel, ticks: number): Promise<string[]> {
  const robot = await SimRobot.create(
    simRobotOptions.parse({ model: 'cartpole', ...(ticks > 0 ? { dynamics: { actionDelay: ticks } } : {}) }),
    0.02,
  );
  try {
    const { info } = robot;
    expect(info.plant?.dynamics['actionDelay']).toBe(ticks > 0 ? ticks : undefined);
    return checkPlantAssumptions(
      model,
      model.assumptions!,
      {
        observation: info.observation,
        action: info.action,
        dt: 0.02,
        events: new EventBuffer(),
        robot: info,
      },
      [0, 0, 0, 0],
      {},
    );
  } finally {
    await robot.shutdown();
  }
}

describe('the certified guard and a simulator that delays actions', () => {
  it('refuses a delay the certificate does not cover, naming both in seconds', async () => {
    expect(await problemsOn(simModel(), 0)).toEqual([]);
    expect(await problemsOn(simModel(), 1)).toEqual([
      'delay: the robot delays actions by 1 control period(s) of 0.02 s (0.02 s), the certificate covers no delay',
    ]);
    expect(await problemsOn(covering(0.004), 1)).toEqual([
      'delay: the robot delays actions by 1 control period(s) of 0.02 s (0.02 s), the certificate covers an input delay of at most 0.004 s',
    ]);
  });

  it('accepts a delay the certificate covers: a whole period, for a model whose delayed command spans the period', async () => {
    expect(await problemsOn(covering(0.02), 1)).toEqual([]);
    expect(await problemsOn(covering(0.02), 2)).toEqual([
      'delay: the robot delays actions by 2 control period(s) of 0.02 s (0.04 s), the certificate covers an input delay of at most 0.02 s',
    ]);
  });

  it('refuses the delayed simulator before anything moves when a run config asks for it', async () => {
    const shipped = join(repo, 'configs/cartpole-swingup-certified.yaml');
    const text = readFileSync(shipped, 'utf8')
      .replaceAll('../controllers/', `${repo}/controllers/`)
      .replace('  task: swingup', '  task: swingup\n  dynamics: { actionDelay: 1 }');
    const file = join(mkdtempSync(join(tmpdir(), 'tether-delay-')), 'delayed.yaml');
    writeFileSync(file, text);
    const config = parseRunConfig(readFileSync(file, 'utf8'), file, plugins);
    await expect(checkRunConfig(config)).rejects.toThrow(
      /delay: the robot delays actions by 1 control period\(s\) of 0\.02 s \(0\.02 s\), the certificate covers no delay/,
    );
  });
});
