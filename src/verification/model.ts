import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A certified-controller model: a controller (an MLP with ReLU-family or tanh hidden layers and a
 * clamp; a linear gain is a one-layer MLP), a Lyapunov function, a discrete-time dynamics and the verification spec (box, κ, ρ, hole).
 *
 * Lyapunov functions:
 * - neural (Yang et al. 2024): V(x) = |φ(x) − φ(x*)| + ‖(εI + RᵀR)(x − x*)‖₁;
 * - quadratic: V(x) = ‖L x‖², L as written in the file (an LQR cost-to-go P = LᵀL, say).
 *
 * Dynamics: the pendulum and path tracking of the published models (one explicit-Euler step), and
 * the cart-pole (MuJoCo's semi-implicit Euler with implicit joint damping, `substeps` steps per
 * control period with the force held).
 *
 * Uncertainty (robust certificates): plant parameters given as intervals, a bounded force
 * disturbance, and a bounded state-estimate error that the controller sees (it is fed x + ε). Each
 * is an extra dimension of the branch-and-bound box, so the proof holds for every value in its
 * interval, chosen anew at every step.
 *
 * The JSON layout is the one of the published Yang et al. 2024 models; our own models use it with
 * format `tether-lyapunov-model/v1` (and the extensions above).
 */

export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** Row-major [out][in]. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** A hidden activation: σ(z) = max(z, slope·z) (ReLU, LeakyReLU) or tanh. */
export type HiddenActivation = 'leaky_relu' | 'tanh';

/** Dense layers with a hidden activation after every layer but the last. */
export interface Mlp {
  readonly layers: readonly DenseLayer[];
  /** The activation after layer k, for k < layers.length − 1. */
  readonly activations: readonly HiddenActivation[];
  /** The negative slope of every `leaky_relu`. */
  readonly slope: number;
}

export interface ControllerNet {
  readonly net: Mlp;
  readonly uLo: number;
  readonly uUp: number;
  readonly uStar: number;
}

export interface NeuralLyapunov {
  readonly kind: 'neural';
  readonly phi: Mlp;
  /** R as rows × n, row-major. */
  readonly r: Float64Array;
  readonly rRows: number;
  readonly eps: number;
}

export interface QuadraticLyapunov {
  readonly kind: 'quadratic';
  /** L as rows × n, row-major: V(x) = ‖L x‖². */
  readonly l: Float64Array;
  readonly lRows: number;
}

export type LyapunovFunction = NeuralLyapunov | QuadraticLyapunov;
/** @deprecated the neural Lyapunov function; kept for existing imports. */
export type LyapunovNet = NeuralLyapunov;

export interface CartpoleParams {
  readonly system: 'cartpole';
  /** kg */
  readonly cartMass: number;
  readonly poleMass: number;
  /** Hinge to the pole's centre of mass, m. */
  readonly poleCom: number;
  /** Pole inertia about its centre of mass (hinge axis), kg·m². */
  readonly poleInertia: number;
  /** Joint damping, N·s/m and N·m·s/rad. */
  readonly sliderDamping: number;
  readonly hingeDamping: number;
  /** m/s², positive. */
  readonly gravity: number;
  /** Force on the cart per unit of command (actuator gain × gear). */
  readonly forceGain: number;
  /** Control period, s. */
  readonly dt: number;
  /** Physics steps per control period (step h = dt / substeps). */
  readonly substeps: number;
}

export type DynamicsParams =
  | {
      readonly system: 'pendulum';
      readonly m: number;
      readonly l: number;
      readonly beta: number;
      readonly g: number;
      readonly dt: number;
    }
  | {
      readonly system: 'path_tracking';
      readonly speed: number;
      readonly length: number;
      readonly radius: number;
      readonly dt: number;
    }
  | CartpoleParams;

export interface Box {
  readonly lo: readonly number[];
  readonly up: readonly number[];
}

