import {
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as signBytes,
  verify as verifyBytes,
} from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { canonical } from './model.ts';

/*
 * Certificate signatures (docs/certification.md, "Signed certificates"). The integrity digest
 * detects edits, but anyone can recompute it; a signature by a key the robot's operator trusts
 * cannot be made by whoever edits the file. Ed25519 over the canonical JSON of the whole
 * certificate (digest included, the signature itself excluded). The signing key stays where
 * certificates are issued (`tether verify --sign key.pem`); robots hold only public keys, listed
 * in the PEM file that TETHER_CERT_TRUST names.
 */

/** The environment variable naming the PEM file of the public keys whose signatures are trusted. */
export const TRUST_ENV = 'TETHER_CERT_TRUST';

export interface CertificateSignature {
  readonly algorithm: 'ed25519';
  /** sha256 of the public key (SPKI DER), first 16 hex digits: names the key in messages. */
  readonly keyId: string;
  /** Base64 Ed25519 signature. */
  readonly value: string;
}

/** Public keys whose signatures a runtime accepts, and where they were read from. */
export interface CertificateTrust {
  readonly keys: ReadonlyMap<string, KeyObject>;
  readonly source: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The bytes a signature covers: every field but the signature, canonically ordered. */
function signedBytes(certificate: object): Buffer {
  const { signature: _signature, ...body } = certificate as { signature?: unknown };
  return Buffer.from(canonical(body), 'utf8');
}

/**
 * Reads an Ed25519 private key (PEM). A key file others can read is refused, as ssh refuses one: a
 * signing key anyone on the machine can copy signs nothing worth trusting.
 */
export function readSigningKey(path: string): KeyObject {
  const mode = statSync(path).mode;
  if ((mode & 0o077) !== 0)
    throw new RangeError(
      `${path}: the signing key is readable by others (mode ${(mode & 0o777).toString(8)}); chmod 600 it`,
    );
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new RangeError(`${path}: not a PEM private key (${(error as Error).message})`);
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new RangeError(
      `${path}: an ${key.asymmetricKeyType} key; certificates are signed with Ed25519 (openssl genpkey -algorithm ed25519)`,
    );
  return key;
}

/** The certificate with its signature by `privateKey` (any earlier signature replaced). */
export function signCertificate<C extends object>(
  certificate: C,
  privateKey: KeyObject,
): C & { signature: CertificateSignature } {
  const value = signBytes(null, signedBytes(certificate), privateKey).toString('base64');
  const keyId = keyIdOf(createPublicKey(privateKey));
  return { ...certificate, signature: { algorithm: 'ed25519', keyId, value } };
}

/** Reads every public key (PEM blocks) in a trust file. */
export function readTrust(path: string): CertificateTrust {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new RangeError(`${TRUST_ENV}=${path}: cannot read it (${(error as Error).message})`);
  }
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0)
    throw new RangeError(`${TRUST_ENV}=${path}: no PEM public key in it (-----BEGIN PUBLIC KEY-----)`);
  const keys = new Map<string, KeyObject>();
  blocks.forEach((block, i) => {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== 'ed25519')
      throw new RangeError(
        `${TRUST_ENV}=${path}: key ${i + 1} is ${key.asymmetricKeyType}, expected ed25519`,
      );
    keys.set(keyIdOf(key), key);
  });
  return { keys, source: path };
}

let fromEnvironment: { path: string | undefined; trust: CertificateTrust | undefined } | undefined;

/** The trust the environment configures (undefined: none, unsigned certificates are accepted). */
export function certificateTrustFromEnv(): CertificateTrust | undefined {
  const path = process.env[TRUST_ENV] || undefined;
  if (fromEnvironment === undefined || fromEnvironment.path !== path)
    fromEnvironment = { path, trust: path === undefined ? undefined : readTrust(path) };
  return fromEnvironment.trust;
}

/**
 * Checks a certificate's signature against `trust`. Returns the signer's key id, or undefined for
 * an unsigned certificate where no trust is configured; throws, naming what is wrong, for a
 * signature that does not verify, a signer not trusted, or an unsigned certificate where trust is
 * configured. A signature is checked only against trusted keys: a forger can always sign with a
 * key of their own.
 */
export function checkSignature(
  certificate: { readonly signature?: CertificateSignature },
  trust: CertificateTrust | undefined,
  origin: string,
): string | undefined {
  const signature = certificate.signature;
  if (trust === undefined) return undefined;
  const trusted = [...trust.keys.keys()].join(', ');
  if (signature === undefined)
    throw new RangeError(
      `${origin}: not signed, and this runtime accepts only certificates signed by a key in ${TRUST_ENV} (${trust.source}: ${trusted}); sign it where it was verified (tether verify <model> --out <certificate> --sign <key.pem>)`,
    );
  const key = trust.keys.get(signature.keyId);
  if (key === undefined)
    throw new RangeError(
      `${origin}: signed by key ${signature.keyId}, which ${TRUST_ENV} (${trust.source}) does not list (trusted: ${trusted})`,
    );
  if (!verifyBytes(null, signedBytes(certificate), key, Buffer.from(signature.value, 'base64')))
    throw new RangeError(
      `${origin}: its signature by key ${signature.keyId} does not verify: it was edited after it was signed`,
    );
  return signature.keyId;
}

/** How a log names a checked certificate's signature (`checkSignature`'s result). */
export function signatureNote(signedBy: string | undefined): string {
  return signedBy === undefined
    ? `no signature required (${TRUST_ENV} unset)`
    : `signed by trusted key ${signedBy}`;
}
