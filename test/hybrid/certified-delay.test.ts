import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { LqrController } from '../../controllers/classical/lqr.ts';
import {
  CertifiedSwitchGuard,
  certifiedGuardOptions,
  checkPlantAssumptions,
} from '../../controllers/hybrid/certified-switch-guard.ts';
import { SimRobot, simRobotOptions } from '../../sim/sim-robot.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import { EventBuffer } from '../../src/core/events.ts';
import { checkRunConfig } from '../../src/loop/assemble.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
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

describe('the certified guard and a certificate whose previous command is bounded', () => {
  /** The simulator's model with a 4 ms delay, the previous command within 1 N of u(x). */
  const bounded = (): LyapunovModel => {
    const s = simModel().source;
    return parseModel(
      {
        ...s,
        uncertainty: { input_delay: 0.004, previous_command_within: 1 },
        assumptions: { ...s.assumptions!, delay: 0.004 },
      },
      'cartpole_lqr with a bounded previous command',
    );
  };

  /** A guard for `model` configured on the MuJoCo cartpole with the running LQR; the robot's layout. */
  async function guardFor(model: LyapunovModel) {
    const robot = await SimRobot.create(simRobotOptions.parse({ model: 'cartpole' }), 0.02);
    const { info } = robot;
    const events = new EventBuffer();
    const context = { observation: info.observation, action: info.action, dt: 0.02, events, robot: info };
    const lqr = new LqrController({ model: 'cartpole' });
    await lqr.configure(context);
    await robot.shutdown();
    const guard = new CertifiedSwitchGuard(
      [
        {
          controller: 'balance',
          file: 'bounded.cert.json',
          model,
          assumptions: model.assumptions!,
          rho: 10,
          digest: '0'.repeat(64),
          signedBy: undefined,
        },
      ],
      certifiedGuardOptions.parse({ certificates: { balance: { model: 'm.json', certificate: 'c.json' } } }),
    );
    guard.configure({
      ...context,
      controllers: ['swingup', 'balance'],
      controllerInstances: new Map([['balance', lqr]]),
    });
    const names = info.observation.signals.map((s) => s.name);
    const observation = new Float64Array(names.length);
    const state = [0.05, 0.01, 0, 0];
    model.assumptions!.signals.forEach((s, i) => {
      observation[names.indexOf(s.name)] = state[i]!;
    });
    const u = new ForwardModel(model).control(state);
    return { guard, observation, u, command: (value: number) => Float64Array.of(value) };
  }

  it('admits a switch only when the last command sent is within the bound of the controller`s command', async () => {
    const { guard, observation, u, command } = await guardFor(bounded());
    const near = guard.admit('swingup', 'balance', observation, 1, command(u + 0.9));
    expect(near.verdict).toBe('admit');
    expect(near.reason).toMatch(/and the last command sent, [-\d.]+, within 1 of the controller's \[/);
    const far = guard.admit('swingup', 'balance', observation, 1, command(u + 1.1));
    expect(far.verdict).toBe('defer');
    expect(far.reason).toMatch(
      /the last command sent, [-\d.]+ N, is not within 1 of the certified controller's command \[[-\d.e]+, [-\d.e]+\] over the estimate box \(the input delay applies it first; certificate bounded\.cert\.json/,
    );
    expect(guard.admit('swingup', 'balance', observation, 1).reason).toMatch(
      /the last command sent is unknown here, and certificate bounded\.cert\.json .* covers the input delay only for a previous command within 1 of its controller's/,
    );
  });

  it('a certificate without the bound admits whatever was sent last', async () => {
    const { guard, observation, u, command } = await guardFor(covering(0.004));
    expect(guard.admit('swingup', 'balance', observation, 1, command(u + 15)).verdict).toBe('admit');
  });
});
