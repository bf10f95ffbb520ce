/**
 * Fine-tuning starts from the deployed policy: its ONNX file (what runs on the robot, read back
 * through the same chain reader the kernel backend uses) or a training checkpoint.
 *
 * An exported actor is `[normaliser] → dense/ReLU … → dense → tanh [→ ×scale + offset] [→ clip]`.
 * The learners keep no input normaliser of their own (TD3+BC's and IQL's is the log's, set at
 * construction), so a normaliser in the file is folded into the first layer exactly:
 *   W′ = W·diag(1/std),  b′ = b − W′·mean.
 * A scale after the tanh must be the identity: the learner's action is the tanh output and the
 * contract's action map turns it into robot units. Anything else is refused with the reason.
 */
import { readFile } from 'node:fs/promises';
import { type ChainStep, compileChain } from '../inference/chain.ts';
import { decodeModel } from '../inference/onnx/model.ts';
import { layerOffsets, type Mlp } from './engine.ts';

export interface ActorLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** Row-major out×in. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** The deterministic actor of a deployed policy, in the learner's units. */
export interface ActorInit {
  readonly source: string;
  readonly layers: readonly ActorLayer[];
  readonly hiddenActivation: 'relu' | 'tanh';
  readonly inputSize: number;
  readonly outputSize: number;
}

/** Reads the actor of an exported policy (ONNX bytes) into dense layers with the normaliser folded in. */
export function actorFromOnnx(bytes: Uint8Array, source: string): ActorInit {
  const chain = compileChain(decodeModel(bytes));
  const steps = [...chain.steps];
  const fail = (why: string): never => {
    throw new Error(`${source}: cannot start fine-tuning from this policy: ${why}`);
  };
  // Leading normaliser: (x − mean) / std, each optional.
  let mean: Float32Array | undefined;
  let std: Float32Array | undefined;
  for (let head = steps[0]; head !== undefined && (head.op === 'sub' || head.op === 'div'); head = steps[0]) {
    const step = steps.shift() as { op: 'sub' | 'div'; constant: Float32Array };
    if (step.op === 'sub') {
      if (std !== undefined) fail('a subtraction after the division is not a normaliser');
      mean = step.constant;
    } else std = step.constant;
  }
  // Trailing clip and affine map after the tanh: must leave the tanh output unchanged.
  while (steps.length > 0) {
    const last = steps.at(-1)!;
    if (last.op === 'clip') {
      if (last.lower > -1 || last.upper < 1)
        fail(`its output is clipped to [${last.lower}, ${last.upper}], inside tanh's [-1, 1]`);
      steps.pop();
    } else if (last.op === 'mul' || last.op === 'add' || last.op === 'div' || last.op === 'sub') {
      const neutral = last.op === 'mul' || last.op === 'div' ? 1 : 0;
      if (last.constant.some((v) => v !== neutral))
        fail(
          `its output is scaled inside the model (${last.op} [${Array.from(last.constant).join(', ')}]); ` +
            "a fine-tuned actor acts in the learner's units and leaves the scale to its contract",
        );
      steps.pop();
    } else break;
  }
  if (steps.at(-1)?.op !== 'tanh')
    fail('its output does not end in tanh (the learners squash their actions)');
  steps.pop();
  const layers: ActorLayer[] = [];
  let hidden: 'relu' | 'tanh' | undefined;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (step.op !== 'dense') fail(`step ${i} is ${step.op}, expected a dense layer`);
    const dense = step as Extract<ChainStep, { op: 'dense' }>;
    layers.push({
      inSize: dense.inSize,
      outSize: dense.outSize,
      weight: Float64Array.from(dense.weight),
      bias: Float64Array.from(dense.bias),
    });
    const next = steps[i + 1];
    if (next === undefined) break;
    const activation = next.op;
    if (activation !== 'relu' && activation !== 'tanh') {
      fail(`hidden activation ${activation}: expected relu or tanh`);
      break;
    }
    if (hidden !== undefined && activation !== hidden) fail('mixed hidden activations');
    hidden = activation;
    i++;
  }
  if (layers.length === 0) fail('no dense layer');
  const first = layers[0]!;
  if (mean !== undefined || std !== undefined) {
    const n = first.inSize;
    const w = first.weight;
    const b = first.bias;
    for (let o = 0; o < first.outSize; o++) {
      let shift = 0;
      for (let k = 0; k < n; k++) {
        const s = std === undefined ? 1 : std.length === 1 ? std[0]! : std[k]!;
        const m = mean === undefined ? 0 : mean.length === 1 ? mean[0]! : mean[k]!;
        w[o * n + k] = w[o * n + k]! / s;
        shift += w[o * n + k]! * m;
      }
      b[o] = b[o]! - shift;
    }
  }
  return {
    source,
    layers,
    hiddenActivation: hidden ?? 'relu',
    inputSize: first.inSize,
    outputSize: layers.at(-1)!.outSize,
  };
}

