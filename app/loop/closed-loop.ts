/**
 * The closed sim-to-real loop (`tether loop`): one uninterrupted run of the robot, and around it
 * rounds of
 *
 *   collect episodes under the deployed version (logged, one MCAP file per round)
 *   → the learner turns the round's log into a dataset and fine-tunes from the deployed policy
 *     (the robot keeps running episodes meanwhile; they are the next round's data)
 *   → gates on the candidate (contract, actions, sim, fitted Q evaluation, certificate)
 *   → load and warm the candidate off the tick, run it in shadow, swap at a tick boundary
 *   → watch it; roll back automatically when it crosses a bound
 *
 * Every version, gate report, swap and rollback goes into the run's log (events with the policy's
 * SHA-256) and into `ledger.jsonl`; `summary.json` and `returns.svg` hold the per-round figures.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { PolicyController } from '../../controllers/policies/policy-controller.ts';
import { policyControllerPlugin } from '../../controllers/policies/policy-controller.ts';
import { type RigProcess, spawnRig } from '../../hardware/tools/processes.ts';
import { loadRunConfig, type RunConfig } from '../../src/config/load.ts';
import { returnBound } from '../../src/core/environment.ts';
import type { ControlEvent, EventSink } from '../../src/core/events.ts';
import type { Robot } from '../../src/core/robot.ts';
import { sha256 } from '../../src/inference/export.ts';
import type { GateReport } from '../../src/learning/gates.ts';
import type { DatasetTask } from '../../src/learning/log-dataset.ts';
import type { ControlLoop, LoopReport, TickSink } from '../../src/loop/control-loop.ts';
import type { ShadowReport } from '../../src/loop/controller-manager.ts';
import { OperatorConsole } from '../../src/loop/operator.ts';
import {
  type RollbackBounds,
  RollbackMonitor,
  type RollbackStatus,
} from '../../src/loop/rollback-monitor.ts';
import { type RunResult, runFromConfig } from '../../src/loop/runner.ts';
import type { TaskOutcome } from '../../src/loop/task-outcome.ts';
import { plugins } from '../plugins.ts';
import type { LoopConfig } from './config.ts';
import { EpisodeDriver, episodeEndPrefix, type LiveEpisode } from './episodes.ts';
import { ExploringController, explorationSwitch } from './exploration.ts';
import { BrokerLearner, EpisodePublisher, episodeMessage } from './fleet.ts';
import type { Learner, LearnJob, LearnProgress, LearnResult } from './learner.ts';

export type { Learner };

import { reverifiedFiles } from '../../src/learning/certificate-gate.ts';
import { certifiedControllersOf } from './certified.ts';
import { LearnerProcess } from './learner-process.ts';
import { returnsSvg } from './plot.ts';
import { LateSink, RoundLog } from './round-log.ts';
import { datasetTaskOf } from './task.ts';

export interface ClosedLoopHooks {
  readonly learner?: Learner;
  /** Status lines (default: none). */
  readonly status?: (line: string) => void;
  /** Extra sinks and event listeners (the live view, an event printer). */
  readonly sinks?: readonly TickSink[];
  readonly events?: readonly EventSink[];
  readonly onStart?: (loop: ControlLoop, robot: Robot, operator: OperatorConsole) => void;
  /**
   * Aborted (its reason: the signal's name) = stop now: the round in progress ends at the next tick
   * boundary, the robot stops through the runner's safe stop, the learner is stopped, the logs are
   * closed, and the result says what finished.
   */
  readonly stop?: AbortSignal;
}

/** Where the loop was when it was told to stop. */
export interface LoopInterruption {
  /** What stopped it, e.g. `SIGINT`. */
  readonly reason: string;
  /** The round in progress (0-based), or `rounds` during the final episodes. */
  readonly round: number;
  readonly phase: string;
}

/** Ends the orchestration's waits once the loop is told to stop. */
class LoopInterrupted extends Error {
  override readonly name = 'LoopInterrupted';
}

export interface EpisodeStats {
  readonly episodes: number;
  readonly meanReturn: number;
  readonly stdReturn: number;
  readonly falls: number;
  readonly returns: readonly number[];
}

