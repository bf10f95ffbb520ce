import type { SimModel } from './model.ts';
import type { MjData } from './mujoco.ts';

/**
 * The mutable half of the model/data split: one simulation state. Typed-array views into the wasm
 * heap are cached (each property read on MjData allocates a fresh view) and re-read only when the
 * heap has grown, which detaches the old buffer and leaves the views with length 0.
 */
export class SimData {
  readonly data: MjData;
  private views!: { qpos: Float64Array; qvel: Float64Array; ctrl: Float64Array };
  private disposed = false;

  constructor(readonly sim: SimModel) {
    sim.assertLive();
    this.data = new sim.mj.MjData(sim.model);
    this.refreshViews();
  }

  private refreshViews(): void {
    const d = this.data;
    this.views = { qpos: d.qpos, qvel: d.qvel, ctrl: d.ctrl };
  }

  private live(): typeof this.views {
    if (this.views.qpos.byteLength === 0) this.refreshViews();
    return this.views;
  }

  get qpos(): Float64Array {
    return this.live().qpos;
  }

  get qvel(): Float64Array {
    return this.live().qvel;
  }

  get ctrl(): Float64Array {
    return this.live().ctrl;
  }

  get time(): number {
    return this.data.time;
  }

  /** Back to the model's reference state (qpos0), or to a keyframe. */
  reset(keyframe = -1): void {
    const { mj, model } = this.sim;
    if (keyframe >= 0) mj.mj_resetDataKeyframe(model, this.data, keyframe);
    else mj.mj_resetData(model, this.data);
    mj.mj_forward(model, this.data);
  }

  /** Recomputes derived quantities (positions, contacts, sensors) after writing qpos/qvel. */
  forward(): void {
    this.sim.mj.mj_forward(this.sim.model, this.data);
  }

  /** Advances `steps` physics steps with the current ctrl. Deterministic for the same start state. */
  step(steps = 1): void {
    const { mj, model } = this.sim;
    for (let i = 0; i < steps; i++) mj.mj_step(model, this.data);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.data.delete();
  }
}
