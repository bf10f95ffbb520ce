// Compiled from src/loop/background-threads.ts by `npm run build`: edit the source, not this file.

// src/loop/background-threads.ts
import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
function parseSyscall(text) {
  const [call, argument] = text.trim().split(" ");
  if (call === void 0 || argument === void 0 || call === "running" || call === "-1") return "running";
  return { call: Number(call), argument: Number.parseInt(argument, 16) };
}
function findV8Workers(threads, pid, poolSize) {
  const others = threads.filter((t) => t.tid !== pid).sort((a, b) => a.tid - b.tid);
  if (others.length < poolSize + 1)
    return `${others.length} threads besides the main one, fewer than a pool of ${poolSize} needs`;
  const pool = others.slice(1, poolSize + 1);
  const waiting = pool.filter((t) => t.waitingOn !== "running");
  if (waiting.length < 2) return "the workers were running";
  const on = waiting[0].waitingOn;
  if (waiting.some((t) => !sameWait(t.waitingOn, on)))
    return "the threads after the delayed-task thread wait on different things";
  const before = others[0];
  const after = others[poolSize + 1];
  if (sameWait(before.waitingOn, on) || after !== void 0 && sameWait(after.waitingOn, on))
    return `more than ${poolSize} threads wait with the pool (is --v8-pool-size set?)`;
  return pool.map((t) => t.tid);
}
function sameWait(a, b) {
  if (a === "running" || b === "running") return false;
  return a.call === b.call && Math.abs(a.argument - b.argument) <= 8;
}
function v8PoolSize(execArgv, nodeOptions) {
  const flags = [...execArgv, ...nodeOptions?.split(/\s+/) ?? []];
  let size = 4;
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag.startsWith("--v8-pool-size=")) size = Number(flag.slice("--v8-pool-size=".length));
    else if (flag === "--v8-pool-size") size = Number(flags[++i]);
  }
  return size;
}
function snapshot() {
  const threads = [];
  for (const name of readdirSync("/proc/self/task")) {
    try {
      const waitingOn = parseSyscall(readFileSync(`/proc/self/task/${name}/syscall`, "utf8"));
      threads.push({ tid: Number(name), waitingOn });
    } catch {
    }
  }
  return threads;
}
function setIdleClass(tid) {
  return new Promise((resolve) => {
    execFile(
      "chrt",
      ["--idle", "--pid", "0", String(tid)],
      (error) => resolve(error === null ? void 0 : error.message.split("\n")[0])
    );
  });
}
var attempts = 20;
var attemptGapMs = 5;
async function idleV8Workers() {
  const setting = process.env["TETHER_V8_WORKERS"] ?? "normal";
  if (setting === "normal" || setting === "") return void 0;
  if (setting !== "idle")
    return `V8 worker threads: normal priority (TETHER_V8_WORKERS='${setting}' is neither idle nor normal)`;
  if (process.platform !== "linux")
    return `V8 worker threads: normal priority (no SCHED_IDLE on ${process.platform})`;
  const poolSize = v8PoolSize(process.execArgv, process.env["NODE_OPTIONS"]);
  if (!Number.isInteger(poolSize) || poolSize < 1)
    return `V8 worker threads: normal priority (--v8-pool-size ${poolSize}: the pool's size is Node's choice)`;
  let found = "not looked";
  for (let i = 0; i < attempts; i++) {
    try {
      found = findV8Workers(snapshot(), process.pid, poolSize);
    } catch (error) {
      return `V8 worker threads: normal priority (cannot read /proc/self/task: ${error.message})`;
    }
    if (typeof found !== "string") break;
    await new Promise((resolve) => setTimeout(resolve, attemptGapMs));
  }
  if (typeof found === "string") return `V8 worker threads: normal priority (not recognised: ${found})`;
  const refusals = (await Promise.all(found.map(setIdleClass))).filter((r) => r !== void 0);
  if (refusals.length > 0)
    return `V8 worker threads: ${found.length - refusals.length} of ${found.length} moved to SCHED_IDLE, the rest kept normal priority (chrt --idle: ${refusals[0]})`;
  return `V8 worker threads: SCHED_IDLE (${found.length} threads), so they give way at once to the loop and the link`;
}
export {
  findV8Workers,
  idleV8Workers,
  parseSyscall,
  v8PoolSize
};
