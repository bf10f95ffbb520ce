import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certifiedControllersOf } from '../../app/loop/certified.ts';
import { plugins } from '../../app/plugins.ts';
import { loadRunConfig } from '../../src/config/load.ts';
import { createOrtPolicy } from '../../src/inference/backends/ort.ts';
import { loadContract } from '../../src/inference/contract.ts';
import { sha256 } from '../../src/inference/export.ts';
import { type CertifiedController, certificateGate } from '../../src/learning/certificate-gate.ts';
import { certify, checkCertificate } from '../../src/verification/certificate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { parseModel } from '../../src/verification/model.ts';
import { expressPolicy } from '../../src/verification/policy.ts';
import { exportLinearPolicy, exportSmallPolicy, lqrModelFile } from '../support/small-policy.ts';

/**
 * The certificate gate with the real verifier on the cart-pole LQR certificate
 * (controllers/hybrid/models/cartpole/). A certificate of another controller is re-checked as it
 * stands; one that proved the policy the candidate replaces is re-verified for the candidate, which
 * passes only on a proof. The level is 0.1 here (the shipped certificate's 187.5 takes minutes on a
 * loaded 2-core machine); the code path is the same.
 */
const repo = path.resolve(import.meta.dirname, '../..');
const modelFile = lqrModelFile;
const shippedCertificate = path.join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr.cert.json');
const budget = { seconds: 240, workers: 1 };
let dir: string;
let policyCertificate: string;

/** `gain × (the certificate's LQR law)` as an ONNX policy in the learners' layout. */
function linearPolicy(name: string, gain: number): Promise<{ onnx: string; contract: string }> {
  return exportLinearPolicy(path.join(dir, name), gain);
}

/** A 4-8-1 policy with an ELU hidden layer, which the verifier has no relaxation for. */
async function eluPolicy(): Promise<{ onnx: string; contract: string }> {
  return exportSmallPolicy(path.join(dir, 'elu'), 'elu', 'identity', 'an ELU network');
}

function gateInput(
  certified: CertifiedController[],
  files: { onnx: string; contract: string },
  outDir: string,
) {
  const onnx = new Uint8Array(readFileSync(files.onnx));
  return {
    certified,
    replaces: 'policy',
    candidate: { onnx, contract: loadContract(files.contract), sha256: sha256(onnx) },
    outDir,
    budget,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tether-cert-gate-'));
  // The deployed policy's certificate: the LQR law, proved at rho 0.1.
  const { certificate } = await certify(loadModel(modelFile), { rho: 0.1, workers: 1 });
  expect(certificate.result).toBe('verified');
  policyCertificate = path.join(dir, 'policy.cert.json');
  writeFileSync(policyCertificate, JSON.stringify(certificate));
}, 240_000);