/** The cart-pole parameters a robust certificate may give as intervals (scales of the nominal). */
export const cartpoleUncertainParameters = [
  'pole_mass_scale',
  'cart_mass_scale',
  'damping_scale',
  'force_gain_scale',
] as const;
export type CartpoleUncertainParameter = (typeof cartpoleUncertainParameters)[number];

/**
 * One extra dimension of the verification box:
 * - `parameter`: a plant parameter (scale), the interval given;
 * - `disturbance`: a force added to the command for the whole control period, |d| ≤ bound;
 * - `delayed-command`: with an input delay τ of `steps` physics steps, the command the plant still
 *   applies during the first `steps` substeps of a period (the previous period's, unknown to a
 *   one-step proof but within the actuator's range, which the interval covers);
 * - `estimate`: the error of state coordinate `index` as the controller sees it, |ε| ≤ bound.
 */
export type UncertainDimension =
  | {
      readonly kind: 'parameter';
      readonly name: CartpoleUncertainParameter;
      readonly lo: number;
      readonly up: number;
    }
  | { readonly kind: 'disturbance'; readonly name: 'force'; readonly lo: number; readonly up: number }
  | {
      readonly kind: 'delayed-command';
      readonly name: 'force';
      /** The input delay τ it stands for, s. */
      readonly delay: number;
      /** τ in physics steps: the first `steps` substeps of a period apply this command. */
      readonly steps: number;
      /**
       * Absent: the delayed command itself, anywhere in [lo, up] (the actuator's range). Present:
       * the delayed command is u(x) + this dimension, u(x) the controller's command at the exact
       * state, and the proof also shows |u(x⁺) − u(x)| ≤ `rateBound` over S, which carries
       * "the previous command is within `within` of u(x)" from one period to the next.
       */
      readonly relative?: { readonly within: number; readonly rateBound: number };
      readonly lo: number;
      readonly up: number;
    }
  | {
      readonly kind: 'estimate';
      readonly name: string;
      readonly index: number;
      readonly lo: number;
      readonly up: number;
    };

export interface VerificationSpec {
  readonly boxLo: readonly number[];
  readonly boxUp: readonly number[];
  readonly rho: number;
  readonly kappa: number;
  readonly holeSizeRelative: number;
  /** Half-widths of the open hole |x_i| < h_i around x* (holeSizeRelative × half-width of B). */
  readonly hole: readonly number[];
  /** Ultimate-bound level ρ_in: below it only V(x⁺) < ρ is required (0: none). */
  readonly innerLevel: number;
  /**
   * Closed boxes over state × uncertainty whose union is exactly (B minus the hole) × U, derived
   * from the box and the hole (never read from the file).
   */
  readonly subBoxes: readonly Box[];
  /**
   * Whether the file proposed `spec.sub_boxes`. They are not used: the region to prove follows
   * from the box and the hole alone (the published files' sub-boxes leave slivers uncovered).
   */
  readonly subBoxesInFile: boolean;
}

/** What the certificate assumes about the plant it will run on (checked by the runtime). */
export interface PlantAssumptions {
  /** Plant the model stands for, e.g. `cartpole` (a robot's model name). */
  readonly plant: string;
  /** State signals in the order of x, with units. */
  readonly signals: readonly { readonly name: string; readonly unit: string }[];
  /** The one actuator command, its unit and limits. */
  readonly action: {
    readonly name: string;
    readonly unit: string;
    readonly lower: number;
    readonly upper: number;
  };
  /** Control period, s (must equal the dynamics' dt). */
  readonly controlPeriod: number;
  /** Physics step of the plant the model reproduces, s (dt / substeps), when the model has one. */
  readonly physicsStep?: number;
  /** Largest delay between reading the state and applying the command that the model covers, s. */
  readonly delay: number;
  /** Free text: what else was assumed (the integrator, contact, limits). */
  readonly notes?: string;
}

