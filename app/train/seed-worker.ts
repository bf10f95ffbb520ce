/**
 * Child-process entry that trains one seed and reports to its parent over IPC. Seeds run as
 * separate processes so they use separate cores and stay bit-identical to a single-process run.
 */

import { trainedPolicyExport } from '../../src/learning/deployment.ts';
import { wMapOf } from '../../src/learning/w-map.ts';
import type { WorkerReply, WorkerRequest } from './parallel.ts';
import { runSeed } from './seed-run.ts';

// A worker whose parent is gone (killed benchmark) must not keep training.
process.on('disconnect', () => process.exit(1));

process.once('message', async (message: WorkerRequest) => {
  const send = (reply: WorkerReply, then?: () => void) => process.send?.(reply, undefined, {}, then);
  try {
    // Checked by the parent already, with every path absolute: plain data that runs as it is.
    const { config, seed } = message;
    let wMap: number[][] | null = null;
    const result = await runSeed(config, seed, {
      resume: message.resume,
      onProgress: (progress) => send({ kind: 'progress', progress }),
      onFinished: async (trainer) => {
        if (message.wMap && trainer.hybridAgent?.dSas) wMap = wMapOf(trainer, message.wMap);
        if (message.exportDir) {
          // ONNX Runtime (for the round-trip check) loads only in workers that export.
          const { exportPolicy } = await import('../../src/inference/export.ts');
          await exportPolicy(message.exportDir, trainedPolicyExport(trainer, { ...config, seed }));
        }
      },
    });
    send({ kind: 'done', result, wMap }, () => process.exit(0));
  } catch (error) {
    send({ kind: 'error', message: error instanceof Error ? error.message : String(error) }, () =>
      process.exit(1),
    );
  }
});
