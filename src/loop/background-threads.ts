import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * V8's background threads (its optimising compilers, WebAssembly tier-up, concurrent GC) run in
 * bursts of milliseconds. Linux's EEVDF scheduler lets a running thread keep its CPU until its slice
 * protection ends (RUN_TO_PARITY) when another thread of the same class wakes, whatever their nice
 * values; the next scheduler tick decides, 4 ms later at HZ=250. A state frame arriving while a
 * compile job ran therefore waited 1–5 ms for the thread that answers it (seen in sched_switch
 * traces of `bench:links`: the woken main thread, or the socat relay, queued behind a V8 worker of
 * the same process while the other CPU idled). A thread of class SCHED_IDLE is preempted at once by
 * any woken normal thread of its scheduling group, and any thread may move its siblings there
 * without privilege.
 *
 * So `TETHER_V8_WORKERS=idle` moves V8's worker threads to SCHED_IDLE. It is an opt-in for a machine
 * that runs nothing else: beside other CPU load the workers starve, and the main thread waits for
 * them wherever V8 joins their work (a parallel GC phase, an asynchronous WebAssembly compile) —
 * beside two CPU hogs the demo latched in each of three runs (docs/architecture.md). libuv's thread
 * pool (file writes, ONNX Runtime's async runs) and our own worker threads (the clock thread, the
 * logger) are never touched.
 *
 * Which threads are V8's is read from /proc: Node's platform starts its delayed-task thread and
 * then its worker pool before anything else, so after the main thread the pool is the run of threads
 * that follow the first one, all blocked on one condition variable. Anything else found there
 * (another runtime, another kernel) leaves every thread as it is and says why.
 */

/** Where a thread is blocked: a system call and its first argument (for a futex, its address). */
export interface BlockedIn {
  readonly call: number;
  readonly argument: number;
}

/** One thread as /proc shows it: its id and where it is blocked, or `running`. */
export interface ThreadSnapshot {
  readonly tid: number;
  readonly waitingOn: BlockedIn | 'running';
}

/**
 * The first two fields of `/proc/<pid>/task/<tid>/syscall` (`202 0x566f9cc …`); `running` for a
 * thread on a CPU (`running`) or stopped outside any system call (`-1 …`).
 */
export function parseSyscall(text: string): BlockedIn | 'running' {
  const [call, argument] = text.trim().split(' ');
  if (call === undefined || argument === undefined || call === 'running' || call === '-1') return 'running';
  return { call: Number(call), argument: Number.parseInt(argument, 16) };
}

/**
 * V8's worker pool among `threads` (any order) of the process `pid`, which runs `poolSize` of them:
 * the threads ranked 2 to poolSize + 1 by id, provided those blocked at the moment (at least two)
 * wait on one futex that neither the thread before nor the one after waits on. Returns why not when
 * the pattern is not there (e.g. most workers were busy while /proc was read: ask again).
 */
export function findV8Workers(
  threads: readonly ThreadSnapshot[],
  pid: number,
  poolSize: number,
): number[] | string {
  const others = threads.filter((t) => t.tid !== pid).sort((a, b) => a.tid - b.tid);
  if (others.length < poolSize + 1)
    return `${others.length} threads besides the main one, fewer than a pool of ${poolSize} needs`;
  const pool = others.slice(1, poolSize + 1);
  const waiting = pool.filter((t) => t.waitingOn !== 'running');
  if (waiting.length < 2) return 'the workers were running';
  const on = waiting[0]!.waitingOn;
  if (waiting.some((t) => !sameWait(t.waitingOn, on)))
    return 'the threads after the delayed-task thread wait on different things';
  const before = others[0]!;
  const after = others[poolSize + 1];
  if (sameWait(before.waitingOn, on) || (after !== undefined && sameWait(after.waitingOn, on)))
    return `more than ${poolSize} threads wait with the pool (is --v8-pool-size set?)`;
  return pool.map((t) => t.tid);
}

/**
 * Two threads blocked in the same system call on one condition variable: glibc's condition variable
 * has two futex words 4 bytes apart (its two waiter groups), so the addresses may differ by that.
 */
function sameWait(a: BlockedIn | 'running', b: BlockedIn | 'running'): boolean {
  if (a === 'running' || b === 'running') return false;
  return a.call === b.call && Math.abs(a.argument - b.argument) <= 8;
}

/** Node's V8 pool size: `--v8-pool-size` from the command line or NODE_OPTIONS, else Node's default of 4. */
export function v8PoolSize(execArgv: readonly string[], nodeOptions: string | undefined): number {
  const flags = [...execArgv, ...(nodeOptions?.split(/\s+/) ?? [])];
  let size = 4;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (flag.startsWith('--v8-pool-size=')) size = Number(flag.slice('--v8-pool-size='.length));
    else if (flag === '--v8-pool-size') size = Number(flags[++i]);
  }
  return size;
}

function snapshot(): ThreadSnapshot[] {
  const threads: ThreadSnapshot[] = [];
  for (const name of readdirSync('/proc/self/task')) {
    try {
      const waitingOn = parseSyscall(readFileSync(`/proc/self/task/${name}/syscall`, 'utf8'));
      threads.push({ tid: Number(name), waitingOn });
    } catch {
      // A thread that ended while we looked.
    }
  }
  return threads;
}

function setIdleClass(tid: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('chrt', ['--idle', '--pid', '0', String(tid)], (error) =>
      resolve(error === null ? undefined : error.message.split('\n')[0]),
    );
  });
}

const attempts = 20;
const attemptGapMs = 5;

/**
 * With `TETHER_V8_WORKERS=idle`, moves this process's V8 worker threads to SCHED_IDLE (see above);
 * resolves with one line for the run's events saying what was done or why nothing was, or with
 * undefined when the variable is unset or `normal` (nothing to say). Call it once the process has
 * compiled what it loads (MuJoCo's WebAssembly above all). Never throws.
 */
export async function idleV8Workers(): Promise<string | undefined> {
  const setting = process.env['TETHER_V8_WORKERS'] ?? 'normal';
  if (setting === 'normal' || setting === '') return undefined;
  if (setting !== 'idle')
    return `V8 worker threads: normal priority (TETHER_V8_WORKERS='${setting}' is neither idle nor normal)`;
  if (process.platform !== 'linux')
    return `V8 worker threads: normal priority (no SCHED_IDLE on ${process.platform})`;
  const poolSize = v8PoolSize(process.execArgv, process.env['NODE_OPTIONS']);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    return `V8 worker threads: normal priority (--v8-pool-size ${poolSize}: the pool's size is Node's choice)`;
  let found: number[] | string = 'not looked';
  for (let i = 0; i < attempts; i++) {
    try {
      found = findV8Workers(snapshot(), process.pid, poolSize);
    } catch (error) {
      return `V8 worker threads: normal priority (cannot read /proc/self/task: ${(error as Error).message})`;
    }
    if (typeof found !== 'string') break;
    await new Promise((resolve) => setTimeout(resolve, attemptGapMs));
  }
  if (typeof found === 'string') return `V8 worker threads: normal priority (not recognised: ${found})`;
  const refusals = (await Promise.all(found.map(setIdleClass))).filter((r) => r !== undefined);
  if (refusals.length > 0)
    return `V8 worker threads: ${found.length - refusals.length} of ${found.length} moved to SCHED_IDLE, the rest kept normal priority (chrt --idle: ${refusals[0]})`;
  return `V8 worker threads: SCHED_IDLE (${found.length} threads), so they give way at once to the loop and the link`;
}
