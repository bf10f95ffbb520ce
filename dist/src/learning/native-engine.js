// Compiled from src/learning/native-engine.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../src/learning/native-engine.ts", import.meta.url).href;

// src/learning/native-engine.ts
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DenseMlp } from "./dense-mlp.js";
var source = fileURLToPath(new URL("./native/dense.c", __sourceUrl));
var NativeEngineUnavailable = class extends Error {
};
var threadsInUse = 1;
function createNativeEngine(options = {}) {
  const module = loadModule(options);
  const threads = module.setThreads(Math.max(1, Math.floor(options.threads ?? 1)));
  threadsInUse = threads;
  const use = () => {
    if (threadsInUse !== threads) threadsInUse = module.setThreads(threads);
  };
  const kernels = {
    forward(x, rows, inSize, w, b, outSize, y, activation, slope) {
      use();
      module.forward(x, rows, inSize, w, b, outSize, y, activation, slope);
    },
    backwardInput(delta, rows, outSize, w, inSize, dx, activated, activation, slope) {
      use();
      module.backwardInput(delta, rows, outSize, w, inSize, dx, activated, activation, slope);
    },
    backwardWeights(delta, rows, outSize, x, inSize, gw, gb) {
      use();
      module.backwardWeights(delta, rows, outSize, x, inSize, gw, gb);
    }
  };
  return {
    name: `native-f32-simd${module.vectorBits}-${threads}thread${threads === 1 ? "" : "s"}`,
    kernels,
    threads,
    createMlp: (spec, rng) => new DenseMlp(spec, rng, kernels)
  };
}
var loaded = /* @__PURE__ */ new Map();
function loadModule(options) {
  const compiler = options.compiler ?? process.env.CC ?? "cc";
  const loadedAs = `${compiler}\0${options.cacheDir ?? ""}`;
  const cached = loaded.get(loadedAs);
  if (cached) return cached;
  const flags = ["-O3", "-march=native", "-shared", "-fPIC", "-DNODE_GYP_MODULE_NAME=tether_dense"];
  const key = createHash("sha256").update(readFileSync(source)).update(JSON.stringify([compiler, flags, process.versions.modules, process.arch, os.cpus()[0]?.model])).digest("hex").slice(0, 16);
  const dir = ownCacheDir(options.cacheDir ?? defaultCacheDir());
  const binary = path.join(dir, `dense-${key}.node`);
  if (!existsSync(binary)) {
    const partial = `${binary}.${process.pid}.tmp`;
    const started = performance.now();
    const compile = (extra) => spawnSync(compiler, [...flags, ...extra, `-I${nodeHeaders()}`, source, "-o", partial], {
      encoding: "utf8"
    });
    let build = compile(["-fopenmp"]);
    let threading = "OpenMP";
    if (build.error === void 0 && build.status !== 0) {
      build = compile(["-Wno-unknown-pragmas"]);
      threading = "one thread (no OpenMP)";
    }
    if (build.error || build.status !== 0) {
      const why = build.error ? build.error.message : build.stderr.trim().split("\n")[0] ?? `exit ${build.status}`;
      throw new NativeEngineUnavailable(
        `the native training engine could not be compiled with '${compiler}' (${why}); install a C compiler (Debian: gcc) or set CC`
      );
    }
    renameSync(partial, binary);
    const seconds = ((performance.now() - started) / 1e3).toFixed(1);
    options.log?.(
      `native training engine compiled with ${compiler}, ${threading}, in ${seconds} s (${binary})`
    );
  }
  const module = createRequire(__sourceUrl)(binary);
  loaded.set(loadedAs, module);
  return module;
}
function nodeHeaders() {
  const dir = path.resolve(path.dirname(process.execPath), "..", "include", "node");
  if (!existsSync(path.join(dir, "node_api.h"))) {
    throw new NativeEngineUnavailable(
      `the native training engine needs Node's C headers, not found at ${dir} (Debian: apt install libnode-dev)`
    );
  }
  return dir;
}
function defaultCacheDir() {
  const project = fileURLToPath(new URL("../../node_modules/", __sourceUrl));
  const inProject = path.join(project, ".cache", "tether");
  try {
    mkdirSync(inProject, { recursive: true });
    accessSync(inProject, constants.W_OK);
    return inProject;
  } catch {
    return path.join(os.tmpdir(), `tether-native-${os.userInfo().uid}`);
  }
}
function ownCacheDir(dir) {
  mkdirSync(dir, { recursive: true, mode: 448 });
  const stat = statSync(dir);
  if (stat.uid !== os.userInfo().uid || (stat.mode & 18) !== 0)
    throw new NativeEngineUnavailable(
      `the native training engine's cache ${dir} is not this user's alone (owner uid ${stat.uid}, mode ${(stat.mode & 511).toString(8)}); remove it or pass a cache folder`
    );
  return dir;
}
export {
  NativeEngineUnavailable,
  createNativeEngine
};
