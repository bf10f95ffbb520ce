/**
 * The policy contract: the data that says how a robot's signals become the policy's input tensor and
 * how its output tensor becomes robot commands. It is checked at load time against the ONNX model and
 * against the robot's specs, because mismatched conventions are what make a policy that worked in
 * simulation shake or fall on the robot.
 *
 *   obs term  t_k = clip((x_k − offset_k) · scale_k)          x_k: robot signals, last action or constant
 *   input       = normalise([t_1 history…, t_2 history…, …])   each term's history oldest first
 *   command_j   = clip_raw(a_j) · action_scale_j + action_offset_j   for the robot signal j maps to
 *
 * The robot check covers actions too: their units, and the range of commands the policy can reach
 * against the actuator's range (see `checkContractAgainstRobot`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ParseOptions, parse as parseYaml, type SchemaOptions } from 'yaml';
import { z } from 'zod';
import { ConfigDocument } from '../config/document.ts';
import type { ActionSpec, CommandMode, VectorSpec } from '../core/spec.ts';
import {
  type ContractInput,
  contractSchema,
  type ObservationTerm,
  type PolicyContract,
} from './contract-schema.ts';
import { contractFromDeploy, DeployError, pythonSliceTag } from './isaaclab.ts';
import { contractFromIODescriptors } from './isaaclab-io.ts';

export { type ContractInput, contractSchema, type ObservationTerm, type PolicyContract };

/** A contract that does not fit a model or a robot; `issues` lists every mismatch found. */
export class ContractError extends Error {
  constructor(
    readonly subject: string,
    readonly issues: readonly string[],
  ) {
    super(`${subject}:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ContractError';
  }
}

/** Width of one term (one history frame); `actionSize` for `last_action` terms. */
export function termWidth(term: ObservationTerm, actionSize: number): number {
  switch (term.source) {
    case 'signals':
      return term.signals!.length;
    case 'constant':
    case 'command':
      return term.value!.length;
    case 'projected_gravity':
    case 'body_frame':
      return 3;
    case 'last_action':
      return actionSize;
  }
}

/** Every robot observation signal a term reads (quaternion first for the frame terms). */
export function termSignals(term: ObservationTerm): readonly string[] {
  if (term.source === 'projected_gravity') return term.quaternion!;
  if (term.source === 'body_frame') return [...term.quaternion!, ...term.signals!];
  if (term.source === 'signals') return term.signals!;
  return [];
}

export function observationSize(contract: PolicyContract): number {
  const m = contract.actions.signals.length;
  return contract.observations.reduce((n, t) => n + termWidth(t, m) * t.history, 0);
}

/** Expands a scalar-or-list to `n` values; throws naming the field when a list has the wrong length. */
export function expand(value: number | readonly number[], n: number, what: string): Float64Array {
  if (typeof value === 'number') return new Float64Array(n).fill(value);
  if (value.length !== n)
    throw new ContractError('contract', [`${what}: ${value.length} values given, expected 1 or ${n}`]);
  return Float64Array.from(value);
}

/** A problem the schema cannot see: `at` is its key path in the file, `label` names it in words. */
interface ContractIssue {
  readonly at: readonly (string | number)[];
  readonly label: string;
  readonly message: string;
}

/**
 * Validates parsed YAML/JSON; zod issues are reported with their paths. With the `doc` the data came
 * from, every problem is reported through it instead, at its line (`file:line:column: key: …`).
 */
export function parseContract(data: unknown, source = 'contract', doc?: ConfigDocument): PolicyContract {
  const result = contractSchema.safeParse(data);
  if (!result.success) {
    if (doc) {
      doc.validate(contractSchema, data);
      doc.throwIfProblems();
    }
    throw new ContractError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  const contract = result.data;
  const issues: ContractIssue[] = [];
  const issue = (at: readonly (string | number)[], label: string, message: string) =>
    issues.push({ at, label, message });
  const m = contract.actions.signals.length;
  contract.observations.forEach((t, i) => {
    const w = termWidth(t, m);
    for (const key of ['scale', 'offset'] as const) {
      const v = t[key];
      if (Array.isArray(v) && v.length !== w)
        issue(
          ['observations', i, key],
          `observations.${t.name}.${key}`,
          `${v.length} values, expected 1 or ${w}`,
        );
    }
  });
  for (const key of ['scale', 'offset', 'unit'] as const) {
    const v = contract.actions[key];
    if (Array.isArray(v) && v.length !== m)
      issue(['actions', key], `actions.${key}`, `${v.length} values, expected 1 or ${m}`);
  }
  const commandClip = contract.actions.command_clip;
  if (commandClip !== undefined && Array.isArray(commandClip[0]) && commandClip.length !== m)
    issue(
      ['actions', 'command_clip'],
      'actions.command_clip',
      `${commandClip.length} ranges, expected 1 or ${m}`,
    );
  const pd = contract.actions.pd;
  if (pd) {
    for (const key of ['kp', 'kd'] as const) {
      const v = pd[key];
      if (Array.isArray(v) && v.length !== m)
        issue(['actions', 'pd', key], `actions.pd.${key}`, `${v.length} values, expected 1 or ${m}`);
    }
    for (const key of ['position', 'velocity'] as const)
      if (pd[key].length !== m)
        issue(
          ['actions', 'pd', key],
          `actions.pd.${key}`,
          `${pd[key].length} signals, expected ${m} (one per action)`,
        );
    if (contract.actions.mode !== undefined && contract.actions.mode !== 'position')
      issue(
        ['actions', 'pd'],
        'actions.pd',
        `a PD stage turns position targets into torques; actions.mode is ${contract.actions.mode}`,
      );
  }
  for (const name of Object.keys(contract.actions.constants))
    if (contract.actions.signals.includes(name))
      issue(
        ['actions', 'constants', name],
        `actions.constants.${name}`,
        `the policy already outputs '${name}'`,
      );
  const recurrentNames = contract.recurrent.flatMap((r) => [r.input, r.output]);
  const clash = recurrentNames.find((n) => n === contract.input || n === contract.output);
  if (clash) issue(['recurrent'], 'recurrent', `'${clash}' is also the contract's input or output`);
  const names = contract.observations.map((t) => t.name);
  const dup = names.findIndex((n, i) => names.indexOf(n) !== i);
  if (dup >= 0)
    issue(['observations', dup, 'name'], 'observations', `term name '${names[dup]}' is used twice`);
  if (issues.length === 0) return contract;
  if (doc) {
    for (const { at, message } of issues) doc.report(at, message);
    doc.throwIfProblems();
  }
  throw new ContractError(
    source,
    issues.map(({ label, message }) => `${label}: ${message}`),
  );
}

const deployWrapperSchema = z.object({
  format: z.literal('isaaclab-deploy/1'),
  /** A deploy YAML (unitree_rl_lab's or the plainer layout)… */
  deploy: z.string().optional(),
  /** …or Isaac Lab's IO descriptor export (IO_descriptors.yaml): one of the two. */
  io_descriptors: z.string().optional(),
  model: z.string().optional(),
  input: z.string().optional(),
  output: z.string().optional(),
  bind: z.unknown(),
});

function parseText(text: string, source: string, options: ParseOptions & SchemaOptions = {}): unknown {
  try {
    return source.endsWith('.json') ? JSON.parse(text) : parseYaml(text, options);
  } catch (error) {
    throw new ContractError(source, [
      `not valid ${source.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    ]);
  }
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} '${file}': ${(error as Error).message}`);
  }
}

/**
 * Reads a contract file: our own format, or an `isaaclab-deploy/1` wrapper that points at a
 * deploy-style YAML or at Isaac Lab's IO descriptors (resolved relative to the contract) plus a
 * signal binding.
 */
export function loadContract(file: string): PolicyContract {
  // Through the one config loader (JSON reads as YAML), so problems are reported at their line.
  const doc = ConfigDocument.parse(readText(file, 'policy contract'), file);
  const wrapper = deployWrapperSchema.safeParse(doc.source);
  if (!wrapper.success) return parseContract(doc.source, file, doc);
  const { model, input, output, deploy: deployName, io_descriptors: ioName } = wrapper.data;
  if ((deployName === undefined) === (ioName === undefined))
    throw new DeployError(
      file,
      deployName === undefined ? 'deploy' : 'io_descriptors',
      `expected either deploy (a deploy YAML) or io_descriptors (Isaac Lab's IO_descriptors.yaml), ${deployName === undefined ? 'found neither' : 'not both'}`,
    );
  if (ioName !== undefined) {
    const ioFile = path.resolve(path.dirname(file), ioName);
    const descriptors = parseText(readText(ioFile, 'IO descriptors YAML'), ioFile);
    return parseContract(
      contractFromIODescriptors(
        descriptors,
        wrapper.data.bind,
        { model, input, output },
        { descriptors: ioFile, wrapper: file },
      ),
      `${file} (over ${ioFile})`,
    );
  }
  const deployFile = path.resolve(path.dirname(file), deployName!);
  // PyYAML's Python-slice tag is part of the layout unitree_rl_lab writes (see pythonSliceTag).
  const deploy = parseText(readText(deployFile, 'deploy YAML'), deployFile, { customTags: [pythonSliceTag] });
  if (deploy !== null && typeof deploy === 'object' && 'articulations' in deploy && 'scene' in deploy)
    throw new DeployError(
      file,
      'deploy',
      `${deployName} is an Isaac Lab IO descriptors file (it has articulations and scene), not a deploy YAML; name it as io_descriptors: ${deployName}`,
    );
  return parseContract(
    contractFromDeploy(
      deploy,
      wrapper.data.bind,
      { model, input, output },
      { deploy: deployFile, wrapper: file },
    ),
    `${file} (over ${deployFile})`,
  );
}

/** Mean and std of the normaliser as arrays of the input size, or undefined when there is none to apply. */
export function resolveNormalizer(
  contract: PolicyContract,
  baseDir: string,
): { mean: Float64Array; std: Float64Array } | undefined {
  const n = observationSize(contract);
  const norm = contract.normalizer;
  if (norm.kind === 'none' || norm.kind === 'inside_model') return undefined;
  let mean: readonly number[];
  let std: readonly number[];
  let eps: number;
  if (norm.kind === 'mean_std') {
    ({ mean, std, eps } = norm);
  } else {
    const file = path.resolve(baseDir, norm.path);
    const stats = readLeRobotStats(file);
    const entry = stats[norm.key];
    if (!entry)
      throw new ContractError(file, [`no key '${norm.key}' (keys: ${Object.keys(stats).join(', ')})`]);
    eps = norm.eps;
    if (norm.mode === 'min_max') {
      const { min, max } = entry;
      if (!min || !max || min.length !== max.length)
        throw new ContractError(file, [
          `${norm.key}: mode min_max needs "min" and "max" of one length (LeRobot writes them beside mean and std)`,
        ]);
      // 2 (x − min) / (max − min + eps) − 1 = (x − centre) / half-range, with eps in both.
      mean = min.map((lo, i) => (lo + max[i]! + eps) / 2);
      std = min.map((lo, i) => (max[i]! - lo) / 2);
      eps /= 2;
    } else {
      if (!entry.mean || !entry.std)
        throw new ContractError(file, [`${norm.key}: mode mean_std needs "mean" and "std"`]);
      mean = entry.mean;
      std = entry.std;
    }
  }
  if (mean.length !== n || std.length !== n) {
    throw new ContractError('normalizer', [
      `mean/std have ${mean.length}/${std.length} values, expected ${n} (the observation size)`,
    ]);
  }
  return { mean: Float64Array.from(mean), std: Float64Array.from(std, (s) => s + eps) };
}

const statsSchema = z.record(
  z.string(),
  z.looseObject({
    mean: z.array(z.unknown()).optional(),
    std: z.array(z.unknown()).optional(),
    min: z.array(z.unknown()).optional(),
    max: z.array(z.unknown()).optional(),
  }),
);

/** One feature's statistics from `stats.json`, flattened; a statistic that is absent or not numeric is left out. */
export interface LeRobotFeatureStats {
  readonly mean?: number[];
  readonly std?: number[];
  readonly min?: number[];
  readonly max?: number[];
}

/** Flattens nested number arrays (image stats are [c][1][1]); undefined if anything is not a number. */
function flatNumbers(values: readonly unknown[]): number[] | undefined {
  const flat = values.flat(3);
  return flat.every((v) => typeof v === 'number') ? (flat as number[]) : undefined;
}

/** Reads LeRobot's `stats.json`: mean, std, min and max of every feature that has them (flattened). */
export function readLeRobotStats(file: string): Record<string, LeRobotFeatureStats> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read LeRobot stats '${file}': ${(error as Error).message}`);
  }
  const parsed = statsSchema.safeParse(raw);
  if (!parsed.success)
    throw new ContractError(file, ['expected { "<feature>": { "mean": [...], "std": [...] } }']);
  const out: Record<string, LeRobotFeatureStats> = {};
  for (const [key, v] of Object.entries(parsed.data)) {
    const entry: Record<string, number[]> = {};
    for (const stat of ['mean', 'std', 'min', 'max'] as const) {
      const values = v[stat] && flatNumbers(v[stat]);
      if (values && values.length > 0) entry[stat] = values;
    }
    if (Object.keys(entry).length > 0) out[key] = entry;
  }
  return out;
}

/** What the ONNX model declares; from ORT session metadata or our own decoder. */
export interface ModelIO {
  readonly inputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
}

function describeTerms(contract: PolicyContract): string {
  const m = contract.actions.signals.length;
  return contract.observations.map((t) => `${t.name} ${termWidth(t, m)}×${t.history}`).join(' + ');
}

/**
 * rsl_rl's recurrent exports name their state `h_in`/`c_in` → `h_out`/`c_out` (LSTM) or `h_in` →
 * `h_out` (GRU). A contract that declares no recurrent state over a model with exactly those extra
 * tensors gets them (the returned contract says so); anything else is left to the model check.
 */
export function withRslRlRecurrence(contract: PolicyContract, model: ModelIO): PolicyContract {
  if (contract.recurrent.length > 0) return contract;
  const extraInputs = model.inputs.map((v) => v.name).filter((n) => n !== contract.input);
  const outputs = new Set(model.outputs.map((v) => v.name));
  if (extraInputs.length === 0 || extraInputs.length > 2) return contract;
  const pairs = extraInputs.map((input) => ({ input, output: input.replace(/_in$/, '_out') }));
  const rslRl = pairs.every((p) => /^[hc]_in$/.test(p.input) && outputs.has(p.output));
  return rslRl ? { ...contract, recurrent: pairs } : contract;
}

/** Checks tensor names and sizes; throws a ContractError listing every mismatch. */
export function checkContractAgainstModel(
  contract: PolicyContract,
  model: ModelIO,
  subject = 'policy contract vs model',
): void {
  const issues: string[] = [];
  const check = (role: 'input' | 'output', wanted: string, size: number, detail: string) => {
    const list = role === 'input' ? model.inputs : model.outputs;
    const found = list.find((v) => v.name === wanted);
    if (!found) {
      issues.push(
        `${role} tensor: contract names '${wanted}', model has [${list.map((v) => `'${v.name}'`).join(', ')}]`,
      );
      return;
    }
    const last = found.shape[found.shape.length - 1];
    if (found.shape.length !== 2) {
      issues.push(
        `${role} '${wanted}': expected shape [batch, ${size}], model declares [${found.shape.join(', ')}]`,
      );
    } else if (last !== size) {
      issues.push(`${role} '${wanted}': expected ${size} features (${detail}), model has ${last}`);
    }
  };
  check('input', contract.input, observationSize(contract), describeTerms(contract));
  check('output', contract.output, contract.actions.signals.length, `actions.signals`);
  for (const { input, output } of contract.recurrent) {
    const i = model.inputs.find((v) => v.name === input);
    const o = model.outputs.find((v) => v.name === output);
    if (!i)
      issues.push(
        `recurrent input '${input}': model inputs are [${model.inputs.map((v) => `'${v.name}'`).join(', ')}]`,
      );
    if (!o)
      issues.push(
        `recurrent output '${output}': model outputs are [${model.outputs.map((v) => `'${v.name}'`).join(', ')}]`,
      );
    if (i && o && i.shape.join('×') !== o.shape.join('×'))
      issues.push(
        `recurrent '${input}' → '${output}': shapes [${i.shape.join(', ')}] and [${o.shape.join(', ')}] differ`,
      );
  }
  // Any other model input would never be fed.
  const fed = new Set([contract.input, ...contract.recurrent.map((r) => r.input)]);
  for (const v of model.inputs)
    if (!fed.has(v.name))
      issues.push(
        `input tensor '${v.name}': the contract feeds [${[...fed].map((n) => `'${n}'`).join(', ')}] only` +
          (/^[hc]_in$/.test(v.name)
            ? ` (a recurrent export: declare recurrent: [{ input: ${v.name}, output: ${v.name.replace('_in', '_out')} }])`
            : ''),
      );
  if (issues.length) throw new ContractError(subject, issues);
}

/**
 * A policy whose commands cover less than this share of a torque or velocity actuator's span is
 * refused: that is what a contract looks like when training learned in normalised actions and the
 * scale to the actuator was lost (±1 for a ±20 N motor drives it 20× too weakly).
 */
export const MIN_ACTUATOR_SHARE = 1 / 4;

/**
 * Checks every named signal exists (with the expected unit), the command mode matches, and every
 * action fits its actuator. Throws a ContractError listing every mismatch; returns warnings.
 *
 * The policy's reach for action j is scale_j · [clip] + offset_j, where [clip] is `actions.clip`
 * or, without one, [−1, 1] (the convention of tanh-squashed and Isaac Lab policies). Against the
 * actuator's range [lower, upper] (when both are finite):
 *   - a reach that misses the range entirely is refused;
 *   - in torque and velocity mode, a reach narrower than MIN_ACTUATOR_SHARE of the range is
 *     refused. Position policies command targets around a pose, usually a small part of a joint's
 *     travel, so they are exempt;
 *   - a reach beyond the range is accepted with a warning: the safety layer clamps every command
 *     to the actuator's limits, so the policy saturates there instead of over-driving the robot.
 */
export function checkContractAgainstRobot(
  contract: PolicyContract,
  observation: VectorSpec,
  action: ActionSpec,
  subject = 'policy contract vs robot',
): string[] {
  const issues: string[] = [];
  const obsNames = observation.signals.map((s) => s.name);
  for (const t of contract.observations) {
    for (const name of termSignals(t)) {
      const spec = observation.signals.find((s) => s.name === name);
      if (!spec)
        issues.push(
          `observation term '${t.name}': robot has no signal '${name}' (robot signals: ${obsNames.join(', ')})`,
        );
      else if (t.source === 'signals' && t.unit !== undefined && spec.unit !== t.unit) {
        issues.push(
          `observation term '${t.name}': signal '${name}' is in ${spec.unit}, contract expects ${t.unit}`,
        );
      }
    }
  }
  const actNames = action.signals.map((s) => s.name);
  for (const name of contract.actions.signals) {
    if (!actNames.includes(name))
      issues.push(`actions: robot has no action signal '${name}' (robot actions: ${actNames.join(', ')})`);
  }
  for (const name of Object.keys(contract.actions.constants)) {
    if (!actNames.includes(name))
      issues.push(
        `actions.constants: robot has no action signal '${name}' (robot actions: ${actNames.join(', ')})`,
      );
  }
  const dup = contract.actions.signals.find((n, i) => contract.actions.signals.indexOf(n) !== i);
  if (dup) issues.push(`actions: signal '${dup}' is mapped twice`);
  const pd = contract.actions.pd;
  for (const name of [...(pd?.position ?? []), ...(pd?.velocity ?? [])]) {
    if (!obsNames.includes(name))
      issues.push(
        `actions.pd: robot has no observation signal '${name}' (robot signals: ${obsNames.join(', ')})`,
      );
  }
  const mode: CommandMode | undefined = contract.actions.mode;
  // What the policy outputs against what the robot takes: a position policy drives a torque robot only
  // through a PD stage (actions.pd), and nothing turns torques or velocities into position targets.
  const robotMode = pd ? 'position' : action.mode;
  if (pd && action.mode !== 'torque')
    issues.push(
      `actions.pd: a PD stage writes torques, but the robot takes ${action.mode} commands (expected a torque robot; ` +
        `a robot with a pd drive takes the targets and gains itself)`,
    );
  else if (mode && mode !== robotMode) {
    const hint =
      mode === 'position' && action.mode === 'torque'
        ? ": a position policy needs the robot's pd drive (kp/kd on the motors) or a PD stage in the runtime (actions.pd)"
        : mode === 'torque' && action.mode === 'position'
          ? ": nothing turns a torque policy's output into position targets; use a torque drive"
          : mode === 'cartesian' || action.mode === 'cartesian'
            ? ': end-effector poses need a cartesian rig (rig config commandMode: cartesian) and a policy that outputs them; nothing converts between poses and joint commands'
            : '';
    issues.push(
      `actions.mode: the policy outputs ${mode} commands, the robot takes ${action.mode} commands${hint}`,
    );
  }
  const warnings = pd
    ? checkPdTargets(contract, observation, issues)
    : checkActionRanges(contract, action, mode ?? action.mode, issues);
  if (issues.length) throw new ContractError(subject, issues);
  return warnings;
}

/** With a PD stage the policy commands joint positions: their reach is checked against the joints' ranges. */
function checkPdTargets(contract: PolicyContract, observation: VectorSpec, issues: string[]): string[] {
  const positions = contract.actions.pd!.position;
  const joints = positions.map((name) => observation.signals.find((s) => s.name === name));
  const asAction: ActionSpec = {
    mode: 'position',
    signals: contract.actions.signals.map((name, j) => ({
      name,
      unit: joints[j]?.unit ?? 'rad',
      lower: joints[j]?.lower ?? -Infinity,
      upper: joints[j]?.upper ?? Infinity,
    })),
    safe: contract.actions.signals.map(() => 0),
  };
  const { unit: _unit, ...rest } = contract.actions;
  return checkActionRanges({ ...contract, actions: rest }, asAction, 'position', issues);
}

/** Units and reach of every mapped action against its actuator; pushes refusals, returns warnings. */
function checkActionRanges(
  contract: PolicyContract,
  action: ActionSpec,
  mode: CommandMode,
  issues: string[],
): string[] {
  const warnings: string[] = [];
  const { signals, unit, clip } = contract.actions;
  const m = signals.length;
  const scale = expand(contract.actions.scale, m, 'actions.scale');
  const offset = expand(contract.actions.offset, m, 'actions.offset');
  const [rawLower, rawUpper] = clip ?? [-1, 1];
  const raw = clip
    ? `the policy's ${interval(rawLower, rawUpper)}`
    : `the policy's ${interval(rawLower, rawUpper)} (no actions.clip: the usual range of a raw output)`;
  signals.forEach((name, j) => {
    const spec = action.signals.find((s) => s.name === name);
    if (!spec) return;
    const commanded = unit === undefined ? spec.unit : typeof unit === 'string' ? unit : unit[j]!;
    if (commanded !== spec.unit) {
      issues.push(
        `action '${name}': the contract commands ${commanded}, the robot's actuator takes ${spec.unit}`,
      );
      return;
    }
    if (!Number.isFinite(spec.lower) || !Number.isFinite(spec.upper)) return;
    const a = scale[j]! * rawLower + offset[j]!;
    const b = scale[j]! * rawUpper + offset[j]!;
    // The contract's own command clip bounds what reaches the actuator, before the safety layer.
    const [clipLower, clipUpper] = commandClipOf(contract.actions.command_clip, j);
    const lower = Math.max(Math.min(a, b), clipLower);
    const upper = Math.min(Math.max(a, b), clipUpper);
    const span = spec.upper - spec.lower;
    const what =
      `action '${name}': the contract maps ${raw} to ${interval(lower, upper)} ${spec.unit}, ` +
      `but the robot's actuator spans ${interval(spec.lower, spec.upper)} ${spec.unit}`;
    const slack = 1e-9 * Math.max(1, span);
    // Position and pose targets may well use a small part of a joint's range or of the workspace.
    const targets = mode === 'position' || mode === 'cartesian';
    if (upper < spec.lower - slack || lower > spec.upper + slack) {
      issues.push(`${what}: the policy can never command a value the actuator accepts`);
    } else if (!targets && upper - lower < MIN_ACTUATOR_SHARE * span) {
      const share = (100 * (upper - lower)) / span;
      issues.push(
        `${what}: the policy could use only ${Number(share.toPrecision(2))} % of it ` +
          '(a policy trained on normalised actions needs the actuator scale in actions.scale)',
      );
    } else if (lower < spec.lower - slack || upper > spec.upper + slack) {
      warnings.push(`${what}: commands beyond it are clamped by the safety layer`);
    }
  });
  return warnings;
}

/** Action j's command clip (one range for all, or one per action); unbounded when there is none. */
function commandClipOf(
  clip: readonly [number, number] | readonly (readonly [number, number])[] | undefined,
  j: number,
): readonly [number, number] {
  if (clip === undefined) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  return Array.isArray(clip[0])
    ? (clip as readonly (readonly [number, number])[])[j]!
    : (clip as readonly [number, number]);
}

const interval = (lower: number, upper: number): string =>
  `[${Number(lower.toPrecision(6))}, ${Number(upper.toPrecision(6))}]`;

/** Control ticks per policy step for a loop period `dt`; refuses rates that do not divide. */
export function resolveDecimation(contract: PolicyContract, dt: number): number {
  const ratio = 1 / contract.policy_rate_hz / dt;
  const derived = Math.round(ratio);
  if (derived < 1 || Math.abs(ratio - derived) > 1e-6 * Math.max(1, ratio)) {
    throw new ContractError('policy rate', [
      `policy_rate_hz ${contract.policy_rate_hz} is not an integer divisor of the loop rate ${(1 / dt).toFixed(6)} Hz`,
    ]);
  }
  if (contract.decimation !== undefined && contract.decimation !== derived) {
    throw new ContractError('policy rate', [
      `decimation ${contract.decimation} with a ${(1 / dt).toFixed(6)} Hz loop gives ${(1 / dt / contract.decimation).toFixed(6)} Hz, but policy_rate_hz is ${contract.policy_rate_hz}`,
    ]);
  }
  return derived;
}
