// Compiled from app/live/live-view.ts by `npm run build`: edit the source, not this file.

// app/live/live-view.ts
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { liveSchema } from "../../src/config/schema.js";
import { loadContract } from "../../src/inference/contract.js";
import { newToken } from "../../src/live/auth.js";
function parseLivePort(value) {
  if (value === void 0 || value === true || value === false) return void 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--live: expected a TCP port (0-65535; 0 picks a free one), got '${String(value)}'`);
  return port;
}
async function startLiveView(config, request = {}) {
  const wanted = request.port !== void 0 && request.port !== false;
  if (config.live === void 0 && !wanted) return void 0;
  const options = { ...config.live ?? liveSchema.parse({}) };
  const port = parseLivePort(request.port) ?? options.port;
  const print = request.print ?? ((line) => process.stderr.write(`${line}
`));
  const token = operatorToken(options);
  const { LiveServer } = await import("../../src/live/server.js");
  const server = await LiveServer.start({
    host: options.host,
    port,
    token,
    allowOrigins: options.allowOrigins,
    tickHz: options.tickHz,
    publishHz: options.publishHz,
    name: `tether: ${config.name}`
  });
  const tokenNote = options.tokenEnv === void 0 ? `${server.url}#token=${token}` : `${server.url} (operator token from $${options.tokenEnv})`;
  print(`live view: ${tokenNote}`);
  print(
    `  Foxglove: open a connection, Foxglove WebSocket, ${server.wsUrl}` + (server.streamNeedsToken ? "" : "  (read-only streaming is open on loopback; commands need the token)")
  );
  const info = runInfo(config);
  return {
    server,
    sinks: [server.sink],
    events: [server.events],
    attach: (loop, robot, operator, logger) => server.attach({ loop, robot, operator, info, logger }),
    close: () => server.close()
  };
}
function operatorToken(options) {
  if (options.tokenEnv === void 0) return newToken();
  const value = process.env[options.tokenEnv];
  if (value === void 0 || value.length < 16)
    throw new Error(
      `live.tokenEnv: environment variable ${options.tokenEnv} must hold the operator token (at least 16 characters)`
    );
  return value;
}
function runInfo(config) {
  const policies = {};
  for (const entry of config.controllers) {
    if (entry.plugin.kind !== "policy") continue;
    const version = policyVersion(config.baseDir, entry.options);
    if (version) policies[entry.name] = version;
  }
  return {
    name: config.name,
    rateHz: config.loop.rateHz,
    policies,
    guard: config.switching.guard?.plugin.kind ?? "none"
  };
}
function policyVersion(baseDir, options) {
  try {
    const contractPath = path.resolve(baseDir, options.contract);
    const contract = loadContract(contractPath);
    const modelPath = options.model ? path.resolve(baseDir, options.model) : contract.model ? path.resolve(path.dirname(contractPath), contract.model) : void 0;
    if (modelPath === void 0) return void 0;
    const sha256 = createHash("sha256").update(readFileSync(modelPath)).digest("hex");
    return { model: path.basename(modelPath), sha256, version: cardVersion(modelPath, sha256) };
  } catch {
    return void 0;
  }
}
function cardVersion(modelPath, sha256) {
  const card = modelPath.replace(/\.onnx$/i, ".card.json");
  if (card === modelPath || !existsSync(card)) return void 0;
  try {
    const body = JSON.parse(readFileSync(card, "utf8"));
    if (body.onnx?.sha256 !== sha256) return void 0;
    return `${body.name ?? path.basename(modelPath)}@${body.created ?? "unknown"}`;
  } catch {
    return void 0;
  }
}
export {
  parseLivePort,
  runInfo,
  startLiveView
};
