/**
 * The operator channel of a running loop: `estop`, `recover`, `switch NAME`, `status`. One
 * interpreter serves every source (the terminal, an MQTT topic), so an operator command means the
 * same wherever it comes from, and every command and its outcome is logged as an event.
 *
 *   estop [reason]   latch the safe state now (effective from the next tick)
 *   recover          clear a latch — only when the robot reports it can leave its fault (a rig must
 *                    acknowledge) and the current observation would not latch again at once
 *   switch NAME      ask the controller manager for NAME at the next tick boundary (a guard may
 *                    defer or deny it)
 *   status           one line: active controller, latch, ticks
 *   command NAME v…  write a command channel (e.g. `command base_velocity 0.5 0 0.3`), clamped to
 *                    its ranges (the reply names each clamped value and its range); a wrong count
 *                    or a non-number is refused; `command` alone lists the channels and their values
 */

import { describeWrite } from '../core/commands.ts';
import { formatLinkHealth } from '../core/link-health.ts';
import type { Robot } from '../core/robot.ts';
import type { ControlLoop } from './control-loop.ts';

export interface OperatorReply {
  readonly ok: boolean;
  readonly message: string;
}

export const operatorCommands = ['estop', 'recover', 'switch', 'status', 'command'] as const;

export class OperatorConsole {
  /** Recoveries run one at a time: a second `recover` while one waits for the rig is refused. */
  private recovering = false;

  constructor(
    private readonly loop: ControlLoop,
    private readonly robot: Robot,
  ) {}

  /** Interprets one command line from `source` (e.g. `stdin`, `mqtt`). Never throws. */
  async execute(line: string, source: string): Promise<OperatorReply> {
    const [command = '', ...args] = line.trim().split(/\s+/);
    let reply: OperatorReply;
    try {
      reply = await this.dispatch(command.toLowerCase(), args, source);
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (command !== '' && command.toLowerCase() !== 'status') {
      this.loop.events.emit({
        time: this.loop.record.deadline,
        kind: 'info',
        source: `operator:${source}`,
        message: `${line.trim()} → ${reply.ok ? 'ok' : 'refused'}: ${reply.message}`,
      });
    }
    return reply;
  }

  private async dispatch(command: string, args: string[], source: string): Promise<OperatorReply> {
    switch (command) {
      case '':
        return { ok: true, message: '' };
      case 'estop': {
        const reason = args.length > 0 ? args.join(' ') : 'operator e-stop';
        this.loop.safety.estop(`${reason} (from ${source})`);
        return { ok: true, message: 'safe state latched' };
      }
      case 'recover':
        return this.recover();
      case 'switch': {
        const name = args[0];
        if (name === undefined || args.length > 1)
          return {
            ok: false,
            message: `usage: switch NAME (one of ${this.loop.controllers.names.join(', ')})`,
          };
        const problem = this.loop.controllers.requestSwitch(name, `operator (${source})`);
        return problem === undefined
          ? { ok: true, message: `switch to ${name} requested for the next tick boundary` }
          : { ok: false, message: problem };
      }
      case 'status':
        return { ok: true, message: await this.status() };
      case 'command':
        return this.command(args, source);
      default:
        return {
          ok: false,
          message: `unknown command '${command}' (expected one of ${operatorCommands.join(', ')})`,
        };
    }
  }

  private async recover(): Promise<OperatorReply> {
    const { safety } = this.loop;
    if (!safety.latched && this.robot.state !== 'fault') return { ok: false, message: 'nothing to recover' };
    if (this.recovering) return { ok: false, message: 'a recovery is already in progress' };
    this.recovering = true;
    try {
      if (this.robot.state === 'fault') {
        // The robot decides whether it can leave its fault (a rig acknowledges or refuses).
        await this.robot.recover();
        await this.robot.activate();
      }
      if (this.robot.state !== 'running')
        return { ok: false, message: `robot is ${this.robot.state}, not running` };
      const problem = safety.observationProblem(this.loop.record.observation);
      if (problem !== undefined) {
        // The latch stays: a robot with a safe state of its own (a rig) goes back into it.
        this.robot.onSafetyLatch?.(`recovery refused: ${problem}`);
        return { ok: false, message: `not safe to recover: ${problem}` };
      }
      safety.recover();
      this.loop.controllers.requestReset();
      return {
        ok: true,
        message: `recovered; ${this.loop.controllers.activeName} resumes from the safe action`,
      };
    } finally {
      this.recovering = false;
    }
  }

  private command(args: string[], source: string): OperatorReply {
    const board = this.loop.commands;
    if (board === undefined || board.names.length === 0)
      return { ok: false, message: 'this run has no command channels' };
    const [name, ...values] = args;
    if (name === undefined) {
      const list = board.names.map((n) => `${n} = [${Array.from(board.get(n)!.values).join(', ')}]`);
      return { ok: true, message: list.join('; ') };
    }
    const numbers = values.map(Number);
    const problem = board.set(name, numbers, `operator:${source}`, this.loop.record.deadline);
    if (problem !== undefined) return { ok: false, message: `${problem} (usage: command NAME v1 v2 …)` };
    return { ok: true, message: describeWrite(board.get(name)!, numbers) };
  }

  private async status(): Promise<string> {
    const { safety, controllers, record } = this.loop;
    const pending = controllers.pendingSwitch;
    const health = this.robot.linkHealth?.();
    // Asked over the link: what the device itself says (a rig that does not answer says so).
    const device = await this.robot.deviceStatus?.().catch((error: Error) => `no answer (${error.message})`);
    return [
      `controller ${controllers.activeName}${pending ? ` (switch to ${pending} pending)` : ''}`,
      `safety ${safety.latched ? `LATCHED (${safety.latchReason})` : 'ok'}`,
      `robot ${this.robot.state}`,
      `tick ${record.tick} at ${record.deadline.toFixed(2)} s`,
      ...(health !== undefined ? [`link ${formatLinkHealth(health, true)}`] : []),
      ...(device !== undefined ? [`device ${device}`] : []),
    ].join('; ');
  }
}
