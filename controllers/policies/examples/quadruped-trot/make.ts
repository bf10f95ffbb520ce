/**
 * A walking policy for the sim quadruped, exported in the layout unitree_rl_lab writes, so the whole
 * path a user's Isaac Lab export takes can be run here without a download:
 *
 *   params/deploy.yaml    unitree_rl_lab's layout: joint_ids_map (policy joint i → motor
 *                         joint_ids_map[i]), stiffness/damping in motor order, default_joint_pos
 *                         in policy order (its export_deploy_cfg.py scatters only the gains),
 *                         commands.base_velocity.ranges, JointPositionAction with per-joint
 *                         scale/offset arrays, observation terms in file order with per-dimension
 *                         scale, clip and history_length
 *   exported/policy.onnx  input `obs` [1, 129], output `actions` [1, 12]; the normaliser is inside
 *   policy.yaml           the `isaaclab-deploy/1` binding to the quadruped's signals
 *
 * Three joint orders meet, as on a real Go2: the policy's (Isaac Lab's, grouped by joint type: all
 * hips, all thighs, all knees), the motors' (Unitree's SDK order: FR, FL, RR, RL) and the robot's
 * signals (ours: fl, fr, rl, rr).
 *
 * The policy is distilled from the scripted trot (controllers/legged/trot.ts): the trot walks the
 * pd-drive quadruped in MuJoCo under commands sampled from the deploy's ranges while noise is added
 * to the executed actions (so the data visit the states the student will drift into), every visited
 * state is labelled with the trot's clean action, and a tanh MLP is fitted to the labels. The
 * student sees only what a real robot measures (IMU, joints, the command, its last action): not the
 * base velocity the teacher uses. Observations are assembled by the runtime's own PolicyIOMap from
 * the contract read back from these files, so training and deployment build the same input.
 *
 * Run: node --import tsx controllers/policies/examples/quadruped-trot/make.ts
 * (about 15 minutes of one core: data collection, then 30 epochs over 95 k samples)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, isScalar, isSeq, stringify, visit } from 'yaml';
import { createEnv, type MujocoEnv } from '../../../../sim/envs/index.ts';
import { CommandBoard } from '../../../../src/core/commands.ts';
import { EventBuffer } from '../../../../src/core/events.ts';
import { Rng } from '../../../../src/core/rng.ts';
import { loadContract } from '../../../../src/inference/contract.ts';
import { sha256, verifyOnnxRoundTrip } from '../../../../src/inference/export.ts';
import { PolicyIOMap } from '../../../../src/inference/io-map.ts';
import type { MlpPolicy } from '../../../../src/inference/mlp.ts';
import { mlpToOnnx } from '../../../../src/inference/onnx/build.ts';
import { fitMlp } from '../../../../src/learning/regression.ts';
import { TrotController, trotOptions } from '../../../legged/trot.ts';

export const exampleDir = fileURLToPath(new URL('.', import.meta.url));
const legs = ['fl', 'fr', 'rl', 'rr'];
const parts = ['hip', 'thigh', 'knee'];

/** Isaac Lab's joint order for a quadruped articulation: grouped by joint type, legs FL, FR, RL, RR. */
export const policyJoints = parts.flatMap((p) => legs.map((l) => `${l}_${p}`));
/** Unitree's SDK (motor) order: legs FR, FL, RR, RL, each hip, thigh, calf. */
export const motorJoints = ['fr', 'fl', 'rr', 'rl'].flatMap((l) => parts.map((p) => `${l}_${p}`));
/** Policy joint i is motor joint_ids_map[i]. */
export const jointIdsMap = policyJoints.map((j) => motorJoints.indexOf(j));

/** The quadruped's `home` keyframe per joint type: the default pose the actions are offsets around. */
const home: Record<string, number> = { hip: 0, thigh: 0.8, knee: -1.5 };
const defaultOf = (joint: string) => home[joint.split('_')[1]!]!;

export const trot = trotOptions.parse({});
export const actionScale = 0.25;
export const history = 3;
export const commandRanges = { lin_vel_x: [-0.3, 0.7], lin_vel_y: [-0.2, 0.2], ang_vel_z: [-0.8, 0.8] };

const repeat = <T>(n: number, v: T): T[] => new Array<T>(n).fill(v);

/** params/deploy.yaml, in unitree_rl_lab's layout (keys in the order its exporter writes them). */
export function deployConfig(): Record<string, unknown> {
  const term = (scale: number, width: number, h: number, params: Record<string, unknown> = {}) => ({
    params,
    clip: [-100, 100],
    scale: repeat(width, scale),
    history_length: h,
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
        joint_names: ['.*'],
        scale: repeat(12, actionScale),
        offset: policyJoints.map(defaultOf),
        clip: null,
        joint_ids: null,
      },
    },
    observations: {
      base_ang_vel: term(0.25, 3, history),
      projected_gravity: term(1, 3, history),
      velocity_commands: term(1, 3, 1, { command_name: 'base_velocity' }),
      joint_pos_rel: term(1, 12, history),
      joint_vel_rel: term(0.05, 12, history),
      last_action: term(1, 12, history),
    },
  };
}

