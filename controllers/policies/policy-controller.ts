/**
 * Runs a learned policy (ONNX) in the control loop under a checked contract:
 *
 *   observation → terms + history → normalise → policy.act → check finite → clip/scale/offset → action
 *
 * The policy runs every `decimation` ticks and its command is held in between. A failed inference
 * (NaN/Inf output, wrong-size output, backend exception, a non-finite observation signal that the
 * contract reads) applies the configured fallback in the same tick: `hold` the last good command, go
 * to the robot's `safe` action, or `fault` (a non-finite proposal, which the safety layer latches into
 * its safe state). An inference slower than its budget is counted and reported as an event.
 */
import path from 'node:path';
import { z } from 'zod';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext, PolicyControlLaw } from '../../src/core/controller.ts';
import { isPromiseLike } from '../../src/core/controller.ts';
import type { EventSink } from '../../src/core/events.ts';
import {
  checkContractAgainstModel,
  checkContractAgainstRobot,
  loadContract,
  type PolicyContract,
  resolveDecimation,
  withRslRlRecurrence,
} from '../../src/inference/contract.ts';
import { PolicyIOMap } from '../../src/inference/io-map.ts';
import { loadPolicy, readModel } from '../../src/inference/load.ts';
import { dataInputs, decodeModel } from '../../src/inference/onnx/model.ts';
import { isStateful, type Policy } from '../../src/inference/policy.ts';

export const fallbackModes = ['hold', 'safe', 'fault'] as const;
export type FallbackMode = (typeof fallbackModes)[number];

export const policyOptions = z
  .object({
    /** ONNX file; relative to the config. Default: the contract's `model`. */
    model: z.string().optional(),
    /** Contract YAML/JSON; relative to the config. */
    contract: z.string(),
    backend: z.enum(['ort', 'tfjs', 'kernel']).default('ort'),
    /** cpu (default), cuda or webgpu; a GPU that is not there falls back to the CPU, saying why. */
    device: z.enum(['cpu', 'cuda', 'webgpu']).default('cpu'),
    /** tfjs backend on CPU: use @tensorflow/tfjs-node when installed. */
    tfjs_native: z.boolean().default(false),
    fallback: z.enum(fallbackModes).default('hold'),
    /** Share of the control period one inference may take before it counts as slow. */
    budget_fraction: z.number().positive().max(1).default(0.5),
  })
  .strict();

export type PolicyOptions = z.output<typeof policyOptions>;

export interface PolicyStats {
  inferences: number;
  /** Inferences slower than `budget_fraction` of the control period. */
  slow: number;
  fallbacks: number;
  /** Why the last fallback happened. */
  lastFallback: string | undefined;
  /** Slowest inference so far, seconds. */
  maxInferenceSeconds: number;
}

export interface PolicySource {
  /** Model bytes or path. */
  readonly model: string | Uint8Array;
  readonly contract: PolicyContract;
  /** Directory that relative paths in the contract (e.g. LeRobot stats) resolve against. */
  readonly baseDir: string;
  /** The contract file, named in refusals. */
  readonly file?: string;
}

export class PolicyController implements Controller {
  readonly name: string;
  readonly stats: PolicyStats = {
    inferences: 0,
    slow: 0,
    fallbacks: 0,
    lastFallback: undefined,
    maxInferenceSeconds: 0,
  };
  private policy: Policy | undefined;
  /** The ONNX graph's bytes, read at configure. */
  private onnx: Uint8Array | undefined;
  private io: PolicyIOMap | undefined;
  private events: EventSink | undefined;
  private decimation = 1;
  private tick = 0;
  private budgetSeconds = Infinity;
  private realtime = true;
  private startedMs = 0;
  private time = 0;
  /** Last good command, held between policy steps and by the `hold` fallback. */
  private held = new Float64Array(0);
  private safe = new Float64Array(0);
  private signalNames: readonly string[] = [];
  /** The tick's observation, for the PD stage after an async inference. */
  private observation: Float64Array = new Float64Array(0);
  /** The last policy step fell back to `safe` or `fault`: the PD stage must not overwrite that. */
  private fellBack = false;
  /** The loop's action array for the inference in flight (async backends). */
  private target: Float64Array = new Float64Array(0);
  private readonly onResult = (): void => this.finish(this.target);
  private readonly onFailure = (error: unknown): void => this.fallback(this.target, describe(error));

  constructor(
    private readonly source: PolicySource,
    private readonly options: Pick<PolicyOptions, 'backend' | 'device' | 'fallback' | 'budget_fraction'> &
      Partial<Pick<PolicyOptions, 'tfjs_native'>>,
  ) {
    this.name = `policy(${options.backend})`;
  }

  /** The backend actually running (after any CUDA fallback). */
  get backend(): string | undefined {
    return this.policy?.backend;
  }

