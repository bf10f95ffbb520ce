// Compiled from sim/envs/mujoco-env.ts by `npm run build`: edit the source, not this file.

// sim/envs/mujoco-env.ts
import { Rng } from "../../src/core/rng.js";
import { SimData } from "../data.js";
import { withDrive } from "../drive.js";
var MujocoEnv = class {
  constructor(sim, definition, options = {}, ownsModel = false) {
    this.sim = sim;
    this.options = options;
    this.ownsModel = ownsModel;
    const task = options.task ?? definition.tasks[0];
    if (!definition.tasks.includes(task)) {
      throw new RangeError(
        `${definition.model}: unknown task '${task}' (known: ${definition.tasks.join(", ")})`
      );
    }
    this.task = task;
    this.name = `${definition.model}-${task}`;
    this.kernel = withDrive(sim, definition.bind(sim, task), options.drive);
    this.observation = this.kernel.observation;
    this.action = this.kernel.action;
    const timestep = sim.timestep;
    const controlDt = options.controlDt ?? timestep;
    if (!(controlDt > 0) || !Number.isFinite(controlDt)) {
      throw new RangeError(`${this.name}: controlDt must be a positive number of seconds, got ${controlDt}`);
    }
    this.decimation = Math.max(1, Math.round(controlDt / timestep));
    if (Math.abs(this.decimation * timestep - controlDt) > 1e-9 * Math.max(1, controlDt)) {
      throw new RangeError(
        `${this.name}: control period ${controlDt} s is not a whole number of physics steps of ${timestep} s`
      );
    }
    this.dt = this.decimation * timestep;
    this.horizon = options.horizon ?? Math.round(definition.horizonSeconds / this.dt);
    this.rng = new Rng(options.seed ?? 0);
    this.noiseRng = new Rng(((options.seed ?? 0) ^ 2654435769) >>> 0);
    this.resetNoise = options.resetNoise ?? 1;
    const nu = this.action.signals.length;
    this.lower = Float64Array.from(this.action.signals, (s) => s.lower);
    this.upper = Float64Array.from(this.action.signals, (s) => s.upper);
    this.safe = Float64Array.from(this.action.safe);
    this.delay = sim.dynamics.actionDelay ?? 0;
    this.delayRing = new Float64Array((this.delay + 1) * nu);
    this.applied = new Float64Array(nu);
    const noise = sim.dynamics.observationNoise ?? 0;
    const nObs = this.observation.signals.length;
    if (Array.isArray(noise) && noise.length !== nObs) {
      throw new RangeError(
        `${this.name}: dynamics.observationNoise has ${noise.length} values, expected ${nObs} (one per observation signal)`
      );
    }
    this.noiseStd = Array.isArray(noise) ? Float64Array.from(noise) : new Float64Array(nObs).fill(noise);
    this.hasNoise = this.noiseStd.some((s) => s > 0);
    const initial = options.initialState;
    if (initial?.qpos && initial.qpos.length !== sim.model.nq) {
      throw new RangeError(
        `${this.name}: initialState.qpos has ${initial.qpos.length} values, expected ${sim.model.nq} (nq)`
      );
    }
    if (initial?.qvel && initial.qvel.length !== sim.model.nv) {
      throw new RangeError(
        `${this.name}: initialState.qvel has ${initial.qvel.length} values, expected ${sim.model.nv} (nv)`
      );
    }
    this.data = new SimData(sim);
  }
  sim;
  options;
  ownsModel;
  name;
  observation;
  action;
  dt;
  decimation;
  horizon;
  task;
  data;
  kernel;
  rng;
  noiseRng;
  resetNoise;
  lower;
  upper;
  safe;
  /** Ring of the last `delay + 1` actions; the oldest is the one applied. */
  delayRing;
  delay;
  applied;
  noiseStd;
  hasNoise;
  result = { reward: 0, terminated: false, truncated: false };
  tick = 0;
  steps = 0;
  /** Simulated time of the current state in seconds. */
  get time() {
    return this.data.time;
  }
  reset(observation, seed) {
    if (seed !== void 0) {
      this.rng.reseed(seed);
      this.noiseRng.reseed((seed ^ 2654435769) >>> 0);
    }
    this.data.reset();
    this.kernel.resetState(this.data, this.rng, this.resetNoise);
    const initial = this.options.initialState;
    if (initial?.qpos) this.data.qpos.set(initial.qpos);
    if (initial?.qvel) this.data.qvel.set(initial.qvel);
    this.data.forward();
    const nu = this.safe.length;
    for (let slot = 0; slot <= this.delay; slot++) this.delayRing.set(this.safe, slot * nu);
    this.tick = 0;
    this.steps = 0;
    this.observe(observation);
  }
  step(action, nextObservation) {
    const nu = this.safe.length;
    const writeSlot = this.tick % (this.delay + 1) * nu;
    for (let i = 0; i < nu; i++) {
      const a = action[i];
      const finite = Number.isFinite(a) ? a : this.safe[i];
      this.delayRing[writeSlot + i] = Math.min(this.upper[i], Math.max(this.lower[i], finite));
    }
    const readSlot = (this.tick + 1) % (this.delay + 1) * nu;
    for (let i = 0; i < nu; i++) this.applied[i] = this.delayRing[readSlot + i];
    this.tick++;
    const kernel = this.kernel;
    kernel.applyAction(this.applied, this.data);
    if (kernel.substep === void 0) this.data.step(this.decimation);
    else {
      for (let k = 0; k < this.decimation; k++) {
        kernel.substep(this.data);
        this.data.step(1);
      }
    }
    this.steps++;
    this.observe(nextObservation);
    const result = this.result;
    result.reward = this.kernel.reward(nextObservation, this.applied, this.data, this.dt);
    result.terminated = this.kernel.terminated(nextObservation, this.data);
    result.truncated = !result.terminated && this.steps >= this.horizon;
    return result;
  }
  /** Writes the current observation (with observation noise, if configured). */
  observe(out) {
    this.kernel.observe(this.data, out);
    if (!this.hasNoise) return;
    for (let i = 0; i < out.length; i++) {
      const std = this.noiseStd[i];
      if (std > 0) out[i] = out[i] + std * this.noiseRng.normal();
    }
  }
  /** The environment's kernel (the model's, or a drive around it). */
  get driveKernel() {
    return this.kernel;
  }
  /** The action that was last applied to the physics (after delay, clamping and NaN replacement). */
  get appliedAction() {
    return this.applied;
  }
  dispose() {
    this.data.dispose();
    if (this.ownsModel) this.sim.dispose();
  }
};
export {
  MujocoEnv
};
