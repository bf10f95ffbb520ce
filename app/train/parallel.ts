import { fork } from 'node:child_process';
import type { TrainConfig } from '../../src/learning/train-config.ts';
import type { WMapOptions } from '../../src/learning/w-map.ts';
import { childEntry } from '../../src/runtime/entry-points.ts';
import type { SeedProgress, SeedResult } from './seed-run.ts';

export interface WorkerRequest {
  config: TrainConfig;
  seed: number;
  resume: boolean;
  wMap: WMapOptions | null;
  exportDir: string | null;
}

export type WorkerReply =
  | { kind: 'progress'; progress: SeedProgress }
  | { kind: 'done'; result: SeedResult; wMap: number[][] | null }
  | { kind: 'error'; message: string };

export interface Job {
  readonly config: TrainConfig;
  readonly seed: number;
  readonly resume?: boolean;
  readonly wMap?: WMapOptions;
  readonly exportDir?: string;
}

export interface JobResult {
  job: Job;
  result: SeedResult;
  wMap: number[][] | null;
}

const seedWorker = childEntry(import.meta, './seed-worker.ts');

/** Runs jobs in up to `workers` child processes; rejects on the first failed job. */
export async function runJobs(
  jobs: readonly Job[],
  workers: number,
  onProgress?: (job: Job, progress: SeedProgress) => void,
  onResult?: (result: JobResult) => void,
): Promise<JobResult[]> {
  const results: JobResult[] = new Array(jobs.length);
  let next = 0;
  const runOne = (index: number): Promise<void> =>
    new Promise((resolve, reject) => {
      const job = jobs[index]!;
      const child = fork(seedWorker.modulePath, [], {
        execArgv: seedWorker.execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      let finished = false;
      child.on('message', (reply: WorkerReply) => {
        if (reply.kind === 'progress') onProgress?.(job, reply.progress);
        else if (reply.kind === 'done') {
          finished = true;
          results[index] = { job, result: reply.result, wMap: reply.wMap };
          onResult?.(results[index]!);
          resolve();
        } else {
          finished = true;
          reject(new Error(`${job.config.algorithm} seed ${job.seed}: ${reply.message}`));
        }
      });
      child.on('exit', (code) => {
        if (!finished)
          reject(new Error(`${job.config.algorithm} seed ${job.seed}: worker exited with code ${code}`));
      });
      const request: WorkerRequest = {
        config: job.config,
        seed: job.seed,
        resume: job.resume ?? false,
        wMap: job.wMap ?? null,
        exportDir: job.exportDir ?? null,
      };
      child.send(request);
    });
  const lane = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      await runOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, lane));
  return results;
}
