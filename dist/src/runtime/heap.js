// Compiled from src/runtime/heap.ts by `npm run build`: edit the source, not this file.

// src/runtime/heap.ts
import { setFlagsFromString } from "node:v8";
function withoutMemoryReducer() {
  setFlagsFromString("--no-memory-reducer");
}
export {
  withoutMemoryReducer
};
