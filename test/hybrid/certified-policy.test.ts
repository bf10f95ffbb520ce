import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plugins } from '../../app/plugins.ts';
import { parseRunConfig } from '../../src/config/load.ts';
import { readLog } from '../../src/logging/reader.ts';
import { checkRunConfig } from '../../src/loop/assemble.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import { tether } from '../support/cli.ts';
import { shippedConfigVariant } from '../support/run-config.ts';
import { controllerChanges } from '../support/switches.ts';

/**
 * The certified swing-up → balance switch with a learned balance policy (the bundled tanh ONNX
 * network), certified by `tether verify --policy`, through the CLI on the MuJoCo cartpole.
 */
const repo = join(import.meta.dirname, '../..');
const shipped = join(repo, 'configs/cartpole-swingup-certified-policy.yaml');
const work = mkdtempSync(join(tmpdir(), 'tether-certified-policy-'));
const examples = join(repo, 'controllers/policies/examples/cartpole');

/** The shipped config with edits, written next to absolute paths. */
function variant(name: string, edit: (text: string) => string): string {
  return shippedConfigVariant(shipped, repo, work, name, edit);
}

describe('certified swing-up → learned balance policy on the MuJoCo cartpole', () => {
  it('switches into the policy only inside its certified region, names the certificate, and balances', async () => {
    const log = join(work, 'policy.mcap');
    const r = await tether(['run', shipped, '--fast', '--duration', '12', '--log', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/safety: ok/);
    expect(r.stderr).toMatch(
      /'balance' is certified by cartpole_policy\.cert\.json \(sha256 [0-9a-f]{16}…, .*model cartpole_lqr_cartpole-balance, plant cartpole, rho [\d.]+/,
    );
    const read = await readLog(log);
    const changes = controllerChanges(read);
    expect(changes.map((c) => c.to)).toEqual(['balance']);
    const switched = read.events.find(
      (e) => e.kind === 'controller-switch' && /swingup → balance \(/.test(e.message),
    )!;
    const model = loadModel(join(repo, 'controllers/hybrid/models/cartpole/cartpole_policy.json'));
    expect(switched.data).toMatchObject({ guard: 'certified', certificate: 'cartpole_policy.cert.json' });
    expect(switched.data!['V'] as number).toBeLessThan(model.spec.rho);
    // The guard deferred the rule's request while V was not provably below rho.
    const deferred = read.events.find((e) => /swingup → balance deferred by certified/.test(e.message));
    expect(deferred?.time).toBeLessThan(switched.time);
    // From the switch on, V shrinks as certified until the state is below the inner level.
    const f = new ForwardModel(model);
    const t = read.ticks;
    const state = (i: number) =>
      Array.from(t.observation.subarray(i * t.observationSize, i * t.observationSize + 4));
    let prev = Number.POSITIVE_INFINITY;
    for (let i = changes[0]!.index; i < t.count; i++) {
      const v = f.value(state(i));
      if (prev >= model.spec.innerLevel && Number.isFinite(prev))
        expect(v).toBeLessThan((1 - model.spec.kappa) * prev + 1e-12);
      prev = v;
    }
    expect(f.value(state(t.count - 1))).toBeLessThan(model.spec.innerLevel);
    expect(Math.abs(state(t.count - 1)[1]!)).toBeLessThan(0.01);
    expect(read.events.some((e) => e.source === 'certificate-monitor')).toBe(false);
  });
});

describe('a policy other than the certified one is refused before anything moves', () => {
  const check = (file: string) => checkRunConfig(parseRunConfig(readFileSync(file, 'utf8'), file, plugins));

  it('another network (the learners’ cartpole policy) under the certificate', async () => {
    const file = variant('other-network', (t) =>
      t.replace(
        'contract: ' + `${repo}/controllers/policies/examples/cartpole/cartpole-balance.contract.yaml`,
        `contract: ${repo}/configs/loop/sim-policy/policy.contract.yaml`,
      ),
    );
    await expect(check(file)).rejects.toThrow(
      /certificate cartpole_policy\.cert\.json for 'balance': policy 'balance' \(ONNX sha256 [0-9a-f]{16}…\) runs other weights than the certificate's controller/,
    );
  });

  it('the same network with another output scaling in its contract', async () => {
    const contract = join(work, 'rescaled.contract.yaml');
    writeFileSync(
      contract,
      readFileSync(join(examples, 'cartpole-balance.contract.yaml'), 'utf8')
        .replace('scale: 1\n', 'scale: 1.1\n')
        .replace('model: cartpole-balance.onnx', `model: ${join(examples, 'cartpole-balance.onnx')}`),
    );
    const file = variant('rescaled', (t) =>
      t.replace(`${repo}/controllers/policies/examples/cartpole/cartpole-balance.contract.yaml`, contract),
    );
    await expect(check(file)).rejects.toThrow(/runs other weights than the certificate's controller/);
  });
});
