// Compiled from src/loop/priority.ts by `npm run build`: edit the source, not this file.

// src/loop/priority.ts
import { getPriority, setPriority } from "node:os";
function requestedNice() {
  const text = process.env["TETHER_LOOP_NICE"];
  if (text === void 0 || text.trim() === "") return -10;
  const nice = Number(text);
  if (!Number.isInteger(nice) || nice < -20 || nice > 19)
    throw new Error(`TETHER_LOOP_NICE: expected an integer from -20 to 19, got '${text}'`);
  return nice;
}
function setThreadNice(nice) {
  const before = getPriority();
  if (nice >= before) return { before, requested: before, refused: void 0 };
  try {
    setPriority(nice);
    return { before, requested: nice, refused: void 0 };
  } catch (error) {
    return { before, requested: nice, refused: error instanceof Error ? error.message : String(error) };
  }
}
function setProcessNice(pid, nice) {
  const before = getPriority(pid);
  if (nice >= before) return { before, requested: before, refused: void 0 };
  try {
    setPriority(pid, nice);
    return { before, requested: nice, refused: void 0 };
  } catch (error) {
    return { before, requested: nice, refused: error instanceof Error ? error.message : String(error) };
  }
}
function describeChange(who, change) {
  if (change.refused !== void 0)
    return `${who} priority: NOT raised, it runs at nice ${change.before} (asked for ${change.requested}: ${change.refused}); raising it needs CAP_SYS_NICE or ulimit -e ≥ ${20 - change.requested}`;
  return change.requested === change.before ? `${who} priority: nice ${change.before}` : `${who} priority: nice ${change.requested} (raised from ${change.before})`;
}
function restoreThreadNice(change) {
  if (change.refused !== void 0 || change.requested === change.before) return;
  try {
    setPriority(change.before);
  } catch {
  }
}
function describePriority(main, clockThread) {
  const refused = main.refused ?? (typeof clockThread === "string" ? clockThread : void 0);
  if (refused === void 0) {
    const changed = main.requested !== main.before ? ` (raised from ${main.before})` : "";
    return `loop priority: nice ${main.requested}${changed}, clock thread nice ${clockThread}`;
  }
  return `loop priority: NOT raised, the loop runs at nice ${main.before} (asked for ${main.requested}: ${refused}); raising it needs CAP_SYS_NICE or ulimit -e ≥ ${20 - main.requested}`;
}
export {
  describeChange,
  describePriority,
  requestedNice,
  restoreThreadNice,
  setProcessNice,
  setThreadNice
};
