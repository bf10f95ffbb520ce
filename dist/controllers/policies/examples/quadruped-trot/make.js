// Compiled from controllers/policies/examples/quadruped-trot/make.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../../controllers/policies/examples/quadruped-trot/make.ts", import.meta.url).href;

// controllers/policies/examples/quadruped-trot/make.ts
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Document, isScalar, isSeq, stringify, visit } from "yaml";
import { createEnv } from "../../../../sim/envs/index.js";
import { CommandBoard } from "../../../../src/core/commands.js";
import { EventBuffer } from "../../../../src/core/events.js";
import { Rng } from "../../../../src/core/rng.js";
import { loadContract } from "../../../../src/inference/contract.js";
import { sha256, verifyOnnxRoundTrip } from "../../../../src/inference/export.js";
import { PolicyIOMap } from "../../../../src/inference/io-map.js";
import { mlpToOnnx } from "../../../../src/inference/onnx/build.js";
import { fitMlp } from "../../../../src/learning/regression.js";
import { TrotController, trotOptions } from "../../../legged/trot.js";
var exampleDir = fileURLToPath(new URL(".", __sourceUrl));
var legs = ["fl", "fr", "rl", "rr"];
var parts = ["hip", "thigh", "knee"];
var policyJoints = parts.flatMap((p) => legs.map((l) => `${l}_${p}`));
var motorJoints = ["fr", "fl", "rr", "rl"].flatMap((l) => parts.map((p) => `${l}_${p}`));
var jointIdsMap = policyJoints.map((j) => motorJoints.indexOf(j));
var home = { hip: 0, thigh: 0.8, knee: -1.5 };
var defaultOf = (joint) => home[joint.split("_")[1]];
var trot = trotOptions.parse({});
var actionScale = 0.25;
var history = 3;
var commandRanges = { lin_vel_x: [-0.3, 0.7], lin_vel_y: [-0.2, 0.2], ang_vel_z: [-0.8, 0.8] };
var repeat = (n, v) => new Array(n).fill(v);
function deployConfig() {
  const term = (scale, width, h, params = {}) => ({
    params,
    clip: [-100, 100],
    scale: repeat(width, scale),
    history_length: h
  });
  return {
    joint_ids_map: jointIdsMap,
    step_dt: 0.02,
    stiffness: repeat(12, trot.kp),
    damping: repeat(12, trot.kd),
    default_joint_pos: policyJoints.map(defaultOf),
    commands: { base_velocity: { ranges: { ...commandRanges, heading: null } } },
    actions: {
      JointPositionAction: {
        joint_names: [".*"],
        scale: repeat(12, actionScale),
        offset: policyJoints.map(defaultOf),
        clip: null,
        joint_ids: null
      }
    },
    observations: {
      base_ang_vel: term(0.25, 3, history),
      projected_gravity: term(1, 3, history),
      velocity_commands: term(1, 3, 1, { command_name: "base_velocity" }),
      joint_pos_rel: term(1, 12, history),
      joint_vel_rel: term(0.05, 12, history),
      last_action: term(1, 12, history)
    }
  };
}
var wrapper = {
  format: "isaaclab-deploy/1",
  deploy: "params/deploy.yaml",
  model: "exported/policy.onnx",
  bind: {
    joints: motorJoints,
    imu: {
      quaternion: ["base.qw", "base.qx", "base.qy", "base.qz"],
      angular_velocity: ["base.wx", "base.wy", "base.wz"]
    },
    gains: { kp: "{joint}.kp", kd: "{joint}.kd" }
  }
};
var driveOptions = { mode: "pd", damping: 4 };
function writeDeployFiles(dir) {
  mkdirSync(path.join(dir, "params"), { recursive: true });
  mkdirSync(path.join(dir, "exported"), { recursive: true });
  const doc = new Document(deployConfig());
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item) || isSeq(item))) node.flow = true;
    }
  });
  writeFileSync(
    path.join(dir, "params", "deploy.yaml"),
    doc.toString({ lineWidth: 0, flowCollectionPadding: false })
  );
  writeFileSync(
    path.join(dir, "policy.yaml"),
    `# The unitree_rl_lab-layout export in params/ and exported/, bound to the sim quadruped's signals and
# pd drive (docs/legged-and-arms.md). Regenerate with make.ts.
${stringify(wrapper)}`
  );
}
function sampleCommand(rng, out) {
  if (rng.uniform() < 0.2) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  out[0] = rng.range(commandRanges.lin_vel_x[0], commandRanges.lin_vel_x[1]);
  out[1] = rng.uniform() < 0.5 ? 0 : rng.range(commandRanges.lin_vel_y[0], commandRanges.lin_vel_y[1]);
  out[2] = rng.uniform() < 0.4 ? 0 : rng.range(commandRanges.ang_vel_z[0], commandRanges.ang_vel_z[1]);
}
async function collect(dir, options) {
  const contract = loadContract(path.join(dir, "policy.yaml"));
  const env = await createEnv("quadruped", { controlDt: 0.02, drive: driveOptions, resetNoise: 0.5 });
  const rng = new Rng(options.seed);
  const xs = [];
  const ys = [];
  let falls = 0;
  try {
    const board = new CommandBoard();
    const io = new PolicyIOMap(contract, env.observation, env.action, dir, board);
    const channel = board.get("base_velocity");
    const teacher = new TrotController(trot);
    teacher.configure({
      observation: env.observation,
      action: env.action,
      dt: env.dt,
      events: new EventBuffer(),
      commands: board
    });
    const obs = new Float64Array(env.observation.signals.length);
    const action = new Float64Array(env.action.signals.length);
    const targets = new Float64Array(12);
    const offset = Float64Array.from(contract.actions.offset);
    const robotJoints = env.action.signals.filter((s) => s.name.endsWith(".target")).map((s) => s.name);
    const toRobot = Int32Array.from(contract.actions.signals, (s) => robotJoints.indexOf(s));
    const command = [0, 0, 0];
    const steps = Math.round(options.seconds / env.dt);
    for (let episode = 0; episode < options.episodes; episode++) {
      env.reset(obs, options.seed * 1e3 + episode);
      teacher.reset();
      io.reset(obs);
      sampleCommand(rng, command);
      channel.values.set(command);
      let nextChange = rng.range(2, 5);
      for (let k = 0; k < steps; k++) {
        const time = k * env.dt;
        if (time >= nextChange) {
          sampleCommand(rng, command);
          channel.values.set(command);
          nextChange = time + rng.range(2, 5);
        }
        io.assemble(obs);
        teacher.plan(obs, time, targets);
        const label = new Float64Array(12);
        for (let j = 0; j < 12; j++) label[j] = (targets[toRobot[j]] - offset[j]) / actionScale;
        xs.push(Float64Array.from(io.input));
        ys.push(label);
        for (let j = 0; j < 12; j++) io.output[j] = label[j] + options.actionNoise * rng.normal();
        io.command(action);
        const { terminated } = env.step(action, obs);
        if (terminated) {
          falls++;
          break;
        }
      }
    }
  } finally {
    env.dispose();
  }
  const inputSize = xs[0].length;
  const x = new Float64Array(xs.length * inputSize);
  const y = new Float64Array(ys.length * 12);
  for (const [i, row] of xs.entries()) x.set(row, i * inputSize);
  for (const [i, row] of ys.entries()) y.set(row, i * 12);
  return { x, y, inputSize, samples: xs.length, falls };
}
function statistics(x, n) {
  const rows = x.length / n;
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) mean[i] = mean[i] + x[r * n + i] / rows;
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < n; i++) std[i] = std[i] + (x[r * n + i] - mean[i]) ** 2 / rows;
  for (let i = 0; i < n; i++) std[i] = Math.max(Math.sqrt(std[i]), 0.01);
  return { mean, std };
}
function train(data, options) {
  const n = data.inputSize;
  const { mean, std } = statistics(data.x, n);
  const normalised = new Float64Array(data.x.length);
  for (let i = 0; i < data.x.length; i++) normalised[i] = (data.x[i] - mean[i % n]) / std[i % n];
  const { mlp, losses } = fitMlp(normalised, data.y, n, 12, {
    hidden: options.hidden,
    activation: "tanh",
    epochs: options.epochs,
    batchSize: 256,
    learningRate: options.learningRate,
    seed: options.seed
  });
  return {
    mlp: { ...mlp, normalizer: { mean: Float32Array.from(mean), std: Float32Array.from(std) } },
    loss: losses[losses.length - 1]
  };
}
async function main() {
  const started = Date.now();
  const dir = process.env["TROT_OUT"] ?? exampleDir;
  writeDeployFiles(dir);
  const env = (key, fallback) => Number(process.env[key] ?? fallback);
  const data = await collect(dir, {
    episodes: env("TROT_EPISODES", 160),
    seconds: env("TROT_SECONDS", 12),
    actionNoise: env("TROT_NOISE", 0.3),
    seed: 1
  });
  process.stdout.write(`${data.samples} samples (${data.inputSize} inputs), teacher falls ${data.falls}
`);
  const { mlp, loss } = train(data, {
    hidden: [256, 128],
    epochs: env("TROT_EPOCHS", 30),
    learningRate: 1e-3,
    seed: 0
  });
  process.stdout.write(`final MSE ${loss.toExponential(3)} (raw action units)
`);
  const bytes = mlpToOnnx(mlp, {
    inputName: "obs",
    outputName: "actions",
    batch: 1,
    graphName: "quadruped_trot",
    docString: "Scripted trot distilled into a tanh MLP; Isaac Lab / rsl_rl export conventions"
  });
  const roundTrip = await verifyOnnxRoundTrip(mlpToOnnx(mlp, { inputName: "obs", outputName: "actions" }));
  if (roundTrip > 1e-5) throw new Error(`ONNX round trip differs by ${roundTrip}`);
  writeFileSync(path.join(dir, "exported", "policy.onnx"), bytes);
  const card = {
    name: "quadruped-trot",
    model: "exported/policy.onnx",
    sha256: sha256(bytes),
    teacher: { kind: "trot", ...trot },
    data: { samples: data.samples, teacherFalls: data.falls, actionNoise: env("TROT_NOISE", 0.3) },
    training: { hidden: [256, 128], activation: "tanh", epochs: env("TROT_EPOCHS", 30), finalMse: loss },
    roundTripError: roundTrip,
    seconds: Math.round((Date.now() - started) / 1e3)
  };
  writeFileSync(path.join(dir, "card.json"), `${JSON.stringify(card, null, 2)}
`);
  process.stdout.write(
    `wrote ${dir} in ${card.seconds} s (run \`npm run format\` before committing card.json)
`
  );
}
if (process.argv[1] === fileURLToPath(__sourceUrl)) await main();
export {
  actionScale,
  collect,
  commandRanges,
  deployConfig,
  driveOptions,
  exampleDir,
  history,
  jointIdsMap,
  motorJoints,
  policyJoints,
  train,
  trot,
  wrapper,
  writeDeployFiles
};