export interface LyapunovModel {
  readonly name: string;
  readonly stateDim: number;
  readonly controller: ControllerNet;
  readonly lyapunov: LyapunovFunction;
  readonly dynamics: DynamicsParams;
  /** Extra verification dimensions after the state (empty for a nominal model). */
  readonly uncertainty: readonly UncertainDimension[];
  /**
   * The state-estimate error the proof covers, per state coordinate (|observation − state| ≤ this):
   * as dimensions of the search, or folded into the force disturbance for an affine controller.
   */
  readonly estimateError: readonly number[];
  readonly spec: VerificationSpec;
  readonly assumptions: PlantAssumptions | undefined;
  /** The parsed JSON, kept so hashes and rewrites see exactly what was loaded. */
  readonly source: ModelJson;
}

/** State dimension plus uncertainty dimensions: the dimension of the branch-and-bound box. */
export function searchDim(model: LyapunovModel): number {
  return model.stateDim + model.uncertainty.length;
}

const activationJson = z.enum(['relu', 'leaky_relu', 'tanh']);
const layerJson = z.object({ weight: z.array(z.array(z.number())), bias: z.array(z.number()) });
const boxJson = z.object({ lo: z.array(z.number()), up: z.array(z.number()) });
const interval = z
  .tuple([z.number(), z.number()])
  .refine(([lo, up]) => lo <= up, { message: 'interval must have lo ≤ up' });

const neuralLyapunovJson = z.object({
  phi: z.object({ negative_slope: z.number().min(0).max(1), layers: z.array(layerJson).min(1) }),
  R: z.array(z.array(z.number())),
  eps: z.number().nonnegative(),
});
const quadraticLyapunovJson = z.object({
  kind: z.literal('quadratic'),
  /** V(x) = ‖L x‖². */
  L: z.array(z.array(z.number())).min(1),
});

const cartpoleJson = z.object({
  system: z.literal('cartpole'),
  cart_mass: z.number().positive(),
  pole_mass: z.number().positive(),
  pole_com: z.number().positive(),
  pole_inertia: z.number().nonnegative(),
  slider_damping: z.number().nonnegative(),
  hinge_damping: z.number().nonnegative(),
  gravity: z.number().positive(),
  force_gain: z.number().positive().default(1),
  dt: z.number().positive(),
  substeps: z.number().int().positive().max(1000),
  integration: z.literal('semi_implicit_euler'),
});

export const modelJsonSchema = z.object({
  format: z.enum(['yang2024-lyapunov-model/v1', 'tether-lyapunov-model/v1']),
  name: z.string(),
  state_dim: z.number().int().positive(),
  x_star: z.array(z.number()),
  controller: z.object({
    /**
     * Hidden activation, one for all hidden layers or one per hidden layer: relu or leaky_relu,
     * both max(z, negative_slope·z) (the published models say `relu`), or tanh.
     */
    activation: z.union([activationJson, z.array(activationJson)]).default('leaky_relu'),
    negative_slope: z.number().min(0).max(1),
    layers: z.array(layerJson).min(1),
    u_lo: z.array(z.number()).length(1),
    u_up: z.array(z.number()).length(1),
    u_star: z.array(z.number()).length(1),
  }),
  lyapunov: z.union([quadraticLyapunovJson, neuralLyapunovJson]),
  dynamics: z.union([
    z.object({
      system: z.literal('pendulum'),
      m: z.number().positive(),
      l: z.number().positive(),
      beta: z.number(),
      g: z.number(),
      dt: z.number().positive(),
      integration: z.literal('explicit_euler'),
    }),
    z.object({
      system: z.literal('path_tracking'),
      speed: z.number().positive(),
      length: z.number().positive(),
      radius: z.number().positive(),
      dt: z.number().positive(),
      integration: z.literal('explicit_euler'),
    }),
    cartpoleJson,
  ]),
  uncertainty: z
    .object({
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
      previous_command_within: z.number().positive().optional(),
    })
    .strict()
    .optional(),
  assumptions: z
    .object({
      plant: z.string().min(1),
      signals: z.array(z.object({ name: z.string().min(1), unit: z.string() }).strict()).min(1),
      action: z
        .object({ name: z.string().min(1), unit: z.string(), lower: z.number(), upper: z.number() })
        .strict(),
      control_period: z.number().positive(),
      physics_step: z.number().positive().optional(),
      delay: z.number().nonnegative().default(0),
      notes: z.string().optional(),
    })
    .strict()
    .optional(),
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
    sub_boxes: z.array(boxJson).optional(),
  }),
});

