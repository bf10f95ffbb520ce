import { z } from 'zod';
import { policyControllerPlugin, policyOptions } from '../../controllers/policies/policy-controller.ts';
import type { ControllerPlugin } from '../../src/config/plugin.ts';
import type { Controller, ControllerContext } from '../../src/core/controller.ts';

/**
 * The real ONNX policy controller, made to throw from `faultAt` seconds of loop time on: a backend
 * that dies mid-run. Registered next to the shipped plugins (plugins are injected, so a test adds
 * one without touching the composition root).
 */
class FaultAfter implements Controller {
  readonly name: string;
  faults = 0;
  constructor(
    private readonly inner: Controller,
    private readonly faultAt: number,
  ) {
    this.name = `${inner.name} (faults at ${faultAt} s)`;
  }
  configure(context: ControllerContext) {
    return this.inner.configure(context);
  }
  reset(observation: Float64Array): void {
    this.inner.reset?.(observation);
  }
  update(observation: Float64Array, time: number, action: Float64Array) {
    if (time >= this.faultAt) {
      this.faults++;
      throw new Error('injected inference failure');
    }
    return this.inner.update(observation, time, action);
  }
  dispose() {
    return this.inner.dispose?.();
  }
}

const faultyPolicyOptions = policyOptions.extend({ faultAt: z.number().min(0) });

export const faultyPolicyPlugin: ControllerPlugin<z.output<typeof faultyPolicyOptions>> = {
  kind: 'faulty-policy',
  description: 'test only: the policy controller, throwing from `faultAt` seconds on',
  schema: faultyPolicyOptions,
  async create({ faultAt, ...options }, context) {
    return new FaultAfter(await policyControllerPlugin.create(options, context), faultAt);
  },
};
