// Compiled from app/loop/closed-loop.ts by `npm run build`: edit the source, not this file.

// app/loop/closed-loop.ts
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { policyControllerPlugin } from "../../controllers/policies/policy-controller.js";
import { spawnRig } from "../../hardware/tools/processes.js";
import { loadRunConfig } from "../../src/config/load.js";
import { returnBound } from "../../src/core/environment.js";
import { sha256 } from "../../src/inference/export.js";
import { OperatorConsole } from "../../src/loop/operator.js";
import {
  RollbackMonitor
} from "../../src/loop/rollback-monitor.js";
import { runFromConfig } from "../../src/loop/runner.js";
import { plugins } from "../plugins.js";
import { EpisodeDriver, episodeEndPrefix } from "./episodes.js";
import { ExploringController, explorationSwitch } from "./exploration.js";
import { BrokerLearner, EpisodePublisher, episodeMessage } from "./fleet.js";
import { reverifiedFiles } from "../../src/learning/certificate-gate.js";
import { certifiedControllersOf } from "./certified.js";
import { LearnerProcess } from "./learner-process.js";
import { returnsSvg } from "./plot.js";
import { LateSink, RoundLog } from "./round-log.js";
import { datasetTaskOf } from "./task.js";
var LoopInterrupted = class extends Error {
  name = "LoopInterrupted";
};
function stats(episodes) {
  const returns = episodes.map((e) => e.return);
  const n = Math.max(1, returns.length);
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return {
    episodes: returns.length,
    meanReturn: mean,
    stdReturn: std,
    falls: episodes.filter((e) => e.end === "fell").length,
    returns
  };
}
var sleep = (seconds) => new Promise((done) => setTimeout(done, seconds * 1e3));
function withRigLink(config, hostLink) {
  if (config.robot.plugin.kind !== "serial")
    throw new Error(
      `${config.file}: the loop starts its rig on a serial pty, but the robot is '${config.robot.plugin.kind}'; drop rig: from the loop config and run the rig yourself`
    );
  return {
    ...config,
    robot: { ...config.robot, options: { ...config.robot.options, path: hostLink } }
  };
}
async function runClosedLoop(loop, hooks = {}) {
  const started = performance.now();
  const out = loop.output;
  mkdirSync(out, { recursive: true });
  const ledgerFile = path.join(out, "ledger.jsonl");
  writeFileSync(ledgerFile, "");
  const status = hooks.status ?? (() => {
  });
  let runConfig = loadRunConfig(loop.run, plugins);
  const policyName = loop.policy ?? runConfig.switching.initial;
  const policyEntry = runConfig.controllers.find((c) => c.name === policyName);
  if (policyEntry === void 0 || policyEntry.plugin.kind !== "policy")
    throw new Error(
      `${loop.file}: policy '${policyName}' must name a 'policy' controller of ${loop.run} (it has ${runConfig.controllers.map((c) => `${c.name} (${c.plugin.kind})`).join(", ")})`
    );
  const certified = certifiedControllersOf(runConfig);
  const policyCertificate = certified.find((c) => c.controller === policyName && c.certificate !== void 0);
  if (policyCertificate !== void 0 && loop.episodes.exploration.std > 0)
    throw new Error(
      `${loop.file}: episodes.exploration adds noise to the commands of '${policyName}', which ${policyCertificate.key} certifies without it; set episodes.exploration.std to 0 (or run the policy uncertified)`
    );
  const taskSection = runConfig.task?.section ?? {
    kind: loop.finetune.environment.kind,
    ...loop.finetune.environment.options
  };
  const taskBaseDir = runConfig.task?.baseDir ?? path.dirname(loop.finetune.file);
  const task = await datasetTaskOf(taskSection, {
    what: runConfig.task === void 0 ? loop.finetune.file : `${loop.run}: task`,
    baseDir: taskBaseDir
  });
  if (runConfig.task !== void 0 && runConfig.task.plugin.kind !== loop.finetune.environment.kind)
    throw new Error(
      `${loop.run}: task.kind is '${runConfig.task.plugin.kind}', the fine-tuning config's environment '${loop.finetune.environment.kind}': the rig's rewards and the learner's would be of different tasks`
    );
  if (runConfig.task === void 0) {
    const plugin = plugins.environments.find((p) => p.kind === loop.finetune.environment.kind);
    runConfig = {
      ...runConfig,
      task: {
        plugin,
        options: loop.finetune.environment.options,
        baseDir: taskBaseDir,
        section: taskSection
      }
    };
  }
  if (Math.abs(task.rateHz - runConfig.loop.rateHz) > 1e-6 * task.rateHz)
    throw new Error(
      `${loop.run}: loop.rateHz is ${runConfig.loop.rateHz} Hz, the task (${task.name}) runs at ${task.rateHz} Hz`
    );
  const policyOptions = policyEntry.options;
  const contractPath = path.resolve(runConfig.baseDir, policyOptions.contract);
  const contractText = parse(readFileSync(contractPath, "utf8"));
  const onnxPath = policyOptions.model ? path.resolve(runConfig.baseDir, policyOptions.model) : path.resolve(path.dirname(contractPath), contractText.model ?? "policy.onnx");
  const versions = /* @__PURE__ */ new Map();
  versions.set(policyName, {
    onnx: onnxPath,
    contract: contractPath,
    sha256: sha256(readFileSync(onnxPath))
  });
  let rig;
  if (loop.rig !== void 0) {
    const rigConfig = parse(readFileSync(loop.rig, "utf8"));
    const transport = { ...rigConfig["transport"], kind: "serial", link: path.join(out, "link") };
    rig = await spawnRig({ ...rigConfig, transport }, out, "rig", [], { ownProcessGroup: true });
    runConfig = withRigLink(runConfig, rig.hostLink);
  }
  const broker = loop.learner.broker;
  const brokerOptions = broker && {
    url: broker.url,
    prefix: broker.prefix,
    fleet: broker.fleet,
    username: broker.username,
    password: broker.passwordEnv ? process.env[broker.passwordEnv] : void 0
  };
  let learner;
  let publisher;
  if (hooks.learner) learner = hooks.learner;
  else if (brokerOptions) {
    const brokerLearner = new BrokerLearner(
      brokerOptions,
      broker.rig,
      new LearnerProcess(loop.learner.nice)
    );
    await brokerLearner.start();
    learner = brokerLearner;
    writeFileSync(path.join(out, "published.txt"), "");
    publisher = new EpisodePublisher(brokerOptions, broker.rig, path.join(out, "published.txt"));
  } else learner = new LearnerProcess(loop.learner.nice);
  const roundLog = new RoundLog();
  const monitorSink = new LateSink();
  const horizonSeconds = loop.episodes.horizon ?? (task.horizon ?? 500) / task.rateHz;
  const horizonTicks = Math.round(horizonSeconds * task.rateHz);
  const exploration = loop.episodes.exploration.std > 0 ? explorationSwitch(
    loop.episodes.exploration.std,
    task.actionMap.map((m) => m.scale),
    loop.learner.seed + 17
  ) : void 0;
  const driver = new EpisodeDriver({
    observationSize: task.observation.length,
    actionSize: task.actionMap.length,
    horizonTicks,
    reward: task.reward,
    terminated: task.terminated,
    resetAttempts: loop.episodes.resetAttempts,
    resetPause: loop.episodes.resetPause,
    record: publisher !== void 0,
    ...exploration ? { exploration: { switch: exploration, share: loop.episodes.exploration.share } } : {}
  });
  const rounds = [];
  const logs = [];
  let final = null;
  let learnerLine = "idle";
  let round = 0;
  let orchestration;
  let failure;
  let completed = false;
  let phase = "starting";
  let interrupted;
  let runningLoop;
  let rejectInterrupted = () => {
  };
  const interruption = new Promise((_, reject) => {
    rejectInterrupted = reject;
  });
  interruption.catch(() => void 0);
  const until = (promise) => Promise.race([promise, interruption]);
  const interrupt = (reason) => {
    if (interrupted !== void 0) return;
    interrupted = { reason, round, phase };
    status(
      `${reason}: stopping at the next tick boundary (round ${Math.min(round + 1, loop.rounds)}, ${phase})`
    );
    ledger(
      {
        kind: "interrupted",
        reason,
        round,
        phase,
        message: `${reason}: the loop stops in round ${round} (${phase}); the robot stops through its safe stop`
      },
      runningLoop
    );
    driver.stop();
    rejectInterrupted(new LoopInterrupted(reason));
    runningLoop?.stop();
  };
  const ledger = (entry, loopRef) => {
    appendFileSync(ledgerFile, `${JSON.stringify({ wall: (/* @__PURE__ */ new Date()).toISOString(), ...entry })}
`);
    if (loopRef) {
      const data = {};
      for (const [k, v] of Object.entries(entry))
        if (typeof v === "number" || typeof v === "string" || typeof v === "boolean") data[k] = v;
      loopRef.events.emit({
        time: loopRef.record.deadline,
        kind: "info",
        source: "loop",
        message: String(entry["message"] ?? entry["kind"]),
        data
      });
    }
  };
  const onStop = () => interrupt(String(hooks.stop?.reason ?? "stop"));
  if (hooks.stop?.aborted) onStop();
  else hooks.stop?.addEventListener("abort", onStop, { once: true });
  const orchestrate = async (running, robot, _operator) => {
    const manager = running.controllers;
    const context = manager.context;
    const monitor = new RollbackMonitor({
      manager,
      dt: context.dt,
      events: running.events,
      observationSize: task.observation.length,
      actionSize: task.actionMap.length,
      fell: task.terminated,
      reward: task.reward,
      maxWindow: Math.max(120, loop.swap.rollback.window * 2)
    });
    monitorSink.target = monitor;
    const logOptions = () => ({
      robot: robot.info,
      controller: manager.activeName,
      controllers: manager.names,
      // The run config as written, and the task its episodes are attempts at: a log is a dataset.
      // Relative paths in the task resolve against taskBaseDir (the fine-tuning config's folder).
      config: { ...runConfig.source, task: taskSection, taskBaseDir },
      rateHz: runConfig.loop.rateHz,
      whenFull: "drop",
      link: robot.linkHealth !== void 0
    });
    const logPath = (k) => path.join(out, `round-${k}.mcap`);
    const load = async (contract) => {
      const controller = await policyControllerPlugin.create(
        policyControllerPlugin.schema.parse({ contract, backend: "kernel", fallback: "hold" }),
        { baseDir: out, controlDt: context.dt, seed: loop.learner.seed }
      );
      await controller.configure(context);
      return exploration ? new ExploringController(controller, exploration) : controller;
    };
    const switched = async (name) => {
      const admitBy = performance.now() + loop.swap.admitWithin * 1e3;
      while (manager.activeName !== name && performance.now() < admitBy) await until(sleep(0.02));
      if (manager.activeName !== name && manager.pendingSwitch === name) manager.withdrawSwitch();
      return manager.activeName === name;
    };
    const deployed = versions.get(policyName);
    const refused = manager.install(
      "v0",
      await until(load(deployed.contract)),
      { hash: deployed.sha256, round: -1 },
      policyCertificate && { model: policyCertificate.model, certificate: policyCertificate.certificate }
    );
    if (refused !== void 0) throw new Error(`the deployed policy cannot run as v0: ${refused}`);
    versions.set("v0", deployed);
    manager.requestSwitch("v0", `the loop runs ${policyName} as v0`);
    await roundLog.rotate(logPath(0), logOptions());
    logs.push(logPath(0));
    ledger(
      {
        kind: "version",
        version: "v0",
        sha256: deployed.sha256,
        onnx: deployed.onnx,
        message: `deployed v0 = ${policyName} (sha256 ${deployed.sha256.slice(0, 12)})`,
        controller: "v0",
        hash: deployed.sha256
      },
      running
    );
    if (!await switched("v0"))
      throw new Error(
        `the switch guard did not admit the deployed policy as v0 within ${loop.swap.admitWithin} s (swap.admitWithin): ${manager.lastGuardRefusal ?? "no reason given"}`
      );
    if (publisher) {
      const run = (/* @__PURE__ */ new Date()).toISOString();
      const sha = (v) => versions.get(v)?.sha256 ?? v;
      driver.onEpisode((episode) => {
        const message = episodeMessage(episode, broker.rig, run, sha, task.actionMap);
        if (message) publisher.publish(message);
      });
    }
    const datasets = [];
    for (round = 0; round < loop.rounds; round++) {
      const active = manager.activeName;
      const activeVersion = versions.get(active);
      status(
        `round ${round + 1}/${loop.rounds}: collecting ${loop.episodes.perRound} episodes under ${active}`
      );
      phase = "collecting episodes";
      const episodes = await until(driver.collect(loop.episodes.perRound, () => manager.activeName));
      if (episodes === void 0)
        throw new Error(`the robot did not recover between episodes: ${driver.lastResetProblem}`);
      const real = stats(episodes);
      await roundLog.rotate(logPath(round + 1), logOptions());
      logs.push(logPath(round + 1));
      ledger(
        {
          kind: "round",
          round,
          version: active,
          sha256: activeVersion.sha256,
          meanReturn: real.meanReturn,
          episodes: real.episodes,
          falls: real.falls,
          message: `round ${round}: ${active} returned ${real.meanReturn.toFixed(2)} ± ${real.stdReturn.toFixed(2)} over ${real.episodes} episodes (${real.falls} falls)`
        },
        running
      );
      const candidateName = `v${round + 1}`;
      const job = {
        round,
        logs: [logPath(round)],
        datasets: [...datasets],
        config: loop.finetune,
        deployed: { onnx: activeVersion.onnx, contract: activeVersion.contract },
        task: taskSection,
        taskBaseDir,
        gates: loop.gates,
        robot: { observation: robot.info.observation, action: robot.info.action },
        certified,
        replaces: policyName,
        dir: path.join(out, `round-${round}`),
        seed: loop.learner.seed + round,
        ...loop.learner.updates ? { updates: loop.learner.updates } : {}
      };
      let result2;
      try {
        learnerLine = "building the dataset";
        phase = "fine-tuning";
        result2 = await until(learner.learn(job));
      } catch (error) {
        if (error instanceof LoopInterrupted) throw error;
        const message = error.message;
        ledger({ kind: "learner-failed", round, message: `round ${round}: ${message}` }, running);
        rounds.push(record(round, active, activeVersion.sha256, real, null, null, "learner-failed", message));
        continue;
      } finally {
        learnerLine = "idle";
      }
      datasets.push(result2.dataset);
      const candidate = { version: candidateName, sha256: result2.candidate.sha256 };
      const close = (outcome, detail, shadow2 = null, rollback = null) => {
        rounds.push(
          record(
            round,
            active,
            activeVersion.sha256,
            real,
            result2,
            candidate,
            outcome,
            detail,
            shadow2,
            rollback
          )
        );
      };
      ledger(
        {
          kind: "gates",
          round,
          version: candidateName,
          sha256: result2.candidate.sha256,
          passed: result2.gates.passed,
          failed: result2.gates.checks.filter((c) => !c.passed).map((c) => c.name).join(",") || "none",
          realTransitions: result2.trainTransitions,
          message: `${candidateName} (sha256 ${result2.candidate.sha256.slice(0, 12)}): gates ${result2.gates.passed ? "passed" : `FAILED (${result2.gates.checks.filter((c) => !c.passed).map((c) => `${c.name}: ${c.detail}`).join("; ")})`}`
        },
        running
      );
      if (!result2.gates.passed) {
        close("gates-failed", "kept with its report in " + job.dir);
        continue;
      }
      let installed;
      try {
        phase = "loading the candidate";
        installed = await until(load(result2.candidate.contract));
      } catch (error) {
        if (error instanceof LoopInterrupted) throw error;
        const message = `${candidateName} could not be loaded: ${error.message}`;
        ledger(
          { kind: "load-failed", round, version: candidateName, sha256: candidate.sha256, message },
          running
        );
        close("load-failed", message);
        continue;
      }
      const certificate = policyCertificate && reverifiedFiles(path.dirname(result2.candidate.onnx), policyName);
      const refused2 = manager.install(
        candidateName,
        installed,
        { hash: candidate.sha256, round },
        certificate
      );
      if (refused2 !== void 0) {
        ledger(
          {
            kind: "certificate-refused",
            round,
            version: candidateName,
            sha256: candidate.sha256,
            message: `${candidateName} not installed: ${refused2}`
          },
          running
        );
        close("certificate-refused", refused2);
        continue;
      }
      versions.set(candidateName, {
        onnx: result2.candidate.onnx,
        contract: result2.candidate.contract,
        sha256: candidate.sha256
      });
      let shadow = null;
      if (loop.swap.shadow > 0) {
        manager.startShadow(candidateName);
        phase = "shadow";
        await until(sleep(loop.swap.shadow));
        shadow = manager.stopShadow() ?? null;
        const bound = loop.swap.maxShadowDifference;
        const problem2 = shadow === null || shadow.ticks === 0 ? "the shadow produced no comparable action" : shadow.faults > 0 ? `the shadow faulted on ${shadow.faults} ticks` : bound !== void 0 && shadow.meanAbsDifference > bound ? `its actions differ from ${active}'s by ${shadow.meanAbsDifference.toPrecision(3)} on average (bound ${bound})` : void 0;
        ledger(
          {
            kind: "shadow",
            round,
            version: candidateName,
            sha256: candidate.sha256,
            ticks: shadow?.ticks ?? 0,
            meanAbsDifference: shadow?.meanAbsDifference ?? 0,
            refused: problem2 !== void 0,
            message: `${candidateName} in shadow: ${problem2 ?? `${shadow.ticks} ticks, mean |Δa| ${shadow.meanAbsDifference.toPrecision(3)}`}`
          },
          running
        );
        if (problem2 !== void 0) {
          close("shadow-refused", problem2, shadow);
          continue;
        }
      }
      const { minReturnRatio, minEpisodes, ...bounds } = loop.swap.rollback;
      monitor.watch(candidateName, active, bounds);
      const candidateReturns = [];
      const stopWatchingReturns = driver.onEpisode((episode) => {
        if (minReturnRatio === void 0 || monitor.status.verdict !== "watching") return;
        if (episode.explored || episode.controllers.length !== 1 || episode.controllers[0] !== candidateName)
          return;
        candidateReturns.push(episode.return);
        if (candidateReturns.length < minEpisodes) return;
        const mean = candidateReturns.reduce((a, b) => a + b, 0) / candidateReturns.length;
        const bound = returnBound(real.meanReturn, minReturnRatio);
        if (mean < bound)
          monitor.rollBack(
            `mean return ${mean.toFixed(2)} over ${candidateReturns.length} episodes is below ${bound.toFixed(2)} (${minReturnRatio} of ${real.meanReturn.toFixed(2)} of ${active} kept)`,
            running.record.deadline
          );
      });
      const problem = manager.requestSwitch(
        candidateName,
        `swap ${active} → ${candidateName} (sha256 ${candidate.sha256.slice(0, 12)})`
      );
      if (problem !== void 0) throw new Error(`swap refused by the manager: ${problem}`);
      ledger(
        {
          kind: "swap",
          round,
          from: active,
          to: candidateName,
          fromSha256: activeVersion.sha256,
          sha256: candidate.sha256,
          message: `swap ${active} → ${candidateName} requested for the next tick boundary`
        },
        running
      );
      if (!await switched(candidateName)) {
        monitor.cancel();
        stopWatchingReturns();
        const why = `the switch guard did not admit the swap within ${loop.swap.admitWithin} s (${manager.lastGuardRefusal ?? "no reason given"}); ${active} stays`;
        ledger(
          { kind: "swap-withdrawn", round, version: candidateName, sha256: candidate.sha256, message: why },
          running
        );
        close("swap-withdrawn", why, shadow);
        continue;
      }
      phase = "watching the swap";
      while (monitor.status.verdict === "watching") await until(sleep(0.1));
      stopWatchingReturns();
      const verdict = monitor.status;
      if (verdict.verdict === "rolled-back") {
        ledger(
          {
            kind: "rollback",
            round,
            from: candidateName,
            to: active,
            sha256: candidate.sha256,
            toSha256: activeVersion.sha256,
            reason: verdict.reason ?? "",
            message: `rolled back ${candidateName} → ${active}: ${verdict.reason}`
          },
          running
        );
        while (manager.activeName !== active) await until(sleep(0.02));
        close("rolled-back", verdict.reason ?? "", shadow, verdict);
      } else {
        ledger(
          {
            kind: "kept",
            round,
            version: candidateName,
            sha256: candidate.sha256,
            message: `${candidateName} kept after its rollback window`
          },
          running
        );
        close("swapped-kept", "kept after its rollback window", shadow, verdict);
      }
    }
    const finalCount = loop.episodes.final ?? loop.episodes.perRound;
    if (finalCount > 0) {
      const version = manager.activeName;
      status(`final: ${finalCount} episodes under ${version}`);
      phase = "final episodes";
      const finalEpisodes = await until(driver.collect(finalCount, () => manager.activeName));
      if (finalEpisodes === void 0)
        throw new Error(`the robot did not recover between episodes: ${driver.lastResetProblem}`);
      const real = stats(finalEpisodes);
      final = { version, sha256: versions.get(version).sha256, real };
      ledger(
        {
          kind: "final",
          version,
          sha256: final.sha256,
          meanReturn: real.meanReturn,
          episodes: real.episodes,
          message: `final: ${version} returned ${real.meanReturn.toFixed(2)} ± ${real.stdReturn.toFixed(2)} over ${real.episodes} episodes`
        },
        running
      );
    }
    driver.stop();
    completed = true;
  };
  const record = (k, version, hash, real, result2, candidate, outcome, detail, shadow = null, rollback = null) => ({
    round: k,
    version,
    sha256: hash,
    real,
    realTransitionsUsed: result2?.trainTransitions ?? null,
    candidate,
    outcome,
    detail,
    gates: result2?.gates ?? null,
    shadow,
    rollback,
    learnerSeconds: result2?.trainingSeconds ?? null,
    standInReturn: result2?.standInReturn ?? null
  });
  const progress = (p) => {
    learnerLine = p.phase === "fine-tune" && p.total ? `fine-tuning ${p.updates ?? 0}/${p.total}` : p.phase === "gates" ? "gates" : "dataset";
  };
  learner.onProgress = progress;
  let statusTimer;
  let result;
  try {
    result = await runFromConfig(
      runConfig,
      { mode: "realtime", episodeHorizon: horizonTicks },
      {
        sinks: [roundLog, driver, monitorSink, ...hooks.sinks ?? []],
        events: [roundLog, ...hooks.events ?? []],
        onStart: (running, robot) => {
          runningLoop = running;
          if (interrupted !== void 0) running.stop();
          const operator = new OperatorConsole(running, robot);
          driver.attach(running, operator);
          hooks.onStart?.(running, robot, operator);
          statusTimer = setInterval(() => {
            const last = driver.episodes.at(-1);
            const current = driver.current;
            status(
              `round ${Math.min(round + 1, loop.rounds)}/${loop.rounds}  ${running.controllers.activeName} active  episode ${driver.episodes.length}${current ? ` (${current.ticks} ticks)` : " (reset)"}  last return ${last ? last.return.toFixed(1) : "-"}  learner: ${learnerLine}  missed ${running.record.missedDeadlines}  safety ${running.safety.latched ? "latched" : "ok"}`
            );
          }, 1e3);
          statusTimer.unref();
          orchestration = orchestrate(running, robot, operator).catch((error) => {
            if (!(error instanceof LoopInterrupted)) failure = error;
          }).finally(() => running.stop());
        }
      }
    );
  } finally {
    hooks.stop?.removeEventListener("abort", onStop);
    clearInterval(statusTimer);
    driver.stop();
    await orchestration?.catch(() => void 0);
    await roundLog.close().catch(() => void 0);
    await learner.close?.().catch(() => void 0);
    await publisher?.close().catch(() => void 0);
    await rig?.stop().catch(() => void 0);
  }
  if (failure) throw failure;
  const plot = path.join(out, "returns.svg");
  writeFileSync(plot, returnsSvg(loop.name, rounds, final));
  const summary = {
    name: loop.name,
    output: out,
    rounds,
    final,
    report: result.report,
    // A loop that finished its rounds stops between two episodes, in the safe state it latched
    // itself (or that ended the last episode); only a loop that could not finish reports its latch.
    latched: completed || result.report.latched?.startsWith(episodeEndPrefix) ? void 0 : result.report.latched,
    wallSeconds: (performance.now() - started) / 1e3,
    logs,
    plot,
    task: result.task,
    interrupted
  };
  writeFileSync(path.join(out, "summary.json"), `${JSON.stringify(summary, null, 2)}
`);
  return summary;
}
export {
  runClosedLoop
};
