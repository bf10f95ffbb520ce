/**
 * Child-process entry that trains one seed and reports to its parent over IPC. Seeds run as
 * separate processes so they use separate cores and stay bit-identical to a single-process run.
 */

import type { WorkerReply, WorkerRequest } from './parallel.ts';
import { runSeed } from './seed-run.ts';
import { parseTrainConfig } from './train-config.ts';
import { wMapOf } from './w-map.ts';

process.on('message', async (message: WorkerRequest) => {
  const send = (reply: WorkerReply) => process.send?.(reply);
  try {
    const config = parseTrainConfig(message.config, 'worker config', message.config.baseDir);
    let wMap: number[][] | null = null;
    const result = await runSeed(config, message.seed, {
      resume: message.resume,
      onProgress: (progress) => send({ kind: 'progress', progress }),
      onFinished: async (trainer) => {
        if (message.wMap && trainer.hybridAgent?.dSas) wMap = wMapOf(trainer, message.wMap);
        if (message.exportDir) {
          const { exportPolicy } = await import('./export.ts');
          await exportPolicy(trainer, message.exportDir);
        }
      },
    });
    send({ kind: 'done', result, wMap });
  } catch (error) {
    send({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  process.disconnect?.();
});
