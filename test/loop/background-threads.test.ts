/**
 * With TETHER_V8_WORKERS=idle, V8's worker threads (compilers, concurrent GC) are moved to SCHED_IDLE
 * so that a woken loop or link thread never queues behind one of their bursts
 * (src/loop/background-threads.ts). The recognition
 * of the pool from /proc is a pure function, tested on snapshots; `tether run` is tested for real:
 * its threads' scheduling classes are read from /proc while it runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../hardware/tools/processes.ts';
import {
  findV8Workers,
  parseSyscall,
  type ThreadSnapshot,
  v8PoolSize,
} from '../../src/loop/background-threads.ts';
import { tether } from '../support/cli.ts';

const work = temporaryDirectory('tether-v8-workers');
afterAll(() => work.remove());

// As /proc showed a Node 20 process: main, the delayed-task thread (epoll), four V8 workers on one
// condition variable (glibc parks waiters on either of its two futex words), the inspector's
// semaphore, libuv's pool on another condition variable.
const pid = 100;
const layout = (workers: readonly string[]): ThreadSnapshot[] =>
  ['0 0x14', '281 0x9', ...workers, '202 0x5660460', '202 0x566f9cc', '202 0x566f9c8'].map((syscall, i) => ({
    tid: 100 + i,
    waitingOn: parseSyscall(syscall),
  }));

describe("recognising V8's worker pool", () => {
  it('takes the threads after the delayed-task thread that wait on one condition variable', () => {
    const threads = layout(['202 0xe884910', '202 0xe884914', '202 0xe884910', '202 0xe884910']);
    expect(findV8Workers(threads.reverse(), pid, 4)).toEqual([102, 103, 104, 105]);
  });

  it('includes a worker busy at the moment, when the others agree', () => {
    const threads = layout(['202 0xe884910', 'running', '202 0xe884910', '202 0xe884914']);
    expect(findV8Workers(threads, pid, 4)).toEqual([102, 103, 104, 105]);
  });

  it('refuses what it does not recognise rather than guess', () => {
    expect(findV8Workers(layout(['running', 'running', '202 0xe884910', 'running']), pid, 4)).toMatch(
      /running/,
    );
    expect(
      findV8Workers(layout(['202 0xe884910', '202 0x566f9cc', '202 0xe884910', '202 0xe884910']), pid, 4),
    ).toMatch(/different things/);
    // Six workers where four were expected: the thread after the four waits with them.
    expect(
      findV8Workers(
        layout(['202 0xe884910', '202 0xe884910', '202 0xe884910', '202 0xe884910', '202 0xe884910']),
        pid,
        4,
      ),
    ).toMatch(/more than 4 threads/);
    expect(findV8Workers(layout([]).slice(0, 3), pid, 4)).toMatch(/fewer than a pool of 4/);
  });

  it("reads the pool's size from --v8-pool-size on the command line or in NODE_OPTIONS", () => {
    expect(v8PoolSize([], undefined)).toBe(4);
    expect(v8PoolSize(['--v8-pool-size=2'], undefined)).toBe(2);
    expect(v8PoolSize(['--v8-pool-size', '3'], undefined)).toBe(3);
    expect(v8PoolSize([], '--max-old-space-size=512 --v8-pool-size=6')).toBe(6);
  });
});

/** Scheduling class of each thread of `pid` (0 normal, 5 SCHED_IDLE), by thread id. */
function classes(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const policy = /^policy\s*:\s*(\d+)/m.exec(readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8'));
      if (policy) out.set(Number(tid), Number(policy[1]));
    } catch {
      // The thread or the process ended while we looked.
    }
  }
  return out;
}

describe.runIf(process.platform === 'linux')('tether run and the V8 workers', () => {
  const run = async (env: Record<string, string>) => {
    let seen = new Map<number, number>();
    let timer: NodeJS.Timeout | undefined;
    const result = await tether(
      ['run', 'configs/cartpole.yaml', '--duration', '3', '--log', join(work.path, `${Date.now()}.mcap`)],
      [],
      {
        env,
        onSpawn: (child) => {
          let output = '';
          child.stdout!.on('data', (d) => (output += d));
          child.stderr!.on('data', (d) => (output += d));
          // Read while the loop runs: the line saying it runs comes before its first tick, the
          // one saying it stopped after its last (then threads end).
          timer = setInterval(() => {
            if (!/running under/.test(output) || /stopped after/.test(output)) return;
            try {
              const now = classes(child.pid!);
              if (now.size > seen.size) seen = now;
            } catch {
              // Already gone.
            }
          }, 200);
        },
      },
    );
    clearInterval(timer);
    return { result, seen };
  };

  it('TETHER_V8_WORKERS=idle moves the four workers to SCHED_IDLE and says so; the loop and every other thread stay normal', async () => {
    const { result, seen } = await run({ TETHER_V8_WORKERS: 'idle' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).toMatch(/V8 worker threads: SCHED_IDLE \(4 threads\)/);
    const ids = [...seen.keys()].sort((a, b) => a - b);
    expect(ids.length).toBeGreaterThan(6);
    // Main thread, delayed-task thread, the four workers, then everything else.
    expect(ids.map((tid) => seen.get(tid))).toEqual([0, 0, 5, 5, 5, 5, ...ids.slice(6).map(() => 0)]);
  });

  it('by default every thread stays normal and nothing is said (beside other load, idle workers stall the loop)', async () => {
    const { result, seen } = await run({ TETHER_V8_WORKERS: '' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/V8 worker threads/);
    expect(seen.size).toBeGreaterThan(6);
    expect([...seen.values()].every((policy) => policy === 0)).toBe(true);
  });
});
