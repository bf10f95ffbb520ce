import { type ChildProcess, spawn } from 'node:child_process';
import { cli } from '../support/cli.ts';

export interface LiveRun {
  readonly child: ChildProcess;
  /** The page, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Resolves once the loop is running (the runner's first lifecycle line). */
  readonly running: Promise<void>;
  readonly exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  stderr(): string;
}

/**
 * Starts `tether <args> --live 0` in its own process and resolves once it printed where the live
 * view is (URL and the run's token).
 */
export function startLiveRun(args: readonly string[]): Promise<LiveRun> {
  const child = spawn(process.execPath, [cli, ...args, '--live', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
  let markRunning: () => void = () => undefined;
  const running = new Promise<void>((resolve) => {
    markRunning = resolve;
  });
  return new Promise((resolve, reject) => {
    let announced = false;
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (stderr.includes('running under')) markRunning();
      const match = /live view: (http:\/\/127\.0\.0\.1:(\d+)\/)#token=(\S+)/.exec(stderr);
      if (match && !announced) {
        announced = true;
        resolve({
          child,
          url: match[1]!,
          port: Number(match[2]),
          token: match[3]!,
          running,
          exit,
          stderr: () => stderr,
        });
      }
    });
    void exit.then(({ code }) => {
      if (!announced) reject(new Error(`tether exited (${code}) before the live view was up:\n${stderr}`));
    });
  });
}

/** Resolves when `predicate` holds, polling every 50 ms; rejects after `timeoutMs`. */
export async function until(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
