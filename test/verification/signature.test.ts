/**
 * Signed certificates: a robot that trusts a key (TETHER_CERT_TRUST) accepts only certificates that
 * key signed, so a forger who edits a certificate and recomputes its digest is refused — the case the
 * digest alone cannot catch (region-and-certificate.test.ts). Through the library, `tether verify
 * --sign`, and `tether run` with the certified guard on the MuJoCo cartpole.
 */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../hardware/tools/processes.ts';
import {
  type Certificate,
  inspectCertificate,
  seal,
  statementOf,
} from '../../src/verification/certificate.ts';
import { loadModel } from '../../src/verification/io.ts';
import {
  checkSignature,
  keyIdOf,
  readSigningKey,
  readTrust,
  signCertificate,
} from '../../src/verification/signature.ts';
import { fixture, fixturePath } from './fixtures.ts';

const work = temporaryDirectory('tether-signature');
afterAll(() => work.remove());

function keyPair(name: string): { privateKey: KeyObject; keyFile: string; trustFile: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const keyFile = join(work.path, `${name}.pem`);
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const trustFile = join(work.path, `${name}.pub.pem`);
  writeFileSync(trustFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privateKey, keyFile, trustFile };
}

const operator = keyPair('operator');
const forger = keyPair('forger');
const trust = readTrust(operator.trustFile);
const model = fixture('pendulum_u6');
const shipped = JSON.parse(
  readFileSync(join(fixturePath('pendulum_u6'), '../../certificates/pendulum_u6.cert.json'), 'utf8'),
) as Certificate;

function body(c: Certificate): Omit<Certificate, 'integrity' | 'signature'> {
  const { integrity: _integrity, signature: _signature, ...rest } = c;
  return rest;
}

