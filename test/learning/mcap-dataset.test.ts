import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { riverPair } from '../../sim/river/pair.ts';
import { RiverCrossing, riverDefaults } from '../../sim/river/river.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { loadDataset } from '../../src/learning/dataset.ts';
import { td3bcDefaults } from '../../src/learning/td3bc.ts';
import { Trainer } from '../../src/learning/trainer.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';

const river = { ...riverDefaults, current: 1.2 };

describe('real datasets from MCAP logs', () => {
  it('turn a logged river run into transitions with recomputed rewards', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tether-mcap-'));
    try {
      const env = new RiverCrossing(river, 1);
      const info: RobotInfo = {
        name: 'river',
        transport: 'sim',
        observation: env.observation,
        action: env.action,
        capabilities: { minRateHz: 1, maxRateHz: 100, lockStep: true, features: [] },
      };
      const file = join(dir, 'river.mcap');
      const logger = await McapTickLogger.open(file, {
        robot: info,
        controller: 'test',
        config: {},
        rateHz: 10,
      });
      const record = createTickRecord(2, 2);
      const obs = new Float64Array(2);
      env.reset(obs, 3);
      for (let t = 0; t < 40; t++) {
        record.tick = t;
        record.deadline = t / 10;
        record.observation.set(obs);
        record.action[0] = 1;
        record.action[1] = 0.2;
        record.command.set(record.action);
        logger.writeTick(record);
        env.step(record.command, obs);
      }
      await logger.close();

      const rewardOf = (_o: Float64Array, _a: Float64Array, next: Float64Array) =>
        -Math.hypot(next[0]! - river.goalX, next[1]! - river.goalY);
      const dataset = await loadDataset(file, rewardOf);
      // 40 ticks give 39 transitions (the last tick has no successor).
      expect(dataset.size).toBe(39);
      expect(dataset.obsSize).toBe(2);
      expect(dataset.act[2]).toBeCloseTo(1, 12);
      expect(dataset.act[3]).toBeCloseTo(0.2, 12);
      expect(dataset.nextObs[0]).toBe(dataset.obs[2]);
      expect(dataset.reward[5]).toBeCloseTo(
        rewardOf(new Float64Array(2), new Float64Array(2), dataset.nextObs.subarray(10, 12)),
        12,
      );
      await expect(loadDataset(file)).rejects.toThrow(/MCAP logs carry no reward/);
      // And the trainer accepts it as the real log of the river pair.
      const trainer = await Trainer.create(
        {
          algorithm: 'td3bc',
          seed: 0,
          updates: 10,
          chunk: 10,
          startSteps: 0,
          numEnvs: 1,
          evalEvery: 10,
          evalEpisodes: 1,
          hyperparameters: { ...td3bcDefaults, hidden: [8], batchSize: 16 },
        },
        riverPair(river),
        dataset,
      );
      trainer.runChunk();
      expect(trainer.history).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
