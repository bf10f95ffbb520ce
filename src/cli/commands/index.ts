import type { Command } from 'commander';

/** One entry per sub-command module; each adds itself to the program. */
export const commands: ReadonlyArray<(program: Command) => void> = [];
