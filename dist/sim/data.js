// Compiled from sim/data.ts by `npm run build`: edit the source, not this file.

// sim/data.ts
var SimData = class {
  constructor(sim) {
    this.sim = sim;
    sim.assertLive();
    this.data = new sim.mj.MjData(sim.model);
    this.refreshViews();
  }
  sim;
  data;
  views;
  disposed = false;
  refreshViews() {
    const d = this.data;
    this.views = { qpos: d.qpos, qvel: d.qvel, ctrl: d.ctrl };
  }
  live() {
    if (this.views.qpos.byteLength === 0) this.refreshViews();
    return this.views;
  }
  get qpos() {
    return this.live().qpos;
  }
  get qvel() {
    return this.live().qvel;
  }
  get ctrl() {
    return this.live().ctrl;
  }
  get time() {
    return this.data.time;
  }
  /** Back to the model's reference state (qpos0), or to a keyframe. */
  reset(keyframe = -1) {
    const { mj, model } = this.sim;
    if (keyframe >= 0) mj.mj_resetDataKeyframe(model, this.data, keyframe);
    else mj.mj_resetData(model, this.data);
    mj.mj_forward(model, this.data);
  }
  /** Recomputes derived quantities (positions, contacts, sensors) after writing qpos/qvel. */
  forward() {
    this.sim.mj.mj_forward(this.sim.model, this.data);
  }
  /** Advances `steps` physics steps with the current ctrl. Deterministic for the same start state. */
  step(steps = 1) {
    const { mj, model } = this.sim;
    for (let i = 0; i < steps; i++) mj.mj_step(model, this.data);
  }
  dispose() {
    if (this.disposed) return;
    this.disposed = true;
    this.data.delete();
  }
};
export {
  SimData
};