export type RoundOutcome =
  | 'swapped-kept'
  | 'rolled-back'
  | 'gates-failed'
  | 'load-failed'
  | 'certificate-refused'
  | 'swap-withdrawn'
  | 'shadow-refused'
  | 'learner-failed';

export interface RoundRecord {
  readonly round: number;
  /** The version deployed while this round's episodes ran, and its policy hash. */
  readonly version: string;
  readonly sha256: string;
  readonly real: EpisodeStats;
  /** Real transitions the fine-tuning of this round used (every round so far, minus held-out episodes). */
  readonly realTransitionsUsed: number | null;
  readonly candidate: { readonly version: string; readonly sha256: string } | null;
  readonly outcome: RoundOutcome;
  readonly detail: string;
  readonly gates: GateReport | null;
  readonly shadow: ShadowReport | null;
  readonly rollback: RollbackStatus | null;
  readonly learnerSeconds: number | null;
  readonly standInReturn: number | null;
}

export interface ClosedLoopResult {
  readonly name: string;
  readonly output: string;
  readonly rounds: readonly RoundRecord[];
  /** The version after the last round, over `episodes.final` episodes. */
  readonly final: { readonly version: string; readonly sha256: string; readonly real: EpisodeStats } | null;
  readonly report: LoopReport;
  /** Why the run ended latched, when the loop could not finish its rounds (else undefined). */
  readonly latched: string | undefined;
  readonly wallSeconds: number;
  readonly logs: readonly string[];
  readonly plot: string;
  /** The whole run scored by its task: every episode, measured and exploring, over every round. */
  readonly task: TaskOutcome | undefined;
  /** Set when the loop was stopped before it finished (Ctrl-C, SIGTERM): the rounds above finished. */
  readonly interrupted: LoopInterruption | undefined;
}

function stats(episodes: readonly LiveEpisode[]): EpisodeStats {
  const returns = episodes.map((e) => e.return);
  const n = Math.max(1, returns.length);
  const mean = returns.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return {
    episodes: returns.length,
    meanReturn: mean,
    stdReturn: std,
    falls: episodes.filter((e) => e.end === 'fell').length,
    returns,
  };
}

const sleep = (seconds: number) => new Promise((done) => setTimeout(done, seconds * 1000));

/** The run config with the robot pointed at a rig the loop started (serial link robots). */
function withRigLink(config: RunConfig, hostLink: string): RunConfig {
  if (config.robot.plugin.kind !== 'serial')
    throw new Error(
      `${config.file}: the loop starts its rig on a serial pty, but the robot is '${config.robot.plugin.kind}'; drop rig: from the loop config and run the rig yourself`,
    );
  return {
    ...config,
    robot: { ...config.robot, options: { ...(config.robot.options as object), path: hostLink } },
  };
}

