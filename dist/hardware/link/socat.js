// Compiled from hardware/link/socat.ts by `npm run build`: edit the source, not this file.

// hardware/link/socat.ts
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
async function startPtyPair(base, socatBinary = "socat") {
  mkdirSync(dirname(base), { recursive: true });
  await stopStaleSocat(base);
  const rigPath = `${base}.rig`;
  const hostPath = `${base}.host`;
  const child = spawn(socatBinary, [`pty,raw,echo=0,link=${rigPath}`, `pty,raw,echo=0,link=${hostPath}`], {
    stdio: ["ignore", "ignore", "pipe"]
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk.toString();
  });
  const started = await new Promise((resolve) => {
    child.once(
      "error",
      (error) => resolve(
        error.code === "ENOENT" ? `'${socatBinary}' not found; install socat (e.g. apt-get install socat)` : error.message
      )
    );
    child.once("exit", (code) => resolve(`socat exited with code ${code}: ${stderr.trim()}`));
    const deadline = Date.now() + 5e3;
    const poll = () => {
      if (existsSync(rigPath) && existsSync(hostPath)) resolve(void 0);
      else if (Date.now() > deadline) resolve(`socat did not create ${rigPath} and ${hostPath} within 5 s`);
      else setTimeout(poll, 10);
    };
    poll();
  });
  if (started !== void 0 || child.pid === void 0) {
    child.kill();
    throw new Error(`cannot create a pty pair at ${base}: ${started ?? "no pid"}`);
  }
  const pid = child.pid;
  writeFileSync(`${base}.socat.pid`, String(pid));
  return {
    rigPath,
    hostPath,
    pid,
    close: () => stopSocat(child, base)
  };
}
function stopSocat(child, base) {
  return new Promise((resolve) => {
    rmSync(`${base}.socat.pid`, { force: true });
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
async function stopStaleSocat(base) {
  const pidFile = `${base}.socat.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8"));
  rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    const isSocat = command.startsWith("socat\0") || command.includes("/socat\0");
    if (!isSocat || !command.includes(base)) return;
    process.kill(pid, "SIGTERM");
  } catch {
    return;
  }
  const deadline = Date.now() + 3e3;
  while (isRunning(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
function isRunning(pid) {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, "utf8"));
  } catch {
    return false;
  }
}
export {
  startPtyPair
};
