// Compiled from app/cli/commands/policy.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/policy.ts
import { readFile } from "node:fs/promises";
import path from "node:path";
import { compileChain, UnsupportedGraphError } from "../../../src/inference/chain.js";
import {
  ContractError,
  checkContractAgainstModel,
  loadContract,
  observationSize
} from "../../../src/inference/contract.js";
import { measurePolicy, micros } from "../../../src/inference/latency.js";
import { loadPolicy } from "../../../src/inference/load.js";
import {
  dataInputs,
  decodeModel,
  parameterCount
} from "../../../src/inference/onnx/model.js";
var elemTypes = {
  1: "float32",
  6: "int32",
  7: "int64",
  9: "bool",
  10: "float16",
  11: "float64"
};
var describeValue = (v) => `${v.name}: ${elemTypes[v.elemType] ?? `type ${v.elemType}`} [${v.shape.join(", ")}]`;
async function readOnnx(file) {
  try {
    return new Uint8Array(await readFile(file));
  } catch (error) {
    throw new Error(`cannot read '${file}': ${error.message}`);
  }
}
async function inspect(file, flags) {
  const bytes = await readOnnx(file);
  const model = decodeModel(bytes);
  const { graph } = model;
  const ops = /* @__PURE__ */ new Map();
  for (const n of graph.nodes) ops.set(n.opType, (ops.get(n.opType) ?? 0) + 1);
  let chain;
  try {
    const c = compileChain(model);
    chain = `yes (${c.inputSize} → ${c.outputSize}): runs on ort, tfjs and kernel`;
  } catch (error) {
    if (!(error instanceof UnsupportedGraphError)) throw error;
    chain = `no (${error.message}): ort only`;
  }
  const { createOrtSession } = await import("../../../src/inference/backends/ort.js");
  const { session } = await createOrtSession(bytes);
  const ortInputs = session.inputMetadata.map(
    (m) => m.isTensor ? `${m.name} [${m.shape.join(", ")}]` : m.name
  );
  await session.release();
  let contractLine;
  let contractOk = true;
  if (flags.contract) {
    const contract = loadContract(flags.contract);
    try {
      checkContractAgainstModel(
        contract,
        { inputs: dataInputs(graph), outputs: graph.outputs },
        path.basename(flags.contract)
      );
      contractLine = `ok (${observationSize(contract)} inputs from ${contract.observations.length} terms, ${contract.actions.signals.length} actions, ${contract.policy_rate_hz} Hz)`;
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      contractOk = false;
      contractLine = `MISMATCH
${error.issues.map((i) => `    - ${i}`).join("\n")}`;
    }
  }
  const summary = {
    file,
    bytes: bytes.length,
    producer: `${model.producerName} ${model.producerVersion}`.trim(),
    irVersion: model.irVersion,
    opsets: model.opsets.map((o) => `${o.domain || "ai.onnx"} ${o.version}`),
    inputs: dataInputs(graph).map(describeValue),
    outputs: graph.outputs.map(describeValue),
    ortInputs,
    parameters: parameterCount(graph),
    nodes: Object.fromEntries(ops),
    metadata: model.metadata,
    chain,
    contract: contractLine
  };
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ ...summary, contractOk }, null, 2)}
`);
  } else {
    const lines = [
      `model       ${file} (${bytes.length} bytes, ${summary.producer || "unknown producer"})`,
      `ir / opset  ${model.irVersion} / ${summary.opsets.join(", ")}`,
      ...summary.inputs.map((i) => `input       ${i}`),
      ...summary.outputs.map((o) => `output      ${o}`),
      `ORT input   ${ortInputs.join(", ")}`,
      `parameters  ${summary.parameters.toLocaleString("en-US")}`,
      `nodes       ${[...ops].map(([op, n]) => `${op}×${n}`).join(" ")}`,
      `MLP chain   ${chain}`,
      ...Object.entries(model.metadata).map(([k, v]) => `metadata    ${k} = ${v}`),
      ...contractLine ? [`contract    ${contractLine}`] : []
    ];
    process.stdout.write(`${lines.join("\n")}
`);
  }
  if (!contractOk) process.exitCode = 1;
}
async function bench(file, flags) {
  const bytes = await readOnnx(file);
  const backends = flags.backend === "all" ? ["ort", "tfjs", "kernel"] : [flags.backend];
  const calls = Number(flags.calls);
  const batch = Number(flags.batch);
  if (!Number.isInteger(calls) || calls < 1)
    throw new Error(`--calls: expected a positive integer, got '${flags.calls}'`);
  if (!Number.isInteger(batch) || batch < 1)
    throw new Error(`--batch: expected a positive integer, got '${flags.batch}'`);
  if (flags.device !== "cpu" && flags.device !== "cuda" && flags.device !== "webgpu")
    throw new Error(`--device: expected cpu, cuda or webgpu, got '${flags.device}'`);
  const unknown = backends.find((b) => b !== "ort" && b !== "tfjs" && b !== "kernel");
  if (unknown) throw new Error(`--backend: expected ort, tfjs, kernel or all, got '${unknown}'`);
  process.stdout.write(`backend            batch      p50 µs    p99 µs  p99.9 µs    max µs
`);
  for (const name of backends) {
    let policy;
    try {
      policy = await loadPolicy(bytes, {
        backend: name,
        device: flags.device,
        maxBatch: batch,
        log: (m) => process.stderr.write(`note: ${m}
`)
      });
    } catch (error) {
      if (flags.backend !== "all" || !(error instanceof UnsupportedGraphError)) throw error;
      process.stdout.write(`${name.padEnd(18)} skipped: ${error.message}
`);
      continue;
    }
    try {
      const s = await measurePolicy(policy, calls, batch);
      process.stdout.write(
        `${policy.backend.padEnd(18)} ${String(batch).padStart(5)} ${[s.p50, s.p99, s.p999, s.max].map((v) => micros(v).padStart(9)).join(" ")}
`
      );
    } finally {
      await policy.dispose();
    }
  }
}
function register(program) {
  const policy = program.command("policy").description("inspect and benchmark ONNX policies");
  policy.command("inspect").description("inputs/outputs, opset, parameter count, and an optional contract check").argument("<model>", "ONNX model file").option("-c, --contract <file>", "policy contract (YAML/JSON) to check against the model").option("--json", "print JSON").action((file, flags) => inspect(file, flags));
  policy.command("bench").description("batch latency per backend (p50/p99/p99.9/max, µs per call)").argument("<model>", "ONNX model file").option("-b, --backend <name>", "ort, tfjs, kernel or all", "all").option(
    "--device <device>",
    "cpu, cuda or webgpu (falls back to the CPU, saying why, when the GPU provider cannot start)",
    "cpu"
  ).option("-n, --calls <count>", "timed calls per backend", "5000").option("--batch <size>", "rows per call", "1").action((file, flags) => bench(file, flags));
}
export {
  register
};
