// Compiled from src/verification/signature.ts by `npm run build`: edit the source, not this file.

// src/verification/signature.ts
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  sign as signBytes,
  verify as verifyBytes
} from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { canonical } from "./model.js";
var TRUST_ENV = "TETHER_CERT_TRUST";
function keyIdOf(publicKey) {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(der).digest("hex").slice(0, 16);
}
function signedBytes(certificate) {
  const { signature: _signature, ...body } = certificate;
  return Buffer.from(canonical(body), "utf8");
}
function readSigningKey(path) {
  const mode = statSync(path).mode;
  if ((mode & 63) !== 0)
    throw new RangeError(
      `${path}: the signing key is readable by others (mode ${(mode & 511).toString(8)}); chmod 600 it`
    );
  let key;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (error) {
    throw new RangeError(`${path}: not a PEM private key (${error.message})`);
  }
  if (key.asymmetricKeyType !== "ed25519")
    throw new RangeError(
      `${path}: an ${key.asymmetricKeyType} key; certificates are signed with Ed25519 (openssl genpkey -algorithm ed25519)`
    );
  return key;
}
function signCertificate(certificate, privateKey) {
  const value = signBytes(null, signedBytes(certificate), privateKey).toString("base64");
  const keyId = keyIdOf(createPublicKey(privateKey));
  return { ...certificate, signature: { algorithm: "ed25519", keyId, value } };
}
function readTrust(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new RangeError(`${TRUST_ENV}=${path}: cannot read it (${error.message})`);
  }
  const blocks = text.match(/-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----/g) ?? [];
  if (blocks.length === 0)
    throw new RangeError(`${TRUST_ENV}=${path}: no PEM public key in it (-----BEGIN PUBLIC KEY-----)`);
  const keys = /* @__PURE__ */ new Map();
  blocks.forEach((block, i) => {
    const key = createPublicKey(block);
    if (key.asymmetricKeyType !== "ed25519")
      throw new RangeError(
        `${TRUST_ENV}=${path}: key ${i + 1} is ${key.asymmetricKeyType}, expected ed25519`
      );
    keys.set(keyIdOf(key), key);
  });
  return { keys, source: path };
}
var fromEnvironment;
function certificateTrustFromEnv() {
  const path = process.env[TRUST_ENV] || void 0;
  if (fromEnvironment === void 0 || fromEnvironment.path !== path)
    fromEnvironment = { path, trust: path === void 0 ? void 0 : readTrust(path) };
  return fromEnvironment.trust;
}
function checkSignature(certificate, trust, origin) {
  const signature = certificate.signature;
  if (trust === void 0) return void 0;
  const trusted = [...trust.keys.keys()].join(", ");
  if (signature === void 0)
    throw new RangeError(
      `${origin}: not signed, and this runtime accepts only certificates signed by a key in ${TRUST_ENV} (${trust.source}: ${trusted}); sign it where it was verified (tether verify <model> --out <certificate> --sign <key.pem>)`
    );
  const key = trust.keys.get(signature.keyId);
  if (key === void 0)
    throw new RangeError(
      `${origin}: signed by key ${signature.keyId}, which ${TRUST_ENV} (${trust.source}) does not list (trusted: ${trusted})`
    );
  if (!verifyBytes(null, signedBytes(certificate), key, Buffer.from(signature.value, "base64")))
    throw new RangeError(
      `${origin}: its signature by key ${signature.keyId} does not verify: it was edited after it was signed`
    );
  return signature.keyId;
}
function signatureNote(signedBy) {
  return signedBy === void 0 ? `no signature required (${TRUST_ENV} unset)` : `signed by trusted key ${signedBy}`;
}
export {
  TRUST_ENV,
  certificateTrustFromEnv,
  checkSignature,
  keyIdOf,
  readSigningKey,
  readTrust,
  signCertificate,
  signatureNote
};
