// Compiled from src/learning/w-map.ts by `npm run build`: edit the source, not this file.

// src/learning/w-map.ts
function wMapOf(trainer, o) {
  const agent = trainer.hybridAgent;
  if (agent === null) throw new Error("a w map needs an H2O agent");
  const n = o.directions;
  const obs = new Float64Array(n * 2);
  const act = new Float64Array(n * 2);
  const next = new Float64Array(n * 2);
  const w = new Float64Array(n);
  const rows = [];
  for (let j = 0; j < o.cells; j++) {
    const y = o.yMin + (o.yMax - o.yMin) * (j + 0.5) / o.cells;
    const row = [];
    for (let i = 0; i < o.cells; i++) {
      const x = o.xMin + (o.xMax - o.xMin) * (i + 0.5) / o.cells;
      for (let k = 0; k < n; k++) {
        const heading = 2 * Math.PI * k / n;
        obs[2 * k] = x;
        obs[2 * k + 1] = y;
        act[2 * k] = Math.cos(heading);
        act[2 * k + 1] = Math.sin(heading);
        next[2 * k] = x + act[2 * k] * o.dt;
        next[2 * k + 1] = y + act[2 * k + 1] * o.dt;
      }
      agent.importanceWeights(obs, act, next, n, w);
      let mean = 0;
      for (let k = 0; k < n; k++) mean += w[k] / n;
      row.push(Number(mean.toFixed(4)));
    }
    rows.push(row);
  }
  return rows;
}
export {
  wMapOf
};