export type ModelJson = z.input<typeof modelJsonSchema> & Record<string, unknown>;
/** A model file with the neural (Yang et al.) Lyapunov function. */
export type NeuralModelJson = ModelJson & { lyapunov: z.input<typeof neuralLyapunovJson> };

function toMlp(
  layers: readonly { weight: number[][]; bias: number[] }[],
  activation: z.infer<typeof activationJson> | readonly z.infer<typeof activationJson>[],
  slope: number,
  where: string,
): Mlp {
  const hiddenCount = layers.length - 1;
  if (Array.isArray(activation) && activation.length !== hiddenCount)
    throw new RangeError(
      `${where}.activation: ${activation.length} entries, expected one per hidden layer (${hiddenCount})`,
    );
  const named = (a: z.infer<typeof activationJson>): HiddenActivation =>
    a === 'tanh' ? 'tanh' : 'leaky_relu';
  const activations = Array.isArray(activation)
    ? activation.map(named)
    : new Array<HiddenActivation>(hiddenCount).fill(named(activation as z.infer<typeof activationJson>));
  const out: DenseLayer[] = [];
  layers.forEach((layer, k) => {
    const outSize = layer.weight.length;
    const inSize = layer.weight[0]?.length ?? 0;
    if (layer.bias.length !== outSize)
      throw new RangeError(
        `${where}.layers[${k}]: bias has ${layer.bias.length} entries, expected ${outSize}`,
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
        `${where}.layers[${k}]: input size ${inSize} does not match previous output ${prev.outSize}`,
      );
    out.push({ inSize, outSize, weight, bias: Float64Array.from(layer.bias) });
  });
  return { layers: out, activations, slope };
}

/** Half-widths of the hole: `relative` × the half-width of B in each coordinate. */
export function holeHalfWidths(lo: readonly number[], up: readonly number[], relative: number): number[] {
  return lo.map((l, i) => relative * (0.5 * (up[i]! - l)));
}

/**
 * Closed boxes whose union is exactly B minus the open hole H = {|x_i| < h_i for all i}:
 * for i = 0..n−1 the slabs x_i ≥ h_i and x_i ≤ −h_i with x_j restricted to [−h_j, h_j] for j < i.
 * Every uncertainty dimension spans its whole interval. In 2-D this is the order of the published
 * specs. Refuses a hole that does not lie inside B.
 */
export function regionBoxes(
  lo: readonly number[],
  up: readonly number[],
  hole: readonly number[],
  uncertainty: readonly UncertainDimension[] = [],
): Box[] {
  const n = lo.length;
  const uLo = uncertainty.map((u) => u.lo);
  const uUp = uncertainty.map((u) => u.up);
  if (hole.every((h) => h === 0)) return [{ lo: [...lo, ...uLo], up: [...up, ...uUp] }];
  for (let i = 0; i < n; i++)
    if (!(lo[i]! <= -hole[i]! && hole[i]! <= up[i]!))
      throw new RangeError(
        `the hole [−${hole[i]}, ${hole[i]}] in coordinate ${i} does not lie inside the box [${lo[i]}, ${up[i]}]`,
      );
  const out: Box[] = [];
  for (let i = 0; i < n; i++) {
    const baseLo = lo.map((l, j) => (j < i ? -hole[j]! : l));
    const baseUp = up.map((u, j) => (j < i ? hole[j]! : u));
    const upper = { lo: [...baseLo], up: [...baseUp] };
    upper.lo[i] = hole[i]!;
    const lower = { lo: [...baseLo], up: [...baseUp] };
    lower.up[i] = -hole[i]!;
    for (const b of [upper, lower])
      if (b.lo[i]! < b.up[i]!) out.push({ lo: [...b.lo, ...uLo], up: [...b.up, ...uUp] });
  }
  return out;
}

