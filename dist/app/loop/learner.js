// Compiled from app/loop/learner.ts by `npm run build`: edit the source, not this file.

// app/loop/learner.ts
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { loadContract } from "../../src/inference/contract.js";
import { exportPolicy, sha256 } from "../../src/inference/export.js";
import { certificateGate } from "../../src/learning/certificate-gate.js";
import { POLICY_NAME, trainedPolicyExport } from "../../src/learning/deployment.js";
import {
  actionsGate,
  batchPolicyOf,
  contractGate,
  episodeReturn,
  fqeCompare,
  gateReport,
  simGate
} from "../../src/learning/gates.js";
import {
  buildLogDataset,
  loadLogDataset,
  mergeLogDatasets,
  saveLogDataset,
  splitHeldOut
} from "../../src/learning/log-dataset.js";
import { readLog } from "../../src/logging/reader.js";
import { environmentPairOf } from "../train/environments.js";
import { runSeed } from "../train/seed-run.js";
import { datasetTaskOf } from "./task.js";
async function learnRound(job, onProgress = () => {
}) {
  mkdirSync(job.dir, { recursive: true });
  onProgress({ round: job.round, phase: "dataset" });
  const task = await datasetTaskOf(job.task, { what: "loop task", baseDir: job.taskBaseDir });
  const logs = [];
  for (const file of job.logs) logs.push(await readLog(file));
  const roundData = buildLogDataset(logs, task);
  const roundFile = path.join(job.dir, "dataset.json");
  await saveLogDataset(roundFile, roundData);
  const earlier = [];
  for (const file of job.datasets) earlier.push(await loadLogDataset(file));
  const all = mergeLogDatasets([...earlier, roundData]);
  const { train, heldOut } = splitHeldOut(all, job.gates.fqe.enabled ? job.gates.fqe.heldOut : 0);
  if (train.size === 0)
    throw new Error(`round ${job.round}: every episode was held out; lower gates.fqe.heldOut`);
  const trainFile = path.join(job.dir, "train.json");
  await saveLogDataset(trainFile, train);
  if (job.candidate !== void 0) {
    onProgress({ round: job.round, phase: "gates" });
    const gates2 = await runGates(job, job.candidate, all, heldOut, task.actionMap);
    writeFileSync(path.join(job.dir, "gates.json"), `${JSON.stringify(gates2, null, 2)}
`);
    return {
      round: job.round,
      dataset: roundFile,
      datasetReport: roundData.report,
      trainTransitions: train.size,
      trainEpisodes: train.episodes.length,
      heldOutEpisodes: heldOut.episodes.length,
      candidate: { ...job.candidate, sha256: gates2.candidate.sha256 },
      gates: gates2,
      trainingSeconds: 0,
      standInReturn: null,
      standInInitialReturn: null
    };
  }
  const config = {
    ...job.config,
    dataset: trainFile,
    datasets: [trainFile],
    init: job.deployed.onnx,
    seeds: [job.seed],
    output: path.join(job.dir, "train"),
    checkpointEvery: void 0,
    ...job.updates ? { budget: { ...job.config.budget, updates: job.updates } } : {}
  };
  onProgress({ round: job.round, phase: "fine-tune", updates: 0, total: config.budget.updates });
  const candidateDir = path.join(job.dir, "candidate");
  const started = performance.now();
  const seed = await runSeed(config, job.seed, {
    onProgress: (p) => onProgress({ round: job.round, phase: "fine-tune", updates: p.updates, total: p.total }),
    onFinished: async (trainer) => {
      const request = trainedPolicyExport(trainer, {
        finetune: path.basename(job.config.file),
        round: job.round,
        algorithm: job.config.algorithm,
        init: { onnx: job.deployed.onnx, sha256: sha256(readFileSync(job.deployed.onnx)) },
        realTransitions: train.size,
        realEpisodes: train.episodes.length
      });
      await exportPolicy(candidateDir, {
        ...request,
        description: `${request.description}; round ${job.round} of the closed loop, fine-tuned from ${path.basename(job.deployed.onnx)}`
      });
    }
  });
  const trainingSeconds = (performance.now() - started) / 1e3;
  onProgress({ round: job.round, phase: "gates" });
  const candidate = {
    onnx: path.join(candidateDir, `${POLICY_NAME}.onnx`),
    contract: path.join(candidateDir, `${POLICY_NAME}.contract.yaml`)
  };
  const gates = await runGates(job, candidate, all, heldOut, task.actionMap);
  writeFileSync(path.join(job.dir, "gates.json"), `${JSON.stringify(gates, null, 2)}
`);
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
    standInInitialReturn: seed.initialReturn
  };
}
async function runGates(job, candidate, all, heldOut, actionMap) {
  const started = performance.now();
  const candidateBytes = new Uint8Array(readFileSync(candidate.onnx));
  const deployedBytes = new Uint8Array(readFileSync(job.deployed.onnx));
  const O = all.obsSize;
  const A = all.actSize;
  const checks = [];
  checks.push(contractGate(loadContract(candidate.contract), job.robot, actionMap));
  let candidatePolicy;
  try {
    candidatePolicy = batchPolicyOf(candidateBytes, O, A);
  } catch (error) {
    checks.push({
      name: "actions",
      passed: false,
      applicable: true,
      detail: `the candidate's graph cannot run on the kernel: ${error.message}`,
      values: {}
    });
  }
  const deployedPolicy = batchPolicyOf(deployedBytes, O, A);
  if (candidatePolicy !== void 0) {
    checks.push(actionsGate(candidatePolicy, all, job.gates.actions));
    const pair = await environmentPairOf(job.config);
    const env = await pair.sim(job.seed + 777);
    try {
      const episodes = job.gates.sim.episodes;
      checks.push(
        simGate(
          episodeReturn(env, candidatePolicy, episodes),
          episodeReturn(env, deployedPolicy, episodes),
          job.gates.sim
        )
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
        sha256: sha256(candidateBytes)
      },
      outDir: path.dirname(candidate.onnx),
      budget: job.gates.certificate
    })
  );
  return gateReport(
    { onnx: candidate.onnx, sha256: sha256(candidateBytes) },
    { onnx: job.deployed.onnx, sha256: sha256(deployedBytes) },
    checks,
    (performance.now() - started) / 1e3
  );
}
export {
  learnRound,
  runGates
};
