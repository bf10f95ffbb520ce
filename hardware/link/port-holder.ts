import { readFileSync, statSync } from 'node:fs';

/** A process holding a serial port's lock: its pid and command line (empty where unreadable). */
export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

/**
 * Who holds the exclusive lock on `path` (the `flock` every serial port is opened with), from
 * Linux's /proc/locks: one read of a short file, matched on the device file's device and inode
 * numbers, so a symlink (a socat pty's link) finds the same lock. Empty where /proc/locks does not
 * exist (macOS) or names no holder; it only ever adds detail to an error.
 */
export function portLockHolders(path: string): PortHolder[] {
  let locks: string;
  let dev: number;
  let ino: number;
  try {
    locks = readFileSync('/proc/locks', 'utf8');
    const stats = statSync(path);
    dev = stats.dev;
    ino = stats.ino;
  } catch {
    return [];
  }
  // Linux encodes st_dev as major in bits 8-19 (and above 32), minor in bits 0-7 and 20-31.
  const major = ((dev >>> 8) & 0xfff) | (Math.floor(dev / 2 ** 32) * 0x1000);
  const minor = (dev & 0xff) | ((dev >>> 12) & 0xfff00);
  const holders: PortHolder[] = [];
  // "1: FLOCK  ADVISORY  WRITE 20601 00:1a:4 0 EOF": pid, then major:minor (hex) and inode.
  for (const line of locks.split('\n')) {
    const m = /^\d+:\s+FLOCK\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (m === null) continue;
    if (Number.parseInt(m[2]!, 16) !== major || Number.parseInt(m[3]!, 16) !== minor) continue;
    if (Number(m[4]) !== ino) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || holders.some((h) => h.pid === pid)) continue;
    holders.push({ pid, command: commandOf(pid) });
  }
  return holders;
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}
