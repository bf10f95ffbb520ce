// Compiled from app/loop/learner-process.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../app/loop/learner-process.ts", import.meta.url).href;

// app/loop/learner-process.ts
import { fork } from "node:child_process";
import { setPriority } from "node:os";
import { childEntry } from "../../src/runtime/entry-points.js";
var learnerWorker = childEntry(import.meta, "./learner-worker.ts");
var LearnerProcess = class {
  constructor(nice) {
    this.nice = nice;
  }
  nice;
  child;
  pending;
  onProgress;
  get pid() {
    return this.child?.pid;
  }
  learn(job) {
    if (this.pending) return Promise.reject(new Error("the learner is busy with another round"));
    const child = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, round: job.round };
      const request = { kind: "job", job };
      child.send(request);
    });
  }
  /** Kills the learner (a crash, or the end of the loop); a pending job fails. */
  kill(signal = "SIGKILL") {
    this.child?.kill(signal);
  }
  async close() {
    const child = this.child;
    if (child === void 0 || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise((done) => {
      child.once("exit", () => done());
      child.kill("SIGTERM");
    });
  }
  ensure() {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const child = fork(learnerWorker.modulePath, [], {
      execArgv: learnerWorker.execArgv,
      stdio: ["ignore", "inherit", "inherit", "ipc"]
    });
    if (child.pid !== void 0 && this.nice !== 0) {
      try {
        setPriority(child.pid, this.nice);
      } catch (error) {
        process.stderr.write(`learner: cannot lower its priority (${error.message})
`);
      }
    }
    child.on("message", (reply) => {
      const pending = this.pending;
      if (reply.kind === "progress") {
        this.onProgress?.(reply.progress);
        return;
      }
      this.pending = void 0;
      if (reply.kind === "done") pending?.resolve(reply.result);
      else pending?.reject(new Error(`learner, round ${reply.round}: ${reply.message}`));
    });
    child.on("exit", (code, signal) => {
      if (this.child === child) this.child = void 0;
      const pending = this.pending;
      this.pending = void 0;
      pending?.reject(
        new Error(
          `learner process died during round ${pending.round} (${signal ?? `exit code ${code}`}); the deployed policy stays`
        )
      );
    });
    this.child = child;
    return child;
  }
};
export {
  LearnerProcess
};
