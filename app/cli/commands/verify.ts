import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { bisectRho, type Certificate, certify } from '../../../src/verification/certificate.ts';
import { loadModel } from '../../../src/verification/io.ts';

/**
 * `tether verify <model-or-config>`: certify a neural Lyapunov model (JSON) at its ρ, at a given
 * ρ, or bisect for the largest verifiable ρ. A YAML config with a hybrid supervisor verifies every
 * mode's model. Exit code 0 only when everything is verified.
 */

interface VerifyFlags {
  rho?: string;
  bisect?: boolean;
  method: string;
  workers?: string;
  out?: string;
}

/** Model files named by a file: itself (JSON) or the modes of a hybrid-supervisor config. */
function modelPaths(file: string): string[] {
  if (!/\.ya?ml$/i.test(file)) return [file];
  const doc = parseYaml(readFileSync(file, 'utf8')) as { controller?: { modes?: { model?: unknown }[] } };
  const modes = doc?.controller?.modes;
  if (!Array.isArray(modes) || modes.length === 0)
    throw new RangeError(
      `${file}: expected controller.modes[] with a model path each (a hybrid-supervisor config)`,
    );
  return modes.map((m, i) => {
    if (typeof m.model !== 'string')
      throw new RangeError(`${file}: controller.modes[${i}].model must be a path to a model JSON`);
    return resolve(dirname(file), m.model);
  });
}

function describe(c: Certificate): string {
  const b = c.boxes;
  const head = `${c.model}: ${c.result.toUpperCase()} at rho=${c.rho} (kappa=${c.kappa}, box [${c.box.lo}]..[${c.box.up}], hole ${c.hole.relative} of half-width)`;
  const stats = `  ${c.method}, ${b.visited} boxes (${b.verified} verified, ${b.outside} outside the level set, ${b.unknown} unknown), ${c.timeSeconds.toFixed(2)} s on ${c.workers} workers`;
  const cex = c.counterexample
    ? `\n  counterexample x=[${c.counterexample.x.join(', ')}]: ${c.counterexample.reason}, V(x)=${c.counterexample.value}, V(x+)-(1-kappa)V(x)=${c.counterexample.decrease}, x+=[${c.counterexample.next.join(', ')}]`
    : '';
  return `${head}\n${stats}${cex}`;
}

export function register(program: Command): void {
  program
    .command('verify')
    .description('certify the region of attraction of a neural Lyapunov controller (sound branch-and-bound)')
    .argument('<model-or-config>', 'model JSON (yang2024 / tether layout) or a hybrid-supervisor YAML config')
    .option('--rho <r>', 'level to certify (default: the model spec rho)')
    .option('--bisect', 'search for the largest verifiable rho')
    .option('--method <m>', 'bounds: linear (CROWN-style) or ibp', 'linear')
    .option('--workers <n>', 'worker threads (0 = this thread; default: all cores)')
    .option('--out <file>', 'write the certificate JSON here (one model only)')
    .action(async (file: string, flags: VerifyFlags) => {
      if (flags.rho !== undefined && flags.bisect)
        throw new RangeError('give either --rho or --bisect, not both');
      if (flags.method !== 'linear' && flags.method !== 'ibp')
        throw new RangeError(`--method must be linear or ibp, got '${flags.method}'`);
      const rho = flags.rho === undefined ? undefined : Number(flags.rho);
      if (rho !== undefined && !(rho > 0))
        throw new RangeError(`--rho must be a positive number, got '${flags.rho}'`);
      const workers = flags.workers === undefined ? undefined : Number(flags.workers);
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0))
        throw new RangeError(`--workers must be a non-negative integer, got '${flags.workers}'`);
      const paths = modelPaths(file);
      if (flags.out && paths.length !== 1)
        throw new RangeError('--out needs a single model; the config names several');
      const options = {
        method: flags.method as 'linear' | 'ibp',
        ...(workers !== undefined ? { workers } : {}),
        ...(rho !== undefined ? { rho } : {}),
      };
      let allVerified = true;
      for (const path of paths) {
        const model = loadModel(path);
        let certificate: Certificate | undefined;
        if (flags.bisect) {
          const b = await bisectRho(model, options);
          process.stdout.write(
            `${model.name}: largest verified rho ${b.verified} (failed at ${b.failed}) after ${b.steps} runs\n`,
          );
          certificate = b.certificate;
          if (!certificate) allVerified = false;
        } else {
          certificate = (await certify(model, options)).certificate;
          if (certificate.result !== 'verified') allVerified = false;
        }
        if (certificate) process.stdout.write(`${describe(certificate)}\n`);
        if (flags.out && certificate) writeFileSync(flags.out, `${JSON.stringify(certificate, null, 2)}\n`);
      }
      process.exitCode = allVerified ? 0 : 2;
    });
}
