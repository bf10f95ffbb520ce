/**
 * One round of the learner: the rig's logs of the round become a dataset of the task, joined with
 * the earlier rounds' datasets; a share of the episodes is held out; the fine-tuning config trains
 * from the deployed policy on the rest (H2O with the simulator online, or a baseline preset); the
 * candidate is exported through the one exporter and gated. Whatever the gates say, the candidate,
 * its card and its gate report stay in the round's folder.
 *
 * Runs in the learner process (learner-worker.ts, below the loop's priority), never in the loop's.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ActionSpec, VectorSpec } from '../../src/core/spec.ts';
import { loadContract } from '../../src/inference/contract.ts';
import { exportPolicy, sha256 } from '../../src/inference/export.ts';
import { type CertifiedController, certificateGate } from '../../src/learning/certificate-gate.ts';
import { POLICY_NAME, trainedPolicyExport } from '../../src/learning/deployment.ts';
import {
  actionsGate,
  batchPolicyOf,
  contractGate,
  episodeReturn,
  fqeCompare,
  type GateCheck,
  type GateReport,
  type GatesOptions,
  gateReport,
  simGate,
} from '../../src/learning/gates.ts';
import {
  buildLogDataset,
  type DatasetReport,
  type LogDataset,
  loadLogDataset,
  mergeLogDatasets,
  saveLogDataset,
  splitHeldOut,
} from '../../src/learning/log-dataset.ts';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import { readLog } from '../../src/logging/reader.ts';
import { environmentPairOf } from '../train/environments.ts';
import { runSeed } from '../train/seed-run.ts';
import { datasetTaskOf } from './task.ts';

/** Everything a learner needs for one round; plain data (it crosses a process boundary or a broker). */
export interface LearnJob {
  readonly round: number;
  /** Run logs of this round (MCAP), and datasets of earlier rounds (their episodes are reused). */
  readonly logs: readonly string[];
  readonly datasets: readonly string[];
  /** The fine-tuning config (checked, paths absolute); `init` is set to the deployed policy here. */
  readonly config: TrainConfig;
  /** The deployed policy's ONNX file and contract. */
  readonly deployed: { readonly onnx: string; readonly contract: string };
  /** The task section the logs are datasets of (the fine-tuning config's environment). */
  readonly task: unknown;
  readonly taskBaseDir: string;
  readonly gates: GatesOptions;
  /** The robot's specs as it introduced itself, for the contract gate. */
  readonly robot: { readonly observation: VectorSpec; readonly action: ActionSpec };
  /** The run config's certificates and the controllers they prove. */
  readonly certified: readonly CertifiedController[];
  /** The run config's controller the candidates replace (the deployed policy). */
  readonly replaces: string;
  /** Folder of this round's dataset, candidate and reports. */
  readonly dir: string;
  readonly seed: number;
  /** Updates overriding the config's budget (CI-sized runs). */
  readonly updates?: number;
  /**
   * A candidate made elsewhere (a fleet's learner): the round only builds this rig's dataset and
   * gates the candidate on it, no fine-tuning here.
   */
  readonly candidate?: { readonly onnx: string; readonly contract: string };
}

export interface LearnResult {
  readonly round: number;
  /** This round's dataset (episodes of the round's logs only). */
  readonly dataset: string;
  readonly datasetReport: DatasetReport;
  /** Real data the fine-tuning used: every round so far minus the held-out episodes. */
  readonly trainTransitions: number;
  readonly trainEpisodes: number;
  readonly heldOutEpisodes: number;
  readonly candidate: { readonly onnx: string; readonly contract: string; readonly sha256: string };
  readonly gates: GateReport;
  readonly trainingSeconds: number;
  /** The stand-in's evaluation of the candidate during training (diagnostics only, never a gate). */
  readonly standInReturn: number | null;
  readonly standInInitialReturn: number | null;
}

/** Where candidates come from: the learner process by default, a broker or a test otherwise. */
export interface Learner {
  learn(job: LearnJob): Promise<LearnResult>;
  onProgress?: ((progress: LearnProgress) => void) | undefined;
  close?(): Promise<void>;
}

export interface LearnProgress {
  readonly round: number;
  readonly phase: 'dataset' | 'fine-tune' | 'gates';
  readonly updates?: number;
  readonly total?: number;
}

