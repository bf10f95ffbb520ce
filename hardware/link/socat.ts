import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A pty pair joined by socat: what a USB-serial cable between host and rig looks like here. */
export interface PtyPair {
  /** The end the rig (firmware side) opens. */
  readonly rigPath: string;
  /** The end the host opens (`robot.path` in a serial config). */
  readonly hostPath: string;
  readonly pid: number;
  /** Kills socat: both ends see their port close, like an unplugged cable. */
  close(): Promise<void>;
}

/**
 * Creates `<base>.rig` and `<base>.host`, symlinks to the two ptys. A socat left over from a rig that
 * was killed (its pid is kept in `<base>.socat.pid`) is stopped first, so the host's open port fails
 * over to the new pair instead of staying on a dead one.
 */
export async function startPtyPair(base: string, socatBinary = 'socat'): Promise<PtyPair> {
  // The links usually live in a run folder that a fresh clone does not have yet.
  mkdirSync(dirname(base), { recursive: true });
  await stopStaleSocat(base);
  const rigPath = `${base}.rig`;
  const hostPath = `${base}.host`;
  const child = spawn(socatBinary, [`pty,raw,echo=0,link=${rigPath}`, `pty,raw,echo=0,link=${hostPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const started = await new Promise<string | undefined>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(
        error.code === 'ENOENT'
          ? `'${socatBinary}' not found; install socat (e.g. apt-get install socat)`
          : error.message,
      ),
    );
    child.once('exit', (code) => resolve(`socat exited with code ${code}: ${stderr.trim()}`));
    const deadline = Date.now() + 5000;
    const poll = () => {
      if (existsSync(rigPath) && existsSync(hostPath)) resolve(undefined);
      else if (Date.now() > deadline) resolve(`socat did not create ${rigPath} and ${hostPath} within 5 s`);
      else setTimeout(poll, 10);
    };
    poll();
  });
  if (started !== undefined || child.pid === undefined) {
    child.kill();
    throw new Error(`cannot create a pty pair at ${base}: ${started ?? 'no pid'}`);
  }
  const pid = child.pid;
  writeFileSync(`${base}.socat.pid`, String(pid));
  return {
    rigPath,
    hostPath,
    pid,
    close: () => stopSocat(child, base),
  };
}

function stopSocat(child: ChildProcess, base: string): Promise<void> {
  return new Promise((resolve) => {
    rmSync(`${base}.socat.pid`, { force: true });
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * Waits for the old socat to exit: it removes its links on exit, and would otherwise delete the
 * links of the pair created right after it.
 */
async function stopStaleSocat(base: string): Promise<void> {
  const pidFile = `${base}.socat.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    // Only a socat we started: the pid may have been reused by something else since.
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const isSocat = command.startsWith('socat\0') || command.includes('/socat\0');
    if (!isSocat || !command.includes(base)) return;
    process.kill(pid, 'SIGTERM');
  } catch {
    return; // gone already, or no /proc
  }
  const deadline = Date.now() + 3000;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}

/** Alive and not a zombie (an orphan's exit may not be reaped at once; its links are gone by then). */
function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
