// Compiled from src/learning/lerobot.ts by `npm run build`: edit the source, not this file.

// src/learning/lerobot.ts
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  boolColumn,
  booleans,
  float32Column,
  float32VectorColumn,
  fromParquet,
  int64Column,
  numberListColumn,
  numbers,
  stringColumn,
  stringListColumn,
  toParquet,
  vectors
} from "./parquet.js";
var LEROBOT_CODEBASE_VERSION = "v3.0";
var CHUNKS_SIZE = 1e3;
var DATA_FILES_SIZE_IN_MB = 100;
var VIDEO_FILES_SIZE_IN_MB = 500;
var DATA_PATH = "data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet";
var INFO = "meta/info.json";
var STATS = "meta/stats.json";
var TASKS = "meta/tasks.parquet";
var EPISODES_DIR = "meta/episodes";
var TETHER = "meta/tether.json";
var TETHER_FORMAT = "tether.lerobot/1";
var STATE = "observation.state";
var ACTION = "action";
var NEXT_STATE = "next.observation.state";
var REWARD = "next.reward";
var DONE = "next.done";
var LeRobotError = class extends Error {
  name = "LeRobotError";
};
function featureStats(values, width, from = 0, to) {
  const end = to ?? values.length / width;
  const n = end - from;
  const mean = new Array(width).fill(0);
  const min = new Array(width).fill(Number.POSITIVE_INFINITY);
  const max = new Array(width).fill(Number.NEGATIVE_INFINITY);
  for (let r = from; r < end; r++)
    for (let k = 0; k < width; k++) {
      const v = values[r * width + k];
      mean[k] += v;
      if (v < min[k]) min[k] = v;
      if (v > max[k]) max[k] = v;
    }
  for (let k = 0; k < width; k++) mean[k] /= n;
  const variance = new Array(width).fill(0);
  for (let r = from; r < end; r++)
    for (let k = 0; k < width; k++) variance[k] += (values[r * width + k] - mean[k]) ** 2;
  return { mean, std: variance.map((v) => Math.sqrt(v / n)), min, max, count: [n] };
}
function chunkFile(template, chunk, file) {
  const pad = (n) => String(n).padStart(3, "0");
  return template.replace("{chunk_index:03d}", pad(chunk)).replace("{file_index:03d}", pad(file));
}
function huggingFaceFeatures(features) {
  const out = {};
  for (const [key, f] of Object.entries(features)) {
    const value = { dtype: f.dtype, _type: "Value" };
    out[key] = f.shape[0] === 1 ? value : { feature: value, length: f.shape[0], _type: "Sequence" };
  }
  return JSON.stringify({ info: { features: out } });
}
var TASKS_PANDAS_METADATA = JSON.stringify({
  index_columns: ["task"],
  column_indexes: [
    {
      name: null,
      field_name: null,
      pandas_type: "unicode",
      numpy_type: "object",
      metadata: { encoding: "UTF-8" }
    }
  ],
  columns: [
    {
      name: "task_index",
      field_name: "task_index",
      pandas_type: "int64",
      numpy_type: "int64",
      metadata: null
    },
    { name: "task", field_name: "task", pandas_type: "unicode", numpy_type: "object", metadata: null }
  ],
  creator: { library: "tether", version: "1" },
  pandas_version: "2.2.3"
});
async function writeLeRobotDataset(dir, dataset, task, options = {}) {
  const O = dataset.obsSize;
  const A = dataset.actSize;
  if (task.observation.length !== O || task.actionMap.length !== A)
    throw new LeRobotError(
      `the dataset has observations of size ${O} and actions of size ${A}, the task ${task.name} ${task.observation.length} and ${task.actionMap.length}`
    );
  const fps = Math.round(task.rateHz);
  if (Math.abs(fps - task.rateHz) > 1e-9 * task.rateHz)
    throw new LeRobotError(
      `the task ${task.name} runs at ${task.rateHz} Hz; LeRobot's info.json keeps a whole number of frames per second`
    );
  if (existsSync(dir) && (await readdir(dir)).length > 0)
    throw new LeRobotError(`${dir}: not empty; export into a new folder (nothing is overwritten)`);
  const rowsOf = dataset.episodes.map(() => []);
  for (let r = 0; r < dataset.size; r++) rowsOf[dataset.episode[r]].push(r);
  const empty = rowsOf.findIndex((rows) => rows.length === 0);
  if (empty >= 0)
    throw new LeRobotError(
      `episode ${dataset.episodes[empty].id} has no transitions; LeRobot has no empty episodes`
    );
  const N = dataset.size;
  const state = new Float32Array(N * O);
  const nextState = new Float32Array(N * O);
  const action = new Float32Array(N * A);
  const reward = new Float32Array(N);
  const done = new Array(N);
  const timestamp = new Float32Array(N);
  const frameIndex = new Float64Array(N);
  const episodeIndex = new Float64Array(N);
  const index = new Float64Array(N);
  const from = [];
  let f = 0;
  rowsOf.forEach((rows, k) => {
    from.push(f);
    rows.forEach((r, i) => {
      state.set(dataset.obs.subarray(r * O, (r + 1) * O), f * O);
      nextState.set(dataset.nextObs.subarray(r * O, (r + 1) * O), f * O);
      for (let j = 0; j < A; j++) {
        const map = task.actionMap[j];
        action[f * A + j] = map.scale * dataset.act[r * A + j] + map.offset;
      }
      reward[f] = dataset.reward[r];
      done[f] = dataset.terminated[r] !== 0;
      timestamp[f] = i / fps;
      frameIndex[f] = i;
      episodeIndex[f] = k;
      index[f] = f;
      f++;
    });
  });
  from.push(N);
  const vector = (names) => ({
    dtype: "float32",
    shape: [names.length],
    names,
    fps
  });
  const scalar = (dtype) => ({ dtype, shape: [1], names: null, fps });
  const features = {
    [STATE]: vector(task.observation),
    [ACTION]: vector(task.actionMap.map((a) => a.name)),
    [NEXT_STATE]: vector(task.observation),
    [REWARD]: scalar("float32"),
    [DONE]: scalar("bool"),
    timestamp: scalar("float32"),
    frame_index: scalar("int64"),
    episode_index: scalar("int64"),
    index: scalar("int64"),
    task_index: scalar("int64")
  };
  const doneNumbers = Float64Array.from(done, Number);
  const numeric = {
    [STATE]: { values: state, width: O },
    [ACTION]: { values: action, width: A },
    [NEXT_STATE]: { values: nextState, width: O },
    [REWARD]: { values: reward, width: 1 },
    [DONE]: { values: doneNumbers, width: 1 },
    timestamp: { values: timestamp, width: 1 },
    frame_index: { values: frameIndex, width: 1 },
    episode_index: { values: episodeIndex, width: 1 },
    index: { values: index, width: 1 },
    task_index: { values: new Float64Array(N), width: 1 }
  };
  const limit = (options.dataFileSizeInMb ?? DATA_FILES_SIZE_IN_MB) * 1024 * 1024;
  const frameBytes = 4 * (2 * O + A) + 4 + 4 + 1 + 4 * 8;
  const placement = [];
  const fileRanges = [];
  let chunk = 0;
  let file = 0;
  for (let k = 0; k < rowsOf.length; k++) {
    let current = fileRanges.at(-1);
    const bytes = (from[k + 1] - from[k]) * frameBytes;
    if (current && (current.to - current.from) * frameBytes + bytes > limit) {
      if (file === CHUNKS_SIZE - 1) {
        chunk++;
        file = 0;
      } else file++;
      current = void 0;
    }
    if (!current) {
      current = { chunk, file, from: from[k], to: from[k] };
      fileRanges.push(current);
    }
    current.to = from[k + 1];
    placement.push({ chunk, file });
  }
  const written = [];
  const put = async (relative, bytes) => {
    const target = path.join(dir, relative);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
    written.push(relative);
  };
  const hfMetadata = /* @__PURE__ */ new Map([["huggingface", huggingFaceFeatures(features)]]);
  for (const range of fileRanges) {
    const { from: a, to: b } = range;
    const columns = [
      float32VectorColumn(STATE, state.slice(a * O, b * O), O),
      float32VectorColumn(ACTION, action.slice(a * A, b * A), A),
      float32VectorColumn(NEXT_STATE, nextState.slice(a * O, b * O), O),
      float32Column(REWARD, reward.slice(a, b)),
      boolColumn(DONE, done.slice(a, b)),
      float32Column("timestamp", timestamp.slice(a, b)),
      int64Column("frame_index", frameIndex.subarray(a, b)),
      int64Column("episode_index", episodeIndex.subarray(a, b)),
      int64Column("index", index.subarray(a, b)),
      int64Column("task_index", new Float64Array(b - a))
    ];
    await put(chunkFile(DATA_PATH, range.chunk, range.file), toParquet(columns, hfMetadata));
  }
  const stats = {};
  for (const [key, { values, width }] of Object.entries(numeric)) stats[key] = featureStats(values, width);
  const E = rowsOf.length;
  const episodeColumns = [
    int64Column(
      "episode_index",
      rowsOf.map((_, k) => k)
    ),
    stringListColumn(
      "tasks",
      rowsOf.map(() => [task.name])
    ),
    int64Column(
      "length",
      rowsOf.map((rows) => rows.length)
    ),
    int64Column(
      "data/chunk_index",
      placement.map((p) => p.chunk)
    ),
    int64Column(
      "data/file_index",
      placement.map((p) => p.file)
    ),
    int64Column("dataset_from_index", from.slice(0, E)),
    int64Column("dataset_to_index", from.slice(1)),
    int64Column("meta/episodes/chunk_index", new Float64Array(E)),
    int64Column("meta/episodes/file_index", new Float64Array(E))
  ];
  for (const [key, { values, width }] of Object.entries(numeric)) {
    const perEpisode = rowsOf.map((_, k) => featureStats(values, width, from[k], from[k + 1]));
    for (const stat of ["min", "max", "mean", "std", "count"])
      episodeColumns.push(
        numberListColumn(
          `stats/${key}/${stat}`,
          perEpisode.map((s) => s[stat]),
          stat === "count"
        )
      );
  }
  await put(`${EPISODES_DIR}/chunk-000/file-000.parquet`, toParquet(episodeColumns, /* @__PURE__ */ new Map()));
  await put(
    TASKS,
    toParquet(
      [int64Column("task_index", [0]), stringColumn("task", [task.name])],
      /* @__PURE__ */ new Map([["pandas", TASKS_PANDAS_METADATA]])
    )
  );
  const info = {
    codebase_version: LEROBOT_CODEBASE_VERSION,
    robot_type: dataset.episodes.find((e) => e.robot !== void 0)?.robot ?? null,
    total_episodes: E,
    total_frames: N,
    total_tasks: 1,
    chunks_size: CHUNKS_SIZE,
    data_files_size_in_mb: options.dataFileSizeInMb ?? DATA_FILES_SIZE_IN_MB,
    video_files_size_in_mb: VIDEO_FILES_SIZE_IN_MB,
    fps,
    splits: { train: `0:${E}` },
    data_path: DATA_PATH,
    video_path: null,
    features
  };
  await put(INFO, `${JSON.stringify(info, null, 4)}
`);
  await put(STATS, `${JSON.stringify(stats, null, 4)}
`);
  await put(
    TETHER,
    `${JSON.stringify(
      {
        format: TETHER_FORMAT,
        task: task.spec ?? task.name,
        ...options.taskBaseDir === void 0 ? {} : { taskBaseDir: options.taskBaseDir },
        actionMap: task.actionMap,
        meta: dataset.meta ?? {},
        report: dataset.report,
        episodes: dataset.episodes
      },
      null,
      2
    )}
`
  );
  return { dir, frames: N, episodes: E, fps, files: written };
}
async function readJson(file, what) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new LeRobotError(`${file}: not found; ${what}`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new Error("expected a JSON object");
    return value;
  } catch (error) {
    throw new LeRobotError(`${file}: ${error.message}`);
  }
}
async function recordedLeRobotTask(dir) {
  const file = path.join(dir, TETHER);
  if (!existsSync(file)) return void 0;
  const tether = await readJson(file, "Tether writes it on export");
  if (tether["format"] !== TETHER_FORMAT) return void 0;
  return { section: tether["task"], baseDir: tether["taskBaseDir"] };
}
async function chunkFiles(root) {
  if (!existsSync(root)) return [];
  const out = [];
  for (const chunk of (await readdir(root)).filter((c) => /^chunk-\d+$/.test(c)).sort())
    for (const file of (await readdir(path.join(root, chunk))).filter((f) => /^file-\d+\.parquet$/.test(f)).sort())
      out.push(path.join(root, chunk, file));
  return out;
}
async function readTable(file) {
  try {
    return fromParquet(new Uint8Array(await readFile(file)));
  } catch (error) {
    throw new LeRobotError(`${file}: not a readable Parquet file (${error.message})`);
  }
}
function featureNames(feature) {
  const names = feature["names"];
  if (Array.isArray(names)) return names.map(String);
  if (typeof names === "object" && names !== null) {
    const lists = Object.values(names).filter(Array.isArray);
    if (lists.length === 1) return lists[0].map(String);
  }
  return void 0;
}
async function readLeRobotDataset(dir, task) {
  const infoFile = path.join(dir, INFO);
  const info = await readJson(infoFile, `a LeRobot v3 dataset has ${INFO} (is ${dir} the dataset's root?)`);
  const version = info["codebase_version"];
  if (typeof version !== "string" || !/^v3\./.test(version))
    throw new LeRobotError(
      `${infoFile}: codebase_version: expected "${LEROBOT_CODEBASE_VERSION}", got ${JSON.stringify(version)} (convert older datasets with LeRobot's v2.1 → v3.0 converter)`
    );
  const fps = info["fps"];
  if (typeof fps !== "number" || !(fps > 0))
    throw new LeRobotError(`${infoFile}: fps: expected a positive number, got ${JSON.stringify(fps)}`);
  if (Math.abs(fps - task.rateHz) > 1e-6 * task.rateHz)
    throw new LeRobotError(`${infoFile}: fps: ${fps}, but the task ${task.name} runs at ${task.rateHz} Hz`);
  const features = info["features"];
  if (typeof features !== "object" || features === null)
    throw new LeRobotError(`${infoFile}: features: expected an object of feature declarations`);
  const declared = features;
  const O = task.observation.length;
  const A = task.actionMap.length;
  const checkVector = (key, names, what) => {
    const feature = declared[key];
    if (feature === void 0)
      throw new LeRobotError(
        `${infoFile}: features.${key}: missing; the task ${task.name} needs ${what} [${names.join(", ")}] there`
      );
    const shape = feature["shape"];
    if (!Array.isArray(shape) || shape.length !== 1 || shape[0] !== names.length)
      throw new LeRobotError(
        `${infoFile}: features.${key}.shape: expected [${names.length}] (${what} [${names.join(", ")}] of ${task.name}), got ${JSON.stringify(shape)}`
      );
    if (!["float32", "float64"].includes(String(feature["dtype"])))
      throw new LeRobotError(
        `${infoFile}: features.${key}.dtype: expected float32 or float64, got ${JSON.stringify(feature["dtype"])}`
      );
    const declaredNames = featureNames(feature);
    if (declaredNames !== void 0 && declaredNames.join("\0") !== names.join("\0"))
      throw new LeRobotError(
        `${infoFile}: features.${key}.names: [${declaredNames.join(", ")}], but ${task.name} has ${what} [${names.join(", ")}]: this dataset is not a recording of the task`
      );
  };
  checkVector(STATE, task.observation, "the observations");
  checkVector(
    ACTION,
    task.actionMap.map((a) => a.name),
    "the action signals"
  );
  const hasNext = declared[NEXT_STATE] !== void 0;
  if (hasNext) checkVector(NEXT_STATE, task.observation, "the observations");
  const hasReward = declared[REWARD] !== void 0;
  const hasDone = declared[DONE] !== void 0;
  const episodeFiles = await chunkFiles(path.join(dir, EPISODES_DIR));
  if (episodeFiles.length === 0)
    throw new LeRobotError(
      `${path.join(dir, EPISODES_DIR)}: no chunk-*/file-*.parquet; a LeRobot v3 dataset lists its episodes there`
    );
  const dataFiles = await chunkFiles(path.join(dir, "data"));
  if (dataFiles.length === 0)
    throw new LeRobotError(
      `${path.join(dir, "data")}: no chunk-*/file-*.parquet (info.json's data_path is ${JSON.stringify(info["data_path"])})`
    );
  const declaredLength = /* @__PURE__ */ new Map();
  for (const file of episodeFiles) {
    const table = await readTable(file);
    const column = (name) => {
      const vector = table.getChild(name);
      if (vector === null) throw new LeRobotError(`${file}: no column '${name}'`);
      const values = numbers(vector);
      if (typeof values === "string") throw new LeRobotError(`${file}: column '${name}': ${values}`);
      return values;
    };
    const episodeIndex = column("episode_index");
    const length = column("length");
    for (let i = 0; i < episodeIndex.length; i++)
      declaredLength.set(episodeIndex[i], { length: length[i], file });
  }
  const parts = [];
  for (const file of dataFiles) {
    const table = await readTable(file);
    const get = (name, read) => {
      const vector = table.getChild(name);
      if (vector === null) throw new LeRobotError(`${file}: no column '${name}' (info.json declares it)`);
      const values = read(vector);
      if (typeof values === "string") throw new LeRobotError(`${file}: column '${name}': ${values}`);
      return values;
    };
    const part = {
      state: get(STATE, (v) => vectors(v, O)),
      action: get(ACTION, (v) => vectors(v, A)),
      episode: get("episode_index", numbers),
      frame: get("frame_index", numbers),
      file,
      ...hasNext ? { next: get(NEXT_STATE, (v) => vectors(v, O)) } : {},
      ...hasReward ? { reward: get(REWARD, numbers) } : {},
      ...hasDone ? { done: get(DONE, (v) => String(v.type) === "Bool" ? booleans(v) : numbers(v)) } : {}
    };
    for (const [key, values] of [
      [STATE, part.state],
      [ACTION, part.action],
      [NEXT_STATE, part.next],
      [REWARD, part.reward]
    ]) {
      const bad = values?.findIndex((v) => !Number.isFinite(v)) ?? -1;
      if (bad >= 0)
        throw new LeRobotError(
          `${file}: column '${key}': row ${Math.floor(bad / (values.length / part.episode.length))} holds a non-finite value`
        );
    }
    parts.push(part);
  }
  const obs = [];
  const act = [];
  const rewards = [];
  const nextObs = [];
  const terminated = [];
  const episodeOf = [];
  const built = [];
  const seen = /* @__PURE__ */ new Set();
  const command = new Float64Array(A);
  let frames = 0;
  let droppedLastFrames = 0;
  let droppedEpisodes = 0;
  let open;
  let openFile = "";
  const closeEpisode = () => {
    if (!open) return;
    const declaredEpisode = declaredLength.get(open.index);
    if (declaredEpisode === void 0)
      throw new LeRobotError(
        `${openFile}: episode ${open.index} is not listed in ${path.join(dir, EPISODES_DIR)}`
      );
    if (declaredEpisode.length !== open.frames)
      throw new LeRobotError(
        `${declaredEpisode.file}: episode ${open.index}: length ${declaredEpisode.length}, but the data holds ${open.frames} frames`
      );
    if (open.transitions === 0) droppedEpisodes++;
    else built.push(open);
    open = void 0;
  };
  for (const part of parts) {
    const rows = part.episode.length;
    for (let i = 0; i < rows; i++) {
      frames++;
      const e = part.episode[i];
      if (open === void 0 || open.index !== e) {
        closeEpisode();
        if (seen.has(e))
          throw new LeRobotError(
            `${part.file}: episode ${e} resumes at row ${i} after another episode; its frames must be contiguous`
          );
        seen.add(e);
        open = {
          index: e,
          frames: 0,
          transitions: 0,
          first: part.frame[i],
          last: part.frame[i],
          return: 0,
          terminated: false
        };
        openFile = part.file;
      } else if (part.frame[i] !== open.last + 1)
        throw new LeRobotError(
          `${part.file}: episode ${e}: frame_index goes from ${open.last} to ${part.frame[i]} at row ${i}; frames must be consecutive`
        );
      open.frames++;
      open.last = part.frame[i];
      const s = part.state.subarray(i * O, (i + 1) * O);
      let next;
      if (part.next) next = part.next.subarray(i * O, (i + 1) * O);
      else if (i + 1 < rows && part.episode[i + 1] === e)
        next = part.state.subarray((i + 1) * O, (i + 2) * O);
      else {
        droppedLastFrames++;
        continue;
      }
      command.set(part.action.subarray(i * A, (i + 1) * A));
      const r = part.reward ? part.reward[i] : task.reward(s, command, next);
      const isTerminal = part.done ? part.done[i] !== 0 : task.terminated?.(next) ?? false;
      for (let k = 0; k < O; k++) obs.push(s[k]);
      for (let k = 0; k < O; k++) nextObs.push(next[k]);
      for (let k = 0; k < A; k++) {
        const map = task.actionMap[k];
        act.push((command[k] - map.offset) / map.scale);
      }
      rewards.push(r);
      terminated.push(isTerminal ? 1 : 0);
      episodeOf.push(built.length);
      open.transitions++;
      open.return += r;
      open.terminated = isTerminal;
    }
  }
  closeEpisode();
  const missing = [...declaredLength.keys()].filter((e) => !seen.has(e));
  if (missing.length > 0)
    throw new LeRobotError(
      `${declaredLength.get(missing[0]).file}: episodes ${missing.slice(0, 5).join(", ")} are listed but have no frames in ${path.join(dir, "data")}`
    );
  if (rewards.length === 0)
    throw new LeRobotError(
      `${dir}: no transitions (${frames} frames, each episode's last one has no successor)`
    );
  const tetherFile = path.join(dir, TETHER);
  const tether = existsSync(tetherFile) ? await readJson(tetherFile, "Tether writes it on export") : void 0;
  const recorded = tether?.["format"] === TETHER_FORMAT ? tether["episodes"] : void 0;
  const provenance = Array.isArray(recorded) && recorded.length === built.length && recorded.every((rec, k) => rec.transitions === built[k].transitions);
  const source = { format: "lerobot", codebase_version: version, dir };
  let episodes;
  let report;
  if (provenance) {
    episodes = recorded;
    report = tether["report"];
  } else {
    const robot = typeof info["robot_type"] === "string" ? info["robot_type"] : void 0;
    const base = path.basename(path.resolve(dir));
    episodes = built.map((b) => ({
      id: `${base}#${b.index}`,
      log: dir,
      run: void 0,
      robot,
      controllers: [],
      hashes: [],
      firstTick: b.first,
      lastTick: b.last,
      transitions: b.transitions,
      return: b.return,
      start: "log-start",
      end: b.terminated ? "terminated" : "end-of-log"
    }));
    const ends = { terminated: 0, latched: 0, "tick-gap": 0, horizon: 0, "end-of-log": 0, "non-finite": 0 };
    for (const e of episodes) ends[e.end]++;
    const log = {
      log: dir,
      ticks: frames,
      transitions: rewards.length,
      episodes: episodes.length,
      latchedTicks: 0,
      nonFiniteTicks: 0,
      afterTerminalTicks: 0,
      missingTicks: 0,
      gaps: 0,
      shortEpisodes: droppedEpisodes,
      shortEpisodeTransitions: 0,
      truncatedFile: false
    };
    report = {
      task: task.name,
      logs: [log],
      ticks: frames,
      transitions: rewards.length,
      episodes: episodes.length,
      ends,
      dropped: {
        latchedTicks: 0,
        nonFiniteTicks: 0,
        afterTerminalTicks: 0,
        missingTicks: 0,
        shortEpisodes: droppedEpisodes
      }
    };
  }
  const recordedMeta = provenance ? tether["meta"] ?? {} : {};
  const dataset = {
    size: rewards.length,
    obsSize: O,
    actSize: A,
    obs: Float64Array.from(obs),
    act: Float64Array.from(act),
    reward: Float64Array.from(rewards),
    nextObs: Float64Array.from(nextObs),
    terminated: Float64Array.from(terminated),
    episode: Int32Array.from(episodeOf),
    episodes,
    report,
    meta: {
      task: task.spec ?? task.name,
      actions: "learner units (the task action map inverted)",
      ...recordedMeta,
      source
    }
  };
  return {
    dataset,
    summary: {
      frames,
      transitions: rewards.length,
      episodes: episodes.length,
      dataFiles: dataFiles.length,
      reward: hasReward ? "next.reward" : "the task reward",
      terminal: hasDone ? "next.done" : task.terminated ? "the task terminal condition" : "none",
      nextObservation: hasNext ? "next.observation.state" : "the next frame",
      droppedLastFrames,
      droppedEpisodes,
      provenance
    }
  };
}
export {
  LEROBOT_CODEBASE_VERSION,
  LeRobotError,
  featureStats,
  readLeRobotDataset,
  recordedLeRobotTask,
  writeLeRobotDataset
};
