// Compiled from src/learning/log-dataset.ts by `npm run build`: edit the source, not this file.

// src/learning/log-dataset.ts
import { readFile, writeFile } from "node:fs/promises";
import { SafetyFlag } from "../safety/types.js";
import { COLUMNAR_FORMAT, parseColumnar } from "./dataset.js";
var DatasetError = class extends Error {
  name = "DatasetError";
};
var latchFlags = SafetyFlag.estop | SafetyFlag.fault;
function controllerVersions(log) {
  const names = [...log.controllers];
  const hashes = /* @__PURE__ */ new Map();
  for (const e of log.events) {
    const d = e.data;
    if (d === void 0) continue;
    if (typeof d["installed"] === "string" && typeof d["index"] === "number") {
      names[d["index"]] = d["installed"];
    }
    const named = typeof d["installed"] === "string" ? d["installed"] : d["controller"];
    if (typeof named === "string" && typeof d["hash"] === "string") hashes.set(named, d["hash"]);
  }
  return { names, hashes };
}
function checkLogAgainstTask(log, task) {
  const robot = log.robot;
  if (robot === void 0)
    throw new DatasetError(
      `${log.path}: the log names no robot (no metadata), so it cannot be checked against ${task.name}`
    );
  const observed = robot.observation.signals.map((s) => s.name);
  const problems = [];
  if (observed.join(",") !== task.observation.join(","))
    problems.push(`observations [${observed.join(", ")}], the task expects [${task.observation.join(", ")}]`);
  const actions = robot.action.signals;
  const expected = task.actionMap.map((a) => a.name);
  if (actions.map((s) => s.name).join(",") !== expected.join(","))
    problems.push(
      `actions [${actions.map((s) => s.name).join(", ")}], the task expects [${expected.join(", ")}]`
    );
  else
    actions.forEach((s, i) => {
      const unit = task.actionMap[i].unit;
      if (s.unit !== unit)
        problems.push(`action '${s.name}' in ${s.unit}, the task's action map is in ${unit}`);
    });
  if (log.rateHz !== void 0 && Math.abs(log.rateHz - task.rateHz) > 1e-6 * task.rateHz)
    problems.push(`a control rate of ${log.rateHz} Hz, the task runs at ${task.rateHz} Hz`);
  if (problems.length > 0)
    throw new DatasetError(
      `${log.path}: robot '${robot.name}' recorded ${problems.join("; ")}: this log is not a recording of ${task.name}`
    );
}
function finiteRow(values, row, width) {
  for (let i = row * width; i < (row + 1) * width; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}
function buildLogDataset(logs, task, options = {}) {
  if (logs.length === 0) throw new DatasetError("no logs given: a dataset needs at least one run log");
  const minTransitions = Math.max(1, options.minTransitions ?? 1);
  const O = task.observation.length;
  const A = task.actionMap.length;
  const obs = [];
  const act = [];
  const reward = [];
  const nextObs = [];
  const terminated = [];
  const episodeOf = [];
  const episodes = [];
  const reports = [];
  const fileNames = /* @__PURE__ */ new Set();
  for (const log of logs) {
    checkLogAgainstTask(log, task);
    const t = log.ticks;
    const base = log.path.split("/").at(-1) ?? log.path;
    let name = base;
    for (let k = 2; fileNames.has(name); k++) name = `${base}(${k})`;
    fileNames.add(name);
    const { names, hashes } = controllerVersions(log);
    let latchedTicks = 0;
    let nonFiniteTicks = 0;
    let afterTerminalTicks = 0;
    let missingTicks = 0;
    let gaps = 0;
    let shortEpisodes = 0;
    let shortEpisodeTransitions = 0;
    let logTransitions = 0;
    let logEpisodes = 0;
    let openAt = -1;
    let openStart = "log-start";
    let nextStart = "log-start";
    let openFirstTick = 0;
    let openReturn = 0;
    let openControllers = [];
    let skippingAfterTerminal = false;
    const close = (end, lastTick) => {
      if (openAt < 0) return;
      const rows = reward.length - openAt;
      if (rows < minTransitions) {
        shortEpisodes++;
        shortEpisodeTransitions += rows;
        for (const column of [obs, nextObs]) column.length = openAt * O;
        act.length = openAt * A;
        reward.length = openAt;
        terminated.length = openAt;
        episodeOf.length = openAt;
      } else {
        episodes.push({
          id: `${name}#${logEpisodes}`,
          log: log.path,
          run: log.startedAt,
          robot: log.robot?.name,
          controllers: openControllers,
          hashes: openControllers.map((c) => hashes.get(c)).filter((h) => h !== void 0),
          firstTick: openFirstTick,
          lastTick,
          transitions: rows,
          return: openReturn,
          start: openStart,
          end
        });
        logEpisodes++;
        logTransitions += rows;
      }
      openAt = -1;
    };
    const scratchCommand = new Float64Array(A);
    for (let i = 0; i < t.count; i++) {
      const latched = (t.safetyFlags[i] & latchFlags) !== 0;
      if (latched) {
        latchedTicks++;
        skippingAfterTerminal = false;
        nextStart = "after-latch";
        continue;
      }
      if (skippingAfterTerminal) {
        afterTerminalTicks++;
        if (i + 1 < t.count && t.tick[i + 1] !== t.tick[i] + 1) {
          skippingAfterTerminal = false;
          missingTicks += t.tick[i + 1] - t.tick[i] - 1;
          gaps++;
          nextStart = "after-gap";
        }
        continue;
      }
      if (!finiteRow(t.observation, i, O) || !finiteRow(t.command, i, A)) {
        nonFiniteTicks++;
        close("non-finite", t.tick[i]);
        nextStart = "after-drop";
        continue;
      }
      if (i + 1 >= t.count) {
        close("end-of-log", t.tick[i]);
        continue;
      }
      if (t.tick[i + 1] !== t.tick[i] + 1) {
        close("tick-gap", t.tick[i]);
        missingTicks += Math.max(0, t.tick[i + 1] - t.tick[i] - 1);
        gaps++;
        nextStart = "after-gap";
        continue;
      }
      if (!finiteRow(t.observation, i + 1, O)) {
        close("non-finite", t.tick[i]);
        nextStart = "after-drop";
        continue;
      }
      if (openAt < 0) {
        openAt = reward.length;
        openStart = nextStart;
        openFirstTick = t.tick[i];
        openReturn = 0;
        openControllers = [];
      }
      const controller = names[t.controller[i]] ?? `#${t.controller[i]}`;
      if (!openControllers.includes(controller)) openControllers.push(controller);
      const s = t.observation.subarray(i * O, (i + 1) * O);
      const next = t.observation.subarray((i + 1) * O, (i + 2) * O);
      scratchCommand.set(t.command.subarray(i * A, (i + 1) * A));
      const r = task.reward(s, scratchCommand, next);
      const nextLatched = (t.safetyFlags[i + 1] & latchFlags) !== 0;
      const isTerminal = task.terminated ? task.terminated(next) : nextLatched;
      for (let k = 0; k < O; k++) obs.push(s[k]);
      for (let k = 0; k < O; k++) nextObs.push(next[k]);
      for (let k = 0; k < A; k++) {
        const map = task.actionMap[k];
        act.push((scratchCommand[k] - map.offset) / map.scale);
      }
      reward.push(r);
      terminated.push(isTerminal ? 1 : 0);
      episodeOf.push(episodes.length);
      openReturn += r;
      const rows = reward.length - openAt;
      if (isTerminal) {
        close("terminated", t.tick[i]);
        if (!nextLatched) skippingAfterTerminal = true;
        nextStart = "after-latch";
      } else if (nextLatched) {
        close("latched", t.tick[i]);
      } else if (task.horizon !== void 0 && rows >= task.horizon) {
        close("horizon", t.tick[i]);
        nextStart = "after-horizon";
      }
    }
    close("end-of-log", t.count > 0 ? t.tick[t.count - 1] : 0);
    reports.push({
      log: log.path,
      ticks: t.count,
      transitions: logTransitions,
      episodes: logEpisodes,
      latchedTicks,
      nonFiniteTicks,
      afterTerminalTicks,
      missingTicks,
      gaps,
      shortEpisodes,
      shortEpisodeTransitions,
      truncatedFile: log.truncated
    });
  }
  const size = reward.length;
  const ends = { terminated: 0, latched: 0, "tick-gap": 0, horizon: 0, "end-of-log": 0, "non-finite": 0 };
  for (const e of episodes) ends[e.end]++;
  const sum = (pick) => reports.reduce((n, r) => n + pick(r), 0);
  const report = {
    task: task.name,
    logs: reports,
    ticks: sum((r) => r.ticks),
    transitions: size,
    episodes: episodes.length,
    ends,
    dropped: {
      latchedTicks: sum((r) => r.latchedTicks),
      nonFiniteTicks: sum((r) => r.nonFiniteTicks),
      afterTerminalTicks: sum((r) => r.afterTerminalTicks),
      missingTicks: sum((r) => r.missingTicks),
      shortEpisodes: sum((r) => r.shortEpisodes)
    }
  };
  if (size === 0) {
    const detail = reports.map(
      (r) => `${r.log}: ${r.ticks} ticks, ${r.latchedTicks} latched, ${r.nonFiniteTicks} non-finite, ${r.shortEpisodes} episodes shorter than ${minTransitions}`
    ).join("; ");
    throw new DatasetError(`no episode of ${task.name} in these logs (${detail})`);
  }
  return {
    size,
    obsSize: O,
    actSize: A,
    obs: Float64Array.from(obs),
    act: Float64Array.from(act),
    reward: Float64Array.from(reward),
    nextObs: Float64Array.from(nextObs),
    terminated: Float64Array.from(terminated),
    episode: Int32Array.from(episodeOf),
    episodes,
    report,
    meta: { task: task.spec ?? task.name, actions: "learner units (the task action map inverted)" }
  };
}
var DATASET_KIND = "tether.dataset/1";
async function saveLogDataset(path, dataset) {
  const round = (x) => Array.from(x, (v) => Number(v.toPrecision(9)));
  const body = {
    format: COLUMNAR_FORMAT,
    observationSize: dataset.obsSize,
    actionSize: dataset.actSize,
    size: dataset.size,
    meta: {
      ...dataset.meta,
      kind: DATASET_KIND,
      created: (/* @__PURE__ */ new Date()).toISOString(),
      report: dataset.report,
      episodes: dataset.episodes
    },
    episode: Array.from(dataset.episode),
    observations: round(dataset.obs),
    actions: round(dataset.act),
    rewards: round(dataset.reward),
    nextObservations: round(dataset.nextObs),
    terminated: Array.from(dataset.terminated)
  };
  await writeFile(path, `${JSON.stringify(body)}
`);
}
async function loadLogDataset(path) {
  const raw = JSON.parse(await readFile(path, "utf8"));
  const transitions = parseColumnar(raw, path);
  const meta = transitions.meta ?? {};
  if (meta["kind"] !== DATASET_KIND || !Array.isArray(raw["episode"])) {
    throw new Error(
      `${path}: a transitions file without episodes (meta.kind ${JSON.stringify(meta["kind"])}, expected "${DATASET_KIND}"); build one with tether dataset build`
    );
  }
  const episode = Int32Array.from(raw["episode"]);
  if (episode.length !== transitions.size)
    throw new Error(`${path}: episode has ${episode.length} entries, expected ${transitions.size}`);
  return {
    ...transitions,
    episode,
    episodes: meta["episodes"],
    report: meta["report"]
  };
}
function mergeLogDatasets(parts) {
  const first = parts[0];
  if (first === void 0) throw new Error("mergeLogDatasets needs at least one dataset");
  for (const p of parts) {
    if (p.obsSize !== first.obsSize || p.actSize !== first.actSize)
      throw new DatasetError(
        `datasets of different shapes cannot be merged (${p.obsSize}/${p.actSize} vs ${first.obsSize}/${first.actSize})`
      );
    if (p.report.task !== first.report.task)
      throw new DatasetError(
        `datasets of different tasks cannot be merged ('${p.report.task}' vs '${first.report.task}')`
      );
  }
  const ids = /* @__PURE__ */ new Set();
  const episodes = [];
  const episode = [];
  for (const p of parts) {
    const offset = episodes.length;
    for (const e of p.episodes) {
      if (ids.has(e.id)) throw new DatasetError(`episode ${e.id} appears in two of the datasets merged`);
      ids.add(e.id);
      episodes.push(e);
    }
    for (const k of p.episode) episode.push(k + offset);
  }
  const cat = (pick) => {
    const out = new Float64Array(parts.reduce((n, p) => n + pick(p).length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(pick(p), at);
      at += pick(p).length;
    }
    return out;
  };
  const sumOf = (pick) => parts.reduce((n, p) => n + pick(p.report), 0);
  const ends = { terminated: 0, latched: 0, "tick-gap": 0, horizon: 0, "end-of-log": 0, "non-finite": 0 };
  for (const e of episodes) ends[e.end]++;
  return {
    size: episode.length,
    obsSize: first.obsSize,
    actSize: first.actSize,
    obs: cat((d) => d.obs),
    act: cat((d) => d.act),
    reward: cat((d) => d.reward),
    nextObs: cat((d) => d.nextObs),
    terminated: cat((d) => d.terminated),
    episode: Int32Array.from(episode),
    episodes,
    report: {
      task: first.report.task,
      logs: parts.flatMap((p) => p.report.logs),
      ticks: sumOf((r) => r.ticks),
      transitions: episode.length,
      episodes: episodes.length,
      ends,
      dropped: {
        latchedTicks: sumOf((r) => r.dropped.latchedTicks),
        nonFiniteTicks: sumOf((r) => r.dropped.nonFiniteTicks),
        afterTerminalTicks: sumOf((r) => r.dropped.afterTerminalTicks),
        missingTicks: sumOf((r) => r.dropped.missingTicks),
        shortEpisodes: sumOf((r) => r.dropped.shortEpisodes)
      }
    },
    ...first.meta ? { meta: first.meta } : {}
  };
}
function selectEpisodes(dataset, keep) {
  const chosen = /* @__PURE__ */ new Map();
  for (let i = 0; i < keep.length; i++) chosen.set(keep[i], i);
  const rows = [];
  for (let r = 0; r < dataset.size; r++) if (chosen.has(dataset.episode[r])) rows.push(r);
  const O = dataset.obsSize;
  const A = dataset.actSize;
  const pick = (column, width) => {
    const out = new Float64Array(rows.length * width);
    for (let i = 0; i < rows.length; i++)
      out.set(column.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
    return out;
  };
  const episodes = keep.map((k) => dataset.episodes[k]);
  const ends = { terminated: 0, latched: 0, "tick-gap": 0, horizon: 0, "end-of-log": 0, "non-finite": 0 };
  for (const e of episodes) ends[e.end]++;
  return {
    ...dataset,
    size: rows.length,
    obs: pick(dataset.obs, O),
    act: pick(dataset.act, A),
    reward: pick(dataset.reward, 1),
    nextObs: pick(dataset.nextObs, O),
    terminated: pick(dataset.terminated, 1),
    episode: Int32Array.from(rows, (r) => chosen.get(dataset.episode[r])),
    episodes,
    report: { ...dataset.report, transitions: rows.length, episodes: episodes.length, ends }
  };
}
function splitHeldOut(dataset, fraction) {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`held-out fraction must be in [0, 1), got ${fraction}`);
  const train = [];
  const heldOut = [];
  dataset.episodes.forEach((e, k) => {
    (idFraction(e.id) < fraction ? heldOut : train).push(k);
  });
  if (fraction > 0 && heldOut.length === 0 && train.length > 1) {
    train.sort((a, b) => idFraction(dataset.episodes[a].id) - idFraction(dataset.episodes[b].id));
    heldOut.push(train.shift());
    train.sort((a, b) => a - b);
  }
  return { train: selectEpisodes(dataset, train), heldOut: selectEpisodes(dataset, heldOut) };
}
function idFraction(id) {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 2246822507) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 3266489909) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
export {
  DATASET_KIND,
  DatasetError,
  buildLogDataset,
  checkLogAgainstTask,
  controllerVersions,
  loadLogDataset,
  mergeLogDatasets,
  saveLogDataset,
  selectEpisodes,
  splitHeldOut
};
