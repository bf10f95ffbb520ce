/**
 * The one place that talks to the `mujoco` npm package (official MuJoCo WebAssembly bindings).
 *
 * Rules every caller relies on:
 * - The WASM module is loaded once per thread and warmed up (the first second of a process runs
 *   about 10x slower otherwise).
 * - Every embind object (spec, model, data, buffers) is freed with `.delete()`, in `finally` where a
 *   throw is possible; nothing here is garbage collected.
 * - Typed-array views into the WASM heap (`data.qpos`) are detached when the heap grows, so long-lived
 *   views go through `HeapView`, which re-reads them only when that happened.
 */
import { readFileSync } from 'node:fs';
import load, { type MainModule, type MjData, type MjModel } from 'mujoco';

export type Mujoco = MainModule;
export type { MjData, MjModel };

let modulePromise: Promise<Mujoco> | undefined;

/** Loads (once) and warms up the MuJoCo WASM module. */
export function loadMujoco(): Promise<Mujoco> {
  modulePromise ??= load().then((mj) => {
    warmUp(mj);
    return mj;
  });
  return modulePromise;
}

const warmUpXml = `<mujoco><compiler angle="radian"/><size memory="64K"/>
  <worldbody><body><joint type="hinge" axis="0 1 0"/><geom type="capsule" fromto="0 0 0 0 0 0.5" size="0.05"/></body></worldbody>
</mujoco>`;

/** Runs the JIT-cold paths (compile, step) once so the first real episode is not an outlier. */
function warmUp(mj: Mujoco): void {
  const model = compileXml(mj, warmUpXml, 'warm-up');
  const data = new mj.MjData(model);
  try {
    for (let i = 0; i < 2000; i++) mj.mj_step(model, data);
  } finally {
    data.delete();
    model.delete();
  }
}

/** A model that MuJoCo refused, with where (file, line) and MuJoCo's own words. */
export class MjcfError extends Error {
  constructor(
    readonly source: string,
    readonly line: number | undefined,
    readonly mujocoMessage: string,
  ) {
    super(`${source}${line === undefined ? '' : `:${line}`}: MuJoCo rejected the model: ${mujocoMessage}`);
    this.name = 'MjcfError';
  }
}

/**
 * Parses and compiles MJCF text. `source` names the file (or `<string>`) in error messages.
 * Throws MjcfError for both XML errors and compile errors (bad inertia, unknown joint...).
 */
export function compileXml(mj: Mujoco, xml: string, source = '<string>'): MjModel {
  let spec: ReturnType<Mujoco['parseXMLString']> | undefined;
  try {
    spec = mj.parseXMLString(xml);
    return mj.mj_compile(spec);
  } catch (error) {
    throw toMjcfError(error, source);
  } finally {
    spec?.delete();
  }
}

/** Reads and compiles an MJCF file; a missing file is reported as such, not as an XML error. */
export function loadMjcfFile(mj: Mujoco, file: string): MjModel {
  let xml: string;
  try {
    xml = readFileSync(file, 'utf8');
  } catch (error) {
    throw new MjcfError(file, undefined, `cannot read file (${(error as Error).message})`);
  }
  return compileXml(mj, xml, file);
}

function toMjcfError(error: unknown, source: string): MjcfError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw
    .replace(/^MuJoCo Error:\s*/, '')
    .replace(/^Could not create Spec from XML string:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  // MuJoCo reports the line as "line 12" (compiler) or "Line number=12" (tinyxml2).
  const match = /line(?: number)?[= ](\d+)/i.exec(raw);
  return new MjcfError(source, match ? Number(match[1]) : undefined, message);
}

/**
 * A cached view of one array of a model or data (e.g. `qpos`). Reading the embind property
 * allocates a new view each time, so hot paths keep this one and call `get()`, which re-reads only
 * after the WASM heap grew (the old buffer is then detached and its length is 0).
 */
export class HeapView {
  private view: Float64Array;

  constructor(private readonly read: () => Float64Array) {
    this.view = read();
  }

  get(): Float64Array {
    if (this.view.byteLength === 0 && this.view.length === 0) this.view = this.read();
    return this.view;
  }
}

/** Kinds of named MuJoCo objects that callers look up. */
export type NamedObject = 'body' | 'joint' | 'actuator' | 'site' | 'geom' | 'sensor' | 'key';

function objectType(mj: Mujoco, kind: NamedObject): number {
  const types: Record<NamedObject, number> = {
    body: mj.mjtObj.mjOBJ_BODY.value,
    joint: mj.mjtObj.mjOBJ_JOINT.value,
    actuator: mj.mjtObj.mjOBJ_ACTUATOR.value,
    site: mj.mjtObj.mjOBJ_SITE.value,
    geom: mj.mjtObj.mjOBJ_GEOM.value,
    sensor: mj.mjtObj.mjOBJ_SENSOR.value,
    key: mj.mjtObj.mjOBJ_KEY.value,
  };
  return types[kind];
}

function objectCount(model: MjModel, kind: NamedObject): number {
  const counts: Record<NamedObject, number> = {
    body: model.nbody,
    joint: model.njnt,
    actuator: model.nu,
    site: model.nsite,
    geom: model.ngeom,
    sensor: model.nsensor,
    key: model.nkey,
  };
  return counts[kind];
}

/** Names of every object of a kind, in id order (unnamed ones as `#id`). */
export function objectNames(mj: Mujoco, model: MjModel, kind: NamedObject): string[] {
  const type = objectType(mj, kind);
  const names: string[] = [];
  for (let i = 0, n = objectCount(model, kind); i < n; i++) {
    const name = mj.mj_id2name(model, type, i) ?? '';
    names.push(name === '' ? `#${i}` : name);
  }
  return names;
}

/** Looks up an id by name; an unknown name is an error listing the known ones. */
export function objectId(mj: Mujoco, model: MjModel, kind: NamedObject, name: string): number {
  const id = mj.mj_name2id(model, objectType(mj, kind), name);
  if (id < 0) {
    throw new RangeError(`no ${kind} named '${name}' (known: ${objectNames(mj, model, kind).join(', ')})`);
  }
  return id;
}
