// Compiled from src/core/controller.ts by `npm run build`: edit the source, not this file.

// src/core/controller.ts
function isPromiseLike(value) {
  return typeof value === "object" && value !== null && typeof value.then === "function";
}
export {
  isPromiseLike
};
