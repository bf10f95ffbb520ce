// Compiled from src/runtime/entry-points.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/runtime/entry-points.ts", import.meta.url).href;

// src/runtime/entry-points.ts
import { fileURLToPath } from "node:url";
function runsCompiled(meta) {
  return meta.url.endsWith(".js");
}
function compiledSibling(module, meta) {
  if (!module.endsWith(".ts")) throw new Error(`entry point '${module}': expected a .ts module`);
  return new URL(`${module.slice(0, -3)}.js`, meta.url);
}
function workerEntry(meta, module, bootstrap) {
  return runsCompiled(meta) ? compiledSibling(module, meta) : new URL(bootstrap, meta.url);
}
function childEntry(meta, module) {
  return runsCompiled(meta) ? { modulePath: fileURLToPath(compiledSibling(module, meta)), execArgv: [] } : { modulePath: fileURLToPath(new URL(module, meta.url)), execArgv: ["--import", "tsx"] };
}
export {
  childEntry,
  workerEntry
};