/** The closed hole box × U (checked separately: from the hole the state must stay in S). */
export function holeBox(model: LyapunovModel): Box | undefined {
  const { hole } = model.spec;
  if (hole.every((h) => h === 0)) return undefined;
  return {
    lo: [...hole.map((h) => -h), ...model.uncertainty.map((u) => u.lo)],
    up: [...hole, ...model.uncertainty.map((u) => u.up)],
  };
}

/** @deprecated use `regionBoxes`; sub-boxes covering B \ H (hole relative to the half-width). */
export function holeSubBoxes(lo: readonly number[], up: readonly number[], holeRelative: number): Box[] {
  return regionBoxes(lo, up, holeHalfWidths(lo, up, holeRelative));
}

/** One ulp or more above x (see rounding.ts; repeated here to keep this module free of it). */
function roundUp(x: number): number {
  return x + (Math.abs(x) * 2 ** -52 + 2 ** -1074);
}

/** One ulp or more below x. */
function roundDown(x: number): number {
  return x - (Math.abs(x) * 2 ** -52 + 2 ** -1074);
}

function uncertaintyOf(
  json: z.output<typeof modelJsonSchema>,
  n: number,
  origin: string,
): UncertainDimension[] {
  const u = json.uncertainty;
  if (!u) return [];
  const dims: UncertainDimension[] = [];
  const params = cartpoleUncertainParameters.filter((p) => u.parameters[p] !== undefined);
  if (
    (params.length > 0 || u.force_disturbance > 0 || u.input_delay > 0) &&
    json.dynamics.system !== 'cartpole'
  )
    throw new RangeError(
      `${origin}: uncertainty.parameters, force_disturbance and input_delay are supported for the cartpole dynamics only`,
    );
  for (const p of params) {
    const [lo, up] = u.parameters[p]!;
    if (!(lo > 0)) throw new RangeError(`${origin}: uncertainty.parameters.${p} must be positive`);
    dims.push({ kind: 'parameter', name: p, lo, up });
  }
  const estimate = u.estimate_error;
  if (estimate && estimate.length !== n)
    throw new RangeError(
      `${origin}: uncertainty.estimate_error has ${estimate.length} entries, expected state_dim ${n}`,
    );
  // The controller on the cart-pole moves its command by at most s when its input moves by ε with
  // |ε_i| ≤ e_i: for an affine law s = Σ|W_i| e_i; for an MLP s = |W_L|···|W_1| e, since every
  // hidden activation (ReLU-family with slope in [0, 1], tanh) has a derivative in [0, 1], and the
  // clamp is 1-Lipschitz. So the estimate error is covered soundly by a larger force disturbance,
  // gain × largest gain scale × s, instead of n more dimensions of the search.
  const layers = json.controller.layers;
  const fold = estimate !== undefined && json.dynamics.system === 'cartpole';
  let force = u.force_disturbance;
  // The estimate error's effect on the command, |u(x + ε) − u(x)| ≤ s.
  let commandShift = 0;
  if (fold) {
    let bound: number[] = estimate;
    for (const layer of layers)
      bound = layer.weight.map((row) => {
        let sum = 0;
        row.forEach((w, i) => {
          sum = roundUp(sum + roundUp(Math.abs(w) * bound[i]!));
        });
        return sum;
      });
    const s = bound[0]!;
    commandShift = s;
    const gainScale = Math.max(1, u.parameters.force_gain_scale?.[1] ?? 1);
    const gain = json.dynamics.system === 'cartpole' ? json.dynamics.force_gain : 1;
    force = roundUp(force + roundUp(roundUp(gain * gainScale) * s));
  }
  if (force > 0) dims.push({ kind: 'disturbance', name: 'force', lo: -force, up: force });
  const delay = delayedCommandOf(json, u.input_delay, u.previous_command_within, commandShift, origin);
  if (delay) dims.push(delay);
  if (estimate && !fold)
    estimate.forEach((e, i) => {
      if (e > 0)
        dims.push({
          kind: 'estimate',
          name: json.assumptions?.signals[i]?.name ?? `x${i}`,
          index: i,
          lo: -e,
          up: e,
        });
    });
  return dims;
}

