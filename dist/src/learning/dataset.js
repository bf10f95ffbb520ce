// Compiled from src/learning/dataset.ts by `npm run build`: edit the source, not this file.

// src/learning/dataset.ts
import { readFile, writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { ReplayBuffer } from "./replay.js";
import { toTransitions } from "./transitions.js";
var COLUMNAR_FORMAT = "tether.transitions/1";
function validateDataset(dataset, expected, source) {
  if (dataset.size === 0) throw new Error(`dataset ${source} is empty: expected at least one transition`);
  if (dataset.obsSize !== expected.obsSize || dataset.actSize !== expected.actSize) {
    throw new Error(
      `dataset ${source} has observations of size ${dataset.obsSize} and actions of size ${dataset.actSize}, but the environment expects ${expected.obsSize} and ${expected.actSize}`
    );
  }
  const columns = [
    ["obs", dataset.obs, dataset.obsSize],
    ["act", dataset.act, dataset.actSize],
    ["reward", dataset.reward, 1],
    ["nextObs", dataset.nextObs, dataset.obsSize],
    ["terminated", dataset.terminated, 1]
  ];
  for (const [name, column, width] of columns) {
    if (column.length !== dataset.size * width) {
      throw new Error(
        `dataset ${source}: column ${name} has ${column.length} values, expected ${dataset.size} × ${width}`
      );
    }
    for (let i = 0; i < column.length; i++) {
      if (!Number.isFinite(column[i])) {
        const row = Math.floor(i / width);
        throw new Error(
          `dataset ${source}: ${name} of transition ${row} is ${column[i]}, expected a finite number`
        );
      }
    }
  }
}
async function loadDataset(path, rewardOf) {
  const extension = extname(path).toLowerCase();
  if (extension === ".mcap") return loadMcap(path, rewardOf);
  if (extension === ".json") return parseColumnar(JSON.parse(await readFile(path, "utf8")), path);
  throw new Error(
    `dataset ${path}: unknown format '${extension}', expected .json (${COLUMNAR_FORMAT}) or .mcap`
  );
}
function parseColumnar(raw, source) {
  if (typeof raw !== "object" || raw === null) throw new Error(`dataset ${source}: expected a JSON object`);
  const r = raw;
  if (r["format"] !== COLUMNAR_FORMAT) {
    throw new Error(
      `dataset ${source}: format is ${JSON.stringify(r["format"])}, expected "${COLUMNAR_FORMAT}"`
    );
  }
  const integer = (key) => {
    const value = r[key];
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
      throw new Error(
        `dataset ${source}: ${key} must be a non-negative integer, got ${JSON.stringify(value)}`
      );
    }
    return value;
  };
  const column = (key) => {
    const value = r[key];
    if (!Array.isArray(value)) throw new Error(`dataset ${source}: ${key} must be an array of numbers`);
    return Float64Array.from(value, (v) => typeof v === "number" ? v : Number.NaN);
  };
  const meta = r["meta"];
  return {
    obsSize: integer("observationSize"),
    actSize: integer("actionSize"),
    size: integer("size"),
    obs: column("observations"),
    act: column("actions"),
    reward: column("rewards"),
    nextObs: column("nextObservations"),
    terminated: column("terminated"),
    ...typeof meta === "object" && meta !== null ? { meta } : {}
  };
}
async function saveColumnar(path, dataset, digits = 6) {
  const round = (x) => Array.from(x, (v) => Number(v.toFixed(digits)));
  const body = {
    format: COLUMNAR_FORMAT,
    observationSize: dataset.obsSize,
    actionSize: dataset.actSize,
    size: dataset.size,
    meta: dataset.meta ?? {},
    observations: round(dataset.obs),
    actions: round(dataset.act),
    rewards: round(dataset.reward),
    nextObservations: round(dataset.nextObs),
    terminated: Array.from(dataset.terminated)
  };
  await writeFile(path, `${JSON.stringify(body)}
`);
}
async function loadMcap(path, rewardOf) {
  if (rewardOf === void 0) {
    throw new Error(
      `dataset ${path}: MCAP logs carry no reward; this environment has no reward function to recompute it`
    );
  }
  const { readLog } = await import("../logging/reader.js");
  return toTransitions(await readLog(path), rewardOf);
}
function datasetToBuffer(dataset) {
  const buffer = new ReplayBuffer(dataset.size, dataset.obsSize, dataset.actSize);
  for (let i = 0; i < dataset.size; i++) {
    buffer.add(dataset.obs, dataset.act, dataset.reward[i], dataset.nextObs, dataset.terminated[i] === 1, i);
  }
  return buffer;
}
export {
  COLUMNAR_FORMAT,
  datasetToBuffer,
  loadDataset,
  parseColumnar,
  saveColumnar,
  validateDataset
};
