// Compiled from app/loop/learner-worker.ts by `npm run build`: edit the source, not this file.

// app/loop/learner-worker.ts
import { learnRound } from "./learner.js";
process.on("disconnect", () => process.exit(1));
process.on("message", (message) => {
  if (message.kind !== "job") return;
  const send = (reply) => process.send?.(reply);
  learnRound(message.job, (progress) => send({ kind: "progress", progress })).then(
    (result) => send({ kind: "done", result }),
    (error) => send({
      kind: "error",
      round: message.job.round,
      message: error instanceof Error ? error.message : String(error)
    })
  );
});
