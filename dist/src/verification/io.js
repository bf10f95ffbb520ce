// Compiled from src/verification/io.ts by `npm run build`: edit the source, not this file.

// src/verification/io.ts
import { readFileSync } from "node:fs";
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
export {
  loadModel
};
