// Compiled from src/learning/deployment.ts by `npm run build`: edit the source, not this file.

// src/learning/deployment.ts
var POLICY_NAME = "policy";
function trainedPolicyContract(env, actionMap) {
  const names = env.action.signals.map((s) => s.name);
  if (actionMap.length !== names.length || actionMap.some((a, i) => a.name !== names[i])) {
    throw new Error(
      `action map [${actionMap.map((a) => a.name).join(", ")}] does not match the environment's actions [${names.join(", ")}]`
    );
  }
  return {
    format: "tether-policy/1",
    input: "obs",
    output: "actions",
    // 1/dt of a whole number of physics steps is not always exact in binary (49.999… Hz).
    policy_rate_hz: Number((1 / env.dt).toPrecision(12)),
    observations: env.observation.signals.map((s) => ({
      name: s.name.replace(/\W/g, "_"),
      signals: [s.name],
      unit: s.unit
    })),
    // The actor takes raw observations; the state normaliser of TD3+BC and IQL is baked into the ONNX graph.
    normalizer: { kind: "inside_model" },
    actions: {
      signals: names,
      mode: env.action.mode,
      unit: compact(actionMap.map((a) => a.unit)),
      scale: compact(actionMap.map((a) => a.scale)),
      offset: compact(actionMap.map((a) => a.offset)),
      // The actor ends in tanh: its raw output lies in [−1, 1], which the robot check relies on.
      clip: [-1, 1]
    }
  };
}
function trainedPolicyExport(trainer, trainingConfig) {
  const { algorithm, seed } = trainer.options;
  const last = trainer.history.at(-1);
  return {
    mlp: trainer.learner.actorPolicy(),
    contract: trainedPolicyContract(trainer.environment, trainer.envs.actionMap),
    name: POLICY_NAME,
    description: `${algorithm} actor trained on ${trainer.envs.name}, seed ${seed}, ${trainer.updatesDone} updates`,
    trainingConfig,
    metrics: {
      updates: trainer.updatesDone,
      simSteps: trainer.simSteps,
      ...last ? { realReturn: last.realReturn } : {}
    },
    onnx: { metadata: { algorithm, updates: String(trainer.updatesDone) } }
  };
}
function compact(values) {
  return values.every((v) => v === values[0]) ? values[0] : [...values];
}
export {
  POLICY_NAME,
  trainedPolicyContract,
  trainedPolicyExport
};
