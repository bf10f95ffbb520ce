import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One of our own MJCF models, with what a user needs to pick it. */
export interface ModelEntry {
  readonly name: string;
  readonly description: string;
  /** Path relative to this directory. */
  readonly file: string;
  /** Control rate the environment and the sim robot use unless told otherwise. */
  readonly defaultRateHz: number;
}

export const models: readonly ModelEntry[] = [
  {
    name: 'pendulum',
    description: 'torque-driven inverted pendulum (1 DoF)',
    file: 'pendulum.xml',
    defaultRateHz: 100,
  },
  {
    name: 'cartpole',
    description: 'cart on a rail with a free pole (2 DoF, 1 actuator)',
    file: 'cartpole.xml',
    defaultRateHz: 50,
  },
  {
    name: 'hopper',
    description: 'planar one-legged hopper (6 DoF, 3 actuators)',
    file: 'hopper.xml',
    defaultRateHz: 125,
  },
  {
    name: 'quadruped',
    description: '12-DoF torque-controlled quadruped on a floor',
    file: 'quadruped.xml',
    defaultRateHz: 100,
  },
  {
    name: 'arm',
    description: '7-DoF arm with the Franka Panda kinematics and limits',
    file: 'arm.xml',
    defaultRateHz: 500,
  },
];

export const modelNames: readonly string[] = models.map((m) => m.name);

export class UnknownModelError extends RangeError {
  constructor(readonly requested: string) {
    super(`unknown model '${requested}' (known models: ${modelNames.join(', ')})`);
    this.name = 'UnknownModelError';
  }
}

export function modelEntry(name: string): ModelEntry {
  const entry = models.find((m) => m.name === name);
  if (!entry) throw new UnknownModelError(name);
  return entry;
}

/** Absolute path of a model's MJCF file. */
export function modelPath(name: string): string {
  return fileURLToPath(new URL(modelEntry(name).file, import.meta.url));
}

export function readModelXml(name: string): { xml: string; source: string } {
  const entry = modelEntry(name);
  return { xml: readFileSync(modelPath(name), 'utf8'), source: `sim/models/${entry.file}` };
}
