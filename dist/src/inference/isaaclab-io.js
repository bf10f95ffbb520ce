// Compiled from src/inference/isaaclab-io.ts by `npm run build`: edit the source, not this file.

// src/inference/isaaclab-io.ts
import { z } from "zod";
import { contractFromDeploy, DeployError } from "./isaaclab.js";
var numberOrList = z.union([z.number(), z.array(z.number())], {
  error: "expected a number, or a list of numbers (one per joint or dimension)"
});
var bound = z.union([z.number(), z.literal(Number.POSITIVE_INFINITY), z.literal(Number.NEGATIVE_INFINITY)]);
var pair = z.tuple([bound, bound], { error: "expected [lower, upper] (numbers; .inf for no bound)" });
var finite = ([lo, hi]) => [
  Math.max(lo, -Number.MAX_VALUE),
  Math.min(hi, Number.MAX_VALUE)
];
var jointActionModule = "isaaclab.envs.mdp.actions.joint_actions";
var jointActionClasses = ["JointPositionAction", "JointVelocityAction", "JointEffortAction"];
var descriptorSchema = z.looseObject({
  actions: z.array(z.looseObject({ name: z.string(), full_path: z.string().nullable().optional() })),
  articulations: z.record(z.string(), z.unknown()),
  observations: z.record(z.string(), z.array(z.unknown()).nullable()),
  scene: z.looseObject({
    dt: z.number().positive(),
    physics_dt: z.number().positive().optional(),
    decimation: z.number().int().positive().optional()
  })
});
var jointActionSchema = z.looseObject({
  shape: z.array(z.number().int().nonnegative()).nullable().optional(),
  joint_names: z.array(z.string()).min(1),
  scale: numberOrList,
  offset: numberOrList,
  clip: z.array(pair).nullable().optional()
});
var articulationSchema = z.looseObject({
  joint_names: z.array(z.string()).min(1),
  default_joint_pos: z.array(z.number()),
  default_joint_vel: z.array(z.number()).optional(),
  default_joint_stiffness: z.array(z.number()).optional(),
  default_joint_damping: z.array(z.number()).optional()
});
var observationSchema = z.looseObject({
  name: z.string().min(1),
  shape: z.array(z.number().int().nonnegative()).nullable().optional(),
  joint_names: z.array(z.string()).optional(),
  joint_pos_offsets: z.array(z.number()).optional(),
  joint_vel_offsets: z.array(z.number()).optional(),
  overloads: z.looseObject({
    scale: numberOrList.nullable().optional(),
    clip: pair.nullable().optional(),
    history_length: z.number().int().min(0).default(0),
    flatten_history_dim: z.boolean({ error: "expected true or false" }).default(true)
  }),
  extras: z.looseObject({ modifiers: z.unknown().optional() }).nullable().optional()
});
function contractFromIODescriptors(descriptorData, bindingData, io = {}, files = { descriptors: "IO descriptors", wrapper: "deploy binding" }) {
  const refuse = (key, detail) => {
    throw new DeployError(files.descriptors, key, detail);
  };
  const refuseBinding = (key, detail) => {
    throw new DeployError(files.wrapper, key, detail);
  };
  const parse = (schema, data, at) => {
    const result = schema.safeParse(data);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    return refuse([at, ...issue.path].filter((k) => k !== "").join(".") || "(root)", issue.message);
  };
  const file = parse(descriptorSchema, descriptorData, "");
  const binding = bindingData != null && typeof bindingData === "object" && !Array.isArray(bindingData) ? { ...bindingData } : bindingData == null ? {} : refuseBinding("bind", "expected a mapping");
  const chosen = binding["articulation"];
  delete binding["articulation"];
  if (chosen !== void 0 && typeof chosen !== "string")
    refuseBinding("bind.articulation", "expected the name of an articulation of the scene");
  const names = Object.keys(file.articulations);
  const articulationName = chosen ?? (names.length === 1 ? names[0] : names.includes("robot") ? "robot" : void 0) ?? refuseBinding(
    "bind.articulation",
    `${files.descriptors} describes ${names.length === 0 ? "no articulation" : `the articulations ${names.join(", ")}`}; name the one the policy drives`
  );
  const artKey = `articulations.${articulationName}`;
  if (!Object.hasOwn(file.articulations, articulationName))
    refuseBinding(
      "bind.articulation",
      `'${articulationName}' is not an articulation of ${files.descriptors} (it has ${names.join(", ") || "none"})`
    );
  const art = parse(articulationSchema, file.articulations[articulationName], artKey);
  const joints = art.joint_names;
  const nj = joints.length;
  for (const key of [
    "default_joint_pos",
    "default_joint_vel",
    "default_joint_stiffness",
    "default_joint_damping"
  ]) {
    const v = art[key];
    if (v !== void 0 && v.length !== nj)
      refuse(
        `${artKey}.${key}`,
        `${v.length} values, expected ${nj} (one per joint of ${artKey}.joint_names)`
      );
  }
  const duplicate = joints.find((j, i) => joints.indexOf(j) !== i);
  if (duplicate !== void 0) refuse(`${artKey}.joint_names`, `'${duplicate}' is listed twice`);
  const robotJoints = binding["joints"];
  if (Array.isArray(robotJoints) && robotJoints.length !== nj)
    refuseBinding(
      "bind.joints",
      `${robotJoints.length} names for the ${nj} joints of ${files.descriptors}: ${artKey}.joint_names; expected the robot's name of each, in that order`
    );
  const indicesOf = (list, key) => list.map((j, k) => {
    const i = joints.indexOf(j);
    if (i < 0) refuse(`${key}.${k}`, `'${j}' is not a joint of ${artKey}.joint_names`);
    if (list.indexOf(j) !== k) refuse(`${key}.${k}`, `'${j}' is listed twice`);
    return i;
  });
  const subsetOrAll = (ids) => ids.length === nj && ids.every((id, k) => id === k) ? null : ids;
  const { dt, physics_dt, decimation } = file.scene;
  if (physics_dt !== void 0 && decimation !== void 0 && Math.abs(physics_dt * decimation - dt) > 1e-9 * dt)
    refuse(
      "scene.dt",
      `${dt}, but physics_dt ${physics_dt} × decimation ${decimation} is ${physics_dt * decimation}`
    );
  if (file.actions.length !== 1)
    refuse(
      "actions",
      `expected one action term, found ${file.actions.length} (${file.actions.map((a) => a.name).join(", ") || "none"})`
    );
  const fullPath = file.actions[0].full_path ?? "";
  const dot = fullPath.lastIndexOf(".");
  const actionClass = jointActionClasses.find(
    (c) => fullPath.slice(0, dot) === jointActionModule && fullPath.slice(dot + 1) === c
  );
  if (actionClass === void 0)
    refuse(
      "actions.0.full_path",
      `${fullPath || "(none)"} is not a term this reader reproduces; expected ${jointActionClasses.map((c) => `${jointActionModule}.${c}`).join(", ")} (raw · scale + offset, then the per-joint clip)`
    );
  const action = parse(jointActionSchema, file.actions[0], "actions.0");
  const actionIds = indicesOf(action.joint_names, "actions.0.joint_names");
  const na = actionIds.length;
  if (action.shape != null && (action.shape.length !== 1 || action.shape[0] !== na))
    refuse(
      "actions.0.shape",
      `[${action.shape.join(", ")}], expected [${na}] (one value per joint of actions.0.joint_names)`
    );
  const usesGains = binding["gains"] != null || binding["pd"] != null;
  if (usesGains && actionClass === "JointPositionAction" && art.default_joint_stiffness !== void 0) {
    const stiffness = art.default_joint_stiffness;
    const zero = actionIds.find((i) => stiffness[i] === 0);
    if (zero !== void 0)
      refuse(
        `${artKey}.default_joint_stiffness.${zero}`,
        `0 for ${joints[zero]}, a joint the action term drives: its actuator is not a PD (e.g. an actuator network), so there is no stiffness for bind.${binding["gains"] != null ? "gains" : "pd"}; expected a PD actuator's stiffness, or no bind.gains / bind.pd (the robot's own drive keeps its gains)`
      );
  }
  const group = file.observations["policy"];
  if (group == null)
    refuse(
      "observations.policy",
      `missing; expected the policy group's terms (the groups written: ${Object.keys(file.observations).join(", ") || "none"})`
    );
  const terms = group.map((raw, i) => parse(observationSchema, raw, `observations.policy.${i}`));
  const termIndex = /* @__PURE__ */ new Map();
  const defaults = {};
  const observations = {};
  terms.forEach((term, i) => {
    const key = `observations.policy.${i}`;
    const { name, overloads } = term;
    const earlier = termIndex.get(name);
    if (earlier !== void 0)
      refuse(
        `${key}.name`,
        `${name} again (also observations.policy.${earlier}): the file names terms by their function, so two terms of one function cannot be told apart; expected each function once`
      );
    termIndex.set(name, i);
    const modifiers = term.extras?.modifiers;
    if (modifiers != null)
      refuse(
        `${key}.extras.modifiers`,
        `${JSON.stringify(modifiers)}: modifiers are not reproduced; expected null`
      );
    if (overloads.history_length > 0 && !overloads.flatten_history_dim)
      refuse(
        `${key}.overloads.flatten_history_dim`,
        `false with history_length ${overloads.history_length}: an unflattened history is not one vector; expected true`
      );
    if (term.shape != null && term.shape.length !== 1)
      refuse(
        `${key}.shape`,
        `[${term.shape.join(", ")}]: a term of more than one dimension is not read; expected [width]`
      );
    let subset = null;
    if (term.joint_names !== void 0) {
      const ids = indicesOf(term.joint_names, `${key}.joint_names`);
      subset = subsetOrAll(ids);
      if (name === "joint_pos_rel" && term.joint_pos_offsets !== void 0) {
        const offsets = term.joint_pos_offsets;
        if (offsets.length !== ids.length || offsets.some((v, k) => Math.abs(v - art.default_joint_pos[ids[k]]) > 1e-6))
          refuse(
            `${key}.joint_pos_offsets`,
            `[${offsets.join(", ")}], expected the default pose of its joints, [${ids.map((id) => art.default_joint_pos[id]).join(", ")}] (${artKey}.default_joint_pos)`
          );
      }
      if (name === "joint_vel_rel" && term.joint_vel_offsets?.some((v) => v !== 0))
        refuse(
          `${key}.joint_vel_offsets`,
          `[${term.joint_vel_offsets.join(", ")}]: a default joint velocity is not subtracted here; expected zeros`
        );
    }
    const params = subset === null ? {} : { asset_cfg: { joint_ids: subset } };
    if (name === "generated_commands" && (term.shape == null || term.shape[0] === 3))
      params["command_name"] = "base_velocity";
    if (name === "joint_pos") defaults[name] = { signals: "{joint}.pos", relative: false };
    observations[name] = {
      params,
      scale: overloads.scale ?? null,
      clip: overloads.clip ? finite(overloads.clip) : null,
      history_length: overloads.history_length
    };
  });
  const deploy = {
    joint_names: joints,
    default_joint_pos: art.default_joint_pos,
    ...art.default_joint_stiffness ? { stiffness: art.default_joint_stiffness } : {},
    ...art.default_joint_damping ? { damping: art.default_joint_damping } : {},
    step_dt: dt,
    actions: {
      [actionClass]: {
        scale: action.scale,
        offset: action.offset,
        clip: action.clip?.map(finite) ?? null,
        joint_ids: subsetOrAll(actionIds)
      }
    },
    observations
  };
  const bound2 = binding["observations"];
  const userBound = (name) => bound2 != null && typeof bound2 === "object" && name in bound2;
  const bind = bound2 == null || typeof bound2 === "object" && !Array.isArray(bound2) ? { ...binding, observations: { ...defaults, ...bound2 ?? {} } } : binding;
  const articulationKeys = {
    joint_names: "joint_names",
    default_joint_pos: "default_joint_pos",
    stiffness: "default_joint_stiffness",
    damping: "default_joint_damping"
  };
  const keyOf = (deployKey) => {
    const [head, second, ...rest] = deployKey.split(".");
    if (head === "step_dt") return "scene.dt";
    if (head !== void 0 && head in articulationKeys)
      return [artKey, articulationKeys[head], ...second === void 0 ? [] : [second], ...rest].join(".");
    if (head === "actions" && second === actionClass) {
      const field = rest[0] === "joint_ids" ? ["joint_names"] : rest;
      return ["actions.0", ...field].join(".");
    }
    if (head === "observations" && second !== void 0 && termIndex.has(second)) {
      const at = `observations.policy.${termIndex.get(second)}`;
      if (rest[0] === "params") return `${at}.joint_names`;
      if (rest[0] === "scale" || rest[0] === "clip" || rest[0] === "history_length")
        return [at, "overloads", ...rest].join(".");
      return [at, ...rest].join(".");
    }
    return deployKey;
  };
  const contract = contractFromDeploy(deploy, bind, io, {
    deploy: files.descriptors,
    wrapper: files.wrapper,
    key: keyOf
  });
  contract.observations.forEach((t, i) => {
    const shape = terms[i].shape;
    if (shape == null) return;
    const width = t.source === "last_action" ? na : t.source === "projected_gravity" || t.source === "body_frame" ? 3 : t.signals?.length ?? t.value?.length ?? 0;
    if (width !== shape[0])
      refuse(
        `observations.policy.${i}.shape`,
        `[${shape[0]}], but ${t.name} as ${userBound(t.name) ? `bound (bind.observations.${t.name} of ${files.wrapper})` : "read"} is ${width} wide${t.source === "last_action" ? ` (the ${na} outputs of actions.0)` : ""}; expected the same width`
      );
  });
  return contract;
}
export {
  contractFromIODescriptors
};
