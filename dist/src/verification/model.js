// Compiled from src/verification/model.ts by `npm run build`: edit the source, not this file.

// src/verification/model.ts
import { createHash } from "node:crypto";
import { z } from "zod";
var cartpoleUncertainParameters = [
  "pole_mass_scale",
  "cart_mass_scale",
  "damping_scale",
  "force_gain_scale"
];
function searchDim(model) {
  return model.stateDim + model.uncertainty.length;
}
var activationJson = z.enum(["relu", "leaky_relu", "tanh"]);
var layerJson = z.object({ weight: z.array(z.array(z.number())), bias: z.array(z.number()) });
var boxJson = z.object({ lo: z.array(z.number()), up: z.array(z.number()) });
var interval = z.tuple([z.number(), z.number()]).refine(([lo, up]) => lo <= up, { message: "interval must have lo ≤ up" });
var neuralLyapunovJson = z.object({
  phi: z.object({ negative_slope: z.number().min(0).max(1), layers: z.array(layerJson).min(1) }),
  R: z.array(z.array(z.number())),
  eps: z.number().nonnegative()
});
var quadraticLyapunovJson = z.object({
  kind: z.literal("quadratic"),
  /** V(x) = ‖L x‖². */
  L: z.array(z.array(z.number())).min(1)
});
var cartpoleJson = z.object({
  system: z.literal("cartpole"),
  cart_mass: z.number().positive(),
  pole_mass: z.number().positive(),
  pole_com: z.number().positive(),
  pole_inertia: z.number().nonnegative(),
  slider_damping: z.number().nonnegative(),
  hinge_damping: z.number().nonnegative(),
  gravity: z.number().positive(),
  force_gain: z.number().positive().default(1),
  dt: z.number().positive(),
  substeps: z.number().int().positive().max(1e3),
  integration: z.literal("semi_implicit_euler")
});
var modelJsonSchema = z.object({
  format: z.enum(["yang2024-lyapunov-model/v1", "tether-lyapunov-model/v1"]),
  name: z.string(),
  state_dim: z.number().int().positive(),
  x_star: z.array(z.number()),
  controller: z.object({
    /**
     * Hidden activation, one for all hidden layers or one per hidden layer: relu or leaky_relu,
     * both max(z, negative_slope·z) (the published models say `relu`), or tanh.
     */
    activation: z.union([activationJson, z.array(activationJson)]).default("leaky_relu"),
    negative_slope: z.number().min(0).max(1),
    layers: z.array(layerJson).min(1),
    u_lo: z.array(z.number()).length(1),
    u_up: z.array(z.number()).length(1),
    u_star: z.array(z.number()).length(1)
  }),
  lyapunov: z.union([quadraticLyapunovJson, neuralLyapunovJson]),
  dynamics: z.union([
    z.object({
      system: z.literal("pendulum"),
      m: z.number().positive(),
      l: z.number().positive(),
      beta: z.number(),
      g: z.number(),
      dt: z.number().positive(),
      integration: z.literal("explicit_euler")
    }),
    z.object({
      system: z.literal("path_tracking"),
      speed: z.number().positive(),
      length: z.number().positive(),
      radius: z.number().positive(),
      dt: z.number().positive(),
      integration: z.literal("explicit_euler")
    }),
    cartpoleJson
  ]),
  uncertainty: z.object({
    /** Plant parameters as intervals of scales of the nominal value (cart-pole only). */
    parameters: z.partialRecord(z.enum(cartpoleUncertainParameters), interval).default({}),
    /** |d| ≤ bound: a force (command units × gain) added for the whole control period. */
    force_disturbance: z.number().nonnegative().default(0),
    /** Per state coordinate: the controller is fed x + ε with |ε_i| ≤ this. */
    estimate_error: z.array(z.number().nonnegative()).optional(),
    /**
     * Input delay τ, s (cart-pole only): a whole number of physics steps, at most dynamics.dt. The
     * first τ of every period still applies the previous command, any value in the actuator range.
     */
    input_delay: z.number().nonnegative().default(0),
    /**
     * With input_delay: the previous command lies within this (command units) of the controller's
     * command at the current state, instead of anywhere in the actuator range. The proof then
     * also bounds the command's change per period so that this carries over to the next period,
     * and the certified guard admits a switch only when the last command sent satisfies it.
     */
    previous_command_within: z.number().positive().optional()
  }).strict().optional(),
  assumptions: z.object({
    plant: z.string().min(1),
    signals: z.array(z.object({ name: z.string().min(1), unit: z.string() }).strict()).min(1),
    action: z.object({ name: z.string().min(1), unit: z.string(), lower: z.number(), upper: z.number() }).strict(),
    control_period: z.number().positive(),
    physics_step: z.number().positive().optional(),
    delay: z.number().nonnegative().default(0),
    notes: z.string().optional()
  }).strict().optional(),
  spec: z.object({
    box_lo: z.array(z.number()),
    box_up: z.array(z.number()),
    rho: z.number().positive(),
    kappa: z.number().min(0).lt(1),
    hole_size_relative: z.number().min(0).lt(1),
    /**
     * Ultimate-bound level ρ_in < ρ: where V(x) < ρ_in the decrease is not required, only that the
     * state stays in S (V(x⁺) < ρ). Needed when disturbances keep x* from being an equilibrium.
     */
    inner_level: z.number().nonnegative().default(0),
    sub_boxes: z.array(boxJson).optional()
  })
});
function toMlp(layers, activation, slope, where) {
  const hiddenCount = layers.length - 1;
  if (Array.isArray(activation) && activation.length !== hiddenCount)
    throw new RangeError(
      `${where}.activation: ${activation.length} entries, expected one per hidden layer (${hiddenCount})`
    );
  const named = (a) => a === "tanh" ? "tanh" : "leaky_relu";
  const activations = Array.isArray(activation) ? activation.map(named) : new Array(hiddenCount).fill(named(activation));
  const out = [];
  layers.forEach((layer, k) => {
    const outSize = layer.weight.length;
    const inSize = layer.weight[0]?.length ?? 0;
    if (layer.bias.length !== outSize)
      throw new RangeError(
        `${where}.layers[${k}]: bias has ${layer.bias.length} entries, expected ${outSize}`
      );
    const weight = new Float64Array(outSize * inSize);
    layer.weight.forEach((row, i) => {
      if (row.length !== inSize)
        throw new RangeError(`${where}.layers[${k}].weight[${i}]: ${row.length} columns, expected ${inSize}`);
      weight.set(row, i * inSize);
    });
    const prev = out[k - 1];
    if (prev && prev.outSize !== inSize)
      throw new RangeError(
        `${where}.layers[${k}]: input size ${inSize} does not match previous output ${prev.outSize}`
      );
    out.push({ inSize, outSize, weight, bias: Float64Array.from(layer.bias) });
  });
  return { layers: out, activations, slope };
}
function holeHalfWidths(lo, up, relative) {
  return lo.map((l, i) => relative * (0.5 * (up[i] - l)));
}
function regionBoxes(lo, up, hole, uncertainty = []) {
  const n = lo.length;
  const uLo = uncertainty.map((u) => u.lo);
  const uUp = uncertainty.map((u) => u.up);
  if (hole.every((h) => h === 0)) return [{ lo: [...lo, ...uLo], up: [...up, ...uUp] }];
  for (let i = 0; i < n; i++)
    if (!(lo[i] <= -hole[i] && hole[i] <= up[i]))
      throw new RangeError(
        `the hole [−${hole[i]}, ${hole[i]}] in coordinate ${i} does not lie inside the box [${lo[i]}, ${up[i]}]`
      );
  const out = [];
  for (let i = 0; i < n; i++) {
    const baseLo = lo.map((l, j) => j < i ? -hole[j] : l);
    const baseUp = up.map((u, j) => j < i ? hole[j] : u);
    const upper = { lo: [...baseLo], up: [...baseUp] };
    upper.lo[i] = hole[i];
    const lower = { lo: [...baseLo], up: [...baseUp] };
    lower.up[i] = -hole[i];
    for (const b of [upper, lower])
      if (b.lo[i] < b.up[i]) out.push({ lo: [...b.lo, ...uLo], up: [...b.up, ...uUp] });
  }
  return out;
}
function holeBox(model) {
  const { hole } = model.spec;
  if (hole.every((h) => h === 0)) return void 0;
  return {
    lo: [...hole.map((h) => -h), ...model.uncertainty.map((u) => u.lo)],
    up: [...hole, ...model.uncertainty.map((u) => u.up)]
  };
}
function holeSubBoxes(lo, up, holeRelative) {
  return regionBoxes(lo, up, holeHalfWidths(lo, up, holeRelative));
}
function roundUp(x) {
  return x + (Math.abs(x) * 2 ** -52 + 2 ** -1074);
}
function roundDown(x) {
  return x - (Math.abs(x) * 2 ** -52 + 2 ** -1074);
}
function uncertaintyOf(json, n, origin) {
  const u = json.uncertainty;
  if (!u) return [];
  const dims = [];
  const params = cartpoleUncertainParameters.filter((p) => u.parameters[p] !== void 0);
  if ((params.length > 0 || u.force_disturbance > 0 || u.input_delay > 0) && json.dynamics.system !== "cartpole")
    throw new RangeError(
      `${origin}: uncertainty.parameters, force_disturbance and input_delay are supported for the cartpole dynamics only`
    );
  for (const p of params) {
    const [lo, up] = u.parameters[p];
    if (!(lo > 0)) throw new RangeError(`${origin}: uncertainty.parameters.${p} must be positive`);
    dims.push({ kind: "parameter", name: p, lo, up });
  }
  const estimate = u.estimate_error;
  if (estimate && estimate.length !== n)
    throw new RangeError(
      `${origin}: uncertainty.estimate_error has ${estimate.length} entries, expected state_dim ${n}`
    );
  const layers = json.controller.layers;
  const fold = estimate !== void 0 && json.dynamics.system === "cartpole";
  let force = u.force_disturbance;
  let commandShift = 0;
  if (fold) {
    let bound = estimate;
    for (const layer of layers)
      bound = layer.weight.map((row) => {
        let sum = 0;
        row.forEach((w, i) => {
          sum = roundUp(sum + roundUp(Math.abs(w) * bound[i]));
        });
        return sum;
      });
    const s = bound[0];
    commandShift = s;
    const gainScale = Math.max(1, u.parameters.force_gain_scale?.[1] ?? 1);
    const gain = json.dynamics.system === "cartpole" ? json.dynamics.force_gain : 1;
    force = roundUp(force + roundUp(roundUp(gain * gainScale) * s));
  }
  if (force > 0) dims.push({ kind: "disturbance", name: "force", lo: -force, up: force });
  const delay = delayedCommandOf(json, u.input_delay, u.previous_command_within, commandShift, origin);
  if (delay) dims.push(delay);
  if (estimate && !fold)
    estimate.forEach((e, i) => {
      if (e > 0)
        dims.push({
          kind: "estimate",
          name: json.assumptions?.signals[i]?.name ?? `x${i}`,
          index: i,
          lo: -e,
          up: e
        });
    });
  return dims;
}
function delayedCommandOf(json, delay, within, commandShift, origin) {
  if (within !== void 0 && !(delay > 0))
    throw new RangeError(
      `${origin}: uncertainty.previous_command_within needs uncertainty.input_delay > 0 (it bounds the delayed command)`
    );
  if (!(delay > 0) || json.dynamics.system !== "cartpole") return void 0;
  const { dt, substeps } = json.dynamics;
  const steps = Math.round(delay * substeps / dt);
  if (!(steps >= 1 && steps <= substeps && Math.abs(steps * dt - delay * substeps) <= 1e-9 * dt))
    throw new RangeError(
      `${origin}: uncertainty.input_delay ${delay} s: expected a whole number of physics steps of dynamics.dt / dynamics.substeps = ${dt}/${substeps} s, at most dynamics.dt ${dt} s`
    );
  if (within !== void 0) {
    const rateBound = commandShift > 0 ? roundDown(within - commandShift) : within;
    if (!(rateBound > 0))
      throw new RangeError(
        `${origin}: uncertainty.previous_command_within ${within} must exceed the estimate error's command shift ${commandShift}`
      );
    const spread = commandShift > 0 ? roundUp(within + commandShift) : within;
    return {
      kind: "delayed-command",
      name: "force",
      delay,
      steps,
      relative: { within, rateBound },
      lo: -spread,
      up: spread
    };
  }
  const [uLo, uUp] = [json.controller.u_lo[0], json.controller.u_up[0]];
  const lo = commandShift > 0 ? -roundUp(commandShift - uLo) : uLo;
  const up = commandShift > 0 ? roundUp(uUp + commandShift) : uUp;
  return { kind: "delayed-command", name: "force", delay, steps, lo, up };
}
function parseModel(raw, origin = "model") {
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new RangeError(`${origin}: ${issue.path.join(".") || "(root)"}: ${issue.message}`);
  }
  const json = parsed.data;
  const n = json.state_dim;
  if (json.x_star.length !== n || json.x_star.some((v) => v !== 0))
    throw new RangeError(`${origin}: x_star must be the origin of R^${n} (shift the state first)`);
  const controller = toMlp(
    json.controller.layers,
    json.controller.activation,
    json.controller.negative_slope,
    `${origin}: controller`
  );
  const mlps = [["controller", controller]];
  let lyapunov;
  if ("kind" in json.lyapunov) {
    const rows = json.lyapunov.L.length;
    const l = new Float64Array(rows * n);
    json.lyapunov.L.forEach((row, i) => {
      if (row.length !== n)
        throw new RangeError(`${origin}: lyapunov.L[${i}] has ${row.length} columns, expected ${n}`);
      l.set(row, i * n);
    });
    lyapunov = { kind: "quadratic", l, lRows: rows };
  } else {
    const phi = toMlp(
      json.lyapunov.phi.layers,
      "leaky_relu",
      json.lyapunov.phi.negative_slope,
      `${origin}: lyapunov.phi`
    );
    mlps.push(["lyapunov.phi", phi]);
    const rRows = json.lyapunov.R.length;
    const r = new Float64Array(rRows * n);
    json.lyapunov.R.forEach((row, i) => {
      if (row.length !== n)
        throw new RangeError(`${origin}: lyapunov.R[${i}] has ${row.length} columns, expected ${n}`);
      r.set(row, i * n);
    });
    lyapunov = { kind: "neural", phi, r, rRows, eps: json.lyapunov.eps };
  }
  for (const [name, mlp] of mlps) {
    if (mlp.layers[0].inSize !== n)
      throw new RangeError(
        `${origin}: ${name} takes ${mlp.layers[0].inSize} inputs, expected state_dim ${n}`
      );
    if (mlp.layers.at(-1).outSize !== 1)
      throw new RangeError(`${origin}: ${name} has ${mlp.layers.at(-1).outSize} outputs, expected 1`);
  }
  const { box_lo: boxLo, box_up: boxUp } = json.spec;
  if (!(json.spec.inner_level < json.spec.rho))
    throw new RangeError(
      `${origin}: spec.inner_level ${json.spec.inner_level} must be below spec.rho ${json.spec.rho}`
    );
  if (boxLo.length !== n || boxUp.length !== n)
    throw new RangeError(`${origin}: spec box must have ${n} entries`);
  if (boxLo.some((l, i) => !(l < boxUp[i])))
    throw new RangeError(`${origin}: spec.box_lo must be below spec.box_up`);
  const dyn = json.dynamics;
  const expectedDim = dyn.system === "cartpole" ? 4 : 2;
  if (n !== expectedDim)
    throw new RangeError(`${origin}: ${dyn.system} dynamics have ${expectedDim} states, state_dim is ${n}`);
  const dynamics = dyn.system === "cartpole" ? {
    system: "cartpole",
    cartMass: dyn.cart_mass,
    poleMass: dyn.pole_mass,
    poleCom: dyn.pole_com,
    poleInertia: dyn.pole_inertia,
    sliderDamping: dyn.slider_damping,
    hingeDamping: dyn.hinge_damping,
    gravity: dyn.gravity,
    forceGain: dyn.force_gain,
    dt: dyn.dt,
    substeps: dyn.substeps
  } : (({ integration: _integration, ...rest }) => rest)(dyn);
  const uncertainty = uncertaintyOf(json, n, origin);
  const hole = holeHalfWidths(boxLo, boxUp, json.spec.hole_size_relative);
  let subBoxes;
  try {
    subBoxes = regionBoxes(boxLo, boxUp, hole, uncertainty);
  } catch (error) {
    throw new RangeError(`${origin}: ${error.message}`);
  }
  const a = json.assumptions;
  const assumptions = a && {
    plant: a.plant,
    signals: a.signals,
    action: a.action,
    controlPeriod: a.control_period,
    ...a.physics_step !== void 0 ? { physicsStep: a.physics_step } : {},
    delay: a.delay,
    ...a.notes !== void 0 ? { notes: a.notes } : {}
  };
  if (assumptions) {
    if (assumptions.signals.length !== n)
      throw new RangeError(
        `${origin}: assumptions.signals names ${assumptions.signals.length} signals, expected ${n}`
      );
    if (assumptions.controlPeriod !== dynamics.dt)
      throw new RangeError(
        `${origin}: assumptions.control_period ${assumptions.controlPeriod} differs from dynamics.dt ${dynamics.dt}`
      );
    const covered = json.uncertainty?.input_delay ?? 0;
    if (!(assumptions.delay <= covered))
      throw new RangeError(
        `${origin}: assumptions.delay ${assumptions.delay} s is not covered: uncertainty.input_delay is ${covered} s (expected assumptions.delay <= uncertainty.input_delay)`
      );
    if (assumptions.action.lower !== json.controller.u_lo[0] || assumptions.action.upper !== json.controller.u_up[0])
      throw new RangeError(
        `${origin}: assumptions.action limits [${assumptions.action.lower}, ${assumptions.action.upper}] differ from the controller clamp [${json.controller.u_lo[0]}, ${json.controller.u_up[0]}]`
      );
  }
  return {
    name: json.name,
    stateDim: n,
    controller: {
      net: controller,
      uLo: json.controller.u_lo[0],
      uUp: json.controller.u_up[0],
      uStar: json.controller.u_star[0]
    },
    lyapunov,
    dynamics,
    uncertainty,
    estimateError: json.uncertainty?.estimate_error ?? new Array(n).fill(0),
    spec: {
      boxLo,
      boxUp,
      rho: json.spec.rho,
      kappa: json.spec.kappa,
      holeSizeRelative: json.spec.hole_size_relative,
      hole,
      innerLevel: json.spec.inner_level,
      subBoxes,
      subBoxesInFile: json.spec.sub_boxes !== void 0
    },
    assumptions,
    source: raw
  };
}
function withRho(model, rho) {
  if (!(rho > 0)) throw new RangeError(`rho must be positive, got ${rho}`);
  return {
    ...model,
    spec: { ...model.spec, rho },
    source: { ...model.source, spec: { ...model.source.spec, rho } }
  };
}
function canonical(value) {
  return JSON.stringify(
    value,
    (_key, v) => v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) : v
  );
}
function sha256(value) {
  return createHash("sha256").update(canonical(value)).digest("hex");
}
function modelHashes(model) {
  const s = model.source;
  const lyapunov = s.lyapunov;
  const { rho: _rho, ...spec } = s.spec;
  return {
    // The activation joins the hash only when a tanh is in it, so the hashes of every earlier
    // certificate (ReLU-family networks) stay as they were.
    controller: sha256({
      ...JSON.stringify(s.controller.activation ?? "").includes("tanh") ? { activation: s.controller.activation } : {},
      layers: s.controller.layers,
      slope: s.controller.negative_slope,
      u_lo: s.controller.u_lo,
      u_up: s.controller.u_up,
      u_star: s.controller.u_star
    }),
    lyapunov: "phi" in lyapunov ? sha256({
      phi: lyapunov["phi"].layers,
      slope: lyapunov["phi"].negative_slope,
      R: lyapunov["R"],
      eps: lyapunov["eps"]
    }) : sha256(lyapunov),
    dynamics: sha256(s.dynamics),
    spec: sha256({ ...spec, x_star: s.x_star, state_dim: s.state_dim }),
    uncertainty: sha256({ dimensions: model.uncertainty, estimate_error: model.estimateError }),
    assumptions: sha256(model.assumptions ?? null)
  };
}
export {
  canonical,
  cartpoleUncertainParameters,
  holeBox,
  holeHalfWidths,
  holeSubBoxes,
  modelHashes,
  modelJsonSchema,
  parseModel,
  regionBoxes,
  searchDim,
  sha256,
  withRho
};
