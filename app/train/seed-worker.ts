/**
 * Child-process entry that trains one seed and reports to its parent over IPC. Seeds run as
 * separate processes so they use separate cores and stay bit-identical to a single-process run.
 */

import type { WorkerReply, WorkerRequest } from './parallel.ts';
import { runSeed } from './seed-run.ts';
import { parseTrainConfig } from '../../src/learning/train-config.ts';
import { wMapOf } from '../../src/learning/w-map.ts';

// A worker whose parent is gone (killed benchmark) must not keep training.
process.on('disconnect', () => process.exit(1));

process.once('message', async (message: WorkerRequest) => {
  const send = (reply: WorkerReply, then?: () => void) => process.send?.(reply, undefined, {}, then);
  try {
    const { baseDir, ...raw } = message.config;
    const config = parseTrainConfig(raw, 'worker config', baseDir);
    let wMap: number[][] | null = null;
    const result = await runSeed(config, message.seed, {
      resume: message.resume,
      onProgress: (progress) => send({ kind: 'progress', progress }),
      onFinished: async (trainer) => {
        if (message.wMap && trainer.hybridAgent?.dSas) wMap = wMapOf(trainer, message.wMap);
        if (message.exportDir) {
          const { exportPolicy } = await import('../../src/learning/export.ts');
          await exportPolicy(trainer, message.exportDir);
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
