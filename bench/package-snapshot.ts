import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

/** What the CLI needs at run time and to build: its sources and assets, configs, the launcher. */
const packageParts = [
  'package.json',
  'tsconfig.json',
  'bin',
  'scripts',
  'src',
  'sim',
  'research',
  'controllers',
  'hardware',
  'app',
  'configs',
];

/**
 * Copies the package as it is now into a fresh folder under `parent` and runs `npm run build`'s
 * script there, so dist/ matches that copy's sources however the working tree changes meanwhile.
 * node_modules links to the repository's; `without` leaves packages out (each package is linked on
 * its own then), e.g. tsx, to show the compiled CLI needs no TypeScript loader. Returns the copy's
 * root; the caller removes it.
 */
export function builtSnapshot(repo: string, parent: string, without: readonly string[] = []): string {
  const root = mkdtempSync(join(parent, 'tether-package-'));
  for (const part of packageParts) cpSync(join(repo, part), join(root, part), { recursive: true });
  if (without.length === 0) symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
  else {
    mkdirSync(join(root, 'node_modules'));
    for (const name of readdirSync(join(repo, 'node_modules')))
      if (!without.includes(name)) linkPackage(repo, root, name);
  }
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'ignore' });
  return root;
}

/** Links one package of the repository's node_modules into the copy's (after builtSnapshot left it out). */
export function linkPackage(repo: string, root: string, name: string): void {
  symlinkSync(join(repo, 'node_modules', name), join(root, 'node_modules', name), 'dir');
}
