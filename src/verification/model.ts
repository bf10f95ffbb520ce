import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * A certified-controller model: an MLP controller with a clamp, a neural Lyapunov function
 * V(x) = |φ(x) − φ(x*)| + ‖(εI + RᵀR)(x − x*)‖₁, a discrete-time dynamics and the verification
 * spec (box, κ, ρ, hole). The JSON layout is the one of the published Yang et al. 2024 models; our
 * own trained models are written in the same layout with format `tether-lyapunov-model/v1`.
 */

export interface DenseLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** Row-major [out][in]. */
  readonly weight: Float64Array;
  readonly bias: Float64Array;
}

/** Dense layers with σ(z) = max(z, slope·z) after every layer but the last. */
export interface Mlp {
  readonly layers: readonly DenseLayer[];
  readonly slope: number;
}

export interface ControllerNet {
  readonly net: Mlp;
  readonly uLo: number;
  readonly uUp: number;
  readonly uStar: number;
}

export interface LyapunovNet {
  readonly phi: Mlp;
  /** R as rows × n, row-major. */
  readonly r: Float64Array;
  readonly rRows: number;
  readonly eps: number;
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
    };

export interface Box {
  readonly lo: readonly number[];
  readonly up: readonly number[];
}

export interface VerificationSpec {
  readonly boxLo: readonly number[];
  readonly boxUp: readonly number[];
  readonly rho: number;
  readonly kappa: number;
  readonly holeSizeRelative: number;
  /** Closed boxes whose union is B minus the open hole around x*. */
  readonly subBoxes: readonly Box[];
}

export interface LyapunovModel {
  readonly name: string;
  readonly stateDim: number;
  readonly controller: ControllerNet;
  readonly lyapunov: LyapunovNet;
  readonly dynamics: DynamicsParams;
  readonly spec: VerificationSpec;
  /** The parsed JSON, kept so hashes and rewrites see exactly what was loaded. */
  readonly source: ModelJson;
}

const layerJson = z.object({ weight: z.array(z.array(z.number())), bias: z.array(z.number()) });
const boxJson = z.object({ lo: z.array(z.number()), up: z.array(z.number()) });

export const modelJsonSchema = z.object({
  format: z.enum(['yang2024-lyapunov-model/v1', 'tether-lyapunov-model/v1']),
  name: z.string(),
  state_dim: z.number().int().positive(),
  x_star: z.array(z.number()),
  controller: z.object({
    negative_slope: z.number().min(0).max(1),
    layers: z.array(layerJson).min(1),
    u_lo: z.array(z.number()).length(1),
    u_up: z.array(z.number()).length(1),
    u_star: z.array(z.number()).length(1),
  }),
  lyapunov: z.object({
    phi: z.object({ negative_slope: z.number().min(0).max(1), layers: z.array(layerJson).min(1) }),
    R: z.array(z.array(z.number())),
    eps: z.number().nonnegative(),
  }),
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
  ]),
  spec: z.object({
    box_lo: z.array(z.number()),
    box_up: z.array(z.number()),
    rho: z.number().positive(),
    kappa: z.number().min(0).lt(1),
    hole_size_relative: z.number().min(0).lt(1),
    sub_boxes: z.array(boxJson).optional(),
  }),
});

export type ModelJson = z.infer<typeof modelJsonSchema> & Record<string, unknown>;

function toMlp(layers: readonly { weight: number[][]; bias: number[] }[], slope: number, where: string): Mlp {
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
  return { layers: out, slope };
}

