/**
 * Real processes for tests and benchmarks: a Mosquitto broker on a free loopback port, the emulated
 * rig as a child process (`tether rig`) and the runtime as one (`tether run`). Everything listens on
 * loopback only.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { realtimeNodeFlags } from '../../src/runtime/heap.ts';
import type { RigConfigInput } from '../rig/config.ts';
import type { RigReport } from '../rig/rig.ts';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** A fixed link key for tests and benchmarks only (never for a real rig: it is public). */
export const testLinkKey = '74657374206b6579206f6e6c793a206e6f7420666f722061207265616c20726967';

/**
 * Sets TETHER_LINK_KEY to the public test key unless it is already set, so test rigs and runtimes
 * (and the CLI processes they spawn) share a key. Returns the key in use.
 */
export function useTestLinkKey(): string {
  process.env['TETHER_LINK_KEY'] ??= testLinkKey;
  return process.env['TETHER_LINK_KEY'];
}

/**
 * Every process started here, and the socat pid files of serial rigs: whatever a failed test or an
 * interrupted benchmark leaves behind is killed when this process exits, so no rig keeps running.
 */
const children = new Set<ChildProcess>();
const socatPidFiles = new Set<string>();
const socatPids = new Set<number>();
let cleanupInstalled = false;
let signalCleanupInstalled = false;

/**
 * `signals: false`: the caller handles SIGINT and SIGTERM itself (it stops its children in order);
 * the children are still killed if the process exits with them running.
 */
function track(child: ChildProcess, signals = true): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once('exit', killLeftovers);
  }
  if (!signals || signalCleanupInstalled) return;
  signalCleanupInstalled = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killLeftovers();
      process.exit(130);
    });
  }
}

