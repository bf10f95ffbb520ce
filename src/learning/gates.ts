/**
 * Gates a fine-tuned candidate passes before it may reach a robot. Each check is measured on the
 * candidate's exported files (the ONNX graph the robot would run, read through the synchronous
 * kernel, and its contract), never on the trainer's in-memory networks:
 *
 *   contract     the contract fits the robot (signals, units, command mode, actuator reach) and the
 *                task's action map (the same scale and offset the learner was trained under)
 *   actions      on every state of the real data: no non-finite action, at most a share saturated
 *   sim          return in the simulator, against the deployed policy's on the same episodes (the
 *                simulator is the wrong system, so this is a sanity bound, not a ranking)
 *   fqe          fitted Q evaluation on held-out real episodes, against the deployed policy's
 *                estimate from the same data and the same fit
 *   certificate  every certificate of the run still holds: re-checked where it proves another
 *                controller, re-verified for the candidate where it proved the policy the candidate
 *                replaces (certificate-gate.ts)
 *
 * A candidate that fails is kept with its report and never deployed.
 */
import { z } from 'zod';
import { type ActionMapEntry, type Environment, returnBound } from '../core/environment.ts';
import type { ActionSpec, VectorSpec } from '../core/spec.ts';
import { createKernelPolicy } from '../inference/backends/kernel.ts';
import { compileChain } from '../inference/chain.ts';
import {
  ContractError,
  checkContractAgainstRobot,
  expand,
  type PolicyContract,
} from '../inference/contract.ts';
import { decodeModel } from '../inference/onnx/model.ts';
import { type BatchPolicy, type FqeResult, fittedQEvaluation } from './fqe.ts';
import type { LogDataset } from './log-dataset.ts';

export const gatesSchema = z
  .object({
    sim: z
      .object({
        episodes: z.number().int().positive().default(10),
        /**
         * The candidate keeps at least this share of the deployed policy's sim return (both on the
         * same seeded episodes): ≥ ratio × a positive return, ≥ return − (1 − ratio) × |return| below zero.
         */
        minReturnRatio: z.number().min(0).default(0.8),
      })
      .strict()
      .default({ episodes: 10, minReturnRatio: 0.8 }),
    fqe: z
      .object({
        enabled: z.boolean().default(true),
        /** Share of the real episodes held out from fine-tuning, for this check. */
        heldOut: z.number().min(0).max(0.9).default(0.25),
        gamma: z.number().min(0).max(0.999).default(0.97),
        hidden: z.array(z.number().int().positive()).default([64, 64]),
        iterations: z.number().int().positive().default(60),
        stepsPerIteration: z.number().int().positive().default(40),
        /** Candidate's estimate ≥ deployed's − tolerance × |deployed's|. */
        tolerance: z.number().min(0).default(0.05),
      })
      .strict()
      .default({
        enabled: true,
        heldOut: 0.25,
        gamma: 0.97,
        hidden: [64, 64],
        iterations: 60,
        stepsPerIteration: 40,
        tolerance: 0.05,
      }),
    actions: z
      .object({
        /** Largest share of the real states on which an action component sits at its limit (|a| ≥ 0.999). */
        maxSaturation: z.number().min(0).max(1).default(0.9),
      })
      .strict()
      .default({ maxSaturation: 0.9 }),
    /** The verifier's budget when a certificate must be re-verified for a candidate. */
    certificate: z
      .object({
        /** Wall seconds per certificate; past it the result is UNKNOWN and the gate fails. */
        seconds: z.number().positive().default(600),
        /** Worker threads (the learner runs below the loop's priority; keep them few). */
        workers: z.number().int().min(0).default(1),
      })
      .strict()
      .default({ seconds: 600, workers: 1 }),
  })
  .strict();

export type GatesOptions = z.output<typeof gatesSchema>;
export const gatesDefaults: GatesOptions = gatesSchema.parse({});

export type GateName = 'contract' | 'actions' | 'sim' | 'fqe' | 'certificate';

