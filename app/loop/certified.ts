/**
 * The certificates of a run config and the controllers they prove, for the certificate gate: a
 * certified switch guard's (`switching.guard: { kind: certified, certificates: { NAME: … } }`) and a
 * hybrid supervisor's modes. Paths resolve against the run config's folder.
 */
import path from 'node:path';
import type { RunConfig } from '../../src/config/load.ts';
import type { CertifiedController } from '../../src/learning/certificate-gate.ts';

interface GuardCertificates {
  readonly certificates?: Readonly<Record<string, { readonly model: string; readonly certificate: string }>>;
}
interface SupervisorModes {
  readonly modes?: readonly {
    readonly name: string;
    readonly model: string;
    readonly certificate?: string;
  }[];
}

export function certifiedControllersOf(config: RunConfig): CertifiedController[] {
  const resolve = (file: string) => path.resolve(config.baseDir, file);
  const found: CertifiedController[] = [];
  const guard = config.switching.guard;
  if (guard !== undefined)
    for (const [controller, entry] of Object.entries((guard.options as GuardCertificates).certificates ?? {}))
      found.push({
        controller,
        key: `switching.guard.certificates.${controller}`,
        model: resolve(entry.model),
        certificate: resolve(entry.certificate),
      });
  for (const c of config.controllers) {
    if (c.plugin.kind !== 'hybrid-supervisor') continue;
    for (const [i, mode] of ((c.options as SupervisorModes).modes ?? []).entries())
      found.push({
        controller: c.name,
        key: `${c.path.join('.')}.modes.${i} (${mode.name})`,
        model: resolve(mode.model),
        ...(mode.certificate === undefined ? {} : { certificate: resolve(mode.certificate) }),
      });
  }
  return found;
}
