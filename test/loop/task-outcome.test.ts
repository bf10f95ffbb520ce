import { describe, expect, it } from 'vitest';
import type { RobotInfo } from '../../src/core/robot.ts';
import { signal } from '../../src/core/spec.ts';
import { createTickRecord } from '../../src/core/tick.ts';
import { formatTaskOutcome, type RunTask, TaskOutcomeTracker } from '../../src/loop/task-outcome.ts';
import { SafetyFlag } from '../../src/safety/types.ts';

/**
 * The task outcome's goal rule on a one-dimensional reach: the position must end within 0.1 of 1.
 * Only episodes that ran to their end (the horizon, the end of the run) are checked; an episode cut
 * by a gap in the ticks is not, because the robot went on regardless.
 */
const task: RunTask = {
  name: 'toy reach',
  observation: ['x'],
  actionMap: [{ name: 'u', unit: '1', scale: 1, offset: 0 }],
  rateHz: 10,
  reward: (_s, _a, next) => -Math.abs(next[0]! - 1),
  goal: (obs) => Math.abs(obs[0]! - 1) <= 0.1,
};
const robot = {
  name: 'toy',
  observation: { signals: [signal('x', 'm')] },
  action: { signals: [signal('u', '1')], mode: 'torque', safe: [0] },
} as unknown as RobotInfo;

/** Feeds ticks (number, position) to a tracker, the `latched` ones with the safety layer latched. */
function score(
  ticks: readonly [number, number][],
  theTask: RunTask = task,
  latched: ReadonlySet<number> = new Set(),
) {
  const tracker = new TaskOutcomeTracker(theTask, robot);
  const record = createTickRecord(1, 1);
  for (const [tick, x] of ticks) {
    record.tick = tick;
    record.deadline = tick / 10;
    record.observation[0] = x;
    record.command[0] = 0;
    record.safetyFlags = latched.has(tick) ? SafetyFlag.fault : 0;
    tracker.writeTick(record);
  }
  return tracker.outcome();
}

/** Ticks from..to moving linearly from x0 to x1. */
const ramp = (from: number, to: number, x0: number, x1: number): [number, number][] =>
  Array.from({ length: to - from + 1 }, (_, k) => [from + k, x0 + ((x1 - x0) * k) / (to - from)]);

describe('task outcome with a goal', () => {
  it('succeeds when the run ends at the goal, even after a gap cut an episode short on the way', () => {
    const outcome = score([...ramp(0, 10, 0, 0.5), ...ramp(12, 30, 0.6, 1)]);
    expect(outcome.episodes).toBe(2);
    expect(outcome.goalMissed).toBe(0);
    expect(outcome.success).toBe(true);
    expect(outcome.verdict).toBe('goal met at the end of 1 episode (1 more cut by gaps), no terminal state');
    expect(formatTaskOutcome(outcome)).toMatch(/^toy reach: SUCCESS/);
  });

  it('judges the last episode where it got to when the run ends in the gap that cut it (a late last tick)', () => {
    // Ticks 0..20 reach the goal; the run's last tick, 22, comes late: a gap, and nothing after it.
    const reached = score([...ramp(0, 20, 0, 1), [22, 1]]);
    expect(reached.episodes).toBe(1);
    expect(reached.success).toBe(true);
    expect(reached.verdict).toBe('goal met at the end of 1 episode, no terminal state');
    const short = score([...ramp(0, 20, 0, 0.5), [22, 0.5]]);
    expect(short.success).toBe(false);
    expect(short.verdict).toBe('the goal was not met at the end of 1 of 1 episode');
    // A gap followed by more ticks that form no episode (a latch to the end) is not the run's end.
    const latchedAfter = score([...ramp(0, 20, 0, 1), [22, 1], [23, 1]], task, new Set([22, 23]));
    expect(latchedAfter.verdict).toMatch(/^no episode ended where it is judged/);
  });

  it('fails when the run ends short of the goal, though nothing fell', () => {
    const outcome = score(ramp(0, 10, 0, 0.5));
    expect(outcome.falls).toBe(0);
    expect(outcome.goalMissed).toBe(1);
    expect(outcome.success).toBe(false);
    expect(outcome.verdict).toBe('the goal was not met at the end of 1 of 1 episode');
  });

  it('judges an episode a latch ends where it stopped: at the goal it is met, short of it missed', () => {
    // The loop resets the robot between episodes through a latch at its horizon (11 transitions
    // here, which it passes as the task's): two reaches, each latched at its end.
    const reached = score(
      [...ramp(0, 10, 0, 1), [11, 1], ...ramp(12, 22, 0, 1), [23, 1]],
      { ...task, horizon: 11 },
      new Set([11, 23]),
    );
    expect(reached.episodes).toBe(2);
    expect(reached.success).toBe(true);
    expect(reached.verdict).toBe('goal met at the end of 2 episodes, no terminal state');
    // An e-stop halfway: the attempt stopped short.
    const stopped = score([...ramp(0, 5, 0, 0.5), [6, 0.55]], task, new Set([6]));
    expect(stopped.goalMissed).toBe(1);
    expect(stopped.success).toBe(false);
  });

  it('checks every episode the horizon ends', () => {
    const outcome = score(ramp(0, 40, 0, 1), { ...task, horizon: 20 });
    // 40 transitions in two horizon-long episodes: the first ends at x = 0.5, the second at 1.
    expect(outcome.episodes).toBe(2);
    expect(outcome.goalMissed).toBe(1);
    expect(outcome.success).toBe(false);
  });

  it('a task without a goal succeeds by not failing, as before', () => {
    const { goal: _goal, ...noGoal } = task;
    const outcome = score(ramp(0, 10, 0, 0.5), noGoal);
    expect(outcome.success).toBe(true);
    expect(outcome.verdict).toBe('no terminal state in 1 episode');
  });

  it('fails a task the run ended latched in before its horizon, though nothing fell; a latch it recovered from is a pause', () => {
    const { goal: _goal, ...balance } = task;
    const latchedFrom = (first: number, last: number) => new Set(ramp(first, last, 0, 0).map(([t]) => t));
    // Latched at tick 3 of a 20-transition horizon, to the end of the run.
    const cut = score(ramp(0, 30, 0, 0.5), { ...balance, horizon: 20 }, latchedFrom(3, 30));
    expect(cut.falls).toBe(0);
    expect(cut.endedLatchedAt).toBeCloseTo(0.3, 9);
    expect(cut.success).toBe(false);
    expect(cut.verdict).toBe(
      "the run ended latched: the safety layer stopped its last episode at 0.30 s, before the task's horizon",
    );
    // The same latch at the horizon is where the episode ends anyway.
    const atHorizon = score(ramp(0, 30, 0, 0.5), { ...balance, horizon: 20 }, latchedFrom(20, 30));
    expect(atHorizon.endedLatchedAt).toBeUndefined();
    expect(atHorizon.success).toBe(true);
    // An e-stop at tick 3 the operator recovers from at tick 6: the run goes on and ends clear.
    const paused = score(ramp(0, 30, 0, 0.5), { ...balance, horizon: 20 }, latchedFrom(3, 5));
    expect(paused.episodes).toBe(3); // 3 transitions, then 20 to the horizon and 4 to the end
    expect(paused.endedLatchedAt).toBeUndefined();
    expect(paused.success).toBe(true);
  });
});