describe('certificate gate', () => {
  it('re-checks a certificate of a controller the candidate does not replace, and fails an edited one', async () => {
    const config = loadRunConfig(path.join(repo, 'configs/cartpole-swingup-certified.yaml'), plugins);
    const certified = certifiedControllersOf(config);
    expect(certified).toEqual([
      {
        controller: 'balance',
        key: 'switching.guard.certificates.balance',
        model: modelFile,
        certificate: shippedCertificate,
      },
    ]);
    const candidate = await linearPolicy('other', 1);
    const pass = await certificateGate(gateInput(certified, candidate, path.join(dir, 'other')));
    expect(pass.passed, pass.detail).toBe(true);
    expect(pass.detail).toMatch(
      /'balance' \(switching\.guard\.certificates\.balance\): certificate re-checked \(rho 187\.5/,
    );
    expect(pass.detail).toMatch(/which the candidate does not replace/);

    const edited = path.join(dir, 'edited.cert.json');
    const raw = JSON.parse(readFileSync(shippedCertificate, 'utf8'));
    writeFileSync(edited, JSON.stringify({ ...raw, rho: 250 }));
    const fail = await certificateGate(
      gateInput([{ ...certified[0]!, certificate: edited }], candidate, path.join(dir, 'other')),
    );
    expect(fail.passed).toBe(false);
    expect(fail.detail).toMatch(/its certificate does not hold: .*edited after it was issued/);
  }, 120_000);

  it('re-verifies the certificate of the policy it replaces for the candidate: passes only on a proof', async () => {
    const certified: CertifiedController[] = [
      {
        controller: 'policy',
        key: 'switching.guard.certificates.policy',
        model: modelFile,
        certificate: policyCertificate,
      },
    ];
    // The same law as a float32 ONNX policy: proved again, and the new certificate checks on its own.
    const same = await linearPolicy('same', 1);
    const out = path.dirname(same.onnx);
    const pass = await certificateGate(gateInput(certified, same, out));
    expect(pass.passed, pass.detail).toBe(true);
    expect(pass.detail).toMatch(/'policy' .*: VERIFIED for the candidate at rho 0\.1 \(\d+ boxes/);
    const model = parseModel(JSON.parse(readFileSync(path.join(out, 'policy.model.json'), 'utf8')));
    expect(
      checkCertificate(model, JSON.parse(readFileSync(path.join(out, 'policy.cert.json'), 'utf8'))),
    ).toBe(0.1);

    // Pushing the wrong way: refuted, the report and the refuting certificate kept.
    const wrong = await linearPolicy('wrong', -1);
    const refuted = await certificateGate(gateInput(certified, wrong, path.dirname(wrong.onnx)));
    expect(refuted.passed).toBe(false);
    expect(refuted.detail).toMatch(
      /the candidate is not verified at rho 0\.1: refuted: counterexample at x = \[/,
    );
    const kept = JSON.parse(readFileSync(path.join(path.dirname(wrong.onnx), 'policy.cert.json'), 'utf8'));
    expect(kept.result).toBe('counterexample');
  }, 240_000);

  it("expresses tanh networks (the learners' ReLU MLP with a tanh output, the bundled tanh policy) exactly as ONNX Runtime computes them", async () => {
    const model = loadModel(modelFile);
    const policies = [
      { dir: 'configs/loop/sim-policy', onnx: 'policy.onnx', contract: 'policy.contract.yaml' },
      {
        dir: 'controllers/policies/examples/cartpole',
        onnx: 'cartpole-balance.onnx',
        contract: 'cartpole-balance.contract.yaml',
      },
    ];
    const activations: unknown[] = [];
    for (const p of policies) {
      const onnx = new Uint8Array(readFileSync(path.join(repo, p.dir, p.onnx)));
      const contract = loadContract(path.join(repo, p.dir, p.contract));
      const expressed = expressPolicy(onnx, contract, model);
      if (!expressed.ok) throw new Error(`${p.dir}: ${expressed.reason}`);
      activations.push(expressed.controller.activation);
      const forward = new ForwardModel(
        parseModel({ ...model.source, controller: expressed.controller }, `${p.dir} as a verifier model`),
      );
      const ort = await createOrtPolicy(onnx);
      const input = new Float32Array(4);
      const output = new Float32Array(1);
      const scale = contract.actions.scale as number;
      const [clipLo, clipHi] = contract.actions.clip ?? [-Infinity, Infinity];
      let worst = 0;
      for (let i = 0; i < 200; i++) {
        const x = [
          (Math.random() - 0.5) * 4.8,
          (Math.random() - 0.5) * 1.6,
          (Math.random() - 0.5) * 10,
          (Math.random() - 0.5) * 16,
        ];
        input.set(x);
        await ort.act(input, output);
        const command = Math.min(20, Math.max(-20, scale * Math.min(clipHi, Math.max(clipLo, output[0]!))));
        worst = Math.max(worst, Math.abs(forward.control(x) - command));
      }
      await ort.dispose();
      // float32 inference against the float64 model: agreement to float32 rounding, in newtons.
      expect(worst, p.dir).toBeLessThan(1e-4);
    }
    expect(activations).toEqual([
      ['relu', 'relu', 'tanh'],
      ['tanh', 'tanh'],
    ]);
  });

  it('rejects a candidate the verifier cannot take (an ELU network), saying why', async () => {
    const elu = await eluPolicy();
    const certified: CertifiedController[] = [
      {
        controller: 'policy',
        key: 'switching.guard.certificates.policy',
        model: modelFile,
        certificate: policyCertificate,
      },
    ];
    const out = path.dirname(elu.onnx);
    const gate = await certificateGate(gateInput(certified, elu, out));
    expect(gate.passed).toBe(false);
    expect(gate.detail).toMatch(
      /proves the deployed 'policy', not the candidate, and the candidate cannot be re-verified: its hidden activation is elu: the verifier takes ReLU or tanh/,
    );
    // No certificate is written for a candidate that was never verified.
    expect(() => readFileSync(path.join(out, 'policy.cert.json'))).toThrow();
  });
});
