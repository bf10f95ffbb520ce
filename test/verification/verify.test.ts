import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { certify, checkCertificate } from '../../src/verification/certificate.ts';
import { falsify } from '../../src/verification/falsify.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { parseModel, regionBoxes, withRho } from '../../src/verification/model.ts';
import { lqrModelFile } from '../support/small-policy.ts';
import { fixture, fixturePath, rawFixture } from './fixtures.ts';

describe('verifier on the published pendulum models', () => {
  it('verifies |u| ≤ 6 at ρ = 672 with worker threads and no unknown box', async () => {
    const model = fixture('pendulum_u6');
    const { certificate } = await certify(model, { workers: 2 });
    expect(certificate.result).toBe('verified');
    expect(certificate.boxes.unknown).toBe(0);
    expect(certificate.boxes.verified).toBeGreaterThan(0);
    // Verified and discarded boxes tile B minus the hole.
    const area = certificate.boxes.verifiedVolume + certificate.boxes.outsideVolume;
    expect(area).toBeCloseTo(576 - 0.024 * 0.024, 6);
    expect(checkCertificate(model, certificate)).toBe(672);
  });

  it('verifies |u| ≤ 0.75 at ρ = 1.15516 in this thread', async () => {
    const { certificate } = await certify(fixture('pendulum_u075'), { workers: 0 });
    expect(certificate.result).toBe('verified');
    expect(certificate.boxes.unknown).toBe(0);
  });

  it('refutes a raised ρ with a counterexample that the float model confirms', async () => {
    const model = fixture('pendulum_u6');
    const { certificate } = await certify(model, { rho: 720, workers: 0, falsifier: false });
    expect(certificate.result).toBe('counterexample');
    const cex = certificate.counterexample!;
    const f = new ForwardModel(model);
    expect(f.value(cex.x)).toBeLessThanOrEqual(720);
    expect(Math.max(f.decrease(cex.x), f.boxExcess(cex.x))).toBeGreaterThan(0);
    expect(() => checkCertificate(model, certificate)).toThrow(/result is 'counterexample'/);
  });

  it('refutes a perturbed controller (last layer scaled by 0.8)', async () => {
    const raw = rawFixture('pendulum_u6');
    raw.controller.layers[3]!.weight[0] = raw.controller.layers[3]!.weight[0]!.map((w) => w * 0.8);
    const model = parseModel(raw, 'mutant');
    const { certificate } = await certify(model, { workers: 0 });
    expect(certificate.result).toBe('counterexample');
    const f = new ForwardModel(model);
    expect(f.value(certificate.counterexample!.x)).toBeLessThanOrEqual(model.spec.rho);
    expect(f.decrease(certificate.counterexample!.x)).toBeGreaterThan(0);
  });

  it('the falsifier alone finds a violation of a much raised ρ, and none at the published ρ', () => {
    const model = fixture('pendulum_u6');
    const high = withRho(model, 900);
    expect(falsify(high, high.spec.subBoxes, 900)).toBeDefined();
    expect(
      falsify(model, model.spec.subBoxes, 672, { starts: 50, steps: 100, stepSize: 0.002, seed: 5 }),
    ).toBeUndefined();
  });

  it('a certificate no longer matches once a weight changes', async () => {
    const model = fixture('pendulum_u6');
    const { certificate } = await certify(model, { workers: 0 });
    const raw = rawFixture('pendulum_u6');
    raw.lyapunov.phi.layers[0]!.bias[0]! += 1e-6;
    expect(() => checkCertificate(parseModel(raw), certificate)).toThrow(
      /the lyapunov of model 'pendulum_u6' changed/,
    );
    const raw2 = rawFixture('pendulum_u6');
    raw2.spec.kappa = 0.01;
    expect(() => checkCertificate(parseModel(raw2), certificate)).toThrow(/kappa 0.001 differs/);
  });
});

describe('the falsifier on a small level set', () => {
  it('the falsifier finds a violation inside a level set that is a tiny part of B', () => {
    // The cart-pole's LQR law pushing the wrong way, at ρ 5 with an estimate error: S is a tiny
    // part of B, so uniform points of B hardly ever lie in it (10,000 found none), and the falsifier
    // pulls its later starts towards x*. Branch-and-bound alone had not refuted it after 60 s.
    const raw = JSON.parse(readFileSync(lqrModelFile, 'utf8'));
    raw.controller.layers[0].weight[0] = raw.controller.layers[0].weight[0].map((w: number) => -w);
    raw.uncertainty = { estimate_error: [0.001, 0.001, 0.001, 0.001] };
    raw.spec.inner_level = 0.2;
    const wrong = withRho(parseModel(raw), 5);
    const found = falsify(
      wrong,
      regionBoxes(wrong.spec.boxLo, wrong.spec.boxUp, wrong.spec.hole, wrong.uncertainty),
      5,
    );
    expect(found?.reason).toBe('decrease');
    const f = new ForwardModel(wrong);
    expect(f.value(found!.x)).toBeLessThan(5);
    expect(f.decrease(found!.x)).toBeGreaterThan(0);
  });
});

describe('tether verify', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['bin/tether.mjs', 'verify', ...args], { encoding: 'utf8' });

  it('certifies the published model and exits 0', () => {
    const r = cli(fixturePath('pendulum_u075'), '--workers', '1');
    expect(r.stdout).toMatch(/pendulum_u075: VERIFIED at rho=1.15516/);
    expect(r.status).toBe(0);
  });

  it('prints the counterexample and exits 2 for a raised ρ', () => {
    const r = cli(fixturePath('pendulum_u6'), '--rho', '720', '--workers', '0');
    expect(r.stdout).toMatch(/COUNTEREXAMPLE at rho=720/);
    expect(r.stdout).toMatch(/counterexample x=\[/);
    expect(r.status).toBe(2);
  });

  it('rejects bad flags with a clear message', () => {
    const r = cli(fixturePath('pendulum_u6'), '--rho', '-3');
    expect(r.stderr).toMatch(/--rho must be a positive number, got '-3'/);
    expect(r.status).toBe(1);
  });
});

describe('verifier pool', () => {
  it('reuses its workers across runs, a counterexample run included', async () => {
    const { VerifierPool } = await import('../../src/verification/parallel.ts');
    const pool = new VerifierPool(2);
    try {
      const model = fixture('pendulum_u6');
      const refuted = await certify(model, { pool, rho: 720, falsifier: false });
      expect(refuted.certificate.result).toBe('counterexample');
      const verified = await certify(model, { pool });
      expect(verified.certificate.result).toBe('verified');
      expect(verified.certificate.boxes.unknown).toBe(0);
      expect(verified.certificate.workers).toBe(2);
    } finally {
      await pool.dispose();
    }
  });
});
