#!/usr/bin/env node
// Entry point of the `tether` CLI. Sources are TypeScript. `npm run build` compiles them into dist/
// and stamps the build with a hash of every input; while the stamp matches the sources the compiled
// CLI runs and starts at once. Otherwise (sources edited since the last build, or
// TETHER_FROM_SOURCE=1) tsx compiles the sources on load: the repository always runs as it is.
import { fileURLToPath } from 'node:url';
import { checkStamp } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const build = process.env['TETHER_FROM_SOURCE'] ? { fresh: false } : checkStamp(root);

let main;
if (build.fresh) ({ main } = await import('../dist/app/cli/main.js'));
else {
  // Said once, to a person (a terminal) or when asked to explain (TETHER_DEBUG); scripts and tests
  // reading stderr see only the command's own output.
  if (build.reason && (process.stderr.isTTY || process.env['TETHER_DEBUG']))
    process.stderr.write(
      `tether: running the TypeScript sources through tsx (slower start): ${build.reason}; \`npm run build\` compiles them\n`,
    );
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../app/cli/main.ts'));
}
process.exitCode = await main(process.argv);