/** policy.yaml: the binding of the deploy's terms to the quadruped's signals and pd drive. */
export const wrapper = {
  format: 'isaaclab-deploy/1',
  deploy: 'params/deploy.yaml',
  model: 'exported/policy.onnx',
  bind: {
    joints: motorJoints,
    imu: {
      quaternion: ['base.qw', 'base.qx', 'base.qy', 'base.qz'],
      angular_velocity: ['base.wx', 'base.wy', 'base.wz'],
    },
    gains: { kp: '{joint}.kp', kd: '{joint}.kd' },
  },
};

export const driveOptions = { mode: 'pd' as const, damping: 4 };

/** Writes deploy.yaml and policy.yaml into `dir` (the model is written by `main`). */
export function writeDeployFiles(dir: string): void {
  mkdirSync(path.join(dir, 'params'), { recursive: true });
  mkdirSync(path.join(dir, 'exported'), { recursive: true });
  // Lists of numbers on one line each, everything else in block style.
  const doc = new Document(deployConfig());
  visit(doc, {
    Seq(_, node) {
      if (isSeq(node) && node.items.every((item) => isScalar(item) || isSeq(item))) node.flow = true;
    },
  });
  writeFileSync(
    path.join(dir, 'params', 'deploy.yaml'),
    doc.toString({ lineWidth: 0, flowCollectionPadding: false }),
  );
  writeFileSync(
    path.join(dir, 'policy.yaml'),
    `# The unitree_rl_lab-layout export in params/ and exported/, bound to the sim quadruped's signals and\n# pd drive (docs/legged-and-arms.md). Regenerate with make.ts.\n${stringify(wrapper)}`,
  );
}

export interface CollectOptions {
  readonly episodes: number;
  readonly seconds: number;
  /** Std of the noise added to the executed raw action (DART). */
  readonly actionNoise: number;
  readonly seed: number;
}

/** Samples a velocity command from the deploy's ranges (a quarter of them standing still). */
function sampleCommand(rng: Rng, out: number[]): void {
  if (rng.uniform() < 0.2) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    return;
  }
  out[0] = rng.range(commandRanges.lin_vel_x[0]!, commandRanges.lin_vel_x[1]!);
  out[1] = rng.uniform() < 0.5 ? 0 : rng.range(commandRanges.lin_vel_y[0]!, commandRanges.lin_vel_y[1]!);
  out[2] = rng.uniform() < 0.4 ? 0 : rng.range(commandRanges.ang_vel_z[0]!, commandRanges.ang_vel_z[1]!);
}

export interface Dataset {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly inputSize: number;
  readonly samples: number;
  readonly falls: number;
}

/**
 * Rolls the trot out on the pd-drive quadruped with noisy executed actions and records (policy
 * input, clean raw action) pairs; inputs come from the contract's own PolicyIOMap.
 */
