import { constantControllerPlugin } from '../controllers/basic/constant.ts';
import { armReachPlugin } from '../controllers/classical/arm-reach.ts';
import { cartesianReachPlugin } from '../controllers/classical/cartesian-reach.ts';
import { cartpoleSwingUpPlugin } from '../controllers/classical/cartpole-swingup.ts';
import { jointReachPlugin } from '../controllers/classical/joint-reach.ts';
import { lqrControllerPlugin } from '../controllers/classical/lqr.ts';
import { pdStandPlugin } from '../controllers/classical/pd-stand.ts';
import { certifiedGuardPlugin } from '../controllers/hybrid/certified-switch-guard.ts';
import { hybridSupervisorPlugin } from '../controllers/hybrid/supervisor.ts';
import { dampingPlugin, passivePlugin, standUpPlugin } from '../controllers/legged/motor-modes.ts';
import { trotPlugin } from '../controllers/legged/trot.ts';
import { policyControllerPlugin } from '../controllers/policies/policy-controller.ts';
import { mqttRobotPlugin, serialRobotPlugin } from '../hardware/link/plugins.ts';
import { loadRigConfig } from '../hardware/rig/config.ts';
import { mujocoGapPlugin } from '../sim/gaps/pair.ts';
import { createRigPairPlugin } from '../sim/gaps/rig-pair.ts';
import { mujocoTaskPlugin } from '../sim/gaps/task-pair.ts';
import { hybridSimRobotPlugin } from '../sim/hybrid/robot.ts';
import { riverCrossingPlugin } from '../sim/river/pair.ts';
import { simRobotPlugin } from '../sim/sim-robot.ts';
import type {
  ControllerPlugin,
  EnvironmentPlugin,
  GuardPlugin,
  PluginSet,
  RobotPlugin,
} from '../src/config/plugin.ts';

/**
 * The composition root: the only module that knows every plugin. The runtime library never imports
 * a plugin; the CLI passes this set into the config loader, which resolves `kind:` against it.
 * Add a new robot transport or controller here and nowhere else.
 */

/** Every robot kind a config can name (`robot.kind`). */
export const robotPlugins: readonly RobotPlugin[] = [
  simRobotPlugin,
  hybridSimRobotPlugin,
  serialRobotPlugin,
  mqttRobotPlugin,
];

/** Every controller kind a config can name (`controllers.<name>.kind`). */
export const controllerPlugins: readonly ControllerPlugin[] = [
  constantControllerPlugin,
  policyControllerPlugin,
  lqrControllerPlugin,
  hybridSupervisorPlugin,
  cartpoleSwingUpPlugin,
  pdStandPlugin,
  armReachPlugin,
  passivePlugin,
  standUpPlugin,
  dampingPlugin,
  trotPlugin,
  jointReachPlugin,
  cartesianReachPlugin,
];

/** Switch guards a config can name (`switching.guard.kind`). */
export const guardPlugins: readonly GuardPlugin[] = [certifiedGuardPlugin];

/** Every environment a train config (`environment.kind`) or a run config (`task.kind`) can name. */
export const environmentPlugins: readonly EnvironmentPlugin[] = [
  riverCrossingPlugin,
  mujocoGapPlugin,
  // The rig stand-in reads rig configs with the rig's own loader (located errors).
  createRigPairPlugin(loadRigConfig),
  mujocoTaskPlugin,
];

export const plugins: PluginSet = {
  robots: robotPlugins,
  controllers: controllerPlugins,
  guards: guardPlugins,
  environments: environmentPlugins,
};
