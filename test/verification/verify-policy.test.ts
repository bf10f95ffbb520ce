import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract } from '../../src/inference/contract.ts';
import { POLICY_NAME } from '../../src/learning/deployment.ts';
import { checkCertificate } from '../../src/verification/certificate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { parseModel } from '../../src/verification/model.ts';
import { expressPolicy } from '../../src/verification/policy.ts';
import { tether } from '../support/cli.ts';
import { exportSmallPolicy } from '../support/small-policy.ts';

/** `tether verify --policy`: an ONNX policy as the controller of a verifier model, through the CLI. */
const repo = join(import.meta.dirname, '../..');
const base = join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr.json');
const contract = join(repo, 'controllers/policies/examples/cartpole/cartpole-balance.contract.yaml');
const work = mkdtempSync(join(tmpdir(), 'tether-verify-policy-'));

describe('the estimate error of a network controller', () => {
  it('is folded into the force disturbance by a Lipschitz bound that holds on sampled states and errors', () => {
    const rig = loadModel(join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr_rig.json'));
    const expressed = expressPolicy(
      new Uint8Array(
        readFileSync(join(repo, 'controllers/policies/examples/cartpole/cartpole-balance.onnx')),
      ),
      loadContract(contract),
      rig,
    );
    if (!expressed.ok) throw new Error(expressed.reason);
    const model = parseModel({ ...rig.source, controller: expressed.controller }, 'policy on the rig');
    // No estimate dimensions: the error went into the disturbance.
    expect(model.uncertainty.some((u) => u.kind === 'estimate')).toBe(false);
    const disturbance = model.uncertainty.find((u) => u.kind === 'disturbance')!;
    const source = rig.source as { uncertainty: { force_disturbance: number; estimate_error: number[] } };
    // Force gain 1 and the largest gain scale max(1, 0.97): the shift is added as it is.
    const budget = disturbance.up - source.uncertainty.force_disturbance;
    const f = new ForwardModel(model);
    const e = source.uncertainty.estimate_error;
    let worst = 0;
    for (let i = 0; i < 2000; i++) {
      const x = [4.8, 1.6, 10, 16].map((w) => (Math.random() - 0.5) * w);
      const seen = x.map((v, k) => v + (2 * Math.random() - 1) * e[k]!);
      worst = Math.max(worst, Math.abs(f.control(seen) - f.control(x)));
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(budget);
  });
});

describe('a policy the verifier cannot take', () => {
  it('is refused with the reason when its output passes through an activation other than tanh', async () => {
    const out = join(work, 'relu-output');
    await exportSmallPolicy(out, 'tanh', 'relu', 'a ReLU on the output');
    const expressed = expressPolicy(
      new Uint8Array(readFileSync(join(out, `${POLICY_NAME}.onnx`))),
      loadContract(join(out, `${POLICY_NAME}.contract.yaml`)),
      loadModel(base),
    );
    expect(expressed).toEqual({
      ok: false,
      reason:
        'its output passes through relu: after the last dense layer the verifier takes a tanh (first) and scalings, offsets and clips',
    });
  });
});

describe('tether verify --policy', () => {
  it('proves the bundled tanh policy at a small level and writes the model the certificate names', async () => {
    const model = join(work, 'policy.json');
    const cert = join(work, 'policy.cert.json');
    const r = await tether(
      ['verify', base, '--policy', contract, '--inner-level', '0.5', '--rho', '1', '--workers', '1'].concat([
        '--no-progress',
        '--model-out',
        model,
        '--out',
        cert,
      ]),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/cartpole_lqr_cartpole-balance: VERIFIED at rho=1 .*inner level 0\.5\)/);
    const written = JSON.parse(readFileSync(model, 'utf8'));
    // The level proved is the written model's own, so verifying that file re-proves it.
    expect(written.spec.rho).toBe(1);
    expect(written.spec.inner_level).toBe(0.5);
    expect(written.controller.activation).toEqual(['tanh', 'tanh']);
    expect(written.controller.layers.map((l: { weight: number[][] }) => l.weight.length)).toEqual([
      32, 32, 1,
    ]);
    expect(checkCertificate(loadModel(model), JSON.parse(readFileSync(cert, 'utf8')))).toBe(1);
  }, 240_000);

  it('refutes it without the inner level: upright is not its equilibrium (0.007 N there)', async () => {
    const r = await tether(
      ['verify', base, '--policy', contract, '--rho', '5', '--workers', '1', '--no-progress'].concat([
        '--model-out',
        join(work, 'no-inner.json'),
      ]),
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stdout).toMatch(/COUNTEREXAMPLE at rho=5/);
    expect(r.stdout).toMatch(/counterexample x=\[.*\]: decrease/);
  }, 240_000);

  it('asks for --model-out, since the certificate names the derived model by its hashes', async () => {
    const r = await tether(['verify', base, '--policy', contract, '--rho', '1']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--policy and --inner-level change the model.*give --model-out <file>/);
  });
});
