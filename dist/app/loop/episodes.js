// Compiled from app/loop/episodes.ts by `npm run build`: edit the source, not this file.

// app/loop/episodes.ts
import { SafetyFlag } from "../../src/safety/types.js";
var latchFlags = SafetyFlag.estop | SafetyFlag.fault;
var episodeEndPrefix = "episode end:";
var horizonReason = `${episodeEndPrefix} horizon`;
var fellReason = `${episodeEndPrefix} task terminal state`;
var EpisodeDriver = class {
  constructor(options) {
    this.options = options;
    this.previousObservation = new Float64Array(options.observationSize);
    this.previousCommand = new Float64Array(options.actionSize);
    const rows = options.horizonTicks + 2;
    const O = options.observationSize;
    const A = options.actionSize;
    this.recording = options.record ? {
      obs: new Float64Array(rows * O),
      act: new Float64Array(rows * A),
      reward: new Float64Array(rows),
      nextObs: new Float64Array(rows * O),
      terminated: new Float64Array(rows)
    } : void 0;
  }
  options;
  loop;
  operator;
  previousObservation;
  previousCommand;
  previousTick = -2;
  open = false;
  ticks = 0;
  total = 0;
  startTime = 0;
  controllers = [];
  lastController = -1;
  endRequested;
  explored = false;
  resetting = false;
  stopped = false;
  count = 0;
  episodes = [];
  /** Failed recoveries in a row (a rig that will not come back). */
  failedResets = 0;
  lastResetProblem;
  listeners = /* @__PURE__ */ new Set();
  /** Told when a whole series of recovery attempts failed (collect() then resolves undefined). */
  failureListeners = /* @__PURE__ */ new Set();
  /** Preallocated recording of the open episode (`record`). */
  recording;
  attach(loop, operator) {
    this.loop = loop;
    this.operator = operator;
  }
  /** No more resets (the loop is ending). */
  stop() {
    this.stopped = true;
  }
  onEpisode(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  /** The episode in progress: ticks so far and return so far. */
  get current() {
    return this.open ? { ticks: this.ticks, return: this.total } : void 0;
  }
  /**
   * Resolves with the next `n` episodes that ran under `controller` alone from start to end and
   * without exploration (an episode during which a swap happened counts for neither version), or
   * undefined when the robot could not be recovered between two episodes.
   */
  collect(n, controller) {
    return new Promise((resolve) => {
      const got = [];
      const failed = () => {
        off();
        this.failureListeners.delete(failed);
        resolve(void 0);
      };
      this.failureListeners.add(failed);
      const off = this.onEpisode((episode) => {
        if (episode.explored || episode.controllers.length !== 1 || episode.controllers[0] !== controller())
          return;
        got.push(episode);
        if (got.length >= n) {
          off();
          this.failureListeners.delete(failed);
          resolve(got);
        }
      });
    });
  }
  writeTick(r) {
    const loop = this.loop;
    if (loop === void 0) return;
    const latched = (r.safetyFlags & latchFlags) !== 0;
    const consecutive = r.tick === this.previousTick + 1;
    if (this.open && consecutive) {
      const reward = this.options.reward(this.previousObservation, this.previousCommand, r.observation);
      const rec = this.recording;
      if (rec !== void 0 && this.ticks < rec.reward.length) {
        const O = this.options.observationSize;
        const A = this.options.actionSize;
        rec.obs.set(this.previousObservation, this.ticks * O);
        rec.act.set(this.previousCommand, this.ticks * A);
        rec.nextObs.set(r.observation, this.ticks * O);
        rec.reward[this.ticks] = reward;
        rec.terminated[this.ticks] = this.options.terminated?.(r.observation) ? 1 : 0;
      }
      this.total += reward;
      this.ticks++;
    }
    if (latched) {
      if (this.open) this.close(r, this.endRequested ?? this.fellOrLatched(r.observation));
      this.explored = false;
      this.scheduleReset();
    } else {
      if (!this.open) {
        this.open = true;
        this.ticks = 0;
        this.total = 0;
        this.startTime = r.deadline;
        this.controllers = [];
        this.lastController = -1;
        this.endRequested = void 0;
        const exploration = this.options.exploration;
        if (exploration !== void 0) {
          const k = this.count;
          this.explored = Math.floor((k + 1) * exploration.share) > Math.floor(k * exploration.share);
          exploration.switch.on = this.explored;
        }
      }
      if (r.controller !== this.lastController) {
        this.lastController = r.controller;
        const name = loop.controllers.names[r.controller] ?? `#${r.controller}`;
        if (!this.controllers.includes(name)) this.controllers.push(name);
      }
      if (this.endRequested === void 0) {
        if (this.options.terminated?.(r.observation)) {
          this.endRequested = "fell";
          loop.safety.estop(fellReason);
        } else if (this.ticks >= this.options.horizonTicks - 1) {
          this.endRequested = "horizon";
          loop.safety.estop(horizonReason);
        }
      }
    }
    this.previousTick = r.tick;
    this.previousObservation.set(r.observation);
    this.previousCommand.set(r.command);
  }
  fellOrLatched(observation) {
    return this.options.terminated?.(observation) ? "fell" : "latched";
  }
  close(r, end) {
    this.open = false;
    if (this.options.exploration) this.options.exploration.switch.on = false;
    const episode = {
      index: this.count++,
      controllers: this.controllers,
      ticks: this.ticks,
      return: this.total,
      end,
      explored: this.explored,
      start: this.startTime,
      stop: r.deadline,
      ...this.recording ? { transitions: this.copyRecording() } : {}
    };
    this.episodes.push(episode);
    for (const listener of [...this.listeners]) listener(episode);
  }
  copyRecording() {
    const rec = this.recording;
    const rows = Math.min(this.ticks, rec.reward.length);
    const O = this.options.observationSize;
    const A = this.options.actionSize;
    return {
      rows,
      obsSize: O,
      obs: rec.obs.slice(0, rows * O),
      act: rec.act.slice(0, rows * A),
      reward: rec.reward.slice(0, rows),
      nextObs: rec.nextObs.slice(0, rows * O),
      terminated: rec.terminated.slice(0, rows)
    };
  }
  /** Recovers between ticks, retrying while the rig is still resetting (stale observation). */
  scheduleReset() {
    if (this.resetting || this.stopped || this.operator === void 0) return;
    this.resetting = true;
    const operator = this.operator;
    const attempt = async () => {
      for (let i = 0; i < this.options.resetAttempts && !this.stopped; i++) {
        await new Promise((done) => setTimeout(done, this.options.resetPause * 1e3));
        if (this.stopped) break;
        const reply = await operator.execute("recover", "loop");
        if (reply.ok) {
          this.failedResets = 0;
          this.lastResetProblem = void 0;
          return;
        }
        this.lastResetProblem = reply.message;
      }
      if (this.stopped) return;
      this.failedResets++;
      for (const listener of [...this.failureListeners]) listener();
    };
    void attempt().finally(() => {
      this.resetting = false;
    });
  }
};
export {
  EpisodeDriver,
  episodeEndPrefix
};
