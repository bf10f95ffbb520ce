import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { trivialRealtimeLoop } from '../../bench/trivial-loop.ts';
import { DoubleIntegratorRobot } from '../../sim/toy/double-integrator.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { newToken } from '../../src/live/auth.ts';
import { LiveServer } from '../../src/live/server.ts';
import { McapTickLogger } from '../../src/logging/tick-logger.ts';
import { until } from './live-run.ts';

describe('the live status carries what the run logger dropped', () => {
  it('a logger that fell behind: /tether/status says how many ticks it dropped, while the run goes on', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tether-live-logger-'));
    const server = await LiveServer.start({
      host: '127.0.0.1',
      port: 0,
      token: newToken(),
      allowOrigins: [],
      tickHz: 100,
      publishHz: 25,
    });
    const robot = new DoubleIntegratorRobot(1 / 100);
    const loop = await trivialRealtimeLoop(robot, 100, [server.sink]);
    const logger = await McapTickLogger.open(join(dir, 'run.mcap'), {
      robot: robot.info,
      controller: 'burst',
      rateHz: 100,
      ringCapacity: 8,
    });
    try {
      server.attach({ loop, robot, info: { name: 'burst', rateHz: 100, policies: {} }, logger });
      const status = async () => (await server.status())['logger'] as Record<string, unknown>;
      expect(await status()).toEqual({ logging: true, dropped_ticks: 0, dropped_events: 0 });
      // One synchronous burst: the writer thread cannot keep up with a ring of 8.
      const record = createTickRecord(
        robot.info.observation.signals.length,
        robot.info.action.signals.length,
      );
      for (let i = 0; i < 20_000; i++) {
        record.tick = i;
        record.deadline = i / 100;
        logger.writeTick(record);
      }
      const dropped = logger.droppedTicks;
      expect(dropped).toBeGreaterThan(0);
      const poll = setInterval(() => {
        void status().then((s) => {
          seen = s['dropped_ticks'];
        });
      }, 50);
      onTestFinished(() => clearInterval(poll));
      let seen: unknown;
      await until(() => seen === dropped, 5000, 'the drop count');
    } finally {
      server.detach();
      await logger.close();
      await server.close();
      await robot.deactivate();
      await robot.shutdown();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
