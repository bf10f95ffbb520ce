import { describe, expect, it } from 'vitest';
import { commands } from '../../app/cli/commands/index.ts';
import { buildFullProgram } from '../../app/cli/main.ts';
import { tether } from '../support/cli.ts';

describe('the CLI loads only the command it runs', () => {
  it('lists every command with the description its module registers', async () => {
    const program = await buildFullProgram();
    const registered = new Map(program.commands.map((c) => [c.name(), c.description()]));
    expect([...registered.keys()].sort()).toEqual(commands.map((c) => c.name).sort());
    for (const entry of commands) expect(registered.get(entry.name), entry.name).toBe(entry.description);
  });

  it('prints the top-level help with every command, and a command`s own options', async () => {
    const top = await tether(['--help']);
    expect(top.code).toBe(0);
    for (const entry of commands) expect(top.stdout).toContain(entry.name);
    const run = await tether(['help', 'run']);
    expect(run.stdout).toMatch(/--operator/);
    const config = await tether(['config', 'check', '--help']);
    expect(config.stdout).toMatch(/without\s+opening any device/);
  });
});