export interface GateCheck {
  readonly name: GateName;
  readonly passed: boolean;
  /** False when the check does not apply (then it passes). */
  readonly applicable: boolean;
  readonly detail: string;
  readonly values: Readonly<Record<string, number | string | boolean | null>>;
}

export interface GateReport {
  readonly candidate: { readonly onnx: string; readonly sha256: string };
  readonly deployed: { readonly onnx: string; readonly sha256: string };
  readonly passed: boolean;
  readonly checks: readonly GateCheck[];
  readonly seconds: number;
}

/** A policy file as a batch policy in the learner's units: the raw (tanh) output of the graph. */
export function batchPolicyOf(bytes: Uint8Array, obsSize: number, actSize: number): BatchPolicy {
  const kernel = createKernelPolicy(compileChain(decodeModel(bytes)));
  const input = new Float32Array(obsSize);
  const output = new Float32Array(actSize);
  return (obs, rows, out) => {
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < obsSize; i++) input[i] = obs[r * obsSize + i]!;
      kernel.act(input, output);
      for (let i = 0; i < actSize; i++) out[r * actSize + i] = output[i]!;
    }
  };
}

/** The contract against the robot's specs and against the task's action map. */
export function contractGate(
  contract: PolicyContract,
  robot: { readonly observation: VectorSpec; readonly action: ActionSpec },
  actionMap: readonly ActionMapEntry[],
): GateCheck {
  const problems: string[] = [];
  try {
    // Returns warnings (a reach beyond the actuator's range: the safety layer clamps it); throws the problems.
    checkContractAgainstRobot(contract, robot.observation, robot.action);
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    problems.push(...error.issues);
  }
  const n = contract.actions.signals.length;
  if (n !== actionMap.length)
    problems.push(`the contract drives ${n} actions, the task has ${actionMap.length}`);
  else {
    const scale = expand(contract.actions.scale, n, 'actions.scale');
    const offset = expand(contract.actions.offset, n, 'actions.offset');
    actionMap.forEach((map, i) => {
      if (contract.actions.signals[i] !== map.name)
        problems.push(`action ${i} is '${contract.actions.signals[i]}', the task's is '${map.name}'`);
      else if (
        Math.abs(scale[i]! - map.scale) > 1e-9 * Math.abs(map.scale) ||
        Math.abs(offset[i]! - map.offset) > 1e-9
      )
        problems.push(
          `action '${map.name}': the contract maps the policy by ${scale[i]}·a + ${offset[i]}, the task trained it under ${map.scale}·a + ${map.offset}`,
        );
    });
  }
  return {
    name: 'contract',
    passed: problems.length === 0,
    applicable: true,
    detail: problems.length === 0 ? 'fits the robot and the task' : problems.join('; '),
    values: { problems: problems.length },
  };
}

/** The candidate on every state of the real data: finite, and not pinned to its limits. */
export function actionsGate(
  policy: BatchPolicy,
  data: LogDataset,
  options: GatesOptions['actions'],
): GateCheck {
  const A = data.actSize;
  const out = new Float64Array(data.size * A);
  policy(data.obs, data.size, out);
  let nonFinite = 0;
  let saturated = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (!Number.isFinite(v)) nonFinite++;
    else if (Math.abs(v) >= 0.999) saturated++;
  }
  const share = out.length === 0 ? 0 : saturated / out.length;
  const passed = nonFinite === 0 && share <= options.maxSaturation;
  return {
    name: 'actions',
    passed,
    applicable: true,
    detail:
      nonFinite > 0
        ? `${nonFinite} non-finite actions on ${data.size} real states`
        : `${(100 * share).toFixed(1)} % of actions at the limit on ${data.size} real states (bound ${(100 * options.maxSaturation).toFixed(0)} %)`,
    values: { states: data.size, nonFinite, saturatedShare: share },
  };
}

