/**
 * Loads an ONNX policy on the requested backend and warms it up, so the first control tick does not
 * pay for lazy initialisation (ONNX Runtime's first run takes milliseconds).
 */
import { readFile } from 'node:fs/promises';
import { createKernelPolicy } from './backends/kernel.ts';
import { compileChain } from './chain.ts';
import { dataInputs, decodeModel } from './onnx/model.ts';
import type { LoadOptions, Policy } from './policy.ts';

export async function readModel(model: string | Uint8Array): Promise<Uint8Array> {
  if (typeof model !== 'string') return model;
  try {
    return new Uint8Array(await readFile(model));
  } catch (error) {
    throw new Error(`cannot read ONNX model '${model}': ${(error as Error).message}`);
  }
}

/** Runs `calls` zero-input calls at batch 1, and one at `maxBatch` so its buffers exist before the loop. */
export async function warmUp(policy: Policy, calls: number, maxBatch = 1): Promise<void> {
  const input = new Float32Array(policy.inputSize * maxBatch);
  const output = new Float32Array(policy.outputSize * maxBatch);
  for (let i = 0; i < calls; i++) await policy.act(input, output);
  if (maxBatch > 1) await policy.act(input, output, maxBatch);
}

/** Loads `model` (a path or the bytes of an `.onnx` file) behind the `Policy` interface. */
export async function loadPolicy(model: string | Uint8Array, options: LoadOptions = {}): Promise<Policy> {
  const bytes = await readModel(model);
  const backend = options.backend ?? 'ort';
  const decoded = decodeModel(bytes);
  let policy: Policy;
  const recurrent = options.recurrent ?? [];
  if (recurrent.length > 0 && backend !== 'ort')
    throw new Error(
      `a recurrent policy (${recurrent.map((r) => r.input).join(', ')}) runs on the ort backend only`,
    );
  if (backend === 'ort') {
    const stateInputs = new Set(recurrent.map((r) => r.input));
    const stateOutputs = new Set(recurrent.map((r) => r.output));
    const input = dataInputs(decoded.graph).find((v) => !stateInputs.has(v.name));
    const output = decoded.graph.outputs.find((v) => !stateOutputs.has(v.name));
    const last = (shape: readonly (number | string)[] | undefined) => {
      const d = shape?.[shape.length - 1];
      return typeof d === 'number' && d > 0 ? d : undefined;
    };
    const ortOptions = {
      device: options.device,
      log: options.log,
      declared: { inputSize: last(input?.shape), outputSize: last(output?.shape) },
    };
    // Backends load on first use: importing this module (e.g. via the controller registry) stays cheap.
    const { createOrtPolicy, createOrtRecurrentPolicy } = await import('./backends/ort.ts');
    policy =
      recurrent.length > 0
        ? await createOrtRecurrentPolicy(
            bytes,
            { input: input?.name ?? 'obs', output: output?.name ?? 'actions' },
            recurrent,
            ortOptions,
          )
        : await createOrtPolicy(bytes, ortOptions);
  } else {
    // The chain backends read the weights themselves; a graph they cannot run is refused by name.
    const chain = compileChain(decoded);
    if (backend === 'tfjs') {
      const { createTfjsPolicy } = await import('./backends/tfjs.ts');
      policy = await createTfjsPolicy(chain, {
        device: options.device,
        native: options.tfjsNative,
        log: options.log,
      });
    } else {
      if (options.device !== undefined && options.device !== 'cpu')
        options.log?.(`the synchronous kernel runs on the CPU only; device ${options.device} ignored`);
      policy = createKernelPolicy(chain);
    }
  }
  await warmUp(policy, options.warmup ?? 20, recurrent.length > 0 ? 1 : (options.maxBatch ?? 1));
  return policy;
}
