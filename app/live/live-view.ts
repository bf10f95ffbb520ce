/**
 * The live view for a command that runs loops (`tether run`, `tether demo`, and whatever runs loops
 * later): starts the server from the config's `live:` section and the command line, says on the
 * terminal where to look and what the token is, and attaches each loop the command runs.
 *
 *   const live = await startLiveView(config, { port: flags.live });
 *   runFromConfig(config, overrides, {
 *     sinks: live?.sinks, events: live?.events,
 *     onStart: (loop, robot) => live?.attach(loop, robot, new OperatorConsole(loop, robot)),
 *   });
 *   await live?.close();
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunConfig } from '../../src/config/load.ts';
import { type LiveOptions, liveSchema } from '../../src/config/schema.ts';
import type { EventSink } from '../../src/core/events.ts';
import type { Robot } from '../../src/core/robot.ts';
import { loadContract } from '../../src/inference/contract.ts';
import { newToken } from '../../src/live/auth.ts';
import type { LiveOperator, LiveRunInfo, LiveServer, PolicyVersion } from '../../src/live/server.ts';
import type { LoggerDrops } from '../../src/logging/tick-logger.ts';
import type { ControlLoop, TickSink } from '../../src/loop/control-loop.ts';

export interface LiveViewRequest {
  /** `--live [port]`: true (the configured or default port) or a port number. */
  readonly port?: boolean | number | string | undefined;
  /** Where the URL and token are printed (default: stderr). */
  readonly print?: (line: string) => void;
}

export interface LiveView {
  readonly server: LiveServer;
  readonly sinks: readonly TickSink[];
  readonly events: readonly EventSink[];
  /**
   * Call from the runner's `onStart`; `operator` is the run's one OperatorConsole, `logger` what the
   * run's logger dropped (shown in the status).
   */
  attach(
    loop: ControlLoop,
    robot: Robot,
    operator: LiveOperator | undefined,
    logger?: LoggerDrops | undefined,
  ): void;
  close(): Promise<void>;
}

/** `--live` as given by commander: `true` without a value, the port text with one. */
export function parseLivePort(value: boolean | number | string | undefined): number | undefined {
  if (value === undefined || value === true || value === false) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--live: expected a TCP port (0-65535; 0 picks a free one), got '${String(value)}'`);
  return port;
}

/** Starts the live view when the config has `live:` or the command line asks for it; else undefined. */
export async function startLiveView(
  config: RunConfig,
  request: LiveViewRequest = {},
): Promise<LiveView | undefined> {
  const wanted = request.port !== undefined && request.port !== false;
  if (config.live === undefined && !wanted) return undefined;
  const options: LiveOptions = { ...(config.live ?? liveSchema.parse({})) };
  const port = parseLivePort(request.port) ?? options.port;
  const print = request.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = operatorToken(options);
  // The server (and its WebSocket stack) loads only for a run that serves the live view.
  const { LiveServer } = await import('../../src/live/server.ts');
  const server = await LiveServer.start({
    host: options.host,
    port,
    token,
    allowOrigins: options.allowOrigins,
    tickHz: options.tickHz,
    publishHz: options.publishHz,
    name: `tether: ${config.name}`,
  });
  const tokenNote =
    options.tokenEnv === undefined
      ? `${server.url}#token=${token}`
      : `${server.url} (operator token from $${options.tokenEnv})`;
  print(`live view: ${tokenNote}`);
  print(
    `  Foxglove: open a connection, Foxglove WebSocket, ${server.wsUrl}` +
      (server.streamNeedsToken ? '' : '  (read-only streaming is open on loopback; commands need the token)'),
  );
  const info = runInfo(config);
  return {
    server,
    sinks: [server.sink],
    events: [server.events],
    attach: (loop, robot, operator, logger) => server.attach({ loop, robot, operator, info, logger }),
    close: () => server.close(),
  };
}

function operatorToken(options: LiveOptions): string {
  if (options.tokenEnv === undefined) return newToken();
  const value = process.env[options.tokenEnv];
  if (value === undefined || value.length < 16)
    throw new Error(
      `live.tokenEnv: environment variable ${options.tokenEnv} must hold the operator token (at least 16 characters)`,
    );
  return value;
}

/** Policy versions (model file, SHA-256, model card) and the switch guard, for the status channel. */
export function runInfo(config: RunConfig): LiveRunInfo {
  const policies: Record<string, PolicyVersion> = {};
  for (const entry of config.controllers) {
    if (entry.plugin.kind !== 'policy') continue;
    const version = policyVersion(config.baseDir, entry.options as { contract: string; model?: string });
    if (version) policies[entry.name] = version;
  }
  return {
    name: config.name,
    rateHz: config.loop.rateHz,
    policies,
    guard: config.switching.guard?.plugin.kind ?? 'none',
  };
}

/** The model the `policy` plugin will load (same resolution: options.model, else the contract's). */
function policyVersion(
  baseDir: string,
  options: { contract: string; model?: string },
): PolicyVersion | undefined {
  try {
    const contractPath = path.resolve(baseDir, options.contract);
    const contract = loadContract(contractPath);
    const modelPath = options.model
      ? path.resolve(baseDir, options.model)
      : contract.model
        ? path.resolve(path.dirname(contractPath), contract.model)
        : undefined;
    if (modelPath === undefined) return undefined;
    const sha256 = createHash('sha256').update(readFileSync(modelPath)).digest('hex');
    return { model: path.basename(modelPath), sha256, version: cardVersion(modelPath, sha256) };
  } catch {
    return undefined; // the run itself reports a missing or bad contract
  }
}

/** `name@created` from a model card beside the model that describes these very bytes. */
function cardVersion(modelPath: string, sha256: string): string | undefined {
  const card = modelPath.replace(/\.onnx$/i, '.card.json');
  if (card === modelPath || !existsSync(card)) return undefined;
  try {
    const body = JSON.parse(readFileSync(card, 'utf8')) as {
      name?: string;
      created?: string;
      onnx?: { sha256?: string };
    };
    if (body.onnx?.sha256 !== sha256) return undefined;
    return `${body.name ?? path.basename(modelPath)}@${body.created ?? 'unknown'}`;
  } catch {
    return undefined;
  }
}