/** Kills every tracked child and the socat of every serial rig started here. Idempotent. */
export function killLeftovers(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  rememberSocatPids();
  for (const pid of socatPids) {
    try {
      // Only a socat of ours: the pid may have been reused since.
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (command.startsWith('socat\0') && command.includes('tether-')) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  socatPids.clear();
}

/** Pid files vanish with their test's temporary folder; remember the pids while they exist. */
function rememberSocatPids(): void {
  for (const file of socatPidFiles) {
    try {
      socatPids.add(Number(readFileSync(file, 'utf8')));
    } catch {
      // the rig stopped its socat itself, or has not started it yet
    }
  }
}

/** Finds a binary on PATH or in the usual sbin folders (Debian installs mosquitto in /usr/sbin). */
export function findBinary(name: string): string | undefined {
  for (const dir of [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/usr/local/sbin']) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (spawnSync('test', ['-x', candidate]).status === 0) return candidate;
  }
  return undefined;
}

export async function freeLoopbackPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export function temporaryDirectory(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export interface Mosquitto {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
  /** Stops and starts the broker on the same port, like a broker restart in the field. */
  restart(): Promise<void>;
}

/**
 * Starts Mosquitto on a free loopback port with a generated config. With `users`, a password file is
 * generated with mosquitto_passwd and anonymous clients are refused; with `persistence`, sessions
 * and queued messages survive `restart()`.
 */
export async function startMosquitto(
  options: {
    users?: { username: string; password: string }[];
    /** Keep sessions and queued QoS 1/2 messages across a restart (a file in the broker's folder). */
    persistence?: boolean;
  } = {},
): Promise<Mosquitto> {
  const binary = findBinary('mosquitto');
  if (binary === undefined) throw new Error('mosquitto not found; install it (apt-get install mosquitto)');
  const dir = temporaryDirectory('tether-mosquitto');
  const port = await freeLoopbackPort();
  // set_tcp_nodelay: without it every small publish waits for the previous one's ACK (Nagle).
  const lines = [
    `listener ${port} 127.0.0.1`,
    'set_tcp_nodelay true',
    ...(options.persistence
      ? ['persistence true', `persistence_location ${dir.path}/`, 'autosave_interval 1']
      : ['persistence false']),
    'log_dest stderr',
    'log_type error',
  ];
  if (options.users && options.users.length > 0) {
    const passwd = findBinary('mosquitto_passwd');
    if (passwd === undefined) throw new Error('mosquitto_passwd not found (package mosquitto)');
    const file = join(dir.path, 'passwd');
    // Mosquitto started as root drops to its own user, which must still read the file.
    chmodSync(dir.path, 0o755);
    writeFileSync(file, '', { mode: 0o644 });
    for (const u of options.users) {
      const r = spawnSync(passwd, ['-b', file, u.username, u.password]);
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    }
    chmodSync(file, 0o644);
    lines.push('allow_anonymous false', `password_file ${file}`);
  } else {
    lines.push('allow_anonymous true');
  }
  // Mosquitto started as root drops to its own user, which must write its persistence file here.
  if (options.persistence) chmodSync(dir.path, 0o777);
  const configFile = join(dir.path, 'mosquitto.conf');
  writeFileSync(configFile, `${lines.join('\n')}\n`);
  let child: ChildProcess | undefined;
  let stderr = '';
  const launch = async () => {
    child = spawn(binary, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    track(child);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitForPort(port, 5000, child).catch((error: Error) => {
      throw new Error(`${error.message}: ${stderr.trim()}`);
    });
  };
  await launch();
  const stop = async () => {
    const c = child;
    if (c === undefined || c.exitCode !== null) return;
    await new Promise<void>((done) => {
      c.once('exit', () => done());
      c.kill('SIGTERM');
    });
  };
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    stop: async () => {
      await stop();
      dir.remove();
    },
    restart: async () => {
      await stop();
      await launch();
    },
  };
}

async function waitForPort(port: number, timeoutMs: number, child: ChildProcess): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`broker exited with code ${child.exitCode}`);
    const ok = await new Promise<boolean>((done) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

export interface RigProcess {
  /** The ready line's link: host pty path, or `<url> topic <prefix>/<name>`. */
  readonly hostLink: string;
  readonly child: ChildProcess;
  /** Lines the rig logged on stderr so far. */
  readonly log: string[];
  /** SIGTERM, wait for exit, return the rig's report. */
  stop(): Promise<RigReport>;
  /** SIGKILL: a crashed rig (no goodbye, no report). */
  kill(): Promise<void>;
}

/** Runs `tether rig` as a separate process on a generated config; resolves once it is ready. */
export async function spawnRig(
  config: RigConfigInput,
  dir: string,
  name = 'rig',
  /** More `tether rig` options, e.g. `['--duration', '60']`. */
  args: readonly string[] = [],
  /**
   * Start the rig in its own process group, so that a Ctrl-C at the terminal (SIGINT to the
   * foreground group) reaches only its parent, which then stops the robot and the rig in order:
   * the parent handles SIGINT and SIGTERM itself (no kill-and-exit handler is installed for it).
   */
  options: { readonly ownProcessGroup?: boolean } = {},
): Promise<RigProcess> {
  const configFile = join(dir, `${name}.yaml`);
  const statsFile = join(dir, `${name}-stats.json`);
  writeFileSync(configFile, stringify(config));
  rmSync(statsFile, { force: true });
  const child = spawn(
    process.execPath,
    [
      ...realtimeNodeFlags,
      join(repoRoot, 'bin/tether.mjs'),
      'rig',
      configFile,
      '--stats',
      statsFile,
      ...args,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.ownProcessGroup === true,
    },
  );
  track(child, options.ownProcessGroup !== true);
  const transport = config.transport as { kind: string; link?: string };
  if (transport.kind === 'serial' && transport.link !== undefined) {
    socatPidFiles.add(`${resolve(dir, transport.link)}.socat.pid`);
  }
  const log: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) =>
    log.push(
      ...chunk
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  const hostLink = await new Promise<string>((done, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`rig not ready after 20 s: ${log.join(' | ')}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /ready: \S+ (.*)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        done(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`rig exited with code ${code}: ${log.join(' | ')}`));
    });
  });
  rememberSocatPids();
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    hostLink,
    child,
    log,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      try {
        return JSON.parse(readFileSync(statsFile, 'utf8')) as RigReport;
      } catch (error) {
        throw new Error(`rig wrote no report (${(error as Error).message}); its log: ${log.join(' | ')}`);
      }
    },
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Where a runtime finds its rig: the rig's host pty, or the broker the rig is on. */
export type RigLink =
  | { readonly kind: 'serial'; readonly path: string }
  | { readonly kind: 'mqtt'; readonly url: string };

/**
 * The shipped cartpole link config (configs/cartpole-serial.yaml or cartpole-mqtt.yaml, LQR at
 * 100 Hz) pointed at a test rig, written as `<dir>/<name>-run.yaml`; returns its path. `robot` adds
 * or replaces robot options (e.g. `requestTimeoutMs`), `staleAfterTicks` the safety layer's.
 */
export function cartpoleRunConfig(
  link: RigLink,
  dir: string,
  name: string,
  options: { readonly staleAfterTicks?: number; readonly robot?: Readonly<Record<string, unknown>> } = {},
): string {
  const shipped = join(
    repoRoot,
    'configs',
    link.kind === 'serial' ? 'cartpole-serial.yaml' : 'cartpole-mqtt.yaml',
  );
  const config = parse(readFileSync(shipped, 'utf8')) as {
    robot: Record<string, unknown>;
    safety: Record<string, unknown>;
  };
  Object.assign(
    config.robot,
    link.kind === 'serial' ? { path: link.path } : { url: link.url },
    options.robot,
  );
  if (options.staleAfterTicks !== undefined) config.safety.staleAfterTicks = options.staleAfterTicks;
  const file = join(dir, `${name}-run.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

export interface RuntimeProcess {
  readonly child: ChildProcess;
  /** True once the control loop runs (its `running under` line); false if the process ended first. */
  readonly started: Promise<boolean>;
  /** Its exit code; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** What it printed so far. */
  readonly output: { readonly stdout: string; readonly stderr: string };
}

/** Runs `tether run <config> ...args` as its own process, as a user starts it from a shell. */
export function spawnRuntime(config: string, args: readonly string[] = []): RuntimeProcess {
  const child = spawn(process.execPath, [join(repoRoot, 'bin/tether.mjs'), 'run', config, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child);
  const output = { stdout: '', stderr: '' };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  const started = new Promise<boolean>((done) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output.stderr += chunk.toString();
      if (output.stderr.includes('running under')) done(true);
    });
    void exited.then(() => done(false));
  });
  return { child, started, exited, output };
}

/**
 * Runs `run` against a spawned rig, then stops the rig, also when the run throws (so no rig process
 * outlives a failed run). Returns the run's result and the rig's own report.
 */
export async function runAgainstRig<T, R>(
  rig: { stop(): Promise<R> },
  run: () => Promise<T>,
): Promise<{ result: T; rigReport: R }> {
  let result: T;
  try {
    result = await run();
  } catch (error) {
    await rig.stop();
    throw error;
  }
  return { result, rigReport: await rig.stop() };
}