describe('certificate signatures', () => {
  it('a certificate signed by a trusted key is accepted and names its signer', () => {
    const signed = signCertificate(shipped, operator.privateKey);
    const checked = inspectCertificate(model, signed, 'signed', trust);
    expect(checked.rho).toBe(672);
    expect(checked.signedBy).toBe(keyIdOf(trust.keys.values().next().value!));
  });

  it('edited and re-sealed after signing (the forgery the digest cannot catch): refused', () => {
    const signed = signCertificate(shipped, operator.privateKey);
    const forged = {
      ...seal({ ...body(signed), rho: 5000, statement: statementOf(model, 5000) }),
      signature: signed.signature,
    };
    // Without trust, the digest and the statement check pass it: only the signature stops it.
    expect(inspectCertificate(model, forged, 'forged', undefined).rho).toBe(5000);
    expect(() => inspectCertificate(model, forged, 'forged', trust)).toThrow(
      /^forged: its signature by key [0-9a-f]{16} does not verify: it was edited after it was signed$/,
    );
  });

  it("re-signed with the forger's own key: refused, naming the key and the trusted ones", () => {
    const forged = signCertificate(
      seal({ ...body(shipped), rho: 5000, statement: statementOf(model, 5000) }),
      forger.privateKey,
    );
    expect(() => inspectCertificate(model, forged, 'forged', trust)).toThrow(
      /forged: signed by key [0-9a-f]{16}, which TETHER_CERT_TRUST \(.*operator\.pub\.pem\) does not list \(trusted: [0-9a-f]{16}\)/,
    );
  });

  it('unsigned: refused where trust is configured, accepted (and said so) where it is not', () => {
    expect(() => inspectCertificate(model, shipped, 'shipped', trust)).toThrow(
      /shipped: not signed, and this runtime accepts only certificates signed by a key in TETHER_CERT_TRUST/,
    );
    expect(inspectCertificate(model, shipped, 'shipped', undefined).signedBy).toBeUndefined();
  });

  it('a signing key others can read, or one that is not Ed25519, is refused', () => {
    const open = join(work.path, 'open.pem');
    writeFileSync(open, readFileSync(operator.keyFile));
    chmodSync(open, 0o644);
    expect(() => readSigningKey(open)).toThrow(/readable by others \(mode 644\); chmod 600 it/);
    const rsa = join(work.path, 'rsa.pem');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(rsa, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    expect(() => readSigningKey(rsa)).toThrow(/an rsa key; certificates are signed with Ed25519/);
    expect(() => readTrust(join(work.path, 'missing.pem'))).toThrow(/TETHER_CERT_TRUST=.*cannot read it/);
  });
});

describe('through the CLI', () => {
  it('tether verify --sign writes a certificate the trusted key verifies (a budget-limited run)', () => {
    const out = join(work.path, 'budget.cert.json');
    const run = spawnSync(
      process.execPath,
      [
        'bin/tether.mjs',
        'verify',
        fixturePath('pendulum_u6'),
        '--workers',
        '0',
        '--max-boxes',
        '200',
        '--no-progress',
        '--out',
        out,
        '--sign',
        operator.keyFile,
      ],
      { encoding: 'utf8' },
    );
    // The budget ends in UNKNOWN (exit 2): the signature attests what the file says, not a proof.
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/signed ed25519 by key [0-9a-f]{16}/);
    const written = JSON.parse(readFileSync(out, 'utf8')) as Certificate;
    expect(checkSignature(written, trust, 'written')).toBe(written.signature!.keyId);
  });

  it('tether run with TETHER_CERT_TRUST: an unsigned or forged certificate stops the run before it starts; a signed one runs', () => {
    const base = 'controllers/hybrid/models/cartpole';
    const certificate = JSON.parse(readFileSync(`${base}/cartpole_lqr.cert.json`, 'utf8')) as Certificate;
    const write = (name: string, c: object): string => {
      const file = join(work.path, `${name}.cert.json`);
      writeFileSync(file, JSON.stringify(c));
      const config = readFileSync('configs/cartpole-swingup-certified.yaml', 'utf8')
        .replace(
          '../controllers/hybrid/models/cartpole/cartpole_lqr.json',
          join(process.cwd(), base, 'cartpole_lqr.json'),
        )
        .replace('../controllers/hybrid/models/cartpole/cartpole_lqr.cert.json', file);
      const configFile = join(work.path, `${name}.yaml`);
      writeFileSync(configFile, config);
      return configFile;
    };
    const run = (config: string) =>
      spawnSync(process.execPath, ['bin/tether.mjs', 'run', config, '--duration', '0.2'], {
        encoding: 'utf8',
        env: { ...process.env, TETHER_CERT_TRUST: operator.trustFile },
      });
    const unsigned = run(write('unsigned', certificate));
    expect(unsigned.status).toBe(1);
    expect(unsigned.stderr).toMatch(
      /not signed, and this runtime accepts only certificates signed by a key in TETHER_CERT_TRUST/,
    );
    expect(unsigned.stdout).not.toMatch(/running under/);

    const signed = signCertificate(certificate, operator.privateKey);
    const good = run(write('signed', signed));
    expect(good.stderr + good.stdout).toMatch(
      new RegExp(
        `'balance' is certified by signed\\.cert\\.json \\(sha256 [0-9a-f]{16}…, signed by trusted key ${signed.signature.keyId}`,
      ),
    );
    expect(good.status).toBe(0);

    // ρ doubled, the claim re-derived and the digest recomputed, the operator's signature kept.
    const lqr = loadModel(`${base}/cartpole_lqr.json`);
    const rho = certificate.rho * 2;
    const raised = {
      ...seal({ ...body(signed), rho, statement: statementOf(lqr, rho) }),
      signature: signed.signature,
    };
    expect(inspectCertificate(lqr, raised, 'raised', undefined).rho).toBe(rho);
    const forged = run(write('forged', raised));
    expect(forged.status).toBe(1);
    expect(forged.stderr).toMatch(
      /its signature by key [0-9a-f]{16} does not verify: it was edited after it was signed/,
    );
    expect(forged.stdout).not.toMatch(/running under/);
  });
});
