// Compiled from controllers/hybrid/mode-plant.ts by `npm run build`: edit the source, not this file.

// controllers/hybrid/mode-plant.ts
import { checkParameters } from "./certified-switch-guard.js";
function certificateLabel(mode) {
  return `certificate ${mode.certificate.file} (sha256 ${mode.certificate.sha256.slice(0, 12)}…)`;
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
  const problems = [];
  const plant = robot.plant?.model ?? robot.name.replace(/^sim:/, "");
  if (plant !== a.plant)
    problems.push(`${where} covers the plant '${a.plant}', the robot is ${robotText(robot)}`);
  const obs = context.observation.signals;
  a.signals.forEach((s, i) => {
    const o = obs[i];
    if (!o || o.name !== s.name || o.unit !== s.unit)
      problems.push(
        `${where}: state ${i} is '${s.name}' in ${s.unit}, the robot's observation ${i} is ${o ? `'${o.name}' in ${o.unit}` : "missing"}`
      );
  });
  const act = context.action.signals[0];
  if (act && (act.name !== a.action.name || act.unit !== a.action.unit))
    problems.push(
      `${where}: the action is '${a.action.name}' in ${a.action.unit}, the robot's first action is '${act.name}' in ${act.unit}`
    );
  const step = robot.plant?.physicsStep;
  if (a.physicsStep !== void 0 && step !== void 0 && Math.abs(step - a.physicsStep) > 1e-12)
    problems.push(
      `${where}: physics step ${step} s on the robot, the certificate's model uses ${a.physicsStep} s`
    );
  if (!robot.plant)
    problems.push(
      `${where}: the robot ${robotText(robot)} cannot show that its parameters are the certified ones, and the supervisor has no runtime monitor`
    );
  else
    for (const p of checkParameters(mode.model, robot, mode.model.estimateError))
      problems.push(`${where}: ${p}`);
  return { problems, plant: a.plant };
}
export {
  certificateLabel,
  checkModePlant
};
