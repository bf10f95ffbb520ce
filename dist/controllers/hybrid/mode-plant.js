// Compiled from controllers/hybrid/mode-plant.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/mode-plant.ts
import { checkPlantAssumptions } from "./certified-switch-guard.js";
function certificateLabel(mode) {
  const signed = mode.certificate.signedBy ? `, signed by trusted key ${mode.certificate.signedBy}` : "";
  return `certificate ${mode.certificate.file} (sha256 ${mode.certificate.sha256.slice(0, 12)}…${signed})`;
}
function equationsText(e) {
  const params = Object.entries(e).filter(([k]) => k !== "system").map(([k, v]) => `${k} ${String(v)}`);
  return `${String(e["system"])} (${params.join(", ")})`;
}
function robotText(robot) {
  const p = robot.plant;
  if (!p) return `'${robot.name}' (hardware over ${robot.transport}: it does not report its plant)`;
  return p.equations ? `'${robot.name}' (simulates '${p.model}': ${equationsText(p.equations)})` : `'${robot.name}' (simulates '${p.model}', physics step ${p.physicsStep} s, and reports no closed-form equations)`;
}
function checkModePlant(mode, robot, context) {
  const where = `mode ${mode.name}: ${certificateLabel(mode)}`;
  const a = mode.model.assumptions;
  if (!a) {
    const proved = mode.model.dynamics;
    const runs = robot.plant?.equations;
    if (!runs)
      return {
        problems: [
          `${where} states no plant assumptions: it was proved for the closed-form ${equationsText(proved)} only, and the robot is ${robotText(robot)}`
        ],
        plant: ""
      };
    const keys = /* @__PURE__ */ new Set([...Object.keys(proved), ...Object.keys(runs)]);
    const differ = [...keys].filter((k) => proved[k] !== runs[k]).map(
      (k) => `${k} ${String(runs[k] ?? "absent")} on the robot, ${String(proved[k] ?? "absent")} proved`
    );
    return {
      problems: differ.length === 0 ? [] : [
        `${where} states no plant assumptions: it was proved for the closed-form ${equationsText(proved)}, and the robot is ${robotText(robot)}: ${differ.join(", ")}`
      ],
      plant: `${robot.plant.model}, ${equationsText(proved)}`
    };
  }
  const index = [];
  const problems = checkPlantAssumptions(mode.model, a, context, mode.model.estimateError, index).map(
    (p) => `${where}: ${p}`
  );
  index.forEach((k, i) => {
    if (k !== i)
      problems.push(
        `${where}: state ${i} '${a.signals[i].name}' is the robot's observation ${k}; the supervisor reads state ${i} from observation ${i}`
      );
  });
  if (!robot.plant)
    problems.push(
      `${where}: the robot ${robotText(robot)} cannot show that its parameters are the certified ones, and the supervisor has no runtime monitor`
    );
  return { problems, plant: a.plant };
}
export {
  certificateLabel,
  checkModePlant
};
