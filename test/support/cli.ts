import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export const cli = join(import.meta.dirname, '../../bin/tether.mjs');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** One line for the operator console, written `afterMs` after the run reports it is running. */
export interface OperatorLine {
  readonly afterMs: number;
  readonly line: string;
}

export interface CliOptions {
  /** The working directory (default: the test runner's). */
  readonly cwd?: string;
  /** Sees the child once it is spawned, e.g. to signal it. */
  readonly onSpawn?: (child: ChildProcess) => void;
  /** Variables added to the test runner's environment. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * Runs the real CLI in its own process. With `operator` lines, stdin is a pipe and each line is
 * typed once the loop is up (the first `running under` line on stderr) plus its delay, as an
 * operator at the terminal would.
 */
export function tether(
  args: string[],
  operator: readonly OperatorLine[] = [],
  options: CliOptions = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: options.cwd,
      ...(options.env ? { env: { ...process.env, ...options.env } } : {}),
      stdio: [operator.length > 0 ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let started = false;
    const timers: NodeJS.Timeout[] = [];
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => {
      stderr += d;
      if (!started && operator.length > 0 && stderr.includes('running under')) {
        started = true;
        for (const { afterMs, line } of operator)
          timers.push(setTimeout(() => child.stdin?.write(`${line}\n`), afterMs));
      }
    });
    child.on('close', (code) => {
      for (const t of timers) clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}
