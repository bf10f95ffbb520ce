import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { runConfigJsonSchema } from '../../config/json-schema.ts';
import { loadRunConfig } from '../../config/load.ts';

export function register(program: Command): void {
  const config = program.command('config').description('check run configs and export their JSON Schema');
  config
    .command('check')
    .description('validate one or more run configs without starting anything')
    .argument('<files...>', 'YAML run configs')
    .action((files: string[]) => {
      let failed = 0;
      for (const file of files) {
        try {
          const c = loadRunConfig(file);
          process.stdout.write(
            `ok  ${file}  (${c.robot.plugin.kind} robot, ${c.controller.plugin.kind} controller, ${c.loop.rateHz} Hz)\n`,
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
    .description('write the JSON Schema of run configs (for editor completion)')
    .option('-o, --out <file>', 'output file', 'configs/schema/run.schema.json')
    .action((flags: { out: string }) => {
      mkdirSync(dirname(flags.out), { recursive: true });
      writeFileSync(flags.out, `${JSON.stringify(runConfigJsonSchema(), null, 2)}\n`);
      process.stdout.write(`wrote ${flags.out}\n`);
    });
}