/**
 * The delayed-command dimension for an input delay τ = m·h (h = dt / substeps, 0 < m ≤ substeps):
 * the first m substeps of a period apply an earlier command. Where the estimate error is folded
 * into the force disturbance d′ = d + gain·(u(x + ε) − u(x)), the delayed segment must still apply
 * gain·u_prev + d, so its command is u_prev − (u(x + ε) − u(x)): the interval is widened by the
 * fold's command shift s.
 *
 * Without `within`: u_prev is anywhere in the actuator's range [u_lo, u_up] (the previous period's
 * command, or whatever a controller before this one sent: the robot takes nothing outside it).
 *
 * With `within` = Δ: u_prev ∈ u(x) ± Δ, so the dimension is the offset from u(x), in ±(Δ + s).
 * Induction: if u_prev ∈ u(x_k) ± Δ and |u(x_{k+1}) − u(x_k)| ≤ Δ − s (proved on every box of S),
 * then the command sent at k, within s of u(x_k), is within Δ of u(x_{k+1}). The base case is the
 * guard's: the last command sent before a switch must be within Δ of u(x).
 */
function delayedCommandOf(
  json: z.output<typeof modelJsonSchema>,
  delay: number,
  within: number | undefined,
  commandShift: number,
  origin: string,
): UncertainDimension | undefined {
  if (within !== undefined && !(delay > 0))
    throw new RangeError(
      `${origin}: uncertainty.previous_command_within needs uncertainty.input_delay > 0 (it bounds the delayed command)`,
    );
  if (!(delay > 0) || json.dynamics.system !== 'cartpole') return undefined;
  const { dt, substeps } = json.dynamics;
  const steps = Math.round((delay * substeps) / dt);
  // A whole number of physics steps: equal to m·dt/substeps up to the rounding of the decimals.
  if (!(steps >= 1 && steps <= substeps && Math.abs(steps * dt - delay * substeps) <= 1e-9 * dt))
    throw new RangeError(
      `${origin}: uncertainty.input_delay ${delay} s: expected a whole number of physics steps of dynamics.dt / dynamics.substeps = ${dt}/${substeps} s, at most dynamics.dt ${dt} s`,
    );
  if (within !== undefined) {
    // Exact when there is no shift; else rounded towards the harder proof.
    const rateBound = commandShift > 0 ? roundDown(within - commandShift) : within;
    if (!(rateBound > 0))
      throw new RangeError(
        `${origin}: uncertainty.previous_command_within ${within} must exceed the estimate error's command shift ${commandShift}`,
      );
    const spread = commandShift > 0 ? roundUp(within + commandShift) : within;
    return {
      kind: 'delayed-command',
      name: 'force',
      delay,
      steps,
      relative: { within, rateBound },
      lo: -spread,
      up: spread,
    };
  }
  const [uLo, uUp] = [json.controller.u_lo[0]!, json.controller.u_up[0]!];
  const lo = commandShift > 0 ? -roundUp(commandShift - uLo) : uLo;
  const up = commandShift > 0 ? roundUp(uUp + commandShift) : uUp;
  return { kind: 'delayed-command', name: 'force', delay, steps, lo, up };
}

