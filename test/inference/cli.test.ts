import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const example = path.join(root, 'controllers/policies/examples/cartpole');
const model = path.join(example, 'cartpole-balance.onnx');
const run = promisify(execFile);

async function tether(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin/tether.mjs'), ...args], {
      cwd: root,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'tether-policy-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tether policy', () => {
  it('inspect prints the signature, parameter count and a passing contract check', async () => {
    const r = await tether(
      'policy',
      'inspect',
      model,
      '--contract',
      path.join(example, 'cartpole-balance.contract.yaml'),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('input       obs: float32 [batch, 4]');
    expect(r.stdout).toContain('output      actions: float32 [batch, 1]');
    expect(r.stdout).toContain('ir / opset  8 / ai.onnx 17');
    expect(r.stdout).toContain('parameters  1,261'); // 4·32+32 + 32·32+32 + 32+1 + normaliser 8 + scaling 2 + clip 2
    expect(r.stdout).toMatch(/contract {4}ok \(4 inputs from 4 terms, 1 actions, 50 Hz\)/);
  });

  it('inspect exits 1 and names the mismatch when the contract does not fit', async () => {
    const contract = path.join(dir, 'wrong.yaml');
    writeFileSync(
      contract,
      stringify({
        format: 'tether-policy/1',
        policy_rate_hz: 50,
        output: 'action',
        observations: [{ name: 'state', signals: ['cart.pos', 'pole.angle', 'cart.vel'], history: 2 }],
        actions: { signals: ['cart.force'] },
      }),
    );
    const r = await tether('policy', 'inspect', model, '--contract', contract);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("input 'obs': expected 6 features (state 3×2), model has 4");
    expect(r.stdout).toContain("output tensor: contract names 'action', model has ['actions']");
  });

  it('bench reports each backend; bad flags and files get one clear line', async () => {
    const r = await tether('policy', 'bench', model, '-n', '50', '-b', 'kernel');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kernel-wasm-simd\s+1\s+[\d.]+/);
    const bad = await tether('policy', 'bench', model, '-b', 'torch');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--backend: expected ort, tfjs, kernel or all, got 'torch'");
    const missing = await tether('policy', 'inspect', path.join(dir, 'none.onnx'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read '.*none\.onnx'/);
  });
});
