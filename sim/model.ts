import { basename, extname } from 'node:path';
import { applyDynamics, type DynamicsParams, parseDynamics } from './dynamics.ts';
import { readModelXml } from './models/index.ts';
import {
  compileXml,
  loadMjcfFile,
  loadMujoco,
  type MjModel,
  type Mujoco,
  type NamedObject,
  objectId,
  objectNames,
} from './mujoco.ts';

/**
 * The immutable half of MuJoCo's model/data split: a compiled model plus our metadata, with the
 * dynamics parameters applied to a private copy (`model`) so the pristine `base` stays available
 * for re-randomising. Many SimData may share one SimModel. Call `dispose()` exactly once.
 */
export class SimModel {
  private disposed = false;

  private constructor(
    readonly mj: Mujoco,
    readonly name: string,
    readonly source: string,
    private readonly base: MjModel,
    readonly model: MjModel,
    readonly dynamics: DynamicsParams,
  ) {}

  /** Compiles MJCF text; `source` names it in errors (file and line). */
  static fromXml(
    mj: Mujoco,
    xml: string,
    options: { name?: string; source?: string; dynamics?: unknown } = {},
  ): SimModel {
    const source = options.source ?? '<string>';
    const dynamics = parseDynamics(options.dynamics);
    return SimModel.fromCompiled(mj, compileXml(mj, xml, source), options.name ?? source, source, dynamics);
  }

  /** Takes ownership of a compiled model and applies the dynamics to a private copy. */
  private static fromCompiled(
    mj: Mujoco,
    base: MjModel,
    name: string,
    source: string,
    dynamics: DynamicsParams,
  ): SimModel {
    let model: MjModel | undefined;
    try {
      model = new mj.MjModel(base);
      applyDynamics(mj, base, model, dynamics);
      return new SimModel(mj, name, source, base, model, dynamics);
    } catch (error) {
      model?.delete();
      base.delete();
      throw error;
    }
  }

  /** Loads one of our models by name (`sim list`); unknown names list the known ones. */
  static async load(name: string, dynamics?: unknown): Promise<SimModel> {
    const { xml, source } = readModelXml(name);
    const mj = await loadMujoco();
    return SimModel.fromXml(mj, xml, { name, source, dynamics });
  }

  /** Loads an MJCF file; errors name the file and MuJoCo's line. */
  static async fromFile(path: string, dynamics?: unknown): Promise<SimModel> {
    const params = parseDynamics(dynamics);
    const mj = await loadMujoco();
    return SimModel.fromCompiled(mj, loadMjcfFile(mj, path), basename(path, extname(path)), path, params);
  }

  /** A new SimModel from the same pristine model with other dynamics (domain randomisation). */
  withDynamics(dynamics: unknown): SimModel {
    this.assertLive();
    const params = parseDynamics(dynamics);
    return SimModel.fromCompiled(this.mj, new this.mj.MjModel(this.base), this.name, this.source, params);
  }

  get timestep(): number {
    return this.model.opt.timestep;
  }

  id(kind: NamedObject, name: string): number {
    this.assertLive();
    return objectId(this.mj, this.model, kind, name);
  }

  names(kind: NamedObject): string[] {
    this.assertLive();
    return objectNames(this.mj, this.model, kind);
  }

  /** Index of a joint's first qpos / qvel entry. */
  qposAddress(joint: string): number {
    return this.model.jnt_qposadr[this.id('joint', joint)]!;
  }

  dofAddress(joint: string): number {
    return this.model.jnt_dofadr[this.id('joint', joint)]!;
  }

  /** Index of a named keyframe, or -1. */
  keyframe(name: string): number {
    const type = (this.mj.mjtObj as unknown as Record<string, { value: number }>)['mjOBJ_KEY']!.value;
    return this.mj.mj_name2id(this.model, type, name);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.model.delete();
    this.base.delete();
  }

  assertLive(): void {
    if (this.disposed) throw new Error(`SimModel '${this.name}' used after dispose()`);
  }
}
