import { type ChildProcess, spawn } from 'node:child_process';
import { setPriority } from 'node:os';

/**
 * CPU hogs for the under-load benchmarks: child processes that busy-loop at nice 0 (or `nice`), the
 * way a compile or a training job beside the robot would. Each one wants a whole core.
 */
export interface Hogs {
  readonly count: number;
  stop(): Promise<void>;
}

export function startHogs(count: number, nice = 0): Hogs {
  const children: ChildProcess[] = [];
  for (let i = 0; i < count; i++) {
    const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    // Lowering a process's priority needs no privilege.
    if (nice !== 0 && child.pid !== undefined) setPriority(child.pid, nice);
    children.push(child);
  }
  // A benchmark that fails half-way must not leave cores busy.
  process.once('exit', () => {
    for (const child of children) child.kill('SIGKILL');
  });
  return {
    count,
    stop: () =>
      Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      ).then(() => undefined),
  };
}
