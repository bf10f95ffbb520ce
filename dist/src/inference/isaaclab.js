// Compiled from src/inference/isaaclab.ts by `npm run build`: edit the source, not this file.

// src/inference/isaaclab.ts
import { z } from "zod";
var DeployError = class extends Error {
  constructor(file, key, detail) {
    super(`${file}: ${key}: ${detail}`);
    this.file = file;
    this.key = key;
    this.name = "DeployError";
  }
  file;
  key;
};
var pythonSliceTag = {
  tag: "tag:yaml.org,2002:python/object/apply:builtins.slice",
  collection: "seq",
  resolve: (seq) => ({ slice: seq.toJSON() })
};
var pair = z.tuple([z.number(), z.number()]);
var numberOrList = z.union([z.number(), z.array(z.number())]);
var index = z.number().int().nonnegative();
var jointIds = z.union([
  z.array(index),
  z.object({ slice: z.tuple([index.nullable(), index.nullable(), z.number().int().nullable()]) })
]);
var assetCfgSchema = z.looseObject({ joint_ids: jointIds.nullable().optional() });
var deploySchema = z.looseObject({
  joint_names: z.array(z.string()).optional(),
  joint_ids_map: z.array(z.number().int().nonnegative()).optional(),
  default_joint_pos: z.array(z.number()),
  stiffness: z.array(z.number()).optional(),
  damping: z.array(z.number()).optional(),
  step_dt: z.number().positive(),
  commands: z.record(
    z.string(),
    z.looseObject({ ranges: z.record(z.string(), pair.nullable()).optional() }).nullable()
  ).optional(),
  actions: z.record(
    z.string(),
    z.looseObject({
      scale: numberOrList.nullable().default(1),
      offset: z.union([numberOrList, z.string()]).nullable().optional(),
      /** [lower, upper] on the raw output, or one [lower, upper] per joint after scale and offset. */
      clip: z.union([pair, z.array(pair)]).nullable().optional(),
      joint_names: z.array(z.string()).nullable().optional(),
      joint_ids: jointIds.nullable().optional()
    })
  ),
  observations: z.record(
    z.string(),
    z.looseObject({
      params: z.record(z.string(), z.unknown()).nullable().optional(),
      scale: numberOrList.nullable().default(1),
      clip: pair.nullable().optional(),
      history_length: z.number().int().min(0).default(1)
    })
  )
});
var signalsOrPattern = z.union([z.string(), z.array(z.string())]);
var quaternion = z.array(z.string()).length(4);
var termBindingSchema = z.union([
  signalsOrPattern,
  z.object({
    source: z.enum(["signals", "projected_gravity", "body_frame", "command", "last_action", "constant"]).default("signals"),
    signals: signalsOrPattern.optional(),
    quaternion: quaternion.optional(),
    /** Command channel of the run (source: command). */
    command: z.string().optional(),
    value: z.array(z.number()).optional(),
    /** Subtract the default pose (joint position terms); default: true for `joint_pos*` terms. */
    relative: z.boolean().optional()
  }).strict()
]);
var deployBindingSchema = z.object({
  /**
   * The robot's joint names: in the deploy's motor order when it has `joint_ids_map` (required then),
   * else in the order of its `joint_names` (renaming them). `{joint}` in patterns expands over the
   * policy's joints, in policy order.
   */
  joints: z.array(z.string()).optional(),
  /** The IMU signals the standard terms are computed from. */
  imu: z.object({
    quaternion: quaternion.optional(),
    /** Body-frame angular velocity (base_ang_vel). */
    angular_velocity: z.array(z.string()).length(3).optional(),
    /** World-frame linear velocity (base_lin_vel, rotated into the body frame). */
    linear_velocity: z.array(z.string()).length(3).optional()
  }).strict().default({}),
  observations: z.record(z.string(), termBindingSchema).default({}),
  /** Deploy command name → the run's command channel (default: the same name). */
  commands: z.record(z.string(), z.string()).default({}),
  /** Velocity commands and other operator inputs that are constants in this deployment. */
  constants: z.record(z.string(), z.array(z.number())).default({}),
  /** Robot action signals, in the action term's joint order; default `{joint}.target` / `.torque` / `.velocity`. */
  actions: signalsOrPattern.optional(),
  /** What the policy outputs; default: from the action term (JointPositionAction → position). */
  mode: z.enum(["torque", "position", "velocity"]).optional(),
  /** The robot's per-joint gain signals (a pd drive): the deploy's stiffness and damping go there. */
  gains: z.object({ kp: signalsOrPattern, kd: signalsOrPattern }).strict().optional(),
  /**
   * A PD stage in the runtime for a torque robot, with the deploy's stiffness and damping: `true`, or
   * the position/velocity signal patterns and torque action pattern.
   */
  pd: z.union([
    z.literal(true),
    z.object({
      position: signalsOrPattern.default("{joint}.pos"),
      velocity: signalsOrPattern.default("{joint}.vel"),
      torque: signalsOrPattern.default("{joint}.torque")
    }).strict()
  ]).optional()
}).strict();
function actionTermMode(name) {
  if (/position|joint_pos/i.test(name)) return "position";
  if (/effort|torque/i.test(name)) return "torque";
  if (/velocity|joint_vel/i.test(name)) return "velocity";
  return void 0;
}
var defaultActionPattern = {
  position: "{joint}.target",
  torque: "{joint}.torque",
  velocity: "{joint}.velocity"
};
function contractFromDeploy(deployData, bindingData, io = {}, files = { deploy: "deploy YAML", wrapper: "deploy binding" }) {
  const at = files.key ?? ((key) => key);
  const deployResult = deploySchema.safeParse(deployData);
  if (!deployResult.success) {
    const issue = deployResult.error.issues[0];
    throw new DeployError(files.deploy, at(issue.path.join(".") || "(root)"), issue.message);
  }
  const bindingResult = deployBindingSchema.safeParse(bindingData);
  if (!bindingResult.success) {
    const issue = bindingResult.error.issues[0];
    throw new DeployError(files.wrapper, `bind.${issue.path.join(".")}`, issue.message);
  }
  const deploy = deployResult.data;
  const bind = bindingResult.data;
  const refuseDeploy = (key, detail) => {
    throw new DeployError(files.deploy, at(key), detail);
  };
  const refuseBinding = (key, detail) => {
    throw new DeployError(files.wrapper, key, detail);
  };
  let policyJoints;
  let defaultPose;
  let motors;
  const map = deploy.joint_ids_map;
  if (map !== void 0) {
    const fileMotors = deploy.stiffness !== void 0 && deploy.damping !== void 0 && deploy.stiffness.length !== deploy.damping.length ? void 0 : (deploy.stiffness ?? deploy.damping)?.length;
    if (bind.joints === void 0)
      refuseBinding(
        "bind.joints",
        `${files.deploy} maps policy joints to motors (joint_ids_map); list the robot's ${fileMotors === void 0 ? "" : `${fileMotors} `}joints in motor order`
      );
    motors = bind.joints;
    const motorCount = motors.length;
    if (fileMotors !== void 0 && motorCount !== fileMotors)
      refuseBinding(
        "bind.joints",
        `${motorCount} joints given, expected ${fileMotors} (one per motor: stiffness and damping of ${files.deploy} have ${fileMotors} values)`
      );
    for (const key of ["stiffness", "damping"]) {
      const v = deploy[key];
      if (v !== void 0 && v.length !== motorCount)
        refuseDeploy(
          key,
          `${v.length} values, expected ${motorCount} (one per motor, in motor order, like bind.joints of ${files.wrapper})`
        );
    }
    map.forEach((m, i) => {
      if (m >= motorCount)
        refuseDeploy(
          `joint_ids_map.${i}`,
          `motor ${m} does not exist (bind.joints of ${files.wrapper} names ${motorCount} motors)`
        );
      if (map.indexOf(m) !== i) refuseDeploy(`joint_ids_map.${i}`, `motor ${m} is mapped twice`);
    });
    if (deploy.default_joint_pos.length !== map.length)
      refuseDeploy(
        "default_joint_pos",
        `${deploy.default_joint_pos.length} values, expected ${map.length} (one per policy joint, in policy order like joint_ids_map)`
      );
    policyJoints = map.map((m) => motors[m]);
    defaultPose = [...deploy.default_joint_pos];
  } else {
    const names = deploy.joint_names;
    if (names === void 0) {
      const first = Object.values(deploy.actions)[0]?.joint_names;
      refuseDeploy(
        "joint_names",
        `no joint order: give joint_names (one per default_joint_pos value) or joint_ids_map${first ? ` (the action term's joint_names ${JSON.stringify(first)} are patterns, not an order)` : ""}`
      );
    }
    if (deploy.default_joint_pos.length !== names.length)
      refuseDeploy(
        "default_joint_pos",
        `${deploy.default_joint_pos.length} values for the ${names.length} joints of joint_names, expected one per joint`
      );
    if (bind.joints !== void 0 && bind.joints.length !== names.length)
      refuseBinding(
        "bind.joints",
        `${bind.joints.length} names for the ${names.length} joints of joint_names`
      );
    policyJoints = bind.joints ?? names;
    defaultPose = [...deploy.default_joint_pos];
    if (deploy.stiffness !== void 0 || deploy.damping !== void 0) motors = policyJoints;
  }
  const expand = (pattern, joints) => typeof pattern === "string" ? pattern.includes("{joint}") ? joints.map((j) => pattern.replaceAll("{joint}", j)) : [pattern] : [...pattern];
  const actionTerms = Object.entries(deploy.actions);
  if (actionTerms.length !== 1)
    refuseDeploy(
      "actions",
      `expected one action term, found ${actionTerms.length} (${actionTerms.map(([k]) => k).join(", ") || "none"})`
    );
  const [termName, action] = actionTerms[0];
  const termKey = `actions.${termName}`;
  const termMode = actionTermMode(termName);
  if (bind.mode !== void 0 && termMode !== void 0 && bind.mode !== termMode) {
    const remedy = termMode === "position" ? "bind.mode: position, with a pd drive (bind.gains) or, on a torque robot, a PD stage (bind.pd: true)" : `bind.mode: ${termMode}`;
    refuseBinding(
      "bind.mode",
      `${bind.mode}, but ${files.deploy}: ${at(termKey)} outputs ${termMode === "torque" ? "joint torques" : `joint ${termMode}s`} (expected ${remedy})`
    );
  }
  const mode = bind.mode ?? termMode;
  if (mode === void 0)
    refuseBinding(
      "bind.mode",
      `${files.deploy}: ${at(termKey)} does not say what it outputs; give bind.mode (position, torque or velocity)`
    );
  const selectedJoints = (ids, key) => {
    if (ids == null) return void 0;
    if (!Array.isArray(ids)) {
      if (ids.slice.every((v) => v === null)) return void 0;
      return refuseDeploy(
        key,
        `slice(${ids.slice.map((v) => v === null ? "None" : v).join(", ")}) is not read; expected null, slice(None) (all joints) or a list of joint indices`
      );
    }
    const bad = ids.find((i) => i >= policyJoints.length);
    if (bad !== void 0)
      refuseDeploy(key, `joint ${bad} does not exist (the policy has ${policyJoints.length} joints)`);
    return [...ids];
  };
  let actuated;
  const actionIds = selectedJoints(action.joint_ids, `${termKey}.joint_ids`);
  if (actionIds !== void 0) {
    actuated = actionIds;
  } else if (action.joint_names == null || action.joint_names.every((p) => p === ".*")) {
    actuated = policyJoints.map((_, i) => i);
  } else {
    const patterns = action.joint_names.map((p) => new RegExp(`^(?:${p})$`));
    actuated = policyJoints.flatMap((j, i) => patterns.some((r) => r.test(j)) ? [i] : []);
    if (actuated.length === 0)
      refuseDeploy(
        `${termKey}.joint_names`,
        `${JSON.stringify(action.joint_names)} matches none of the joints ${policyJoints.join(", ")}`
      );
  }
  const actuatedNames = actuated.map((i) => policyJoints[i]);
  const na = actuated.length;
  const perJoint = (key, v) => {
    if (typeof v === "number") return v;
    if (v.length !== na)
      refuseDeploy(
        `${termKey}.${key}`,
        `${v.length} values, expected ${na} (one per joint of the action term)`
      );
    return [...v];
  };
  const scale = perJoint("scale", action.scale ?? 1);
  let offset;
  if (action.offset === void 0 || action.offset === null || action.offset === "default_joint_pos") {
    offset = action.offset === "default_joint_pos" || mode === "position" ? actuated.map((i) => defaultPose[i]) : 0;
  } else if (typeof action.offset === "string") {
    offset = refuseDeploy(
      `${termKey}.offset`,
      `'${action.offset}' is not a number, a list or 'default_joint_pos'`
    );
  } else offset = perJoint("offset", action.offset);
  if (map !== void 0 && Array.isArray(offset)) {
    const near = (a, b) => b !== void 0 && Math.abs(a - b) < 1e-6;
    const offsets = offset;
    const asWritten = offsets.every((v, k) => near(v, defaultPose[actuated[k]]));
    const throughMap = offsets.every((v, k) => near(v, deploy.default_joint_pos[map[actuated[k]]]));
    if (!asWritten && throughMap)
      refuseDeploy(
        "default_joint_pos",
        `in motor order (${at(`${termKey}.offset`)} equals it only when read through joint_ids_map); expected policy order, as unitree_rl_lab's exporter writes it (the order of the action offsets)`
      );
  }
  const clip = action.clip ?? void 0;
  const perJointClip = clip !== void 0 && Array.isArray(clip[0]);
  if (perJointClip && clip.length !== na)
    refuseDeploy(`${termKey}.clip`, `${clip.length} ranges, expected ${na} (one per joint)`);
  const imu = bind.imu;
  const observations = Object.entries(deploy.observations).map(([name, term]) => {
    const key = `observations.${name}`;
    const common = {
      name,
      history: Math.max(1, term.history_length),
      clip_stage: "before_scale",
      ...term.clip ? { clip: term.clip } : {}
    };
    const withScale = (width) => {
      const s = term.scale ?? 1;
      if (Array.isArray(s) && s.length !== width)
        refuseDeploy(`${key}.scale`, `${s.length} values, expected ${width} (one per dimension of the term)`);
      return { ...common, scale: s };
    };
    const missing = (what) => refuseBinding(
      `bind.${what}`,
      `${files.deploy}: ${at(key)} is computed from it; give it in the binding`
    );
    const subsetKey = `${key}.params.asset_cfg.joint_ids`;
    let subset;
    const assetCfg = term.params?.["asset_cfg"];
    if (assetCfg != null) {
      const parsed = assetCfgSchema.safeParse(assetCfg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        refuseDeploy(`${key}.params.asset_cfg.${issue.path.join(".")}`, issue.message);
      }
      subset = selectedJoints(parsed.data.joint_ids, subsetKey);
    }
    const termJoints = subset ? subset.map((i) => policyJoints[i]) : policyJoints;
    const termDefault = subset ? subset.map((i) => defaultPose[i]) : defaultPose;
    const wholeTerm = (what) => {
      if (subset !== void 0)
        refuseDeploy(
          subsetKey,
          `[${subset.join(", ")}] selects joints, but ${what} is not one value per joint; expected null or slice(None)`
        );
    };
    const explicit = bind.observations[name];
    const constant = bind.constants[name];
    const commandName = typeof term.params?.["command_name"] === "string" ? term.params["command_name"] : name === "velocity_commands" ? "base_velocity" : void 0;
    if (explicit === void 0 && constant !== void 0) {
      wholeTerm("a constant (bind.constants)");
      return { ...withScale(constant.length), source: "constant", value: constant };
    }
    if (explicit === void 0) {
      if (name === "last_action" || name === "actions") {
        wholeTerm("the last action");
        return { ...withScale(na), source: "last_action" };
      }
      if (commandName !== void 0) {
        wholeTerm(`the command ${commandName}`);
        const ranges = deploy.commands?.[commandName]?.ranges;
        const value = [0, 0, 0];
        const r = ranges ? ["lin_vel_x", "lin_vel_y", "ang_vel_z"].map(
          (k) => ranges[k] ?? [-Infinity, Infinity]
        ) : void 0;
        return {
          ...withScale(3),
          source: "command",
          command: bind.commands[commandName] ?? commandName,
          value,
          ...r ? { ranges: r } : {}
        };
      }
      if (name === "projected_gravity" || name === "base_ang_vel" || name === "base_lin_vel")
        wholeTerm(`${name} (a vector of the base)`);
      if (name === "projected_gravity")
        return {
          ...withScale(3),
          source: "projected_gravity",
          quaternion: imu.quaternion ?? missing("imu.quaternion")
        };
      if (name === "base_ang_vel")
        return {
          ...withScale(3),
          source: "signals",
          signals: imu.angular_velocity ?? missing("imu.angular_velocity")
        };
      if (name === "base_lin_vel")
        return {
          ...withScale(3),
          source: "body_frame",
          quaternion: imu.quaternion ?? missing("imu.quaternion"),
          signals: imu.linear_velocity ?? missing("imu.linear_velocity")
        };
      if (name === "joint_pos_rel" || name === "joint_pos")
        return {
          ...withScale(termJoints.length),
          source: "signals",
          signals: expand("{joint}.pos", termJoints),
          offset: termDefault
        };
      if (name === "joint_vel_rel" || name === "joint_vel")
        return {
          ...withScale(termJoints.length),
          source: "signals",
          signals: expand("{joint}.vel", termJoints)
        };
      return refuseBinding(
        `bind.observations.${name}`,
        `${files.deploy}: ${at(key)} is not a term this reader computes by itself; bind it to robot signals (a list, a '{joint}' pattern, or { source: projected_gravity | body_frame | command | … })`
      );
    }
    const b = typeof explicit === "string" || Array.isArray(explicit) ? { source: "signals", signals: explicit } : explicit;
    const source = b.source;
    const signals2 = b.signals === void 0 ? void 0 : expand(b.signals, termJoints);
    if (source !== "signals") wholeTerm(`a ${source} term`);
    switch (source) {
      case "last_action":
        return { ...withScale(na), source };
      case "constant":
        return {
          ...withScale(b.value?.length ?? 0),
          source,
          value: b.value ?? refuseBinding(`bind.observations.${name}.value`, "a constant term needs its values")
        };
      case "command": {
        const value = b.value ?? [0, 0, 0];
        return {
          ...withScale(value.length),
          source,
          command: b.command ?? commandName ?? name,
          value
        };
      }
      case "projected_gravity":
        return {
          ...withScale(3),
          source,
          quaternion: b.quaternion ?? imu.quaternion ?? missing(`observations.${name}.quaternion`)
        };
      case "body_frame":
        return {
          ...withScale(3),
          source,
          quaternion: b.quaternion ?? imu.quaternion ?? missing(`observations.${name}.quaternion`),
          signals: signals2 ?? refuseBinding(`bind.observations.${name}.signals`, "a body_frame term needs 3 signals")
        };
      default: {
        const list = signals2 ?? refuseBinding(`bind.observations.${name}.signals`, "give the robot signals of the term");
        const relative = b.relative ?? name.startsWith("joint_pos");
        if (relative && list.length !== termJoints.length)
          refuseBinding(
            `bind.observations.${name}`,
            `${list.length} signals, but a joint position term relative to the default pose needs ${termJoints.length} (one per ${subset ? `joint of ${at(subsetKey)}` : "policy joint"})`
          );
        return {
          ...withScale(list.length),
          source: "signals",
          signals: list,
          ...relative ? { offset: termDefault } : {}
        };
      }
    }
  });
  const constants = {};
  let signals;
  let pd;
  const needGains = (what) => {
    if (deploy.stiffness === void 0 || deploy.damping === void 0)
      refuseDeploy(
        deploy.stiffness === void 0 ? "stiffness" : "damping",
        `${what} uses the deploy's stiffness and damping; this file has none`
      );
    return { stiffness: deploy.stiffness, damping: deploy.damping };
  };
  const motorValue = (list, i) => map !== void 0 ? list[map[i]] : list[i];
  if (bind.pd !== void 0) {
    if (mode !== "position")
      refuseBinding(
        "bind.pd",
        `a PD stage turns position targets into torques; ${at(termKey)} outputs ${mode}`
      );
    const { stiffness, damping } = needGains("bind.pd");
    const stage = bind.pd === true ? { position: "{joint}.pos", velocity: "{joint}.vel", torque: "{joint}.torque" } : bind.pd;
    pd = {
      kp: actuated.map((i) => motorValue(stiffness, i)),
      kd: actuated.map((i) => motorValue(damping, i)),
      position: expand(stage.position, actuatedNames),
      velocity: expand(stage.velocity, actuatedNames)
    };
    signals = expand(bind.actions ?? stage.torque, actuatedNames);
  } else {
    signals = expand(bind.actions ?? defaultActionPattern[mode], actuatedNames);
  }
  if (bind.gains !== void 0) {
    if (pd !== void 0)
      refuseBinding("bind.gains", "give either bind.gains (a pd drive) or bind.pd (a PD stage), not both");
    const { stiffness, damping } = needGains("bind.gains");
    const all = motors ?? policyJoints;
    const kp = expand(bind.gains.kp, all);
    const kd = expand(bind.gains.kd, all);
    if (kp.length !== all.length || kd.length !== all.length)
      refuseBinding(
        "bind.gains",
        `expected one kp and one kd signal per motor (${all.length}); use '{joint}' patterns`
      );
    all.forEach((joint, m) => {
      constants[kp[m]] = stiffness[m];
      constants[kd[m]] = damping[m];
      if (actuatedNames.includes(joint)) return;
      const p = map !== void 0 ? map.indexOf(m) : m;
      if (p < 0) {
        if (stiffness[m] !== 0)
          refuseDeploy(
            `stiffness.${m}`,
            `${stiffness[m]}, but motor ${m} (${joint}) is not in joint_ids_map, so the file has no default position to hold it at; expected 0`
          );
        return;
      }
      const target = expand(bind.actions ?? defaultActionPattern.position, [joint])[0];
      constants[target] = defaultPose[p];
    });
  }
  if (signals.length !== na)
    refuseBinding(
      "bind.actions",
      `${signals.length} signals for the ${na} outputs of ${files.deploy}: ${at(termKey)}`
    );
  return {
    format: "tether-policy/1",
    ...io.model ? { model: io.model } : {},
    input: io.input ?? "obs",
    output: io.output ?? "actions",
    policy_rate_hz: 1 / deploy.step_dt,
    observations,
    normalizer: { kind: "inside_model" },
    actions: {
      signals,
      mode,
      scale,
      offset,
      ...clip !== void 0 && !perJointClip ? { clip } : {},
      ...perJointClip ? { command_clip: clip } : {},
      constants,
      ...pd ? { pd } : {}
    }
  };
}
export {
  DeployError,
  actionTermMode,
  contractFromDeploy,
  deployBindingSchema,
  pythonSliceTag
};
