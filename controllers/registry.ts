import type { ControllerPlugin } from '../src/config/plugin.ts';
import { constantControllerPlugin } from './basic/constant.ts';
import { armReachPlugin } from './classical/arm-reach.ts';
import { cartpoleSwingUpPlugin } from './classical/cartpole-swingup.ts';
import { lqrControllerPlugin } from './classical/lqr.ts';
import { pdStandPlugin } from './classical/pd-stand.ts';
import { hybridSupervisorPlugin } from './hybrid/supervisor.ts';
import { policyControllerPlugin } from './policies/policy-controller.ts';

/** Every controller kind a config can name (`controller.kind`). Add new controllers here. */
export const controllerPlugins: readonly ControllerPlugin[] = [
  constantControllerPlugin,
  policyControllerPlugin,
  lqrControllerPlugin,
  hybridSupervisorPlugin,
  cartpoleSwingUpPlugin,
  pdStandPlugin,
  armReachPlugin,
];
