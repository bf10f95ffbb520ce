// Compiled from controllers/policies/policy-controller.ts by `npm run build`: edit the source, not this file.

// controllers/policies/policy-controller.ts
import path from "node:path";
import { z } from "zod";
import { isPromiseLike } from "../../src/core/controller.js";
import {
  checkContractAgainstModel,
  checkContractAgainstRobot,
  loadContract,
  resolveDecimation,
  withRslRlRecurrence
} from "../../src/inference/contract.js";
import { PolicyIOMap } from "../../src/inference/io-map.js";
import { loadPolicy, readModel } from "../../src/inference/load.js";
import { dataInputs, decodeModel } from "../../src/inference/onnx/model.js";
import { isStateful } from "../../src/inference/policy.js";
var fallbackModes = ["hold", "safe", "fault"];
var policyOptions = z.object({
  /** ONNX file; relative to the config. Default: the contract's `model`. */
  model: z.string().optional(),
  /** Contract YAML/JSON; relative to the config. */
  contract: z.string(),
  backend: z.enum(["ort", "tfjs", "kernel"]).default("ort"),
  /** cpu (default), cuda or webgpu; a GPU that is not there falls back to the CPU, saying why. */
  device: z.enum(["cpu", "cuda", "webgpu"]).default("cpu"),
  /** tfjs backend on CPU: use @tensorflow/tfjs-node when installed. */
  tfjs_native: z.boolean().default(false),
  fallback: z.enum(fallbackModes).default("hold"),
  /** Share of the control period one inference may take before it counts as slow. */
  budget_fraction: z.number().positive().max(1).default(0.5)
}).strict();
var PolicyController = class {
  constructor(source, options) {
    this.source = source;
    this.options = options;
    this.name = `policy(${options.backend})`;
  }
  source;
  options;
  name;
  stats = {
    inferences: 0,
    slow: 0,
    fallbacks: 0,
    lastFallback: void 0,
    maxInferenceSeconds: 0
  };
  policy;
  /** The ONNX graph's bytes, read at configure. */
  onnx;
  io;
  events;
  decimation = 1;
  tick = 0;
  budgetSeconds = Infinity;
  realtime = true;
  startedMs = 0;
  time = 0;
  /** Last good command, held between policy steps and by the `hold` fallback. */
  held = new Float64Array(0);
  safe = new Float64Array(0);
  signalNames = [];
  /** The tick's observation, for the PD stage after an async inference. */
  observation = new Float64Array(0);
  /** The last policy step fell back to `safe` or `fault`: the PD stage must not overwrite that. */
  fellBack = false;
  /** The loop's action array for the inference in flight (async backends). */
  target = new Float64Array(0);
  onResult = () => this.finish(this.target);
  onFailure = (error) => this.fallback(this.target, describe(error));
  /** The backend actually running (after any CUDA fallback). */
  get backend() {
    return this.policy?.backend;
  }
  /** The graph and contract that run, so a certificate's controller can be matched with them. */
  describeLaw() {
    return this.onnx && { kind: "policy", onnx: this.onnx, contract: this.source.contract };
  }
  async configure(context) {
    const file = this.source.file;
    const where = file ? `${file}: ` : "";
    this.events = context.events;
    const info = (message) => context.events.emit({ time: 0, kind: "info", source: this.name, message });
    for (const message of checkContractAgainstRobot(
      this.source.contract,
      context.observation,
      context.action,
      `${where}policy contract vs robot`
    )) {
      info(message);
    }
    const bytes = await readModel(this.source.model);
    this.onnx = bytes;
    const graph = decodeModel(bytes).graph;
    const io = { inputs: dataInputs(graph), outputs: graph.outputs };
    const contract = withRslRlRecurrence(this.source.contract, io);
    if (contract !== this.source.contract)
      info(
        `recurrent export: state ${contract.recurrent.map((r) => `${r.input} → ${r.output}`).join(", ")} fed back on every policy step (rsl_rl's names)`
      );
    checkContractAgainstModel(contract, io, `${where}policy contract vs model`);
    this.decimation = resolveDecimation(contract, context.dt);
    this.budgetSeconds = this.options.budget_fraction * context.dt;
    this.realtime = context.realtime !== false;
    this.io = new PolicyIOMap(
      contract,
      context.observation,
      context.action,
      this.source.baseDir,
      context.commands
    );
    this.policy = await loadPolicy(bytes, {
      backend: this.options.backend,
      device: this.options.device,
      tfjsNative: this.options.tfjs_native,
      log: info,
      recurrent: contract.recurrent
    });
    this.safe = Float64Array.from(context.action.safe);
    this.signalNames = context.observation.signals.map((s) => s.name);
    this.held = Float64Array.from(context.action.safe);
    this.tick = 0;
  }
  reset(observation) {
    this.io?.reset(observation);
    if (this.policy && isStateful(this.policy)) this.policy.resetState();
    this.held.set(this.safe);
    this.tick = 0;
  }
  update(observation, time, action) {
    const io = this.io;
    const policy = this.policy;
    if (!io || !policy) throw new Error(`${this.name}: update before configure`);
    this.time = time;
    this.observation = observation;
    if (this.tick++ % this.decimation !== 0) {
      action.set(this.held);
      if (io.hasPd && !this.fellBack) io.applyPd(observation, action);
      return;
    }
    const bad = io.firstNonFinite(observation);
    if (bad >= 0) {
      this.fallback(action, `non-finite observation '${this.signalNames[bad]}'`);
      return;
    }
    io.assemble(observation);
    this.startedMs = performance.now();
    let pending;
    try {
      pending = policy.act(io.input, io.output);
    } catch (error) {
      this.fallback(action, describe(error));
      return;
    }
    if (isPromiseLike(pending)) {
      this.target = action;
      return pending.then(this.onResult, this.onFailure);
    }
    this.finish(action);
  }
  finish(action) {
    const io = this.io;
    const seconds = (performance.now() - this.startedMs) / 1e3;
    this.stats.inferences++;
    if (seconds > this.stats.maxInferenceSeconds) this.stats.maxInferenceSeconds = seconds;
    if (seconds > this.budgetSeconds) {
      this.stats.slow++;
      if (this.realtime)
        this.events?.emit({
          time: this.time,
          kind: "deadline-miss",
          source: this.name,
          message: `inference took ${(seconds * 1e6).toFixed(0)} µs, budget ${(this.budgetSeconds * 1e6).toFixed(0)} µs`,
          data: { seconds, budget: this.budgetSeconds, slow: this.stats.slow }
        });
    }
    if (!io.outputFinite()) {
      this.fallback(action, "policy output is NaN or infinite");
      return;
    }
    io.command(action);
    this.fellBack = false;
    if (io.hasPd) io.applyPd(this.observation, action);
    this.held.set(action);
  }
  fallback(action, reason) {
    this.stats.fallbacks++;
    this.stats.lastFallback = reason;
    const mode = this.options.fallback;
    if (mode === "hold") action.set(this.held);
    else if (mode === "safe") action.set(this.safe);
    else action.fill(Number.NaN);
    this.held.set(action);
    this.fellBack = mode !== "hold";
    this.events?.emit({
      time: this.time,
      kind: mode === "fault" ? "fault" : "safety",
      source: this.name,
      message: `${reason}; fallback: ${mode}`
    });
  }
  async dispose() {
    await this.policy?.dispose();
    this.policy = void 0;
  }
};
function describe(error) {
  return `policy backend failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`;
}
var policyControllerPlugin = {
  kind: "policy",
  description: "learned policy from an ONNX file under a checked observation/action contract",
  schema: policyOptions,
  create: (options, context) => {
    const contractPath = path.resolve(context.baseDir, options.contract);
    const contract = loadContract(contractPath);
    const contractDir = path.dirname(contractPath);
    const modelPath = options.model ? path.resolve(context.baseDir, options.model) : contract.model ? path.resolve(contractDir, contract.model) : void 0;
    if (!modelPath)
      throw new Error(`controller.model: not given and contract '${options.contract}' names no model`);
    return new PolicyController(
      { model: modelPath, contract, baseDir: contractDir, file: contractPath },
      options
    );
  }
};
export {
  PolicyController,
  fallbackModes,
  policyControllerPlugin,
  policyOptions
};
