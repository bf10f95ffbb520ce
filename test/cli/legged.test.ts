/**
 * The CLI for legged robots and arms: `tether sim list` shows every signal name (the pd drive's too),
 * and a velocity command typed at the operator console reaches the walking policy's command channel.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEnv } from '../../sim/envs/index.ts';
import { models } from '../../sim/models/index.ts';
import { tether } from '../support/cli.ts';

const root = join(import.meta.dirname, '../..');

describe('tether sim list', () => {
  it('prints every observation and action signal of every model, and the pd drive where there is one', async () => {
    const table = await tether(['sim', 'list']);
    const json = await tether(['sim', 'list', '--json']);
    expect(table.code).toBe(0);
    const rows = JSON.parse(json.stdout) as {
      name: string;
      observationSignals: string[];
      actionSignals: string[];
      pdActionSignals?: string[];
    }[];
    for (const model of models) {
      const env = await createEnv(model.name);
      try {
        const row = rows.find((r) => r.name === model.name)!;
        expect(row.observationSignals).toEqual(env.observation.signals.map((s) => `${s.name} [${s.unit}]`));
        expect(row.actionSignals).toEqual(env.action.signals.map((s) => `${s.name} [${s.unit}]`));
        for (const s of [...env.observation.signals, ...env.action.signals])
          expect(table.stdout).toContain(s.name);
      } finally {
        env.dispose();
      }
    }
    const quadruped = rows.find((r) => r.name === 'quadruped')!;
    expect(quadruped.pdActionSignals).toHaveLength(36);
    expect(quadruped.pdActionSignals![12]).toBe('fl_hip.kp [N*m/rad]');
    expect(table.stdout).toContain('action, drive pd (21): joint1.target [rad]');
    expect(rows.find((r) => r.name === 'cartpole')!.pdActionSignals).toBeUndefined();
  }, 60_000);
});

describe('tether run --operator with a walking policy', () => {
  it('takes `command base_velocity …` from the terminal, clamped to the channel ranges', async () => {
    const result = await tether(
      ['run', join(root, 'configs/quadruped-walk.yaml'), '--fast', '--duration', '4', '--operator'],
      [
        { afterMs: 0, line: 'command base_velocity 0.9 0 0.2' },
        { afterMs: 0, line: 'command' },
      ],
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('| command NAME v1 v2 … (base_velocity)');
    expect(result.stderr).toContain('base_velocity = [0.7, 0, 0.2] (clamped to its ranges)');
  }, 60_000);
});