/** Sub-boxes covering B \ H for a 2-D box, in the order of the published specs. */
export function holeSubBoxes(lo: readonly number[], up: readonly number[], holeRelative: number): Box[] {
  if (lo.length !== 2)
    throw new RangeError(
      `automatic hole splitting supports 2-D boxes; give spec.sub_boxes for ${lo.length}-D`,
    );
  if (holeRelative === 0) return [{ lo: [...lo], up: [...up] }];
  const h0 = holeRelative * up[0]!;
  const h1 = holeRelative * up[1]!;
  return [
    { lo: [h0, lo[1]!], up: [up[0]!, up[1]!] },
    { lo: [lo[0]!, lo[1]!], up: [-h0, up[1]!] },
    { lo: [-h0, h1], up: [h0, up[1]!] },
    { lo: [-h0, lo[1]!], up: [h0, -h1] },
  ];
}

/** Parses and checks a model JSON object; errors name the offending field. */
export function parseModel(raw: unknown, origin = 'model'): LyapunovModel {
  const parsed = modelJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`${origin}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const json = raw as ModelJson;
  const n = json.state_dim;
  if (json.x_star.some((v) => v !== 0))
    throw new RangeError(`${origin}: x_star must be the origin (shift the state first)`);
  const controller = toMlp(json.controller.layers, json.controller.negative_slope, `${origin}: controller`);
  const phi = toMlp(json.lyapunov.phi.layers, json.lyapunov.phi.negative_slope, `${origin}: lyapunov.phi`);
  for (const [name, mlp, outSize] of [
    ['controller', controller, 1],
    ['lyapunov.phi', phi, 1],
  ] as const) {
    if (mlp.layers[0]!.inSize !== n)
      throw new RangeError(
        `${origin}: ${name} takes ${mlp.layers[0]!.inSize} inputs, expected state_dim ${n}`,
      );
    if (mlp.layers.at(-1)!.outSize !== outSize)
      throw new RangeError(
        `${origin}: ${name} has ${mlp.layers.at(-1)!.outSize} outputs, expected ${outSize}`,
      );
  }
  const rRows = json.lyapunov.R.length;
  const r = new Float64Array(rRows * n);
  json.lyapunov.R.forEach((row, i) => {
    if (row.length !== n)
      throw new RangeError(`${origin}: lyapunov.R[${i}] has ${row.length} columns, expected ${n}`);
    r.set(row, i * n);
  });
  const { box_lo: boxLo, box_up: boxUp } = json.spec;
  if (boxLo.length !== n || boxUp.length !== n)
    throw new RangeError(`${origin}: spec box must have ${n} entries`);
  if (boxLo.some((l, i) => !(l < boxUp[i]!)))
    throw new RangeError(`${origin}: spec.box_lo must be below spec.box_up`);
  const subBoxes = json.spec.sub_boxes ?? holeSubBoxes(boxLo, boxUp, json.spec.hole_size_relative);
  const { integration: _integration, ...dynamics } = json.dynamics;
  return {
    name: json.name,
    stateDim: n,
    controller: {
      net: controller,
      uLo: json.controller.u_lo[0]!,
      uUp: json.controller.u_up[0]!,
      uStar: json.controller.u_star[0]!,
    },
    lyapunov: { phi, r, rRows, eps: json.lyapunov.eps },
    dynamics: dynamics as DynamicsParams,
    spec: {
      boxLo,
      boxUp,
      rho: json.spec.rho,
      kappa: json.spec.kappa,
      holeSizeRelative: json.spec.hole_size_relative,
      subBoxes,
    },
    source: json,
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

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

export function sha256(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('hex');
}

/** Hashes of the parts a certificate depends on. */
export function modelHashes(model: LyapunovModel): {
  controller: string;
  lyapunov: string;
  dynamics: string;
} {
  const s = model.source;
  return {
    controller: sha256({
      layers: s.controller.layers,
      slope: s.controller.negative_slope,
      u_lo: s.controller.u_lo,
      u_up: s.controller.u_up,
      u_star: s.controller.u_star,
    }),
    lyapunov: sha256({
      phi: s.lyapunov.phi.layers,
      slope: s.lyapunov.phi.negative_slope,
      R: s.lyapunov.R,
      eps: s.lyapunov.eps,
    }),
    dynamics: sha256(s.dynamics),
  };
}
