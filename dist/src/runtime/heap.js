// Compiled from src/runtime/heap.ts by `npm run build`: edit the source, not this file.

// src/runtime/heap.ts
import { setFlagsFromString } from "node:v8";
var noMemoryReducer = "--no-memory-reducer";
function withoutMemoryReducer() {
  setFlagsFromString(noMemoryReducer);
}
var realtimeNodeFlags = [noMemoryReducer];
export {
  realtimeNodeFlags,
  withoutMemoryReducer
};