export async function runClosedLoop(
  loop: LoopConfig,
  hooks: ClosedLoopHooks = {},
): Promise<ClosedLoopResult> {
  const started = performance.now();
  const out = loop.output;
  mkdirSync(out, { recursive: true });
  const ledgerFile = path.join(out, 'ledger.jsonl');
  writeFileSync(ledgerFile, '');
  const status = hooks.status ?? (() => {});
  let runConfig = loadRunConfig(loop.run, plugins);
  const policyName = loop.policy ?? runConfig.switching.initial;
  const policyEntry = runConfig.controllers.find((c) => c.name === policyName);
  if (policyEntry === undefined || policyEntry.plugin.kind !== 'policy')
    throw new Error(
      `${loop.file}: policy '${policyName}' must name a 'policy' controller of ${loop.run} (it has ${runConfig.controllers.map((c) => `${c.name} (${c.plugin.kind})`).join(', ')})`,
    );
  const certified = certifiedControllersOf(runConfig);
  // A certified guard's certificate of the deployed policy governs every version the loop installs
  // for it: v0 takes it over, each candidate brings the one the certificate gate re-verified for it.
  // (Only a guard's certificate can name it: a supervisor's modes name the supervisor, not a policy.)
  const policyCertificate = certified.find((c) => c.controller === policyName && c.certificate !== undefined);
  if (policyCertificate !== undefined && loop.episodes.exploration.std > 0)
    throw new Error(
      `${loop.file}: episodes.exploration adds noise to the commands of '${policyName}', which ${policyCertificate.key} certifies without it; set episodes.exploration.std to 0 (or run the policy uncertified)`,
    );
  // The task: the run config's `task:`, else the fine-tuning config's environment. Relative paths in
  // it resolve against the file that wrote it.
  const taskSection = runConfig.task?.section ?? {
    kind: loop.finetune.environment.kind,
    ...(loop.finetune.environment.options as object),
  };
  const taskBaseDir = runConfig.task?.baseDir ?? path.dirname(loop.finetune.file);
  const task: DatasetTask = await datasetTaskOf(taskSection, {
    what: runConfig.task === undefined ? loop.finetune.file : `${loop.run}: task`,
    baseDir: taskBaseDir,
  });
  if (runConfig.task !== undefined && runConfig.task.plugin.kind !== loop.finetune.environment.kind)
    throw new Error(
      `${loop.run}: task.kind is '${runConfig.task.plugin.kind}', the fine-tuning config's environment '${loop.finetune.environment.kind}': the rig's rewards and the learner's would be of different tasks`,
    );
  // The run scores itself by the same task (the summary's task outcome).
  if (runConfig.task === undefined) {
    const plugin = plugins.environments.find((p) => p.kind === loop.finetune.environment.kind)!;
    runConfig = {
      ...runConfig,
      task: {
        plugin,
        options: loop.finetune.environment.options,
        baseDir: taskBaseDir,
        section: taskSection,
      },
    };
  }
  if (Math.abs(task.rateHz - runConfig.loop.rateHz) > 1e-6 * task.rateHz)
    throw new Error(
      `${loop.run}: loop.rateHz is ${runConfig.loop.rateHz} Hz, the task (${task.name}) runs at ${task.rateHz} Hz`,
    );

  // The deployed policy: its contract and ONNX file (hash = the version's identity).
  const policyOptions = policyEntry.options as { contract: string; model?: string };
  const contractPath = path.resolve(runConfig.baseDir, policyOptions.contract);
  const contractText = parse(readFileSync(contractPath, 'utf8')) as { model?: string };
  const onnxPath = policyOptions.model
    ? path.resolve(runConfig.baseDir, policyOptions.model)
    : path.resolve(path.dirname(contractPath), contractText.model ?? 'policy.onnx');
  const versions = new Map<string, { onnx: string; contract: string; sha256: string }>();
  versions.set(policyName, {
    onnx: onnxPath,
    contract: contractPath,
    sha256: sha256(readFileSync(onnxPath)),
  });

  let rig: RigProcess | undefined;
  if (loop.rig !== undefined) {
    const rigConfig = parse(readFileSync(loop.rig, 'utf8')) as Record<string, unknown>;
    const transport = { ...(rigConfig['transport'] as object), kind: 'serial', link: path.join(out, 'link') };
    // In its own process group: a Ctrl-C at the terminal reaches the loop only, which then stops the
    // robot through its safe stop while the rig still listens, and the rig after it.
    rig = await spawnRig({ ...rigConfig, transport } as never, out, 'rig', [], { ownProcessGroup: true });
    runConfig = withRigLink(runConfig, rig.hostLink);
  }
  const broker = loop.learner.broker;
  const brokerOptions = broker && {
    url: broker.url,
    prefix: broker.prefix,
    fleet: broker.fleet,
    username: broker.username,
    password: broker.passwordEnv ? process.env[broker.passwordEnv] : undefined,
  };
  let learner: Learner;
  let publisher: EpisodePublisher | undefined;
  if (hooks.learner) learner = hooks.learner;
  else if (brokerOptions) {
    const brokerLearner = new BrokerLearner(
      brokerOptions,
      broker!.rig,
      new LearnerProcess(loop.learner.nice),
    );
    await brokerLearner.start();
    learner = brokerLearner;
    writeFileSync(path.join(out, 'published.txt'), '');
    publisher = new EpisodePublisher(brokerOptions, broker!.rig, path.join(out, 'published.txt'));
  } else learner = new LearnerProcess(loop.learner.nice);

  const roundLog = new RoundLog();
  const monitorSink = new LateSink();
  const horizonSeconds = loop.episodes.horizon ?? (task.horizon ?? 500) / task.rateHz;
  const horizonTicks = Math.round(horizonSeconds * task.rateHz);
  const exploration =
    loop.episodes.exploration.std > 0
      ? explorationSwitch(
          loop.episodes.exploration.std,
          task.actionMap.map((m) => m.scale),
          loop.learner.seed + 17,
        )
      : undefined;
  const driver = new EpisodeDriver({
    observationSize: task.observation.length,
    actionSize: task.actionMap.length,
    horizonTicks,
    reward: task.reward,
    terminated: task.terminated,
    resetAttempts: loop.episodes.resetAttempts,
    resetPause: loop.episodes.resetPause,
    record: publisher !== undefined,
    ...(exploration ? { exploration: { switch: exploration, share: loop.episodes.exploration.share } } : {}),
  });
  const rounds: RoundRecord[] = [];
  const logs: string[] = [];
  let final: ClosedLoopResult['final'] = null;
  let learnerLine = 'idle';
  let round = 0;
  let orchestration: Promise<void> | undefined;
  let failure: Error | undefined;
  let completed = false;
  let phase = 'starting';
  let interrupted: LoopInterruption | undefined;
  let runningLoop: ControlLoop | undefined;
  let rejectInterrupted: (error: Error) => void = () => {};
  const interruption = new Promise<never>((_, reject) => {
    rejectInterrupted = reject;
  });
  interruption.catch(() => undefined);
  /** Awaits `promise` unless the loop is told to stop first. */
  const until = <T>(promise: Promise<T>): Promise<T> => Promise.race([promise, interruption]);

  const interrupt = (reason: string): void => {
    if (interrupted !== undefined) return;
    interrupted = { reason, round, phase };
    status(
      `${reason}: stopping at the next tick boundary (round ${Math.min(round + 1, loop.rounds)}, ${phase})`,
    );
    ledger(
      {
        kind: 'interrupted',
        reason,
        round,
        phase,
        message: `${reason}: the loop stops in round ${round} (${phase}); the robot stops through its safe stop`,
      },
      runningLoop,
    );
    driver.stop();
    rejectInterrupted(new LoopInterrupted(reason));
    runningLoop?.stop();
  };

  const ledger = (entry: Record<string, unknown>, loopRef?: ControlLoop) => {
    appendFileSync(ledgerFile, `${JSON.stringify({ wall: new Date().toISOString(), ...entry })}\n`);
    if (loopRef) {
      const data: Record<string, number | string | boolean> = {};
      for (const [k, v] of Object.entries(entry))
        if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') data[k] = v;
      loopRef.events.emit({
        time: loopRef.record.deadline,
        kind: 'info',
        source: 'loop',
        message: String(entry['message'] ?? entry['kind']),
        data,
      });
    }
  };

  const onStop = () => interrupt(String(hooks.stop?.reason ?? 'stop'));
  if (hooks.stop?.aborted) onStop();
  else hooks.stop?.addEventListener('abort', onStop, { once: true });

  const orchestrate = async (
    running: ControlLoop,
    robot: Robot,
    _operator: OperatorConsole,
  ): Promise<void> => {
    const manager = running.controllers;
    const context = manager.context!;
    const monitor = new RollbackMonitor({
      manager,
      dt: context.dt,
      events: running.events,
      observationSize: task.observation.length,
      actionSize: task.actionMap.length,
      fell: task.terminated,
      reward: task.reward,
      maxWindow: Math.max(120, loop.swap.rollback.window * 2),
    });
    monitorSink.target = monitor;
    const logOptions = () => ({
      robot: robot.info,
      controller: manager.activeName,
      controllers: manager.names,
      // The run config as written, and the task its episodes are attempts at: a log is a dataset.
      // Relative paths in the task resolve against taskBaseDir (the fine-tuning config's folder).
      config: { ...(runConfig.source as object), task: taskSection, taskBaseDir },
      rateHz: runConfig.loop.rateHz,
      whenFull: 'drop' as const,
      link: robot.linkHealth !== undefined,
    });
    const logPath = (k: number) => path.join(out, `round-${k}.mcap`);
    /** A version's policy, loaded and warmed between ticks (the kernel backend: synchronous, allocation-free). */
    const load = async (contract: string) => {
      const controller = (await policyControllerPlugin.create(
        policyControllerPlugin.schema.parse({ contract, backend: 'kernel', fallback: 'hold' }),
        { baseDir: out, controlDt: context.dt, seed: loop.learner.seed },
      )) as PolicyController;
      await controller.configure(context);
      return exploration ? new ExploringController(controller, exploration) : controller;
    };
    // Every version runs through the same path: v0, the deployed policy of the run config, is loaded
    // like the candidates after it and takes over from the config's controller at once.
    /**
     * Waits for a requested switch to `name`, which a guard may defer (a certified version only
     * inside its region) for at most swap.admitWithin seconds; then withdraws it. True once switched.
     */
    const switched = async (name: string): Promise<boolean> => {
      const admitBy = performance.now() + loop.swap.admitWithin * 1000;
      while (manager.activeName !== name && performance.now() < admitBy) await until(sleep(0.02));
      if (manager.activeName !== name && manager.pendingSwitch === name) manager.withdrawSwitch();
      return manager.activeName === name;
    };
    const deployed = versions.get(policyName)!;
    const refused = manager.install(
      'v0',
      await until(load(deployed.contract)),
      { hash: deployed.sha256, round: -1 },
      policyCertificate && { model: policyCertificate.model, certificate: policyCertificate.certificate! },
    );
    if (refused !== undefined) throw new Error(`the deployed policy cannot run as v0: ${refused}`);
    versions.set('v0', deployed);
    manager.requestSwitch('v0', `the loop runs ${policyName} as v0`);
    await roundLog.rotate(logPath(0), logOptions());
    logs.push(logPath(0));
    ledger(
      {
        kind: 'version',
        version: 'v0',
        sha256: deployed.sha256,
        onnx: deployed.onnx,
        message: `deployed v0 = ${policyName} (sha256 ${deployed.sha256.slice(0, 12)})`,
        controller: 'v0',
        hash: deployed.sha256,
      },
      running,
    );
    if (!(await switched('v0')))
      throw new Error(
        `the switch guard did not admit the deployed policy as v0 within ${loop.swap.admitWithin} s (swap.admitWithin): ${manager.lastGuardRefusal ?? 'no reason given'}`,
      );
    if (publisher) {
      const run = new Date().toISOString();
      const sha = (v: string) => versions.get(v)?.sha256 ?? v;
      driver.onEpisode((episode) => {
        const message = episodeMessage(episode, broker!.rig, run, sha, task.actionMap);
        if (message) publisher!.publish(message);
      });
    }
    const datasets: string[] = [];
    for (round = 0; round < loop.rounds; round++) {
      const active: string = manager.activeName;
      const activeVersion = versions.get(active)!;
      status(
        `round ${round + 1}/${loop.rounds}: collecting ${loop.episodes.perRound} episodes under ${active}`,
      );
      phase = 'collecting episodes';
      const episodes = await until(driver.collect(loop.episodes.perRound, () => manager.activeName));
      if (episodes === undefined)
        throw new Error(`the robot did not recover between episodes: ${driver.lastResetProblem}`);
      const real = stats(episodes);
      // The next round's file starts in the latched stretch between two episodes.
      await roundLog.rotate(logPath(round + 1), logOptions());
      logs.push(logPath(round + 1));
      ledger(
        {
          kind: 'round',
          round,
          version: active,
          sha256: activeVersion.sha256,
          meanReturn: real.meanReturn,
          episodes: real.episodes,
          falls: real.falls,
          message: `round ${round}: ${active} returned ${real.meanReturn.toFixed(2)} ± ${real.stdReturn.toFixed(2)} over ${real.episodes} episodes (${real.falls} falls)`,
        },
        running,
      );
      const candidateName = `v${round + 1}`;
      const job: LearnJob = {
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
        ...(loop.learner.updates ? { updates: loop.learner.updates } : {}),
      };
      let result: LearnResult;
      try {
        learnerLine = 'building the dataset';
        phase = 'fine-tuning';
        result = await until(learner.learn(job));
      } catch (error) {
        if (error instanceof LoopInterrupted) throw error;
        const message = (error as Error).message;
        ledger({ kind: 'learner-failed', round, message: `round ${round}: ${message}` }, running);
        rounds.push(record(round, active, activeVersion.sha256, real, null, null, 'learner-failed', message));
        continue;
      } finally {
        learnerLine = 'idle';
      }
      datasets.push(result.dataset);
      const candidate = { version: candidateName, sha256: result.candidate.sha256 };
      /** This round's record: the candidate's outcome, with what the shadow and the rollback saw. */
      const close = (
        outcome: RoundOutcome,
        detail: string,
        shadow: ShadowReport | null = null,
        rollback: RollbackStatus | null = null,
      ): void => {
        rounds.push(
          record(
            round,
            active,
            activeVersion.sha256,
            real,
            result,
            candidate,
            outcome,
            detail,
            shadow,
            rollback,
          ),
        );
      };
      ledger(
        {
          kind: 'gates',
          round,
          version: candidateName,
          sha256: result.candidate.sha256,
          passed: result.gates.passed,
          failed:
            result.gates.checks
              .filter((c) => !c.passed)
              .map((c) => c.name)
              .join(',') || 'none',
          realTransitions: result.trainTransitions,
          message: `${candidateName} (sha256 ${result.candidate.sha256.slice(0, 12)}): gates ${
            result.gates.passed
              ? 'passed'
              : `FAILED (${result.gates.checks
                  .filter((c) => !c.passed)
                  .map((c) => `${c.name}: ${c.detail}`)
                  .join('; ')})`
          }`,
        },
        running,
      );
      if (!result.gates.passed) {
        close('gates-failed', 'kept with its report in ' + job.dir);
        continue;
      }
      // Load and warm the candidate between ticks, off the loop's critical path.
      let installed: Awaited<ReturnType<typeof load>>;
      try {
        phase = 'loading the candidate';
        installed = await until(load(result.candidate.contract));
      } catch (error) {
        if (error instanceof LoopInterrupted) throw error;
        const message = `${candidateName} could not be loaded: ${(error as Error).message}`;
        ledger(
          { kind: 'load-failed', round, version: candidateName, sha256: candidate.sha256, message },
          running,
        );
        close('load-failed', message);
        continue;
      }
      const certificate =
        policyCertificate && reverifiedFiles(path.dirname(result.candidate.onnx), policyName);
      const refused = manager.install(
        candidateName,
        installed,
        { hash: candidate.sha256, round },
        certificate,
      );
      if (refused !== undefined) {
        ledger(
          {
            kind: 'certificate-refused',
            round,
            version: candidateName,
            sha256: candidate.sha256,
            message: `${candidateName} not installed: ${refused}`,
          },
          running,
        );
        close('certificate-refused', refused);
        continue;
      }
      versions.set(candidateName, {
        onnx: result.candidate.onnx,
        contract: result.candidate.contract,
        sha256: candidate.sha256,
      });
      let shadow: ShadowReport | null = null;
      if (loop.swap.shadow > 0) {
        manager.startShadow(candidateName);
        phase = 'shadow';
        await until(sleep(loop.swap.shadow));
        shadow = manager.stopShadow() ?? null;
        const bound = loop.swap.maxShadowDifference;
        const problem =
          shadow === null || shadow.ticks === 0
            ? 'the shadow produced no comparable action'
            : shadow.faults > 0
              ? `the shadow faulted on ${shadow.faults} ticks`
              : bound !== undefined && shadow.meanAbsDifference > bound
                ? `its actions differ from ${active}'s by ${shadow.meanAbsDifference.toPrecision(3)} on average (bound ${bound})`
                : undefined;
        ledger(
          {
            kind: 'shadow',
            round,
            version: candidateName,
            sha256: candidate.sha256,
            ticks: shadow?.ticks ?? 0,
            meanAbsDifference: shadow?.meanAbsDifference ?? 0,
            refused: problem !== undefined,
            message: `${candidateName} in shadow: ${problem ?? `${shadow!.ticks} ticks, mean |Δa| ${shadow!.meanAbsDifference.toPrecision(3)}`}`,
          },
          running,
        );
        if (problem !== undefined) {
          close('shadow-refused', problem, shadow);
          continue;
        }
      }
      const { minReturnRatio, minEpisodes, ...bounds } = loop.swap.rollback as RollbackBounds & {
        minReturnRatio?: number;
        minEpisodes: number;
      };
      monitor.watch(candidateName, active, bounds);
      // Return drop, judged on whole episodes of the candidate against the previous version's round.
      const candidateReturns: number[] = [];
      const stopWatchingReturns = driver.onEpisode((episode) => {
        if (minReturnRatio === undefined || monitor.status.verdict !== 'watching') return;
        if (episode.explored || episode.controllers.length !== 1 || episode.controllers[0] !== candidateName)
          return;
        candidateReturns.push(episode.return);
        if (candidateReturns.length < minEpisodes) return;
        const mean = candidateReturns.reduce((a, b) => a + b, 0) / candidateReturns.length;
        const bound = returnBound(real.meanReturn, minReturnRatio);
        if (mean < bound)
          monitor.rollBack(
            `mean return ${mean.toFixed(2)} over ${candidateReturns.length} episodes is below ${bound.toFixed(2)} (${minReturnRatio} of ${real.meanReturn.toFixed(2)} of ${active} kept)`,
            running.record.deadline,
          );
      });
      const problem = manager.requestSwitch(
        candidateName,
        `swap ${active} → ${candidateName} (sha256 ${candidate.sha256.slice(0, 12)})`,
      );
      if (problem !== undefined) throw new Error(`swap refused by the manager: ${problem}`);
      ledger(
        {
          kind: 'swap',
          round,
          from: active,
          to: candidateName,
          fromSha256: activeVersion.sha256,
          sha256: candidate.sha256,
          message: `swap ${active} → ${candidateName} requested for the next tick boundary`,
        },
        running,
      );
      if (!(await switched(candidateName))) {
        monitor.cancel();
        stopWatchingReturns();
        const why = `the switch guard did not admit the swap within ${loop.swap.admitWithin} s (${manager.lastGuardRefusal ?? 'no reason given'}); ${active} stays`;
        ledger(
          { kind: 'swap-withdrawn', round, version: candidateName, sha256: candidate.sha256, message: why },
          running,
        );
        close('swap-withdrawn', why, shadow);
        continue;
      }
      phase = 'watching the swap';
      while (monitor.status.verdict === 'watching') await until(sleep(0.1));
      stopWatchingReturns();
      const verdict = monitor.status;
      if (verdict.verdict === 'rolled-back') {
        ledger(
          {
            kind: 'rollback',
            round,
            from: candidateName,
            to: active,
            sha256: candidate.sha256,
            toSha256: activeVersion.sha256,
            reason: verdict.reason ?? '',
            message: `rolled back ${candidateName} → ${active}: ${verdict.reason}`,
          },
          running,
        );
        // The rollback takes effect at the next tick boundary.
        while (manager.activeName !== active) await until(sleep(0.02));
        close('rolled-back', verdict.reason ?? '', shadow, verdict);
      } else {
        ledger(
          {
            kind: 'kept',
            round,
            version: candidateName,
            sha256: candidate.sha256,
            message: `${candidateName} kept after its rollback window`,
          },
          running,
        );
        close('swapped-kept', 'kept after its rollback window', shadow, verdict);
      }
    }
    const finalCount = loop.episodes.final ?? loop.episodes.perRound;
    if (finalCount > 0) {
      const version = manager.activeName;
      status(`final: ${finalCount} episodes under ${version}`);
      phase = 'final episodes';
      const finalEpisodes = await until(driver.collect(finalCount, () => manager.activeName));
      if (finalEpisodes === undefined)
        throw new Error(`the robot did not recover between episodes: ${driver.lastResetProblem}`);
      const real = stats(finalEpisodes);
      final = { version, sha256: versions.get(version)!.sha256, real };
      ledger(
        {
          kind: 'final',
          version,
          sha256: final.sha256,
          meanReturn: real.meanReturn,
          episodes: real.episodes,
          message: `final: ${version} returned ${real.meanReturn.toFixed(2)} ± ${real.stdReturn.toFixed(2)} over ${real.episodes} episodes`,
        },
        running,
      );
    }
    driver.stop();
    completed = true;
  };

  const record = (
    k: number,
    version: string,
    hash: string,
    real: EpisodeStats,
    result: LearnResult | null,
    candidate: RoundRecord['candidate'],
    outcome: RoundOutcome,
    detail: string,
    shadow: ShadowReport | null = null,
    rollback: RollbackStatus | null = null,
  ): RoundRecord => ({
    round: k,
    version,
    sha256: hash,
    real,
    realTransitionsUsed: result?.trainTransitions ?? null,
    candidate,
    outcome,
    detail,
    gates: result?.gates ?? null,
    shadow,
    rollback,
    learnerSeconds: result?.trainingSeconds ?? null,
    standInReturn: result?.standInReturn ?? null,
  });

  const progress = (p: LearnProgress) => {
    learnerLine =
      p.phase === 'fine-tune' && p.total
        ? `fine-tuning ${p.updates ?? 0}/${p.total}`
        : p.phase === 'gates'
          ? 'gates'
          : 'dataset';
  };
  learner.onProgress = progress;

  let statusTimer: NodeJS.Timeout | undefined;
  let result: RunResult;
  try {
    result = await runFromConfig(
      runConfig,
      { mode: 'realtime', episodeHorizon: horizonTicks },
      {
        sinks: [roundLog, driver, monitorSink, ...(hooks.sinks ?? [])],
        events: [roundLog, ...(hooks.events ?? [])],
        onStart: (running, robot) => {
          runningLoop = running;
          // Told to stop while the rig and the robot were starting: stop before the first episode.
          if (interrupted !== undefined) running.stop();
          const operator = new OperatorConsole(running, robot);
          driver.attach(running, operator);
          hooks.onStart?.(running, robot, operator);
          statusTimer = setInterval(() => {
            const last = driver.episodes.at(-1);
            const current = driver.current;
            status(
              `round ${Math.min(round + 1, loop.rounds)}/${loop.rounds}  ${running.controllers.activeName} active  ` +
                `episode ${driver.episodes.length}${current ? ` (${current.ticks} ticks)` : ' (reset)'}  ` +
                `last return ${last ? last.return.toFixed(1) : '-'}  learner: ${learnerLine}  ` +
                `missed ${running.record.missedDeadlines}  safety ${running.safety.latched ? 'latched' : 'ok'}`,
            );
          }, 1000);
          statusTimer.unref();
          orchestration = orchestrate(running, robot, operator)
            .catch((error: Error) => {
              if (!(error instanceof LoopInterrupted)) failure = error;
            })
            .finally(() => running.stop());
        },
      },
    );
  } finally {
    hooks.stop?.removeEventListener('abort', onStop);
    clearInterval(statusTimer);
    driver.stop();
    await orchestration?.catch(() => undefined);
    await roundLog.close().catch(() => undefined);
    await learner.close?.().catch(() => undefined);
    await publisher?.close().catch(() => undefined);
    await rig?.stop().catch(() => undefined);
  }
  if (failure) throw failure;
  const plot = path.join(out, 'returns.svg');
  writeFileSync(plot, returnsSvg(loop.name, rounds, final));
  const summary: ClosedLoopResult = {
    name: loop.name,
    output: out,
    rounds,
    final,
    report: result.report,
    // A loop that finished its rounds stops between two episodes, in the safe state it latched
    // itself (or that ended the last episode); only a loop that could not finish reports its latch.
    latched:
      completed || result.report.latched?.startsWith(episodeEndPrefix) ? undefined : result.report.latched,
    wallSeconds: (performance.now() - started) / 1000,
    logs,
    plot,
    task: result.task,
    interrupted,
  };
  writeFileSync(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

export type { ControlEvent };
