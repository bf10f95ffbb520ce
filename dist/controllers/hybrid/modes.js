// Compiled from controllers/hybrid/modes.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/modes.ts
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { LinearBounder } from "../../src/verification/bounds.js";
import { certify, loadCertificate } from "../../src/verification/certificate.js";
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
  if (source.certificate) {
    const certPath = resolve(baseDir, source.certificate);
    rho = loadCertificate(model, certPath);
    provenance = `certificate ${source.certificate}`;
  } else if (source.verify) {
    const { certificate } = await certify(model, { workers: 0 });
    if (certificate.result !== "verified")
      throw new RangeError(
        `mode ${source.name}: model ${source.model} is not verified at rho=${model.spec.rho} (${certificate.result})`
      );
    rho = certificate.rho;
    provenance = "verified at load";
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
    provenance
  };
}
function certifiedMode(name, model, rho, provenance) {
  return { name, model, forward: new ForwardModel(model), bounds: new LinearBounder(model), rho, provenance };
}
export {
  certifiedMode,
  loadCertifiedMode
};
