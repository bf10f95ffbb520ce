import { fileURLToPath } from 'node:url';

/*
 * Where worker threads and child processes start. The CLI runs either the TypeScript sources under
 * tsx or the same modules compiled into dist/ by `npm run build` (docs/architecture.md, "The compiled
 * CLI"). A new thread or process inherits neither tsx's loader nor that choice: under tsx it starts a
 * bootstrap that registers tsx, compiled it starts the compiled module directly, with no loader.
 *
 * `meta` is the caller's own `import.meta`. A compiled module reads its source's URL as
 * `import.meta.url` (so assets resolve in the source tree), but the `import.meta` object itself
 * keeps the module's real URL, which tells the two apart.
 */

function runsCompiled(meta: ImportMeta): boolean {
  return meta.url.endsWith('.js');
}

function compiledSibling(module: string, meta: ImportMeta): URL {
  if (!module.endsWith('.ts')) throw new Error(`entry point '${module}': expected a .ts module`);
  return new URL(`${module.slice(0, -3)}.js`, meta.url);
}

/**
 * A worker thread's entry: the worker `module` (e.g. './vector-worker.ts', relative to the caller)
 * compiled, or under tsx the `.mjs` `bootstrap` beside it that registers tsx and imports it.
 */
export function workerEntry(meta: ImportMeta, module: string, bootstrap: string): URL {
  return runsCompiled(meta) ? compiledSibling(module, meta) : new URL(bootstrap, meta.url);
}

/** `fork()`'s module path and `execArgv` for a child process running `module` (relative to the caller). */
export function childEntry(meta: ImportMeta, module: string): { modulePath: string; execArgv: string[] } {
  return runsCompiled(meta)
    ? { modulePath: fileURLToPath(compiledSibling(module, meta)), execArgv: [] }
    : { modulePath: fileURLToPath(new URL(module, meta.url)), execArgv: ['--import', 'tsx'] };
}
