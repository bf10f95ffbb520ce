// Compiled from src/verification/io.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/verification/io.ts", import.meta.url).href;

// src/verification/io.ts
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseModel } from "./model.js";
function loadModel(path) {
  let raw;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RangeError(
      `model ${path}: cannot read it as JSON (${error instanceof Error ? error.message : String(error)})`
    );
  }
  return parseModel(raw, `model ${path}`);
}
var repoRoot = resolve(dirname(fileURLToPath(__sourceUrl)), "..", "..");
function anchorsDir() {
  const dir = join(repoRoot, "..", "shared", "anchors", "yang2024");
  return existsSync(dir) ? dir : void 0;
}
export {
  anchorsDir,
  loadModel,
  repoRoot
};
