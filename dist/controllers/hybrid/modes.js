// Compiled from controllers/hybrid/modes.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/modes.ts
import { existsSync } from "node:fs";
import { basename, resolve } from "node:path";
import { LinearBounder } from "../../src/verification/bounds.js";
import { certify, inspectCertificateFile } from "../../src/verification/certificate.js";
import { ForwardModel } from "../../src/verification/forward.js";
import { loadModel } from "../../src/verification/io.js";
async function loadCertifiedMode(source, baseDir) {
  const modelPath = resolve(baseDir, source.model);
  if (!existsSync(modelPath))
    throw new RangeError(
      `mode ${source.name}: model file ${source.model} not found (resolved against ${baseDir})`
    );
  const model = loadModel(modelPath);
  let rho;
  let provenance;
  let certificate;
  if (source.certificate) {
    const certPath = resolve(baseDir, source.certificate);
    const checked = inspectCertificateFile(model, certPath, source.certificate);
    rho = checked.rho;
    provenance = `certificate ${source.certificate}`;
    certificate = {
      file: basename(certPath),
      sha256: checked.digest,
      ...checked.signedBy ? { signedBy: checked.signedBy } : {}
    };
  } else if (source.verify) {
    const { certificate: verified } = await certify(model, { workers: 0 });
    if (verified.result !== "verified")
      throw new RangeError(
        `mode ${source.name}: model ${source.model} is not verified at rho=${model.spec.rho} (${verified.result})`
      );
    rho = verified.rho;
    provenance = "verified at load";
    certificate = { file: "verified at load", sha256: verified.integrity.digest };
  } else {
    throw new RangeError(
      `mode ${source.name}: give a certificate path or set verify: true; the model's own rho is not trusted`
    );
  }
  return {
    name: source.name,
    model,
    forward: new ForwardModel(model),
    bounds: new LinearBounder(model),
    rho,
    provenance,
    certificate
  };
}
function certifiedMode(name, model, rho, provenance, certificate = { file: provenance, sha256: "unknown" }) {
  return {
    name,
    model,
    forward: new ForwardModel(model),
    bounds: new LinearBounder(model),
    rho,
    provenance,
    certificate
  };
}
export {
  certifiedMode,
  loadCertifiedMode
};
