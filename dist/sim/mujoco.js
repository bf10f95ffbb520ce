// Compiled from sim/mujoco.ts by `npm run build`: edit the source, not this file.

// sim/mujoco.ts
import { readFileSync } from "node:fs";
import load from "mujoco";
var modulePromise;
function loadMujoco() {
  modulePromise ??= load().then((mj) => {
    warmUp(mj);
    return mj;
  });
  return modulePromise;
}
var warmUpXml = `<mujoco><compiler angle="radian"/><size memory="64K"/>
  <worldbody><body><joint type="hinge" axis="0 1 0"/><geom type="capsule" fromto="0 0 0 0 0 0.5" size="0.05"/></body></worldbody>
</mujoco>`;
function warmUp(mj) {
  const model = compileXml(mj, warmUpXml, "warm-up");
  const data = new mj.MjData(model);
  try {
    for (let i = 0; i < 2e3; i++) mj.mj_step(model, data);
  } finally {
    data.delete();
    model.delete();
  }
}
var MjcfError = class extends Error {
  constructor(source, line, mujocoMessage) {
    super(`${source}${line === void 0 ? "" : `:${line}`}: MuJoCo rejected the model: ${mujocoMessage}`);
    this.source = source;
    this.line = line;
    this.mujocoMessage = mujocoMessage;
    this.name = "MjcfError";
  }
  source;
  line;
  mujocoMessage;
};
function compileXml(mj, xml, source = "<string>") {
  let spec;
  try {
    spec = mj.parseXMLString(xml);
    return mj.mj_compile(spec);
  } catch (error) {
    throw toMjcfError(error, source);
  } finally {
    spec?.delete();
  }
}
function loadMjcfFile(mj, file) {
  let xml;
  try {
    xml = readFileSync(file, "utf8");
  } catch (error) {
    throw new MjcfError(file, void 0, `cannot read file (${error.message})`);
  }
  return compileXml(mj, xml, file);
}
function toMjcfError(error, source) {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.replace(/^MuJoCo Error:\s*/, "").replace(/^Could not create Spec from XML string:\s*/, "").replace(/\s+/g, " ").trim();
  const match = /line(?: number)?[= ](\d+)/i.exec(raw);
  return new MjcfError(source, match ? Number(match[1]) : void 0, message);
}
var HeapView = class {
  constructor(read) {
    this.read = read;
    this.view = read();
  }
  read;
  view;
  get() {
    if (this.view.byteLength === 0 && this.view.length === 0) this.view = this.read();
    return this.view;
  }
};
function objectType(mj, kind) {
  const types = {
    body: mj.mjtObj.mjOBJ_BODY.value,
    joint: mj.mjtObj.mjOBJ_JOINT.value,
    actuator: mj.mjtObj.mjOBJ_ACTUATOR.value,
    site: mj.mjtObj.mjOBJ_SITE.value,
    geom: mj.mjtObj.mjOBJ_GEOM.value,
    sensor: mj.mjtObj.mjOBJ_SENSOR.value,
    key: mj.mjtObj.mjOBJ_KEY.value
  };
  return types[kind];
}
function objectCount(model, kind) {
  const counts = {
    body: model.nbody,
    joint: model.njnt,
    actuator: model.nu,
    site: model.nsite,
    geom: model.ngeom,
    sensor: model.nsensor,
    key: model.nkey
  };
  return counts[kind];
}
function objectNames(mj, model, kind) {
  const type = objectType(mj, kind);
  const names = [];
  for (let i = 0, n = objectCount(model, kind); i < n; i++) {
    const name = mj.mj_id2name(model, type, i) ?? "";
    names.push(name === "" ? `#${i}` : name);
  }
  return names;
}
function objectId(mj, model, kind, name) {
  const id = mj.mj_name2id(model, objectType(mj, kind), name);
  if (id < 0) {
    throw new RangeError(`no ${kind} named '${name}' (known: ${objectNames(mj, model, kind).join(", ")})`);
  }
  return id;
}
export {
  HeapView,
  MjcfError,
  compileXml,
  loadMjcfFile,
  loadMujoco,
  objectId,
  objectNames
};
