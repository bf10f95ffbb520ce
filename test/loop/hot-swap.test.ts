import { describe, expect, it } from 'vitest';
import type { Controller } from '../../src/core/controller.ts';
import type { EventBuffer } from '../../src/core/events.ts';
import type { SwitchGuard } from '../../src/core/switch-guard.ts';
import { ControllerManager } from '../../src/loop/controller-manager.ts';
import { RollbackMonitor, type RollbackMonitorOptions } from '../../src/loop/rollback-monitor.ts';
import { RecordingConstant, runManaged } from '../support/manager-loop.ts';

/** A rollback monitor for the managed run's double integrator (dt 0.01 s, 2 observations, 1 action). */
function monitorOf(
  manager: ControllerManager,
  events: EventBuffer,
  task: Pick<RollbackMonitorOptions, 'fell' | 'reward'>,
): RollbackMonitor {
  return new RollbackMonitor({ manager, dt: 0.01, events, observationSize: 2, actionSize: 1, ...task });
}

describe('hot-swap through the controller manager', () => {
  it('installs a configured controller while the loop runs and swaps to it at a tick boundary', async () => {
    const v0 = new RecordingConstant('v0', 1);
    const v1 = new RecordingConstant('v1', -1);
    const manager = new ControllerManager([{ name: 'v0', controller: v0 }]);
    const { log, events, report } = await runManaged(manager, 40, {
      beforeTick: (k, loop) => {
        if (k === 10) {
          const context = loop.controllers.context!;
          v1.configure();
          expect(context.action.signals[0]!.name).toBe('x.force');
          expect(loop.controllers.install('v1', v1, { hash: 'abc' })).toBeUndefined();
          expect(loop.controllers.install('v1', v1)).toMatch(/already installed/);
        }
        if (k === 20) expect(loop.controllers.requestSwitch('v1', 'swap to v1')).toBeUndefined();
      },
    });
    expect(manager.names).toEqual(['v0', 'v1']);
    expect(log.map((t) => t.controller)).toEqual([...Array(20).fill(0), ...Array(20).fill(1)]);
    // No mixed command: every tick's proposal is exactly the active controller's.
    for (const t of log) expect(t.proposal).toBe(t.controller === 0 ? 1 : -1);
    // The installed controller ran only once it was active, and was reset at the boundary.
    expect(v1.updates).toBe(20);
    expect(v1.calls).toEqual(['activate', 'reset']);
    expect(report.switches).toBe(1);
    const install = events.find((e) => e.message.startsWith('installed v1'));
    expect(install?.data).toMatchObject({ installed: 'v1', index: 1, hash: 'abc' });
    expect(install?.time).toBeCloseTo(0.09, 6);
  });

  it('runs a shadow beside the active controller: computed and compared, never applied', async () => {
    const active = new RecordingConstant('active', 2);
    const shadow = new RecordingConstant('shadow', 7);
    const manager = new ControllerManager([{ name: 'active', controller: active }]);
    manager.install('shadow', shadow);
    expect(manager.startShadow('active')).toMatch(/is active/);
    expect(manager.startShadow('nope')).toMatch(/no controller named 'nope'/);
    let report: ReturnType<ControllerManager['stopShadow']>;
    const { log, events } = await runManaged(manager, 30, {
      beforeTick: (k, loop) => {
        if (k === 5) expect(loop.controllers.startShadow('shadow')).toBeUndefined();
        if (k === 25) report = loop.controllers.stopShadow();
      },
    });
    // The robot only ever got the active controller's command.
    for (const t of log) expect(t.command).toBe(2);
    expect(shadow.updates).toBe(20);
    expect(shadow.calls).toEqual(['activate', 'reset', 'deactivate']);
    expect(report!).toMatchObject({
      name: 'shadow',
      ticks: 20,
      meanAbsDifference: 5,
      maxAbsDifference: 5,
      outsideLimits: 20, // 7 N is beyond the ±5 N actuator
      faults: 0,
    });
    expect(events.some((e) => e.message.startsWith('shadow shadow ended: 20 ticks'))).toBe(true);
  });

  it('never waits for an asynchronous shadow: late answers are compared, overlapping ticks skipped', async () => {
    const manager = new ControllerManager([{ name: 'a', controller: new RecordingConstant('a', 1) }]);
    manager.install('b', new RecordingConstant('b', 1, true));
    let report: ReturnType<ControllerManager['stopShadow']>;
    const { log } = await runManaged(manager, 20, {
      beforeTick: (k, loop) => {
        if (k === 1) loop.controllers.startShadow('b');
        if (k === 19) report = loop.controllers.stopShadow();
      },
    });
    for (const t of log) expect(t.command).toBe(1);
    // 18 shadow ticks: each answered and compared, skipped because the previous answer was still
    // pending, or (the last one) still in flight when shadow mode ended. A fast-mode clock yields
    // to the event loop only every 256 ticks, so here most are skipped; none delayed a tick.
    expect(report!.ticks + report!.skipped).toBeGreaterThanOrEqual(17);
    expect(report!.ticks + report!.skipped).toBeLessThanOrEqual(18);
    expect(report!.meanAbsDifference).toBe(0);
    expect(report!.faults).toBe(0);
  });

  it('a throwing or non-finite shadow is counted and never reaches the robot', async () => {
    const bad: Controller = {
      name: 'bad',
      configure() {},
      update(_o, t, a) {
        if (t > 0.1) throw new Error('boom');
        a.fill(Number.NaN);
      },
    };
    const manager = new ControllerManager([{ name: 'a', controller: new RecordingConstant('a', 1) }]);
    manager.install('bad', bad);
    let report: ReturnType<ControllerManager['stopShadow']>;
    const { log, report: loopReport } = await runManaged(manager, 30, {
      beforeTick: (k, loop) => {
        if (k === 1) loop.controllers.startShadow('bad');
        if (k === 29) report = loop.controllers.stopShadow();
      },
    });
    for (const t of log) expect(t.command).toBe(1);
    expect(report!.faults).toBe(28);
    expect(report!.ticks).toBe(0);
    expect(loopReport.controllerErrors).toBe(0);
    expect(loopReport.latched).toBeUndefined();
  });

  it('rolls back at the next boundary when the swapped-in controller crosses a bound, past a guard', async () => {
    const guard: SwitchGuard = {
      name: 'deny-all-but-swaps',
      admit: (_from, to) =>
        to === 'v1' ? { verdict: 'admit', reason: 'swap' } : { verdict: 'deny', reason: 'no' },
    };
    // v0 holds the position near 1 m; v1 pushes it away: a "fall" once |x − 1| > 0.2.
    const v0 = new RecordingConstant('v0', 0);
    const v1 = new RecordingConstant('v1', 5);
    const manager = new ControllerManager([{ name: 'v0', controller: v0 }], { guard });
    manager.install('v1', v1, { hash: 'bad' });
    let monitor: RollbackMonitor | undefined;
    const { log, events, report } = await runManaged(manager, 100, {
      monitor: (m, events) => {
        monitor = monitorOf(m, events, {
          fell: (obs) => Math.abs(obs[0]! - 1) > 0.2,
          reward: (_o, _a, next) => 1 - Math.abs(next[0]! - 1),
        });
        return monitor;
      },
      beforeTick: (k, loop) => {
        if (k === 20) {
          monitor!.watch('v1', 'v0', { window: 0.5, maxFalls: 1 });
          loop.controllers.requestSwitch('v1', 'swap');
        }
      },
    });
    const switchTick = log.findIndex((t) => t.controller === 1);
    expect(switchTick).toBe(20);
    const backTick = log.findIndex((t, i) => i > switchTick && t.controller === 0);
    expect(backTick).toBeGreaterThan(switchTick);
    // The fall was seen on tick backTick − 1; the rollback took effect at the very next boundary.
    expect(Math.abs(log[backTick - 1]!.position - 1)).toBeGreaterThan(0.2);
    expect(Math.abs(log[backTick - 2]!.position - 1)).toBeLessThanOrEqual(0.2);
    for (const t of log.slice(backTick)) expect(t.controller).toBe(0);
    expect(report.switches).toBe(2);
    expect(monitor!.status.verdict).toBe('rolled-back');
    expect(monitor!.status.baselineRewardPerTick).toBeCloseTo(1, 6);
    const rollback = events.find((e) => e.message.startsWith('v1 → v0 (rollback'));
    expect(rollback?.data).toMatchObject({ forced: true, rollback: true });
    expect(events.some((e) => e.source === 'rollback-monitor' && /1 fall within/.test(e.message))).toBe(true);
  });

  it('keeps a candidate whose window passes without crossing a bound', async () => {
    const manager = new ControllerManager([{ name: 'v0', controller: new RecordingConstant('v0', 0) }]);
    manager.install('v1', new RecordingConstant('v1', 0));
    let monitor: RollbackMonitor | undefined;
    const { log } = await runManaged(manager, 120, {
      monitor: (m, events) => {
        monitor = monitorOf(m, events, { fell: (obs) => Math.abs(obs[0]! - 1) > 0.2, reward: () => 1 });
        return monitor;
      },
      beforeTick: (k, loop) => {
        if (k === 20) {
          monitor!.watch('v1', 'v0', {
            window: 0.5,
            maxFalls: 1,
            minRewardRatio: 0.9,
            maxInterventionRate: 0,
          });
          loop.controllers.requestSwitch('v1', 'swap');
        }
      },
    });
    expect(monitor!.status).toMatchObject({ verdict: 'kept', ticks: 50, falls: 0, rewardPerTick: 1 });
    expect(log.at(-1)!.controller).toBe(1);
  });

  it('rolls back on a reward drop and on safety interventions', async () => {
    for (const [candidateValue, bounds, pattern] of [
      [0, { window: 0.4, minRewardRatio: 0.9 }, /mean reward per tick/],
      [9, { window: 0.4, maxInterventionRate: 0.5 }, /safety layer changed 100 %/],
    ] as const) {
      const manager = new ControllerManager([{ name: 'v0', controller: new RecordingConstant('v0', 0) }]);
      manager.install('v1', new RecordingConstant('v1', candidateValue));
      let monitor: RollbackMonitor | undefined;
      let active = 0;
      await runManaged(manager, 80, {
        monitor: (m, events) => {
          // v1's ticks earn half of what v0's do.
          monitor = monitorOf(m, events, { reward: () => (m.activeName === 'v0' ? 1 : 0.5) });
          return monitor;
        },
        beforeTick: (k, loop) => {
          active = loop.controllers.activeNumber;
          if (k === 20) {
            monitor!.watch('v1', 'v0', bounds);
            loop.controllers.requestSwitch('v1', 'swap');
          }
        },
      });
      expect(monitor!.status.verdict).toBe('rolled-back');
      expect(monitor!.status.reason).toMatch(pattern);
      expect(active).toBe(0);
    }
  });

  it('reads a reward ratio against a negative baseline as a drop of that fraction of its size', async () => {
    // v0 earns −1 per tick (a cost, as the arm's reach reward is). Within 0.9 of it means no worse
    // than −1.1: −1.05 stays (−0.9, the baseline times the ratio, would have rolled it back) and
    // −1.5 goes.
    for (const [candidateReward, verdict] of [
      [-1.05, 'kept'],
      [-1.5, 'rolled-back'],
    ] as const) {
      const manager = new ControllerManager([{ name: 'v0', controller: new RecordingConstant('v0', 0) }]);
      manager.install('v1', new RecordingConstant('v1', 0));
      let monitor: RollbackMonitor | undefined;
      await runManaged(manager, 80, {
        monitor: (m, events) => {
          monitor = monitorOf(m, events, { reward: () => (m.activeName === 'v0' ? -1 : candidateReward) });
          return monitor;
        },
        beforeTick: (k, loop) => {
          if (k === 20) {
            monitor!.watch('v1', 'v0', { window: 0.4, minRewardRatio: 0.9 });
            loop.controllers.requestSwitch('v1', 'swap');
          }
        },
      });
      expect(monitor!.status.baselineRewardPerTick).toBeCloseTo(-1, 6);
      expect(monitor!.status.verdict, `candidate at ${candidateReward} per tick`).toBe(verdict);
      if (verdict === 'rolled-back') expect(monitor!.status.reason).toMatch(/below -1\.100/);
    }
  });
});
