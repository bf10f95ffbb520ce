import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { LinearBounder } from '../../src/verification/bounds.ts';
import { certify, inspectCertificateFile } from '../../src/verification/certificate.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { loadModel } from '../../src/verification/io.ts';
import type { LyapunovModel } from '../../src/verification/model.ts';

/**
 * One mode of a hybrid controller: its controller and Lyapunov network, and the level ρ that was
 * verified for it. ρ only ever comes from a certificate that matches the model's hashes (or from
 * running the verifier at load time), never from the model file's own claim.
 */
export interface CertifiedMode {
  readonly name: string;
  readonly model: LyapunovModel;
  readonly forward: ForwardModel;
  /** Sound bounds of V over a state box. */
  readonly bounds: LinearBounder;
  readonly rho: number;
  /** Where ρ came from, for the decision log. */
  readonly provenance: string;
  /**
   * The certificate behind ρ: its file name (or how it was made), its sha256 digest and the
   * trusted key that signed it (absent: TETHER_CERT_TRUST unset, or verified at load).
   */
  readonly certificate: { readonly file: string; readonly sha256: string; readonly signedBy?: string };
}

export interface ModeSource {
  readonly name: string;
  readonly model: string;
  readonly certificate?: string | undefined;
  /** Run the verifier when no certificate is given. */
  readonly verify?: boolean | undefined;
}

export async function loadCertifiedMode(source: ModeSource, baseDir: string): Promise<CertifiedMode> {
  const modelPath = resolve(baseDir, source.model);
  if (!existsSync(modelPath))
    throw new RangeError(
      `mode ${source.name}: model file ${source.model} not found (resolved against ${baseDir})`,
    );
  const model = loadModel(modelPath);
  let rho: number;
  let provenance: string;
  let certificate: CertifiedMode['certificate'];
  if (source.certificate) {
    const certPath = resolve(baseDir, source.certificate);
    const checked = inspectCertificateFile(model, certPath, source.certificate);
    rho = checked.rho;
    provenance = `certificate ${source.certificate}`;
    certificate = {
      file: basename(certPath),
      sha256: checked.digest,
      ...(checked.signedBy ? { signedBy: checked.signedBy } : {}),
    };
  } else if (source.verify) {
    const { certificate: verified } = await certify(model, { workers: 0 });
    if (verified.result !== 'verified')
      throw new RangeError(
        `mode ${source.name}: model ${source.model} is not verified at rho=${model.spec.rho} (${verified.result})`,
      );
    rho = verified.rho;
    provenance = 'verified at load';
    certificate = { file: 'verified at load', sha256: verified.integrity.digest };
  } else {
    throw new RangeError(
      `mode ${source.name}: give a certificate path or set verify: true; the model's own rho is not trusted`,
    );
  }
  return {
    name: source.name,
    model,
    forward: new ForwardModel(model),
    bounds: new LinearBounder(model),
    rho,
    provenance,
    certificate,
  };
}

/** Builds a mode from an already verified model (benchmarks, tests). */
export function certifiedMode(
  name: string,
  model: LyapunovModel,
  rho: number,
  provenance: string,
  certificate: CertifiedMode['certificate'] = { file: provenance, sha256: 'unknown' },
): CertifiedMode {
  return {
    name,
    model,
    forward: new ForwardModel(model),
    bounds: new LinearBounder(model),
    rho,
    provenance,
    certificate,
  };
}
