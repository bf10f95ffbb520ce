// Compiled from src/loop/operator.ts by `npm run build`: edit the source, not this file.

// src/loop/operator.ts
import { describeWrite } from "../core/commands.js";
import { formatLinkHealth } from "../core/link-health.js";
var operatorCommands = ["estop", "recover", "switch", "status", "command"];
var OperatorConsole = class {
  constructor(loop, robot) {
    this.loop = loop;
    this.robot = robot;
  }
  loop;
  robot;
  /** Recoveries run one at a time: a second `recover` while one waits for the rig is refused. */
  recovering = false;
  /** Interprets one command line from `source` (e.g. `stdin`, `mqtt`). Never throws. */
  async execute(line, source) {
    const [command = "", ...args] = line.trim().split(/\s+/);
    let reply;
    try {
      reply = await this.dispatch(command.toLowerCase(), args, source);
    } catch (error) {
      reply = { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    if (command !== "" && command.toLowerCase() !== "status") {
      this.loop.events.emit({
        time: this.loop.record.deadline,
        kind: "info",
        source: `operator:${source}`,
        message: `${line.trim()} → ${reply.ok ? "ok" : "refused"}: ${reply.message}`
      });
    }
    return reply;
  }
  async dispatch(command, args, source) {
    switch (command) {
      case "":
        return { ok: true, message: "" };
      case "estop": {
        const reason = args.length > 0 ? args.join(" ") : "operator e-stop";
        this.loop.safety.estop(`${reason} (from ${source})`);
        return { ok: true, message: "safe state latched" };
      }
      case "recover":
        return this.recover();
      case "switch": {
        const name = args[0];
        if (name === void 0 || args.length > 1)
          return {
            ok: false,
            message: `usage: switch NAME (one of ${this.loop.controllers.names.join(", ")})`
          };
        const problem = this.loop.controllers.requestSwitch(name, `operator (${source})`);
        return problem === void 0 ? { ok: true, message: `switch to ${name} requested for the next tick boundary` } : { ok: false, message: problem };
      }
      case "status":
        return { ok: true, message: await this.status() };
      case "command":
        return this.command(args, source);
      default:
        return {
          ok: false,
          message: `unknown command '${command}' (expected one of ${operatorCommands.join(", ")})`
        };
    }
  }
  async recover() {
    const { safety } = this.loop;
    if (!safety.latched && this.robot.state !== "fault") return { ok: false, message: "nothing to recover" };
    if (this.recovering) return { ok: false, message: "a recovery is already in progress" };
    this.recovering = true;
    try {
      if (this.robot.state === "fault") {
        await this.robot.recover();
        await this.robot.activate();
      }
      if (this.robot.state !== "running")
        return { ok: false, message: `robot is ${this.robot.state}, not running` };
      const problem = safety.observationProblem(this.loop.record.observation);
      if (problem !== void 0) {
        this.robot.onSafetyLatch?.(`recovery refused: ${problem}`);
        return { ok: false, message: `not safe to recover: ${problem}` };
      }
      safety.recover();
      this.loop.controllers.requestReset();
      return {
        ok: true,
        message: `recovered; ${this.loop.controllers.activeName} resumes from the safe action`
      };
    } finally {
      this.recovering = false;
    }
  }
  command(args, source) {
    const board = this.loop.commands;
    if (board === void 0 || board.names.length === 0)
      return { ok: false, message: "this run has no command channels" };
    const [name, ...values] = args;
    if (name === void 0) {
      const list = board.names.map((n) => `${n} = [${Array.from(board.get(n).values).join(", ")}]`);
      return { ok: true, message: list.join("; ") };
    }
    const numbers = values.map(Number);
    const problem = board.set(name, numbers, `operator:${source}`, this.loop.record.deadline);
    if (problem !== void 0) return { ok: false, message: `${problem} (usage: command NAME v1 v2 …)` };
    return { ok: true, message: describeWrite(board.get(name), numbers) };
  }
  async status() {
    const { safety, controllers, record } = this.loop;
    const pending = controllers.pendingSwitch;
    const health = this.robot.linkHealth?.();
    const device = await this.robot.deviceStatus?.().catch((error) => `no answer (${error.message})`);
    return [
      `controller ${controllers.activeName}${pending ? ` (switch to ${pending} pending)` : ""}`,
      `safety ${safety.latched ? `LATCHED (${safety.latchReason})` : "ok"}`,
      `robot ${this.robot.state}`,
      `tick ${record.tick} at ${record.deadline.toFixed(2)} s`,
      ...health !== void 0 ? [`link ${formatLinkHealth(health, true)}`] : [],
      ...device !== void 0 ? [`device ${device}`] : []
    ].join("; ");
  }
};
export {
  OperatorConsole,
  operatorCommands
};
