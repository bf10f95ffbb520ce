// Compiled from sim/model.ts by `npm run build`: edit the source, not this file.

// sim/model.ts
import { basename, extname } from "node:path";
import { applyDynamics, parseDynamics } from "./dynamics.js";
import { readModelXml } from "./models/index.js";
import {
  compileXml,
  loadMjcfFile,
  loadMujoco,
  objectId,
  objectNames
} from "./mujoco.js";
var SimModel = class _SimModel {
  constructor(mj, name, source, base, model, dynamics) {
    this.mj = mj;
    this.name = name;
    this.source = source;
    this.base = base;
    this.model = model;
    this.dynamics = dynamics;
  }
  mj;
  name;
  source;
  base;
  model;
  dynamics;
  disposed = false;
  /** Compiles MJCF text; `source` names it in errors (file and line). */
  static fromXml(mj, xml, options = {}) {
    const source = options.source ?? "<string>";
    const dynamics = parseDynamics(options.dynamics);
    return _SimModel.fromCompiled(mj, compileXml(mj, xml, source), options.name ?? source, source, dynamics);
  }
  /** Takes ownership of a compiled model and applies the dynamics to a private copy. */
  static fromCompiled(mj, base, name, source, dynamics) {
    let model;
    try {
      model = new mj.MjModel(base);
      applyDynamics(mj, base, model, dynamics);
      return new _SimModel(mj, name, source, base, model, dynamics);
    } catch (error) {
      model?.delete();
      base.delete();
      throw error;
    }
  }
  /** Loads one of our models by name (`sim list`); unknown names list the known ones. */
  static async load(name, dynamics) {
    const { xml, source } = readModelXml(name);
    const mj = await loadMujoco();
    return _SimModel.fromXml(mj, xml, { name, source, dynamics });
  }
  /** Loads an MJCF file; errors name the file and MuJoCo's line. */
  static async fromFile(path, dynamics) {
    const params = parseDynamics(dynamics);
    const mj = await loadMujoco();
    return _SimModel.fromCompiled(mj, loadMjcfFile(mj, path), basename(path, extname(path)), path, params);
  }
  /** A new SimModel from the same pristine model with other dynamics (domain randomisation). */
  withDynamics(dynamics) {
    this.assertLive();
    const params = parseDynamics(dynamics);
    return _SimModel.fromCompiled(this.mj, new this.mj.MjModel(this.base), this.name, this.source, params);
  }
  get timestep() {
    return this.model.opt.timestep;
  }
  id(kind, name) {
    this.assertLive();
    return objectId(this.mj, this.model, kind, name);
  }
  names(kind) {
    this.assertLive();
    return objectNames(this.mj, this.model, kind);
  }
  /** Index of a joint's first qpos / qvel entry. */
  qposAddress(joint) {
    return this.model.jnt_qposadr[this.id("joint", joint)];
  }
  dofAddress(joint) {
    return this.model.jnt_dofadr[this.id("joint", joint)];
  }
  /** Index of a named keyframe, or -1. */
  keyframe(name) {
    const type = this.mj.mjtObj["mjOBJ_KEY"].value;
    return this.mj.mj_name2id(this.model, type, name);
  }
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.model.delete();
    this.base.delete();
  }
  assertLive() {
    if (this.disposed) throw new Error(`SimModel '${this.name}' used after dispose()`);
  }
};
export {
  SimModel
};
