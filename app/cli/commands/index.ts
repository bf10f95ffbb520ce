import type { Command } from 'commander';
import { register as config } from './config.ts';
import { register as demo } from './demo.ts';
import { register as evalCommand } from './eval.ts';
import { register as log } from './log.ts';
import { register as operator } from './operator.ts';
import { register as policy } from './policy.ts';
import { register as rig } from './rig.ts';
import { register as run } from './run.ts';
import { register as sim } from './sim.ts';
import { register as train } from './train.ts';
import { register as verify } from './verify.ts';

/** One entry per sub-command module; each adds itself to the program. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  run,
  operator,
  demo,
  sim,
  rig,
  policy,
  train,
  evalCommand,
  verify,
  log,
  config,
];