export async function readActorInit(file: string): Promise<ActorInit> {
  return actorFromOnnx(new Uint8Array(await readFile(file)), file);
}

/**
 * Writes an actor into a learner's network. The net may have more outputs than the actor (a SAC
 * actor's log-σ head after the A mean outputs): those rows get zero weights and `extraBias`, so
 * the exploration noise starts at a chosen, state-independent level. With `inputMean`/`inputStd`
 * the net sees normalised inputs (TD3+BC, IQL) and the actor is re-expressed for them.
 */
export function loadActor(
  net: Mlp,
  init: ActorInit,
  options: { extraBias?: number; inputMean?: Float64Array; inputStd?: Float64Array } = {},
): void {
  const spec = net.spec;
  const problems: string[] = [];
  if (spec.inputSize !== init.inputSize)
    problems.push(`it takes ${init.inputSize} inputs, the learner's actor ${spec.inputSize}`);
  const hidden = init.layers.slice(0, -1).map((l) => l.outSize);
  if (hidden.join(',') !== spec.hidden.join(','))
    problems.push(
      `its hidden layers are [${hidden.join(', ')}], the config's [${spec.hidden.join(', ')}] (set options.hidden to match)`,
    );
  if (init.hiddenActivation !== spec.activation)
    problems.push(`its hidden activation is ${init.hiddenActivation}, the learner's ${spec.activation}`);
  if (init.outputSize > spec.outputSize)
    problems.push(`it has ${init.outputSize} outputs, the learner's actor ${spec.outputSize}`);
  if (problems.length > 0)
    throw new Error(`${init.source}: cannot start fine-tuning from this policy: ${problems.join('; ')}`);
  const offsets = layerOffsets(spec);
  const p = net.params;
  init.layers.forEach((layer, l) => {
    const { weight, bias, inSize, outSize } = offsets[l]!;
    let w = layer.weight;
    let b = layer.bias;
    if (l === 0 && (options.inputMean || options.inputStd)) {
      // The net sees x̂ = (x − mean)/std: W x + b = (W·diag(std)) x̂ + (b + W·mean).
      w = Float64Array.from(layer.weight);
      b = Float64Array.from(layer.bias);
      for (let o = 0; o < layer.outSize; o++) {
        for (let k = 0; k < inSize; k++) {
          const original = layer.weight[o * inSize + k]!;
          b[o] = b[o]! + original * (options.inputMean?.[k] ?? 0);
          w[o * inSize + k] = original * (options.inputStd?.[k] ?? 1);
        }
      }
    }
    for (let o = 0; o < outSize; o++) {
      for (let k = 0; k < inSize; k++)
        p[weight + o * inSize + k] = o < layer.outSize ? w[o * inSize + k]! : 0;
      p[bias + o] = o < layer.outSize ? b[o]! : (options.extraBias ?? 0);
    }
  });
}
