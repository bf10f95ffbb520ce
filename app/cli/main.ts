import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';

/** Builds the `tether` program; every sub-command lives in its own module under ./commands. */
export function buildProgram(): Command {
  const program = new Command('tether')
    .description('Tie learned and classical controllers to simulated and real robots, safely.')
    .version('0.1.0')
    .exitOverride();
  for (const registerCommand of commands) registerCommand(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. Errors print one clear line, not a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tether: ${message}\n`);
    if (process.env['TETHER_DEBUG'] && error instanceof Error) process.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
