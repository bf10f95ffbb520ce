import { type ChildProcess, fork } from 'node:child_process';
import { setPriority } from 'node:os';
import { childEntry } from '../../src/runtime/entry-points.ts';
import type { LearnJob, LearnProgress, LearnResult } from './learner.ts';
import type { LearnerReply, LearnerRequest } from './learner-worker.ts';

const learnerWorker = childEntry(import.meta, './learner-worker.ts');

/**
 * The learner process beside the loop: started once, given one round's job at a time. `nice` is
 * added to the learner's scheduling priority (19 = lowest), so the loop's process keeps the CPU
 * when both want it. A learner that dies is reported; nothing is swapped (the loop keeps the
 * deployed policy) and the next job starts a fresh process.
 */
export class LearnerProcess {
  private child: ChildProcess | undefined;
  private pending:
    | { resolve: (r: LearnResult) => void; reject: (e: Error) => void; round: number }
    | undefined;
  onProgress: ((progress: LearnProgress) => void) | undefined;

  constructor(private readonly nice: number) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  learn(job: LearnJob): Promise<LearnResult> {
    if (this.pending) return Promise.reject(new Error('the learner is busy with another round'));
    const child = this.ensure();
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, round: job.round };
      const request: LearnerRequest = { kind: 'job', job };
      child.send(request);
    });
  }

  /** Kills the learner (a crash, or the end of the loop); a pending job fails. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }

  private ensure(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const child = fork(learnerWorker.modulePath, [], {
      execArgv: learnerWorker.execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    if (child.pid !== undefined && this.nice !== 0) {
      try {
        setPriority(child.pid, this.nice);
      } catch (error) {
        process.stderr.write(`learner: cannot lower its priority (${(error as Error).message})\n`);
      }
    }
    child.on('message', (reply: LearnerReply) => {
      const pending = this.pending;
      if (reply.kind === 'progress') {
        this.onProgress?.(reply.progress);
        return;
      }
      this.pending = undefined;
      if (reply.kind === 'done') pending?.resolve(reply.result);
      else pending?.reject(new Error(`learner, round ${reply.round}: ${reply.message}`));
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const pending = this.pending;
      this.pending = undefined;
      pending?.reject(
        new Error(
          `learner process died during round ${pending.round} (${signal ?? `exit code ${code}`}); the deployed policy stays`,
        ),
      );
    });
    this.child = child;
    return child;
  }
}
