/**
 * The learner as a child process of `tether loop`: one job at a time over IPC. It runs below the
 * loop's priority (the parent lowers it with os.setPriority), so on a 2-core machine the control
 * loop keeps its deadlines while the learner takes what is left.
 */
import { type LearnJob, type LearnProgress, type LearnResult, learnRound } from './learner.ts';

export type LearnerRequest = { readonly kind: 'job'; readonly job: LearnJob };
export type LearnerReply =
  | { readonly kind: 'progress'; readonly progress: LearnProgress }
  | { readonly kind: 'done'; readonly result: LearnResult }
  | { readonly kind: 'error'; readonly round: number; readonly message: string };

// A learner whose loop is gone must not keep training.
process.on('disconnect', () => process.exit(1));

process.on('message', (message: LearnerRequest) => {
  if (message.kind !== 'job') return;
  const send = (reply: LearnerReply) => process.send?.(reply);
  learnRound(message.job, (progress) => send({ kind: 'progress', progress })).then(
    (result) => send({ kind: 'done', result }),
    (error: unknown) =>
      send({
        kind: 'error',
        round: message.job.round,
        message: error instanceof Error ? error.message : String(error),
      }),
  );
});
