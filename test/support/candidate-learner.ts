import path from 'node:path';
import { type Learner, type LearnJob, type LearnResult, runGates } from '../../app/loop/learner.ts';
import {
  buildLogDataset,
  type DatasetTask,
  loadLogDataset,
  mergeLogDatasets,
  saveLogDataset,
  splitHeldOut,
} from '../../src/learning/log-dataset.ts';
import { readLog } from '../../src/logging/reader.ts';

/** What a test's learner hands the loop in one round: a candidate's files and, optionally, other gates. */
export interface ChosenCandidate {
  readonly candidate: { readonly onnx: string; readonly contract: string };
  readonly gates?: LearnJob['gates'];
}

/**
 * A learner for loop tests: it builds each round's dataset from the round's log exactly as the real
 * learner does and runs the real gates, but on a candidate the test chooses (`choose` may throw, as
 * a dying learner would) instead of fine-tuning one.
 */
export function candidateLearner(
  dir: string,
  task: DatasetTask,
  choose: (job: LearnJob) => ChosenCandidate,
): Learner {
  return {
    learn: async (job: LearnJob): Promise<LearnResult> => {
      const chosen = choose(job);
      const logs = [];
      for (const file of job.logs) logs.push(await readLog(file));
      const data = buildLogDataset(logs, task);
      const earlier = [];
      for (const file of job.datasets) earlier.push(await loadLogDataset(file));
      const all = mergeLogDatasets([...earlier, data]);
      const { heldOut } = splitHeldOut(all, 0.25);
      const datasetFile = path.join(dir, `round-${job.round}.json`);
      await saveLogDataset(datasetFile, data);
      const gates = { ...job, gates: chosen.gates ?? job.gates };
      const report = await runGates(gates, chosen.candidate, all, heldOut, task.actionMap);
      return {
        round: job.round,
        dataset: datasetFile,
        datasetReport: data.report,
        trainTransitions: all.size - heldOut.size,
        trainEpisodes: all.episodes.length - heldOut.episodes.length,
        heldOutEpisodes: heldOut.episodes.length,
        candidate: { ...chosen.candidate, sha256: report.candidate.sha256 },
        gates: report,
        trainingSeconds: 0,
        standInReturn: null,
        standInInitialReturn: null,
      };
    },
  };
}
