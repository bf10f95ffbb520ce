#!/usr/bin/env node
// Entry point of the `tether` CLI. Sources are TypeScript; tsx compiles them on load so the
// repository runs straight from a clone with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
process.exitCode = await main(process.argv);
