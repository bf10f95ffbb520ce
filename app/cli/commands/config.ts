import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { loadRunConfig } from '../../../src/config/load.ts';
import { checkRunConfig } from '../../../src/loop/assemble.ts';
import { type JsonSchemaKind, jsonSchemas } from '../../json-schema.ts';
import { plugins } from '../../plugins.ts';

export function register(program: Command): void {
  const config = program.command('config').description('check run configs and export their JSON Schema');
  config
    .command('check')
    .description(
      'check run configs exactly as `tether run` would before moving anything, without opening any device',
    )
    .argument('<files...>', 'YAML run configs')
    .action(async (files: string[]) => {
      let failed = 0;
      for (const file of files) {
        try {
          const c = loadRunConfig(file, plugins);
          const check = await checkRunConfig(c);
          const against = check.robot
            ? `checked against ${check.robot.name}`
            : `robot specs come from the ${c.robot.plugin.kind} robot when it connects: signal names and contracts are checked then`;
          process.stdout.write(
            `ok  ${file}  (${c.robot.plugin.kind} robot; controllers ${check.controllers.join(', ')}; ${c.loop.rateHz} Hz; ${against})\n`,
          );
        } catch (error) {
          failed++;
          process.stderr.write(`${(error as Error).message}\n`);
        }
      }
      if (failed > 0) process.exitCode = 1;
    });
  config
    .command('schema')
    .description('write the JSON Schemas of run, train and rig configs and policy contracts (for editors)')
    .option('--kind <kind>', `only one schema: ${Object.keys(jsonSchemas).join(', ')}`)
    .option('-o, --out <file>', 'output file of the one --kind (default: its file in configs/schema/)')
    .action((flags: { kind?: string; out?: string }) => {
      if (flags.kind !== undefined && !(flags.kind in jsonSchemas)) {
        throw new Error(
          `--kind: expected one of ${Object.keys(jsonSchemas).join(', ')}, got '${flags.kind}'`,
        );
      }
      if (flags.out !== undefined && flags.kind === undefined) throw new Error('--out needs --kind');
      const kinds = flags.kind
        ? [flags.kind as JsonSchemaKind]
        : (Object.keys(jsonSchemas) as JsonSchemaKind[]);
      for (const kind of kinds) {
        const file = flags.out ?? jsonSchemas[kind].file;
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(jsonSchemas[kind].build(), null, 2)}\n`);
        process.stdout.write(`wrote ${file}\n`);
      }
    });
}
