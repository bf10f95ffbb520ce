// Compiled from app/loop/exploration.ts by `npm run build`: edit the source, not this file.

// app/loop/exploration.ts
import { isPromiseLike } from "../../src/core/controller.js";
import { Rng } from "../../src/core/rng.js";
var ExplorationSwitch = class {
  constructor(std, rng) {
    this.std = std;
    this.rng = rng;
  }
  std;
  rng;
  on = false;
};
var ExploringController = class {
  constructor(inner, exploration) {
    this.inner = inner;
    this.exploration = exploration;
    this.name = inner.name;
  }
  inner;
  exploration;
  name;
  get mode() {
    return this.inner.mode;
  }
  configure(context) {
    return this.inner.configure(context);
  }
  activate() {
    this.inner.activate?.();
  }
  deactivate() {
    this.inner.deactivate?.();
  }
  reset(observation) {
    this.inner.reset?.(observation);
  }
  update(observation, time, action) {
    const result = this.inner.update(observation, time, action);
    if (!this.exploration.on) return result;
    if (isPromiseLike(result)) return Promise.resolve(result).then(() => this.perturb(action));
    this.perturb(action);
    return result;
  }
  dispose() {
    return this.inner.dispose?.();
  }
  perturb(action) {
    const { std, rng } = this.exploration;
    for (let i = 0; i < action.length; i++) action[i] = action[i] + std[i] * rng.normal();
  }
};
function explorationSwitch(std, scales, seed) {
  return new ExplorationSwitch(
    Float64Array.from(scales, (s) => std * s),
    new Rng(seed)
  );
}
export {
  ExplorationSwitch,
  ExploringController,
  explorationSwitch
};