/** Parses and checks a model JSON object; errors name the offending field. */
export function parseModel(raw: unknown, origin = 'model'): LyapunovModel {
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const json = parsed.data;
  const n = json.state_dim;
  if (json.x_star.length !== n || json.x_star.some((v) => v !== 0))
    throw new RangeError(`${origin}: x_star must be the origin of R^${n} (shift the state first)`);
  const controller = toMlp(
    json.controller.layers,
    json.controller.activation,
    json.controller.negative_slope,
    `${origin}: controller`,
  );
  const mlps: [string, Mlp][] = [['controller', controller]];
  let lyapunov: LyapunovFunction;
  if ('kind' in json.lyapunov) {
    const rows = json.lyapunov.L.length;
    const l = new Float64Array(rows * n);
    json.lyapunov.L.forEach((row, i) => {
      if (row.length !== n)
        throw new RangeError(`${origin}: lyapunov.L[${i}] has ${row.length} columns, expected ${n}`);
      l.set(row, i * n);
    });
    lyapunov = { kind: 'quadratic', l, lRows: rows };
  } else {
    const phi = toMlp(
      json.lyapunov.phi.layers,
      'leaky_relu',
      json.lyapunov.phi.negative_slope,
      `${origin}: lyapunov.phi`,
    );
    mlps.push(['lyapunov.phi', phi]);
    const rRows = json.lyapunov.R.length;
    const r = new Float64Array(rRows * n);
    json.lyapunov.R.forEach((row, i) => {
      if (row.length !== n)
        throw new RangeError(`${origin}: lyapunov.R[${i}] has ${row.length} columns, expected ${n}`);
      r.set(row, i * n);
    });
    lyapunov = { kind: 'neural', phi, r, rRows, eps: json.lyapunov.eps };
  }
  for (const [name, mlp] of mlps) {
    if (mlp.layers[0]!.inSize !== n)
      throw new RangeError(
        `${origin}: ${name} takes ${mlp.layers[0]!.inSize} inputs, expected state_dim ${n}`,
      );
    if (mlp.layers.at(-1)!.outSize !== 1)
      throw new RangeError(`${origin}: ${name} has ${mlp.layers.at(-1)!.outSize} outputs, expected 1`);
  }
  const { box_lo: boxLo, box_up: boxUp } = json.spec;
  if (!(json.spec.inner_level < json.spec.rho))
    throw new RangeError(
      `${origin}: spec.inner_level ${json.spec.inner_level} must be below spec.rho ${json.spec.rho}`,
    );
  if (boxLo.length !== n || boxUp.length !== n)
    throw new RangeError(`${origin}: spec box must have ${n} entries`);
  if (boxLo.some((l, i) => !(l < boxUp[i]!)))
    throw new RangeError(`${origin}: spec.box_lo must be below spec.box_up`);
  const dyn = json.dynamics;
  const expectedDim = dyn.system === 'cartpole' ? 4 : 2;
  if (n !== expectedDim)
    throw new RangeError(`${origin}: ${dyn.system} dynamics have ${expectedDim} states, state_dim is ${n}`);
  const dynamics: DynamicsParams =
    dyn.system === 'cartpole'
      ? {
          system: 'cartpole',
          cartMass: dyn.cart_mass,
          poleMass: dyn.pole_mass,
          poleCom: dyn.pole_com,
          poleInertia: dyn.pole_inertia,
          sliderDamping: dyn.slider_damping,
          hingeDamping: dyn.hinge_damping,
          gravity: dyn.gravity,
          forceGain: dyn.force_gain,
          dt: dyn.dt,
          substeps: dyn.substeps,
        }
      : (({ integration: _integration, ...rest }) => rest)(dyn);
  const uncertainty = uncertaintyOf(json, n, origin);
  const hole = holeHalfWidths(boxLo, boxUp, json.spec.hole_size_relative);
  let subBoxes: Box[];
  try {
    subBoxes = regionBoxes(boxLo, boxUp, hole, uncertainty);
  } catch (error) {
    throw new RangeError(`${origin}: ${(error as Error).message}`);
  }
  const a = json.assumptions;
  const assumptions: PlantAssumptions | undefined = a && {
    plant: a.plant,
    signals: a.signals,
    action: a.action,
    controlPeriod: a.control_period,
    ...(a.physics_step !== undefined ? { physicsStep: a.physics_step } : {}),
    delay: a.delay,
    ...(a.notes !== undefined ? { notes: a.notes } : {}),
  };
  if (assumptions) {
    if (assumptions.signals.length !== n)
      throw new RangeError(
        `${origin}: assumptions.signals names ${assumptions.signals.length} signals, expected ${n}`,
      );
    if (assumptions.controlPeriod !== dynamics.dt)
      throw new RangeError(
        `${origin}: assumptions.control_period ${assumptions.controlPeriod} differs from dynamics.dt ${dynamics.dt}`,
      );
    const covered = json.uncertainty?.input_delay ?? 0;
    if (!(assumptions.delay <= covered))
      throw new RangeError(
        `${origin}: assumptions.delay ${assumptions.delay} s is not covered: uncertainty.input_delay is ${covered} s (expected assumptions.delay <= uncertainty.input_delay)`,
      );
    if (
      assumptions.action.lower !== json.controller.u_lo[0] ||
      assumptions.action.upper !== json.controller.u_up[0]
    )
      throw new RangeError(
        `${origin}: assumptions.action limits [${assumptions.action.lower}, ${assumptions.action.upper}] differ from the controller clamp [${json.controller.u_lo[0]}, ${json.controller.u_up[0]}]`,
      );
  }
  return {
    name: json.name,
    stateDim: n,
    controller: {
      net: controller,
      uLo: json.controller.u_lo[0]!,
      uUp: json.controller.u_up[0]!,
      uStar: json.controller.u_star[0]!,
    },
    lyapunov,
    dynamics,
    uncertainty,
    estimateError: json.uncertainty?.estimate_error ?? new Array<number>(n).fill(0),
    spec: {
      boxLo,
      boxUp,
      rho: json.spec.rho,
      kappa: json.spec.kappa,
      holeSizeRelative: json.spec.hole_size_relative,
      hole,
      innerLevel: json.spec.inner_level,
      subBoxes,
      subBoxesInFile: json.spec.sub_boxes !== undefined,
    },
    assumptions,
    source: raw as ModelJson,
  };
}

