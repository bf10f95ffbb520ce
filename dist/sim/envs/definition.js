// Compiled from sim/envs/definition.ts by `npm run build`: edit the source, not this file.

// sim/envs/definition.ts
function signalTask(definition, task) {
  const { signalReward } = definition;
  const terminated = definition.signalTerminated?.(task);
  const goal = definition.signalGoal?.(task);
  return {
    ...signalReward ? { reward: (_obs, action, next) => signalReward(next, action) } : {},
    ...terminated ? { terminated } : {},
    ...goal ? { goal } : {}
  };
}
function wrapAngle(angle) {
  const twoPi = 2 * Math.PI;
  const wrapped = angle - twoPi * Math.floor((angle + Math.PI) / twoPi);
  return wrapped === -Math.PI ? Math.PI : wrapped;
}
function actuatorRange(sim, actuator) {
  const limited = sim.model.actuator_ctrllimited[actuator] === 1;
  if (!limited) return [-Infinity, Infinity];
  return [sim.model.actuator_ctrlrange[2 * actuator], sim.model.actuator_ctrlrange[2 * actuator + 1]];
}
function jointRange(sim, joint) {
  if (sim.model.jnt_limited[joint] !== 1) return [-Infinity, Infinity];
  return [sim.model.jnt_range[2 * joint], sim.model.jnt_range[2 * joint + 1]];
}
export {
  actuatorRange,
  jointRange,
  signalTask,
  wrapAngle
};
