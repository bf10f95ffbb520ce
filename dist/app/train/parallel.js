// Compiled from app/train/parallel.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../app/train/parallel.ts", import.meta.url).href;

// app/train/parallel.ts
import { fork } from "node:child_process";
import { childEntry } from "../../src/runtime/entry-points.js";
var seedWorker = childEntry(import.meta, "./seed-worker.ts");
async function runJobs(jobs, workers, onProgress, onResult) {
  const results = new Array(jobs.length);
  let next = 0;
  const runOne = (index) => new Promise((resolve, reject) => {
    const job = jobs[index];
    const child = fork(seedWorker.modulePath, [], {
      execArgv: seedWorker.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    });
    let finished = false;
    child.on("message", (reply) => {
      if (reply.kind === "progress") onProgress?.(job, reply.progress);
      else if (reply.kind === "done") {
        finished = true;
        results[index] = { job, result: reply.result, wMap: reply.wMap };
        onResult?.(results[index]);
        resolve();
      } else {
        finished = true;
        reject(new Error(`${job.config.algorithm} seed ${job.seed}: ${reply.message}`));
      }
    });
    child.on("exit", (code) => {
      if (!finished)
        reject(new Error(`${job.config.algorithm} seed ${job.seed}: worker exited with code ${code}`));
    });
    const request = {
      config: job.config,
      seed: job.seed,
      resume: job.resume ?? false,
      wMap: job.wMap ?? null,
      exportDir: job.exportDir ?? null
    };
    child.send(request);
  });
  const lane = async () => {
    while (next < jobs.length) {
      const index = next++;
      await runOne(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, jobs.length)) }, lane));
  return results;
}
export {
  runJobs
};
