import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DenseKernels, DenseMlp } from './dense-mlp.ts';
import type { Engine } from './engine.ts';

/**
 * The native training engine: the dense products of native/dense.c (float32 SIMD), compiled on
 * this machine with its C compiler the first time it is asked for, as PyTorch's cpp_extension
 * does, and cached by the hash of everything the build depends on. There is no prebuilt binary to
 * download and no install script; when the machine has no C compiler or no Node headers the engine
 * says why and the caller falls back (seed-run.ts: to the tfjs engine).
 */

const source = fileURLToPath(new URL('./native/dense.c', import.meta.url));

/** The compiled module: the products, and the OpenMP thread count they run on (one per process). */
interface NativeModule extends DenseKernels {
  /** SIMD width the module was compiled for (256: AVX2 or NEON pairs, 512: AVX-512). */
  readonly vectorBits: number;
  /** Threads for the products that follow; returns the count in use (1 when built without OpenMP). */
  setThreads(threads: number): number;
}

export interface NativeEngineOptions {
  /** Where compiled modules are kept (default: node_modules/.cache/tether, else a per-user temp folder). */
  readonly cacheDir?: string;
  /** The C compiler (default: $CC, else `cc`). */
  readonly compiler?: string;
  /**
   * Threads sharing each large product (default 1). More pay only on idle cores: every product
   * waits for its slowest thread, and beside other work a thread waiting for a CPU stalls them all
   * (bench/results/train-throughput.json has both).
   */
  readonly threads?: number;
  readonly log?: (message: string) => void;
}

/** Why the native engine could not be built or loaded; the message says what to install. */
export class NativeEngineUnavailable extends Error {}

export interface NativeEngine extends Engine {
  /** The products its networks run on (a benchmark times them). */
  readonly kernels: DenseKernels;
  /** Threads its products share: the count asked for, or 1 where the module has no OpenMP. */
  readonly threads: number;
}

/** Which thread count the process's OpenMP runs the products with now (the module starts at 1). */
let threadsInUse = 1;

export function createNativeEngine(options: NativeEngineOptions = {}): NativeEngine {
  const module = loadModule(options);
  const threads = module.setThreads(Math.max(1, Math.floor(options.threads ?? 1)));
  threadsInUse = threads;
  // The thread count is the process's, so each engine sets its own before its products run (one
  // comparison per product when the engines of a process agree, as they do but in a benchmark).
  const use = () => {
    if (threadsInUse !== threads) threadsInUse = module.setThreads(threads);
  };
  const kernels: DenseKernels = {
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
    },
  };
  return {
    name: `native-f32-simd${module.vectorBits}-${threads}thread${threads === 1 ? '' : 's'}`,
    kernels,
    threads,
    createMlp: (spec, rng) => new DenseMlp(spec, rng, kernels),
  };
}

/** Modules loaded in this process, by compiler and cache folder (hashing the source is not free). */
const loaded = new Map<string, NativeModule>();

function loadModule(options: NativeEngineOptions): NativeModule {
  const compiler = options.compiler ?? process.env.CC ?? 'cc';
  const loadedAs = `${compiler}\0${options.cacheDir ?? ''}`;
  const cached = loaded.get(loadedAs);
  if (cached) return cached;
  const flags = ['-O3', '-march=native', '-shared', '-fPIC', '-DNODE_GYP_MODULE_NAME=tether_dense'];
  // Everything the binary depends on: the source, the compiler and flags, this Node's ABI and the CPU
  // (-march=native code must not be reused on a machine without the same instructions).
  const key = createHash('sha256')
    .update(readFileSync(source))
    .update(JSON.stringify([compiler, flags, process.versions.modules, process.arch, os.cpus()[0]?.model]))
    .digest('hex')
    .slice(0, 16);
  const dir = ownCacheDir(options.cacheDir ?? defaultCacheDir());
  const binary = path.join(dir, `dense-${key}.node`);
  if (!existsSync(binary)) {
    const partial = `${binary}.${process.pid}.tmp`;
    const started = performance.now();
    const compile = (extra: string[]) =>
      spawnSync(compiler, [...flags, ...extra, `-I${nodeHeaders()}`, source, '-o', partial], {
        encoding: 'utf8',
      });
    // OpenMP shares the big products between the cores; a compiler without it (clang without
    // libomp) still builds the single-threaded products.
    let build = compile(['-fopenmp']);
    let threading = 'OpenMP';
    if (build.error === undefined && build.status !== 0) {
      build = compile(['-Wno-unknown-pragmas']);
      threading = 'one thread (no OpenMP)';
    }
    if (build.error || build.status !== 0) {
      const why = build.error
        ? build.error.message
        : (build.stderr.trim().split('\n')[0] ?? `exit ${build.status}`);
      throw new NativeEngineUnavailable(
        `the native training engine could not be compiled with '${compiler}' (${why}); install a C compiler (Debian: gcc) or set CC`,
      );
    }
    // Renamed into place whole, so a concurrent seed worker never loads a half-written file.
    renameSync(partial, binary);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    options.log?.(
      `native training engine compiled with ${compiler}, ${threading}, in ${seconds} s (${binary})`,
    );
  }
  const module = createRequire(import.meta.url)(binary) as NativeModule;
  loaded.set(loadedAs, module);
  return module;
}

/** Node's C headers, installed beside the binary (Debian's nodejs, the official tarballs, nvm). */
function nodeHeaders(): string {
  const dir = path.resolve(path.dirname(process.execPath), '..', 'include', 'node');
  if (!existsSync(path.join(dir, 'node_api.h'))) {
    throw new NativeEngineUnavailable(
      `the native training engine needs Node's C headers, not found at ${dir} (Debian: apt install libnode-dev)`,
    );
  }
  return dir;
}

/** The project's node_modules/.cache when this user may write there (not a read-only install), else the temp folder. */
function defaultCacheDir(): string {
  const project = fileURLToPath(new URL('../../node_modules/', import.meta.url));
  const inProject = path.join(project, '.cache', 'tether');
  try {
    mkdirSync(inProject, { recursive: true });
    accessSync(inProject, constants.W_OK);
    return inProject;
  } catch {
    return path.join(os.tmpdir(), `tether-native-${os.userInfo().uid}`);
  }
}

/**
 * The cache folder, made if missing, and only if this user alone can write it: a module found there
 * is loaded into the process, so a folder another user owns or may write (one made in advance in a
 * shared temp folder, with a module planted under the name the source's hash predicts) is refused.
 */
function ownCacheDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  if (stat.uid !== os.userInfo().uid || (stat.mode & 0o022) !== 0)
    throw new NativeEngineUnavailable(
      `the native training engine's cache ${dir} is not this user's alone (owner uid ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}); remove it or pass a cache folder`,
    );
  return dir;
}