export async function collect(dir: string, options: CollectOptions): Promise<Dataset> {
  const contract = loadContract(path.join(dir, 'policy.yaml'));
  const env = await createEnv('quadruped', { controlDt: 0.02, drive: driveOptions, resetNoise: 0.5 });
  const rng = new Rng(options.seed);
  const xs: Float64Array[] = [];
  const ys: Float64Array[] = [];
  let falls = 0;
  try {
    const board = new CommandBoard();
    const io = new PolicyIOMap(contract, env.observation, env.action, dir, board);
    const channel = board.get('base_velocity')!;
    const teacher = new TrotController(trot);
    teacher.configure({
      observation: env.observation,
      action: env.action,
      dt: env.dt,
      events: new EventBuffer(),
      commands: board,
    });
    const obs = new Float64Array(env.observation.signals.length);
    const action = new Float64Array(env.action.signals.length);
    const targets = new Float64Array(12);
    const offset = Float64Array.from(contract.actions.offset as number[]);
    // Robot joint order (the drive's targets) → policy output order.
    const robotJoints = env.action.signals.filter((s) => s.name.endsWith('.target')).map((s) => s.name);
    const toRobot = Int32Array.from(contract.actions.signals, (s) => robotJoints.indexOf(s));
    const command = [0, 0, 0];
    const steps = Math.round(options.seconds / env.dt);
    for (let episode = 0; episode < options.episodes; episode++) {
      env.reset(obs, options.seed * 1000 + episode);
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
        for (let j = 0; j < 12; j++) label[j] = (targets[toRobot[j]!]! - offset[j]!) / actionScale;
        xs.push(Float64Array.from(io.input));
        ys.push(label);
        for (let j = 0; j < 12; j++) io.output[j] = label[j]! + options.actionNoise * rng.normal();
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
  const inputSize = xs[0]!.length;
  const x = new Float64Array(xs.length * inputSize);
  const y = new Float64Array(ys.length * 12);
  for (const [i, row] of xs.entries()) x.set(row, i * inputSize);
  for (const [i, row] of ys.entries()) y.set(row, i * 12);
  return { x, y, inputSize, samples: xs.length, falls };
}

/** Per-feature mean and std (std floored), for the normaliser baked into the model. */
function statistics(x: Float64Array, n: number): { mean: Float64Array; std: Float64Array } {
  const rows = x.length / n;
  const mean = new Float64Array(n);
  const std = new Float64Array(n);
  for (let r = 0; r < rows; r++) for (let i = 0; i < n; i++) mean[i] = mean[i]! + x[r * n + i]! / rows;
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < n; i++) std[i] = std[i]! + (x[r * n + i]! - mean[i]!) ** 2 / rows;
  for (let i = 0; i < n; i++) std[i] = Math.max(Math.sqrt(std[i]!), 1e-2);
  return { mean, std };
}

export interface TrainOptions {
  readonly hidden: readonly number[];
  readonly epochs: number;
  readonly learningRate: number;
  readonly seed: number;
}

export function train(data: Dataset, options: TrainOptions): { mlp: MlpPolicy; loss: number } {
  const n = data.inputSize;
  const { mean, std } = statistics(data.x, n);
  const normalised = new Float64Array(data.x.length);
  for (let i = 0; i < data.x.length; i++) normalised[i] = (data.x[i]! - mean[i % n]!) / std[i % n]!;
  const { mlp, losses } = fitMlp(normalised, data.y, n, 12, {
    hidden: options.hidden,
    activation: 'tanh',
    epochs: options.epochs,
    batchSize: 256,
    learningRate: options.learningRate,
    seed: options.seed,
  });
  return {
    mlp: { ...mlp, normalizer: { mean: Float32Array.from(mean), std: Float32Array.from(std) } },
    loss: losses[losses.length - 1]!,
  };
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = process.env['TROT_OUT'] ?? exampleDir;
  writeDeployFiles(dir);
  const env = (key: string, fallback: number) => Number(process.env[key] ?? fallback);
  const data = await collect(dir, {
    episodes: env('TROT_EPISODES', 160),
    seconds: env('TROT_SECONDS', 12),
    actionNoise: env('TROT_NOISE', 0.3),
    seed: 1,
  });
  process.stdout.write(`${data.samples} samples (${data.inputSize} inputs), teacher falls ${data.falls}\n`);
  const { mlp, loss } = train(data, {
    hidden: [256, 128],
    epochs: env('TROT_EPOCHS', 30),
    learningRate: 1e-3,
    seed: 0,
  });
  process.stdout.write(`final MSE ${loss.toExponential(3)} (raw action units)\n`);
  // Not through exportPolicy (src/inference/export.ts): that writes Tether's own layout (a
  // tether-policy/1 contract and model card), and this example stands for a foreign Isaac Lab export.
  // The ONNX writer and the round-trip check are the exporter's own.
  const bytes = mlpToOnnx(mlp, {
    inputName: 'obs',
    outputName: 'actions',
    batch: 1,
    graphName: 'quadruped_trot',
    docString: 'Scripted trot distilled into a tanh MLP; Isaac Lab / rsl_rl export conventions',
  });
  // rsl_rl exports a fixed batch of 1; the round trip runs the same graph with a symbolic batch.
  const roundTrip = await verifyOnnxRoundTrip(mlpToOnnx(mlp, { inputName: 'obs', outputName: 'actions' }));
  if (roundTrip > 1e-5) throw new Error(`ONNX round trip differs by ${roundTrip}`);
  writeFileSync(path.join(dir, 'exported', 'policy.onnx'), bytes);
  const card = {
    name: 'quadruped-trot',
    model: 'exported/policy.onnx',
    sha256: sha256(bytes),
    teacher: { kind: 'trot', ...trot },
    data: { samples: data.samples, teacherFalls: data.falls, actionNoise: env('TROT_NOISE', 0.3) },
    training: { hidden: [256, 128], activation: 'tanh', epochs: env('TROT_EPOCHS', 30), finalMse: loss },
    roundTripError: roundTrip,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(path.join(dir, 'card.json'), `${JSON.stringify(card, null, 2)}\n`);
  process.stdout.write(
    `wrote ${dir} in ${card.seconds} s (run \`npm run format\` before committing card.json)\n`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

export type { MujocoEnv };
