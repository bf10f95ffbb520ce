import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runClosedLoop } from '../../app/loop/closed-loop.ts';
import { loadLoopConfig } from '../../app/loop/config.ts';
import { datasetTaskOf } from '../../app/loop/task.ts';
import { killLeftovers, useTestLinkKey } from '../../hardware/tools/processes.ts';
import { reverifiedFiles } from '../../src/learning/certificate-gate.ts';
import { readLog } from '../../src/logging/reader.ts';
import { candidateLearner } from '../support/candidate-learner.ts';
import { tether } from '../support/cli.ts';
import { exportLinearPolicy, lqrModelFile } from '../support/small-policy.ts';

/**
 * `tether loop` with a certified policy, on an emulated rig over a socat pty: the run config's
 * certified guard proves the deployed policy, so every version the loop installs for it must come
 * with a certificate of its own. v0 takes over the config's certificate (the guard checks that v0
 * runs the certified network), and each candidate brings the one the certificate gate re-verified
 * for it; the guard checks it again before the install and then admits the swap only inside the
 * candidate's proved region, and monitors it. Episodes end in the loop's safety latch and restart
 * after a rig reset: the monitor pauses while the safe action drives the cart, so no violation is
 * reported for what the certified controller did not command.
 *
 * The rig is the nominal MuJoCo cart-pole at the certificate's physics step (500 Hz), with no
 * gap, delay or noise, so the certificate's plant is the rig's but for the link's timing: the
 * certificate covers the streamed state's age as an estimate error, not the command's latency (the
 * guard says so, and the monitor watches it). Its reset noise keeps every fresh episode inside the
 * certified level set. The policies are the certificate model's LQR law (× a gain) as one-layer
 * ONNX graphs, which the verifier proves at ρ 5 in about 20 s each.
 */

const repo = path.resolve(import.meta.dirname, '../..');
afterAll(killLeftovers);

function write(file: string, value: unknown): string {
  writeFileSync(file, stringify(value));
  return file;
}

/** The deployed policy, its certificate and the rig, shared by the tests (made once). */
let dir: string;
let v0: { onnx: string; contract: string };
let model: string;
let certificate: string;
let rig: string;

