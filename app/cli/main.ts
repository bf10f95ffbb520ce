import { Command, CommanderError } from 'commander';
import { commands } from './commands/index.ts';

/**
 * Builds the `tether` program. Only the sub-command named on the command line is loaded and
 * registered in full; the others appear as name and description, which is all the top-level help
 * shows, so a command starts without loading the modules of every other one.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('tether')
    .description('Tie learned and classical controllers to simulated and real robots, safely.')
    .version('0.1.0')
    .exitOverride();
  const words = argv.slice(2).filter((a) => !a.startsWith('-'));
  const named = words[0] === 'help' ? words[1] : words[0];
  for (const entry of commands) {
    if (entry.name === named) (await entry.load()).register(program);
    else program.command(entry.name).description(entry.description);
  }
  return program;
}

/** Registers every sub-command in full (for tests and for generating documentation). */
export async function buildFullProgram(): Promise<Command> {
  const program = new Command('tether').exitOverride();
  for (const entry of commands) (await entry.load()).register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. Errors print one clear line, not a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv);
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