  /** The graph and contract that run, so a certificate's controller can be matched with them. */
  describeLaw(): PolicyControlLaw | undefined {
    return this.onnx && { kind: 'policy', onnx: this.onnx, contract: this.source.contract };
  }

  async configure(context: ControllerContext): Promise<void> {
    const file = this.source.file;
    const where = file ? `${file}: ` : '';
    this.events = context.events;
    const info = (message: string) =>
      context.events.emit({ time: 0, kind: 'info', source: this.name, message });
    // Refusals throw; what is accepted but worth knowing (a reach beyond the actuator) is reported.
    for (const message of checkContractAgainstRobot(
      this.source.contract,
      context.observation,
      context.action,
      `${where}policy contract vs robot`,
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
        `recurrent export: state ${contract.recurrent.map((r) => `${r.input} → ${r.output}`).join(', ')} fed back on every policy step (rsl_rl's names)`,
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
      context.commands,
    );
    this.policy = await loadPolicy(bytes, {
      backend: this.options.backend,
      device: this.options.device,
      tfjsNative: this.options.tfjs_native,
      log: info,
      recurrent: contract.recurrent,
    });
    this.safe = Float64Array.from(context.action.safe);
    this.signalNames = context.observation.signals.map((s) => s.name);
    this.held = Float64Array.from(context.action.safe);
    this.tick = 0;
  }

  reset(observation: Float64Array): void {
    this.io?.reset(observation);
    if (this.policy && isStateful(this.policy)) this.policy.resetState();
    this.held.set(this.safe);
    this.tick = 0;
  }

  update(observation: Float64Array, time: number, action: Float64Array): void | Promise<void> {
    const io = this.io;
    const policy = this.policy;
    if (!io || !policy) throw new Error(`${this.name}: update before configure`);
    this.time = time;
    this.observation = observation;
    if (this.tick++ % this.decimation !== 0) {
      action.set(this.held);
      // A PD stage closes the loop every tick on the held targets.
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
    let pending: void | Promise<void>;
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

  private finish(action: Float64Array): void {
    const io = this.io!;
    const seconds = (performance.now() - this.startedMs) / 1000;
    this.stats.inferences++;
    if (seconds > this.stats.maxInferenceSeconds) this.stats.maxInferenceSeconds = seconds;
    if (seconds > this.budgetSeconds) {
      this.stats.slow++;
      if (this.realtime)
        this.events?.emit({
          time: this.time,
          kind: 'deadline-miss',
          source: this.name,
          message: `inference took ${(seconds * 1e6).toFixed(0)} µs, budget ${(this.budgetSeconds * 1e6).toFixed(0)} µs`,
          data: { seconds, budget: this.budgetSeconds, slow: this.stats.slow },
        });
    }
    if (!io.outputFinite()) {
      this.fallback(action, 'policy output is NaN or infinite');
      return;
    }
    io.command(action);
    this.fellBack = false;
    if (io.hasPd) io.applyPd(this.observation, action);
    this.held.set(action);
  }

  private fallback(action: Float64Array, reason: string): void {
    this.stats.fallbacks++;
    this.stats.lastFallback = reason;
    const mode = this.options.fallback;
    if (mode === 'hold') action.set(this.held);
    else if (mode === 'safe') action.set(this.safe);
    // A non-finite proposal makes the safety layer latch its safe state: the `fault` fallback.
    else action.fill(Number.NaN);
    // Ticks between policy steps repeat the fallback, not the command from before it. With a PD
    // stage, `hold` keeps tracking the last good targets; `safe` and `fault` stay as they are.
    this.held.set(action);
    this.fellBack = mode !== 'hold';
    this.events?.emit({
      time: this.time,
      kind: mode === 'fault' ? 'fault' : 'safety',
      source: this.name,
      message: `${reason}; fallback: ${mode}`,
    });
  }

  async dispose(): Promise<void> {
    await this.policy?.dispose();
    this.policy = undefined;
  }
}

function describe(error: unknown): string {
  return `policy backend failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}

export const policyControllerPlugin: ControllerPlugin<PolicyOptions> = {
  kind: 'policy',
  description: 'learned policy from an ONNX file under a checked observation/action contract',
  schema: policyOptions,
  create: (options, context) => {
    const contractPath = path.resolve(context.baseDir, options.contract);
    const contract = loadContract(contractPath);
    const contractDir = path.dirname(contractPath);
    const modelPath = options.model
      ? path.resolve(context.baseDir, options.model)
      : contract.model
        ? path.resolve(contractDir, contract.model)
        : undefined;
    if (!modelPath)
      throw new Error(`controller.model: not given and contract '${options.contract}' names no model`);
    return new PolicyController(
      { model: modelPath, contract, baseDir: contractDir, file: contractPath },
      options,
    );
  },
};