export async function learnRound(
  job: LearnJob,
  onProgress: (progress: LearnProgress) => void = () => {},
): Promise<LearnResult> {
  mkdirSync(job.dir, { recursive: true });
  onProgress({ round: job.round, phase: 'dataset' });
  const task = await datasetTaskOf(job.task, { what: 'loop task', baseDir: job.taskBaseDir });
  const logs = [];
  for (const file of job.logs) logs.push(await readLog(file));
  const roundData = buildLogDataset(logs, task);
  const roundFile = path.join(job.dir, 'dataset.json');
  await saveLogDataset(roundFile, roundData);
  const earlier: LogDataset[] = [];
  for (const file of job.datasets) earlier.push(await loadLogDataset(file));
  const all = mergeLogDatasets([...earlier, roundData]);
  const { train, heldOut } = splitHeldOut(all, job.gates.fqe.enabled ? job.gates.fqe.heldOut : 0);
  if (train.size === 0)
    throw new Error(`round ${job.round}: every episode was held out; lower gates.fqe.heldOut`);
  const trainFile = path.join(job.dir, 'train.json');
  await saveLogDataset(trainFile, train);

  if (job.candidate !== undefined) {
    onProgress({ round: job.round, phase: 'gates' });
    const gates = await runGates(job, job.candidate, all, heldOut, task.actionMap);
    writeFileSync(path.join(job.dir, 'gates.json'), `${JSON.stringify(gates, null, 2)}\n`);
    return {
      round: job.round,
      dataset: roundFile,
      datasetReport: roundData.report,
      trainTransitions: train.size,
      trainEpisodes: train.episodes.length,
      heldOutEpisodes: heldOut.episodes.length,
      candidate: { ...job.candidate, sha256: gates.candidate.sha256 },
      gates,
      trainingSeconds: 0,
      standInReturn: null,
      standInInitialReturn: null,
    };
  }

  const config: TrainConfig = {
    ...job.config,
    dataset: trainFile,
    datasets: [trainFile],
    init: job.deployed.onnx,
    seeds: [job.seed],
    output: path.join(job.dir, 'train'),
    checkpointEvery: undefined,
    ...(job.updates ? { budget: { ...job.config.budget, updates: job.updates } } : {}),
  };
  onProgress({ round: job.round, phase: 'fine-tune', updates: 0, total: config.budget.updates });
  const candidateDir = path.join(job.dir, 'candidate');
  const started = performance.now();
  const seed = await runSeed(config, job.seed, {
    onProgress: (p) =>
      onProgress({ round: job.round, phase: 'fine-tune', updates: p.updates, total: p.total }),
    onFinished: async (trainer) => {
      const request = trainedPolicyExport(trainer, {
        finetune: path.basename(job.config.file),
        round: job.round,
        algorithm: job.config.algorithm,
        init: { onnx: job.deployed.onnx, sha256: sha256(readFileSync(job.deployed.onnx)) },
        realTransitions: train.size,
        realEpisodes: train.episodes.length,
      });
      await exportPolicy(candidateDir, {
        ...request,
        description: `${request.description}; round ${job.round} of the closed loop, fine-tuned from ${path.basename(job.deployed.onnx)}`,
      });
    },
  });
  const trainingSeconds = (performance.now() - started) / 1000;

  onProgress({ round: job.round, phase: 'gates' });
  const candidate = {
    onnx: path.join(candidateDir, `${POLICY_NAME}.onnx`),
    contract: path.join(candidateDir, `${POLICY_NAME}.contract.yaml`),
  };
  const gates = await runGates(job, candidate, all, heldOut, task.actionMap);
  writeFileSync(path.join(job.dir, 'gates.json'), `${JSON.stringify(gates, null, 2)}\n`);
  return {
    round: job.round,
    dataset: roundFile,
    datasetReport: roundData.report,
    trainTransitions: train.size,
    trainEpisodes: train.episodes.length,
    heldOutEpisodes: heldOut.episodes.length,
    candidate: { ...candidate, sha256: gates.candidate.sha256 },
    gates,
    trainingSeconds,
    standInReturn: seed.finalReturn,
    standInInitialReturn: seed.initialReturn,
  };
}

/** Every gate on the candidate's files, against the deployed policy's. */
export async function runGates(
  job: Pick<LearnJob, 'config' | 'deployed' | 'gates' | 'robot' | 'certified' | 'replaces' | 'seed'>,
  candidate: { readonly onnx: string; readonly contract: string },
  all: LogDataset,
  heldOut: LogDataset,
  actionMap: Parameters<typeof contractGate>[2],
): Promise<GateReport> {
  const started = performance.now();
  const candidateBytes = new Uint8Array(readFileSync(candidate.onnx));
  const deployedBytes = new Uint8Array(readFileSync(job.deployed.onnx));
  const O = all.obsSize;
  const A = all.actSize;
  const checks: GateCheck[] = [];
  checks.push(contractGate(loadContract(candidate.contract), job.robot, actionMap));
  let candidatePolicy: ReturnType<typeof batchPolicyOf> | undefined;
  try {
    candidatePolicy = batchPolicyOf(candidateBytes, O, A);
  } catch (error) {
    checks.push({
      name: 'actions',
      passed: false,
      applicable: true,
      detail: `the candidate's graph cannot run on the kernel: ${(error as Error).message}`,
      values: {},
    });
  }
  const deployedPolicy = batchPolicyOf(deployedBytes, O, A);
  if (candidatePolicy !== undefined) {
    checks.push(actionsGate(candidatePolicy, all, job.gates.actions));
    const pair = await environmentPairOf(job.config);
    const env = await pair.sim(job.seed + 777);
    try {
      const episodes = job.gates.sim.episodes;
      checks.push(
        simGate(
          episodeReturn(env, candidatePolicy, episodes),
          episodeReturn(env, deployedPolicy, episodes),
          job.gates.sim,
        ),
      );
    } finally {
      env.dispose?.();
    }
    checks.push(fqeCompare(heldOut, candidatePolicy, deployedPolicy, job.gates.fqe, job.seed));
  }
  checks.push(
    await certificateGate({
      certified: job.certified,
      replaces: job.replaces,
      candidate: {
        onnx: candidateBytes,
        contract: loadContract(candidate.contract),
        sha256: sha256(candidateBytes),
      },
      outDir: path.dirname(candidate.onnx),
      budget: job.gates.certificate,
    }),
  );
  return gateReport(
    { onnx: candidate.onnx, sha256: sha256(candidateBytes) },
    { onnx: job.deployed.onnx, sha256: sha256(deployedBytes) },
    checks,
    (performance.now() - started) / 1000,
  );
}
