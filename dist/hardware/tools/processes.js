// Compiled from hardware/tools/processes.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../hardware/tools/processes.ts", import.meta.url).href;

// hardware/tools/processes.ts
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";
import { realtimeNodeFlags } from "../../src/runtime/heap.js";
var repoRoot = resolve(fileURLToPath(new URL("../..", __sourceUrl)));
var testLinkKey = "74657374206b6579206f6e6c793a206e6f7420666f722061207265616c20726967";
function useTestLinkKey() {
  process.env["TETHER_LINK_KEY"] ??= testLinkKey;
  return process.env["TETHER_LINK_KEY"];
}
var children = /* @__PURE__ */ new Set();
var socatPidFiles = /* @__PURE__ */ new Set();
var socatPids = /* @__PURE__ */ new Set();
var cleanupInstalled = false;
var signalCleanupInstalled = false;
function track(child, signals = true) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  if (!cleanupInstalled) {
    cleanupInstalled = true;
    process.once("exit", killLeftovers);
  }
  if (!signals || signalCleanupInstalled) return;
  signalCleanupInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      killLeftovers();
      process.exit(130);
    });
  }
}
function killLeftovers() {
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  rememberSocatPids();
  for (const pid of socatPids) {
    try {
      const command = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (command.startsWith("socat\0") && command.includes("tether-")) process.kill(pid, "SIGKILL");
    } catch {
    }
  }
  socatPids.clear();
}
function rememberSocatPids() {
  for (const file of socatPidFiles) {
    try {
      socatPids.add(Number(readFileSync(file, "utf8")));
    } catch {
    }
  }
}
function findBinary(name) {
  for (const dir of [...(process.env["PATH"] ?? "").split(":"), "/usr/sbin", "/usr/local/sbin"]) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (spawnSync("test", ["-x", candidate]).status === 0) return candidate;
  }
  return void 0;
}
async function freeLoopbackPort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
function temporaryDirectory(prefix) {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
async function startMosquitto(options = {}) {
  const binary = findBinary("mosquitto");
  if (binary === void 0) throw new Error("mosquitto not found; install it (apt-get install mosquitto)");
  const dir = temporaryDirectory("tether-mosquitto");
  const port = await freeLoopbackPort();
  const lines = [
    `listener ${port} 127.0.0.1`,
    "set_tcp_nodelay true",
    ...options.persistence ? ["persistence true", `persistence_location ${dir.path}/`, "autosave_interval 1"] : ["persistence false"],
    "log_dest stderr",
    "log_type error"
  ];
  if (options.users && options.users.length > 0) {
    const passwd = findBinary("mosquitto_passwd");
    if (passwd === void 0) throw new Error("mosquitto_passwd not found (package mosquitto)");
    const file = join(dir.path, "passwd");
    chmodSync(dir.path, 493);
    writeFileSync(file, "", { mode: 420 });
    for (const u of options.users) {
      const r = spawnSync(passwd, ["-b", file, u.username, u.password]);
      if (r.status !== 0) throw new Error(`mosquitto_passwd failed: ${r.stderr}`);
    }
    chmodSync(file, 420);
    lines.push("allow_anonymous false", `password_file ${file}`);
  } else {
    lines.push("allow_anonymous true");
  }
  if (options.persistence) chmodSync(dir.path, 511);
  const configFile = join(dir.path, "mosquitto.conf");
  writeFileSync(configFile, `${lines.join("\n")}
`);
  let child;
  let stderr = "";
  const launch = async () => {
    child = spawn(binary, ["-c", configFile], { stdio: ["ignore", "ignore", "pipe"] });
    track(child);
    child.stderr?.on("data", (chunk) => {
      stderr += chunk.toString();
    });
    await waitForPort(port, 5e3, child).catch((error) => {
      throw new Error(`${error.message}: ${stderr.trim()}`);
    });
  };
  await launch();
  const stop = async () => {
    const c = child;
    if (c === void 0 || c.exitCode !== null) return;
    await new Promise((done) => {
      c.once("exit", () => done());
      c.kill("SIGTERM");
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
    }
  };
}
async function waitForPort(port, timeoutMs, child) {
  const { connect } = await import("node:net");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`broker exited with code ${child.exitCode}`);
    const ok = await new Promise((done) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        done(true);
      });
      socket.once("error", () => done(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}
async function spawnRig(config, dir, name = "rig", args = [], options = {}) {
  const configFile = join(dir, `${name}.yaml`);
  const statsFile = join(dir, `${name}-stats.json`);
  writeFileSync(configFile, stringify(config));
  rmSync(statsFile, { force: true });
  const child = spawn(
    process.execPath,
    [
      ...realtimeNodeFlags,
      join(repoRoot, "bin/tether.mjs"),
      "rig",
      configFile,
      "--stats",
      statsFile,
      ...args
    ],
    {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      detached: options.ownProcessGroup === true
    }
  );
  track(child, options.ownProcessGroup !== true);
  const transport = config.transport;
  if (transport.kind === "serial" && transport.link !== void 0) {
    socatPidFiles.add(`${resolve(dir, transport.link)}.socat.pid`);
  }
  const log = [];
  child.stderr?.on(
    "data",
    (chunk) => log.push(
      ...chunk.toString().split("\n").filter((l) => l !== "")
    )
  );
  const hostLink = await new Promise((done, fail) => {
    let out = "";
    const timer = setTimeout(() => fail(new Error(`rig not ready after 20 s: ${log.join(" | ")}`)), 2e4);
    child.stdout?.on("data", (chunk) => {
      out += chunk.toString();
      const match = /ready: \S+ (.*)\n/.exec(out);
      if (match) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`rig exited with code ${code}: ${log.join(" | ")}`));
    });
  });
  rememberSocatPids();
  const exited = new Promise((done) => child.once("exit", () => done()));
  return {
    hostLink,
    child,
    log,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      try {
        return JSON.parse(readFileSync(statsFile, "utf8"));
      } catch (error) {
        throw new Error(`rig wrote no report (${error.message}); its log: ${log.join(" | ")}`);
      }
    },
    kill: async () => {
      child.kill("SIGKILL");
      await exited;
    }
  };
}
function cartpoleRunConfig(link, dir, name, options = {}) {
  const shipped = join(
    repoRoot,
    "configs",
    link.kind === "serial" ? "cartpole-serial.yaml" : "cartpole-mqtt.yaml"
  );
  const config = parse(readFileSync(shipped, "utf8"));
  Object.assign(
    config.robot,
    link.kind === "serial" ? { path: link.path } : { url: link.url },
    options.robot
  );
  if (options.staleAfterTicks !== void 0) config.safety.staleAfterTicks = options.staleAfterTicks;
  const file = join(dir, `${name}-run.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}
function spawnRuntime(config, args = []) {
  const child = spawn(process.execPath, [join(repoRoot, "bin/tether.mjs"), "run", config, ...args], {
    stdio: ["ignore", "pipe", "pipe"]
  });
  track(child);
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk) => {
    output.stdout += chunk.toString();
  });
  const exited = new Promise((done) => child.once("close", (code) => done(code)));
  const started = new Promise((done) => {
    child.stderr?.on("data", (chunk) => {
      output.stderr += chunk.toString();
      if (output.stderr.includes("running under")) done(true);
    });
    void exited.then(() => done(false));
  });
  return { child, started, exited, output };
}
async function runAgainstRig(rig, run) {
  let result;
  try {
    result = await run();
  } catch (error) {
    await rig.stop();
    throw error;
  }
  return { result, rigReport: await rig.stop() };
}
export {
  cartpoleRunConfig,
  findBinary,
  freeLoopbackPort,
  killLeftovers,
  runAgainstRig,
  spawnRig,
  spawnRuntime,
  startMosquitto,
  temporaryDirectory,
  testLinkKey,
  useTestLinkKey
};
