// Compiled from app/cli/main.ts by `npm run build`: edit the source, not this file.

// app/cli/main.ts
import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.js";
async function buildProgram(argv = []) {
  const program = new Command("tether").description("Tie learned and classical controllers to simulated and real robots, safely.").version("0.1.0").exitOverride();
  const words = argv.slice(2).filter((a) => !a.startsWith("-"));
  const named = words[0] === "help" ? words[1] : words[0];
  for (const entry of commands) {
    if (entry.name === named) (await entry.load()).register(program);
    else program.command(entry.name).description(entry.description);
  }
  return program;
}
async function buildFullProgram() {
  const program = new Command("tether").exitOverride();
  for (const entry of commands) (await entry.load()).register(program);
  return program;
}
async function main(argv) {
  try {
    const program = await buildProgram(argv);
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`tether: ${message}
`);
    if (process.env["TETHER_DEBUG"] && error instanceof Error) process.stderr.write(`${error.stack}
`);
    return 1;
  }
}
export {
  buildFullProgram,
  buildProgram,
  main
};
