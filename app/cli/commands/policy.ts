import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { compileChain, UnsupportedGraphError } from '../../../src/inference/chain.ts';
import {
  ContractError,
  checkContractAgainstModel,
  loadContract,
  observationSize,
} from '../../../src/inference/contract.ts';
import { measurePolicy, micros } from '../../../src/inference/latency.ts';
import { loadPolicy } from '../../../src/inference/load.ts';
import {
  dataInputs,
  decodeModel,
  type OnnxValueInfo,
  parameterCount,
} from '../../../src/inference/onnx/model.ts';
import type { BackendName, Device } from '../../../src/inference/policy.ts';

const elemTypes: Record<number, string> = {
  1: 'float32',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
};
const describeValue = (v: OnnxValueInfo): string =>
  `${v.name}: ${elemTypes[v.elemType] ?? `type ${v.elemType}`} [${v.shape.join(', ')}]`;

async function readOnnx(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new Error(`cannot read '${file}': ${(error as Error).message}`);
  }
}

interface InspectFlags {
  contract?: string;
  json?: boolean;
}

async function inspect(file: string, flags: InspectFlags): Promise<void> {
  const bytes = await readOnnx(file);
  const model = decodeModel(bytes);
  const { graph } = model;
  const ops = new Map<string, number>();
  for (const n of graph.nodes) ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
  let chain: string;
  try {
    const c = compileChain(model);
    chain = `yes (${c.inputSize} → ${c.outputSize}): runs on ort, tfjs and kernel`;
  } catch (error) {
    if (!(error instanceof UnsupportedGraphError)) throw error;
    chain = `no (${error.message}): ort only`;
  }
  // ONNX Runtime must accept the file too; its own view of the shapes is what inference will use.
  const { createOrtSession } = await import('../../../src/inference/backends/ort.ts');
  const { session } = await createOrtSession(bytes);
  const ortInputs = session.inputMetadata.map((m) =>
    m.isTensor ? `${m.name} [${m.shape.join(', ')}]` : m.name,
  );
  await session.release();

  let contractLine: string | undefined;
  let contractOk = true;
  if (flags.contract) {
    const contract = loadContract(flags.contract);
    try {
      checkContractAgainstModel(
        contract,
        { inputs: dataInputs(graph), outputs: graph.outputs },
        path.basename(flags.contract),
      );
      contractLine = `ok (${observationSize(contract)} inputs from ${contract.observations.length} terms, ${contract.actions.signals.length} actions, ${contract.policy_rate_hz} Hz)`;
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      contractOk = false;
      contractLine = `MISMATCH\n${error.issues.map((i) => `    - ${i}`).join('\n')}`;
    }
  }

  const summary = {
    file,
    bytes: bytes.length,
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    irVersion: model.irVersion,
    opsets: model.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`),
    inputs: dataInputs(graph).map(describeValue),
    outputs: graph.outputs.map(describeValue),
    ortInputs,
    parameters: parameterCount(graph),
    nodes: Object.fromEntries(ops),
    metadata: model.metadata,
    chain,
    contract: contractLine,
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, contractOk }, null, 2)}\n`);
  } else {
    const lines = [
      `model       ${file} (${bytes.length} bytes, ${summary.producer || 'unknown producer'})`,
      `ir / opset  ${model.irVersion} / ${summary.opsets.join(', ')}`,
      ...summary.inputs.map((i) => `input       ${i}`),
      ...summary.outputs.map((o) => `output      ${o}`),
      `ORT input   ${ortInputs.join(', ')}`,
      `parameters  ${summary.parameters.toLocaleString('en-US')}`,
      `nodes       ${[...ops].map(([op, n]) => `${op}×${n}`).join(' ')}`,
      `MLP chain   ${chain}`,
      ...Object.entries(model.metadata).map(([k, v]) => `metadata    ${k} = ${v}`),
      ...(contractLine ? [`contract    ${contractLine}`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (!contractOk) process.exitCode = 1;
}

interface BenchFlags {
  backend: string;
  device: string;
  calls: string;
  batch: string;
}

async function bench(file: string, flags: BenchFlags): Promise<void> {
  const bytes = await readOnnx(file);
  const backends = flags.backend === 'all' ? (['ort', 'tfjs', 'kernel'] as const) : [flags.backend];
  const calls = Number(flags.calls);
  const batch = Number(flags.batch);
  if (!Number.isInteger(calls) || calls < 1)
    throw new Error(`--calls: expected a positive integer, got '${flags.calls}'`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`--batch: expected a positive integer, got '${flags.batch}'`);
  if (flags.device !== 'cpu' && flags.device !== 'cuda' && flags.device !== 'webgpu')
    throw new Error(`--device: expected cpu, cuda or webgpu, got '${flags.device}'`);
  const unknown = backends.find((b) => b !== 'ort' && b !== 'tfjs' && b !== 'kernel');
  if (unknown) throw new Error(`--backend: expected ort, tfjs, kernel or all, got '${unknown}'`);
  process.stdout.write(`backend            batch      p50 µs    p99 µs  p99.9 µs    max µs\n`);
  for (const name of backends) {
    let policy: Awaited<ReturnType<typeof loadPolicy>>;
    try {
      policy = await loadPolicy(bytes, {
        backend: name as BackendName,
        device: flags.device as Device,
        maxBatch: batch,
        log: (m) => process.stderr.write(`note: ${m}\n`),
      });
    } catch (error) {
      if (flags.backend !== 'all' || !(error instanceof UnsupportedGraphError)) throw error;
      process.stdout.write(`${name.padEnd(18)} skipped: ${error.message}\n`);
      continue;
    }
    try {
      const s = await measurePolicy(policy, calls, batch);
      process.stdout.write(
        `${policy.backend.padEnd(18)} ${String(batch).padStart(5)} ${[s.p50, s.p99, s.p999, s.max].map((v) => micros(v).padStart(9)).join(' ')}\n`,
      );
    } finally {
      await policy.dispose();
    }
  }
}

export function register(program: Command): void {
  const policy = program.command('policy').description('inspect and benchmark ONNX policies');
  policy
    .command('inspect')
    .description('inputs/outputs, opset, parameter count, and an optional contract check')
    .argument('<model>', 'ONNX model file')
    .option('-c, --contract <file>', 'policy contract (YAML/JSON) to check against the model')
    .option('--json', 'print JSON')
    .action((file: string, flags: InspectFlags) => inspect(file, flags));
  policy
    .command('bench')
    .description('batch latency per backend (p50/p99/p99.9/max, µs per call)')
    .argument('<model>', 'ONNX model file')
    .option('-b, --backend <name>', 'ort, tfjs, kernel or all', 'all')
    .option(
      '--device <device>',
      'cpu, cuda or webgpu (falls back to the CPU, saying why, when the GPU provider cannot start)',
      'cpu',
    )
    .option('-n, --calls <count>', 'timed calls per backend', '5000')
    .option('--batch <size>', 'rows per call', '1')
    .action((file: string, flags: BenchFlags) => bench(file, flags));
}
