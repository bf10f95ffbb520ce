import type { ControllerContext } from '../../src/core/controller.ts';
import type { RobotInfo } from '../../src/core/robot.ts';
import { checkPlantAssumptions } from './certified-switch-guard.ts';
import type { CertifiedMode } from './modes.ts';

/** What `checkModePlant` found. */
export interface ModePlantCheck {
  readonly problems: readonly string[];
  /** The plant the certificate covers on this robot, for "certified" in the log. */
  readonly plant: string;
}

export function certificateLabel(mode: CertifiedMode): string {
  const signed = mode.certificate.signedBy ? `, signed by trusted key ${mode.certificate.signedBy}` : '';
  return `certificate ${mode.certificate.file} (sha256 ${mode.certificate.sha256.slice(0, 12)}…${signed})`;
}

function equationsText(e: Readonly<Record<string, unknown>>): string {
  const params = Object.entries(e)
    .filter(([k]) => k !== 'system')
    .map(([k, v]) => `${k} ${String(v)}`);
  return `${String(e['system'])} (${params.join(', ')})`;
}

function robotText(robot: RobotInfo): string {
  const p = robot.plant;
  if (!p) return `'${robot.name}' (hardware over ${robot.transport}: it does not report its plant)`;
  return p.equations
    ? `'${robot.name}' (simulates '${p.model}': ${equationsText(p.equations)})`
    : `'${robot.name}' (simulates '${p.model}', physics step ${p.physicsStep} s, and reports no closed-form equations)`;
}

/**
 * Whether a mode's certificate was proved for the robot the supervisor runs on, checked before
 * anything moves. A certificate that states its plant assumptions is checked as the certified guard
 * checks it (plant, state signals in order, actuator, physics step, a simulator's parameters). One
 * that states none (the published models) was proved for its closed-form equations only, so it is
 * accepted only on a simulator that reports integrating exactly those equations; anything else (a
 * MuJoCo model, a rig) is refused, whatever its name.
 */
export function checkModePlant(
  mode: CertifiedMode,
  robot: RobotInfo,
  context: ControllerContext,
): ModePlantCheck {
  const where = `mode ${mode.name}: ${certificateLabel(mode)}`;
  const a = mode.model.assumptions;
  if (!a) {
    const proved = mode.model.dynamics as unknown as Readonly<Record<string, unknown>>;
    const runs = robot.plant?.equations;
    if (!runs)
      return {
        problems: [
          `${where} states no plant assumptions: it was proved for the closed-form ${equationsText(proved)} only, and the robot is ${robotText(robot)}`,
        ],
        plant: '',
      };
    const keys = new Set([...Object.keys(proved), ...Object.keys(runs)]);
    const differ = [...keys]
      .filter((k) => proved[k] !== runs[k])
      .map(
        (k) => `${k} ${String(runs[k] ?? 'absent')} on the robot, ${String(proved[k] ?? 'absent')} proved`,
      );
    return {
      problems:
        differ.length === 0
          ? []
          : [
              `${where} states no plant assumptions: it was proved for the closed-form ${equationsText(proved)}, and the robot is ${robotText(robot)}: ${differ.join(', ')}`,
            ],
      plant: `${robot.plant!.model}, ${equationsText(proved)}`,
    };
  }
  // Checked as the certified guard checks its certificates, plus the supervisor's own rule below.
  const index: number[] = [];
  const problems = checkPlantAssumptions(mode.model, a, context, mode.model.estimateError, index).map(
    (p) => `${where}: ${p}`,
  );
  // The supervisor reads the state from the first observations, in the certificate's order.
  index.forEach((k, i) => {
    if (k !== i)
      problems.push(
        `${where}: state ${i} '${a.signals[i]!.name}' is the robot's observation ${k}; the supervisor reads state ${i} from observation ${i}`,
      );
  });
  if (!robot.plant)
    problems.push(
      `${where}: the robot ${robotText(robot)} cannot show that its parameters are the certified ones, and the supervisor has no runtime monitor`,
    );
  return { problems, plant: a.plant };
}