/** Mean undiscounted return of a deterministic policy over seeded episodes of `env`. */
export function episodeReturn(env: Environment, policy: BatchPolicy, episodes: number, seed = 4242): number {
  const obs = new Float64Array(env.observation.signals.length);
  const action = new Float64Array(env.action.signals.length);
  let total = 0;
  for (let e = 0; e < episodes; e++) {
    env.reset(obs, seed + e);
    for (let t = 0; t < env.horizon; t++) {
      policy(obs, 1, action);
      const step = env.step(action, obs);
      total += step.reward;
      if (step.terminated) break;
    }
  }
  return total / episodes;
}

export function simGate(candidate: number, deployed: number, options: GatesOptions['sim']): GateCheck {
  const bound = returnBound(deployed, options.minReturnRatio);
  const passed = candidate >= bound;
  return {
    name: 'sim',
    passed,
    applicable: true,
    detail: `sim return ${candidate.toFixed(2)} vs the deployed policy's ${deployed.toFixed(2)} (bound: ${options.minReturnRatio} of it kept = ${bound.toFixed(2)})`,
    values: { candidate, deployed, bound },
  };
}

export function fqeGate(candidate: FqeResult, deployed: FqeResult, tolerance: number): GateCheck {
  const bound = deployed.estimate - tolerance * Math.abs(deployed.estimate);
  return {
    name: 'fqe',
    passed: candidate.estimate >= bound,
    applicable: true,
    detail:
      `FQE on ${candidate.starts} held-out episodes (γ ${candidate.gamma}): ${candidate.estimate.toFixed(2)} ` +
      `[${candidate.ci95[0].toFixed(2)}, ${candidate.ci95[1].toFixed(2)}] vs the deployed policy's ${deployed.estimate.toFixed(2)} ` +
      `[${deployed.ci95[0].toFixed(2)}, ${deployed.ci95[1].toFixed(2)}] (bound ${bound.toFixed(2)})`,
    values: {
      candidate: candidate.estimate,
      candidateLow: candidate.ci95[0],
      candidateHigh: candidate.ci95[1],
      deployed: deployed.estimate,
      deployedLow: deployed.ci95[0],
      deployedHigh: deployed.ci95[1],
      bound,
      heldOutEpisodes: candidate.starts,
      heldOutTransitions: candidate.transitions,
      residual: candidate.residual,
    },
  };
}

/** FQE of candidate and deployed policy on the same held-out data, with the same fit. */
export function fqeCompare(
  heldOut: LogDataset,
  candidate: BatchPolicy,
  deployed: BatchPolicy,
  options: GatesOptions['fqe'],
  seed = 0,
): GateCheck {
  if (!options.enabled)
    return { name: 'fqe', passed: true, applicable: false, detail: 'disabled in the config', values: {} };
  if (heldOut.size === 0 || heldOut.episodes.length === 0)
    return {
      name: 'fqe',
      passed: false,
      applicable: true,
      detail: 'no held-out real episode to evaluate on: collect more episodes or lower gates.fqe.heldOut',
      values: { heldOutEpisodes: 0 },
    };
  const fit = {
    gamma: options.gamma,
    hidden: options.hidden,
    iterations: options.iterations,
    stepsPerIteration: options.stepsPerIteration,
    seed,
  };
  return fqeGate(
    fittedQEvaluation(heldOut, candidate, fit),
    fittedQEvaluation(heldOut, deployed, fit),
    options.tolerance,
  );
}

export function gateReport(
  candidate: GateReport['candidate'],
  deployed: GateReport['deployed'],
  checks: readonly GateCheck[],
  seconds: number,
): GateReport {
  return { candidate, deployed, passed: checks.every((c) => c.passed), checks, seconds };
}

export function formatGateReport(report: GateReport): string {
  return [
    `gates ${report.passed ? 'PASSED' : 'FAILED'} for ${report.candidate.sha256.slice(0, 12)} (deployed ${report.deployed.sha256.slice(0, 12)}):`,
    ...report.checks.map(
      (c) => `  ${c.applicable ? (c.passed ? 'pass' : 'FAIL') : 'n/a '}  ${c.name.padEnd(11)} ${c.detail}`,
    ),
  ].join('\n');
}