beforeAll(async () => {
  useTestLinkKey();
  dir = mkdtempSync(path.join(tmpdir(), 'tether-certified-loop-'));
  // The certificate model for this link: the rig streams its state at 500 Hz, so an observation
  // is up to a few milliseconds old; near upright (|velocity| < 0.2) that is within 0.001 of the
  // state, the estimate error the certificate covers. Below V = 0.2 only "stay in S" is proved.
  const lqr = JSON.parse(readFileSync(lqrModelFile, 'utf8'));
  const linkModel = path.join(dir, 'cartpole_lqr_link.json');
  writeFileSync(
    linkModel,
    JSON.stringify({
      ...lqr,
      name: 'cartpole_lqr_link',
      uncertainty: { estimate_error: [0.001, 0.001, 0.001, 0.001] },
      spec: { ...lqr.spec, inner_level: 0.2 },
    }),
  );
  // The deployed policy, certified through the user's path: tether verify --policy.
  v0 = await exportLinearPolicy(path.join(dir, 'v0'), 1);
  model = path.join(dir, 'v0', 'policy.model.json');
  certificate = path.join(dir, 'v0', 'policy.cert.json');
  const verified = await tether([
    'verify',
    linkModel,
    '--policy',
    v0.contract,
    '--rho',
    '5',
    '--workers',
    '1',
    '--no-progress',
    '--model-out',
    model,
    '--out',
    certificate,
  ]);
  expect(verified.code, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(/VERIFIED/);
  rig = write(path.join(dir, 'rig.yaml'), {
    model: 'cartpole',
    task: 'balance',
    transport: { kind: 'serial', link: path.join(dir, 'link') },
    stateRateHz: 500,
    innerLoopHz: 500,
    watchdogMs: 500,
    auth: { keyEnv: 'TETHER_LINK_KEY' },
    resetNoise: 0.3,
  });
}, 120_000);

/** A loop config (in its own folder) around the certified run; `guard` adds certified-guard options. */
function certifiedLoop(name: string, loop: Record<string, unknown>, guard: Record<string, unknown> = {}) {
  const folder = path.join(dir, name);
  mkdirSync(folder);
  const run = write(path.join(folder, 'run.yaml'), {
    name: 'certified-loop',
    robot: {
      kind: 'serial',
      path: path.join(folder, 'link.host'),
      expect: { model: 'cartpole', task: 'balance' },
    },
    controllers: { policy: { kind: 'policy', contract: v0.contract, backend: 'kernel' } },
    switching: {
      initial: 'policy',
      guard: { kind: 'certified', certificates: { policy: { model, certificate } }, ...guard },
    },
    loop: { rateHz: 50 },
    safety: {
      staleAfterTicks: 25,
      observationLimits: { 'pole.angle': [-0.8, 0.8], 'cart.pos': [-2.8, 2.8] },
    },
    task: { kind: 'mujoco-rig', model: 'cartpole', task: 'balance', horizon: 2, rig },
  });
  return loadLoopConfig(
    write(path.join(folder, 'loop.yaml'), {
      run,
      rig,
      finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
      episodes: { perRound: 3, horizon: 2, final: 2 },
      // The fitted Q evaluation has its own tests; here every candidate is judged by the others.
      gates: { sim: { episodes: 3 }, fqe: { enabled: false } },
      swap: { shadow: 0.5, rollback: { window: 3, maxFalls: 1 } },
      learner: { updates: 60 },
      output: path.join(folder, 'out'),
      ...loop,
    }),
  );
}

describe('tether loop with a certified policy', () => {
  it('hands each installed version the certificate that proves it, refuses an edited one, and monitors across episode resets', async () => {
    const config = certifiedLoop('rounds', { rounds: 3 });
    const task = await datasetTaskOf(
      { kind: config.finetune.environment.kind, ...(config.finetune.environment.options as object) },
      { what: 'test', baseDir: path.dirname(config.finetune.file) },
    );
    // Round 0: a stiffer law, re-verified and swapped in. Round 1: the law pushing the wrong way,
    // refuted by the certificate gate. Round 2: a law that passes the gate, but whose certificate is
    // edited between the gate and the install (ρ raised): the guard refuses it.
    const candidates = [
      await exportLinearPolicy(path.join(dir, 'c0'), 1.1),
      await exportLinearPolicy(path.join(dir, 'c1'), -1),
      await exportLinearPolicy(path.join(dir, 'c2'), 1.05),
    ];
    const gated = candidateLearner(dir, task, (job) => ({ candidate: candidates[job.round]! }));
    const learner = {
      learn: async (job: Parameters<typeof gated.learn>[0]) => {
        const result = await gated.learn(job);
        if (job.round === 2 && result.gates.passed) {
          const files = reverifiedFiles(path.dirname(result.candidate.onnx), 'policy');
          const edited = JSON.parse(readFileSync(files.certificate, 'utf8'));
          edited.rho = 50;
          writeFileSync(files.certificate, JSON.stringify(edited));
        }
        return result;
      },
    };
    const result = await runClosedLoop(config, { learner });

    expect(result.rounds.map((r) => r.outcome)).toEqual([
      'swapped-kept',
      'gates-failed',
      'certificate-refused',
    ]);
    const [kept, refuted, edited] = result.rounds;
    const certificateCheck = (r: typeof kept) => r!.gates!.checks.find((c) => c.name === 'certificate')!;
    expect(certificateCheck(kept).detail).toMatch(/VERIFIED for the candidate at rho 5/);
    expect(certificateCheck(refuted).passed).toBe(false);
    expect(certificateCheck(refuted).detail).toMatch(/refuted: counterexample/);
    expect(certificateCheck(edited).passed).toBe(true);
    expect(edited!.detail).toMatch(
      /^'v3' not installed: certificate \S+policy\.cert\.json: its content does not match its integrity digest/,
    );
    expect(result.final!.version).toBe('v1');
    expect(result.latched).toBeUndefined();

    const events = [];
    for (const file of result.logs) if (existsSync(file)) events.push(...(await readLog(file)).events);
    const guard = events.filter((e) => e.source === 'certified-guard').map((e) => e.message);
    // v0 runs under the config's certificate, v1 under its own; v3 never got one.
    expect(guard.some((m) => /^'v0' is certified by policy\.cert\.json \(sha256 /.test(m))).toBe(true);
    expect(guard.some((m) => /^'v1' is certified by policy\.cert\.json \(sha256 /.test(m))).toBe(true);
    expect(guard.some((m) => /'v3' is certified/.test(m))).toBe(false);
    // The swap into v1 was admitted by its certificate, with V's sound bound below ρ.
    expect(guard.some((m) => /^v0 → v1 certified: V <= [\d.e-]+ < rho 5 over the estimate box/.test(m))).toBe(
      true,
    );
    // Nine episodes and the final two ended in the loop's latch and restarted from a rig reset,
    // under certified versions: the monitor reported nothing.
    expect(events.filter((e) => e.source === 'certificate-monitor')).toEqual([]);
    expect(readFileSync(path.join(dir, 'rounds', 'out', 'ledger.jsonl'), 'utf8')).toMatch(
      /"kind":"certificate-refused"/,
    );
  }, 420_000);

  it('stops with the guard\u2019s reason when it never admits the deployed policy as v0 (swap.admitWithin)', async () => {
    // Admission only below a millionth of rho: the guard defers the switch to v0 on every tick.
    const config = certifiedLoop(
      'never-admitted',
      { rounds: 1, swap: { admitWithin: 1 } },
      { admitBelow: 1e-6 },
    );
    await expect(runClosedLoop(config)).rejects.toThrow(
      /the switch guard did not admit the deployed policy as v0 within 1 s \(swap\.admitWithin\): V <= [\d.e-]+ is not below rho 5 × 0\.000001 \(certificate policy\.cert\.json/,
    );
  });

  it('refuses exploration on a certified policy before the robot moves', async () => {
    const own = mkdtempSync(path.join(tmpdir(), 'tether-certified-loop-'));
    mkdirSync(path.join(own, 'out'));
    const file = write(path.join(own, 'loop.yaml'), {
      run: path.join(repo, 'configs/cartpole-swingup-certified-policy.yaml'),
      policy: 'balance',
      finetune: path.join(repo, 'configs/loop/cartpole-h2o.yaml'),
      episodes: { perRound: 2, exploration: { std: 0.3, share: 0.5 } },
      output: path.join(own, 'out'),
    });
    await expect(runClosedLoop(loadLoopConfig(file))).rejects.toThrow(
      /episodes\.exploration adds noise to the commands of 'balance', which switching\.guard\.certificates\.balance certifies without it/,
    );
  });
});
