import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkCertificate } from '../../src/verification/certificate.ts';
import { loadModel } from '../../src/verification/io.ts';
import { tether } from '../support/cli.ts';

/** `tether verify --policy`: an ONNX policy as the controller of a verifier model, through the CLI. */
const repo = join(import.meta.dirname, '../..');
const base = join(repo, 'controllers/hybrid/models/cartpole/cartpole_lqr.json');
const contract = join(repo, 'controllers/policies/examples/cartpole/cartpole-balance.contract.yaml');
const work = mkdtempSync(join(tmpdir(), 'tether-verify-policy-'));

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
