import { afterEach, describe, expect, it } from 'vitest';
import { ClockThread } from '../../src/loop/clock.ts';
import { describePriority, requestedNice, setThreadNice } from '../../src/loop/priority.ts';
import { WakeLead } from '../../src/loop/timing.ts';

describe('the clock thread', () => {
  it('never wakes the loop before the time it was armed for, and a new arm replaces the old one', async () => {
    const thread = new ClockThread(0);
    expect(typeof (await thread.ready)).toBe('number');
    for (let i = 0; i < 20; i++) {
      const target = performance.now() + 2;
      await thread.arm(target);
      expect(performance.now()).toBeGreaterThanOrEqual(target);
    }
    // Re-armed before the first wake-up: only the second time counts.
    thread.arm(performance.now() + 1000);
    const target = performance.now() + 5;
    await thread.arm(target);
    expect(performance.now()).toBeGreaterThanOrEqual(target);
    expect(performance.now() - target).toBeLessThan(900);
    thread.stop();
  });

  it('starts before a run needs it: `start` resolves once the thread runs, with the priority it got', async () => {
    const thread = await ClockThread.start(0);
    expect(typeof thread.niceness).toBe('number');
    const target = performance.now() + 2;
    await thread.arm(target);
    expect(performance.now()).toBeGreaterThanOrEqual(target);
    thread.stop();
    await thread.exited;
  });

  it('ends when stopped, so it never keeps the process alive', async () => {
    const thread = new ClockThread(0);
    await thread.ready;
    const exited = new Promise<Error>((resolve) => thread.onFailure(resolve));
    thread.arm(performance.now() + 60_000);
    thread.stop();
    const outcome = await Promise.race([
      thread.exited.then(() => 'ended'),
      exited,
      new Promise((r) => setTimeout(() => r('still running'), 5000)),
    ]);
    // It ended, and an exit after stop() is not reported as a failure.
    expect(outcome).toBe('ended');
  });
});

describe('the wake-up lead', () => {
  it('starts at its maximum, adapts after 64 wake-ups, and follows the 99.5th percentile of lateness, within its bounds', () => {
    const first = new WakeLead(0.05, 1);
    for (let i = 0; i < 63; i++) first.record(0.1);
    expect(first.ms).toBe(1);
    first.record(0.3);
    // 64 samples: their 99.5th percentile is their maximum, plus the margin.
    expect(first.ms).toBeCloseTo(0.33, 9);
    const lead = new WakeLead(0.05, 1);
    expect(lead.ms).toBe(1);
    for (let i = 0; i < 512; i++) lead.record(i < 500 ? 0.1 : 0.2);
    // 99.5th percentile of 500 × 0.1 and 12 × 0.2 is 0.2, plus the 0.03 ms margin.
    expect(lead.ms).toBeCloseTo(0.23, 9);
    for (let i = 0; i < 512; i++) lead.record(5);
    expect(lead.ms).toBe(1);
    for (let i = 0; i < 512; i++) lead.record(-0.5);
    expect(lead.ms).toBe(0.05);
  });
});

describe('loop priority', () => {
  const saved = process.env['TETHER_LOOP_NICE'];
  afterEach(() => {
    if (saved === undefined) delete process.env['TETHER_LOOP_NICE'];
    else process.env['TETHER_LOOP_NICE'] = saved;
  });

  it('asks for nice -10 unless TETHER_LOOP_NICE says otherwise, and refuses nonsense by name', () => {
    delete process.env['TETHER_LOOP_NICE'];
    expect(requestedNice()).toBe(-10);
    process.env['TETHER_LOOP_NICE'] = '0';
    expect(requestedNice()).toBe(0);
    process.env['TETHER_LOOP_NICE'] = 'high';
    expect(() => requestedNice()).toThrow("TETHER_LOOP_NICE: expected an integer from -20 to 19, got 'high'");
  });

  it('never lowers a priority, and says plainly when raising it was refused', () => {
    // Asking for a nice value above the current one changes nothing.
    const unchanged = setThreadNice(19);
    expect(unchanged.requested).toBe(unchanged.before);
    expect(unchanged.refused).toBeUndefined();
    const refused = { before: 0, requested: -10, refused: 'uv_os_setpriority returned EACCES' };
    expect(describePriority(refused, 'uv_os_setpriority returned EACCES')).toBe(
      'loop priority: NOT raised, the loop runs at nice 0 (asked for -10: uv_os_setpriority returned EACCES); ' +
        'raising it needs CAP_SYS_NICE or ulimit -e ≥ 30',
    );
    expect(describePriority({ before: 0, requested: -10, refused: undefined }, -10)).toBe(
      'loop priority: nice -10 (raised from 0), clock thread nice -10',
    );
  });
});
