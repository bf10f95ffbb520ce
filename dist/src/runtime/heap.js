// Compiled from src/runtime/heap.ts by `npm run build`: edit the source, not this file.

// src/runtime/heap.ts
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
function withoutMemoryReducer() {
  setFlagsFromString("--no-memory-reducer");
}
function collectGarbage() {
  setFlagsFromString("--expose-gc");
  runInNewContext("gc")();
}
export {
  collectGarbage,
  withoutMemoryReducer
};