/** Returns a copy of the model with a different ρ (the rest, hashes included, unchanged). */
export function withRho(model: LyapunovModel, rho: number): LyapunovModel {
  if (!(rho > 0)) throw new RangeError(`rho must be positive, got ${rho}`);
  return {
    ...model,
    spec: { ...model.spec, rho },
    source: { ...model.source, spec: { ...model.source.spec, rho } },
  };
}

/** JSON with object keys sorted, so equal content always hashes equally. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export function sha256(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

export interface ModelHashes {
  readonly controller: string;
  readonly lyapunov: string;
  readonly dynamics: string;
  /** Box, κ, hole and proposed sub-boxes (not ρ: the certificate states the ρ it proved). */
  readonly spec: string;
  readonly uncertainty: string;
  readonly assumptions: string;
}

/** Hashes of the parts a certificate depends on. */
export function modelHashes(model: LyapunovModel): ModelHashes {
  const s = model.source;
  const lyapunov = s.lyapunov as Record<string, unknown>;
  const { rho: _rho, ...spec } = s.spec;
  return {
    // The activation joins the hash only when a tanh is in it, so the hashes of every earlier
    // certificate (ReLU-family networks) stay as they were.
    controller: sha256({
      ...(JSON.stringify(s.controller.activation ?? '').includes('tanh')
        ? { activation: s.controller.activation }
        : {}),
      layers: s.controller.layers,
      slope: s.controller.negative_slope,
      u_lo: s.controller.u_lo,
      u_up: s.controller.u_up,
      u_star: s.controller.u_star,
    }),
    lyapunov:
      'phi' in lyapunov
        ? sha256({
            phi: (lyapunov['phi'] as { layers: unknown }).layers,
            slope: (lyapunov['phi'] as { negative_slope: unknown }).negative_slope,
            R: lyapunov['R'],
            eps: lyapunov['eps'],
          })
        : sha256(lyapunov),
    dynamics: sha256(s.dynamics),
    spec: sha256({ ...spec, x_star: s.x_star, state_dim: s.state_dim }),
    uncertainty: sha256({ dimensions: model.uncertainty, estimate_error: model.estimateError }),
    assumptions: sha256(model.assumptions ?? null),
  };
}
