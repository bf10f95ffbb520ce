// Compiled from hardware/link/port-holder.ts by `npm run build`: edit the source, not this file.

// hardware/link/port-holder.ts
import { readFileSync, statSync } from "node:fs";
function portLockHolders(path) {
  let locks;
  let dev;
  let ino;
  try {
    locks = readFileSync("/proc/locks", "utf8");
    const stats = statSync(path);
    dev = stats.dev;
    ino = stats.ino;
  } catch {
    return [];
  }
  const major = dev >>> 8 & 4095 | Math.floor(dev / 2 ** 32) * 4096;
  const minor = dev & 255 | dev >>> 12 & 1048320;
  const holders = [];
  for (const line of locks.split("\n")) {
    const m = /^\d+:\s+FLOCK\s+\S+\s+\S+\s+(\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s/.exec(line);
    if (m === null) continue;
    if (Number.parseInt(m[2], 16) !== major || Number.parseInt(m[3], 16) !== minor) continue;
    if (Number(m[4]) !== ino) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || holders.some((h) => h.pid === pid)) continue;
    holders.push({ pid, command: commandOf(pid) });
  }
  return holders;
}
function commandOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}
export {
  portLockHolders
};
