// Compiled from app/train/seed-worker.ts by `npm run build`: edit the source, not this file.

// app/train/seed-worker.ts
import { trainedPolicyExport } from "../../src/learning/deployment.js";
import { wMapOf } from "../../src/learning/w-map.js";
import { runSeed } from "./seed-run.js";
process.on("disconnect", () => process.exit(1));
process.once("message", async (message) => {
  const send = (reply, then) => process.send?.(reply, void 0, {}, then);
  try {
    const { config, seed } = message;
    let wMap = null;
    const result = await runSeed(config, seed, {
      resume: message.resume,
      onProgress: (progress) => send({ kind: "progress", progress }),
      onFinished: async (trainer) => {
        if (message.wMap && trainer.hybridAgent?.dSas) wMap = wMapOf(trainer, message.wMap);
        if (message.exportDir) {
          const { exportPolicy } = await import("../../src/inference/export.js");
          await exportPolicy(message.exportDir, trainedPolicyExport(trainer, { ...config, seed }));
        }
      }
    });
    send({ kind: "done", result, wMap }, () => process.exit(0));
  } catch (error) {
    send(
      { kind: "error", message: error instanceof Error ? error.message : String(error) },
      () => process.exit(1)
    );
  }
});
