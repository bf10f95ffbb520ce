// Compiled from app/plugins.ts by `npm run build`: edit the source, not this file.

// app/plugins.ts
import { constantControllerPlugin } from "../controllers/basic/constant.js";
import { armReachPlugin } from "../controllers/classical/arm-reach.js";
import { cartesianReachPlugin } from "../controllers/classical/cartesian-reach.js";
import { cartpoleSwingUpPlugin } from "../controllers/classical/cartpole-swingup.js";
import { jointReachPlugin } from "../controllers/classical/joint-reach.js";
import { lqrControllerPlugin } from "../controllers/classical/lqr.js";
import { pdStandPlugin } from "../controllers/classical/pd-stand.js";
import { certifiedGuardPlugin } from "../controllers/hybrid/certified-switch-guard.js";
import { hybridSupervisorPlugin } from "../controllers/hybrid/supervisor.js";
import { dampingPlugin, passivePlugin, standUpPlugin } from "../controllers/legged/motor-modes.js";
import { trotPlugin } from "../controllers/legged/trot.js";
import { policyControllerPlugin } from "../controllers/policies/policy-controller.js";
import { mqttRobotPlugin, serialRobotPlugin } from "../hardware/link/plugins.js";
import { loadRigConfig } from "../hardware/rig/config.js";
import { mujocoGapPlugin } from "../sim/gaps/pair.js";
import { createRigPairPlugin } from "../sim/gaps/rig-pair.js";
import { mujocoTaskPlugin } from "../sim/gaps/task-pair.js";
import { hybridSimRobotPlugin } from "../sim/hybrid/robot.js";
import { riverCrossingPlugin } from "../sim/river/pair.js";
import { simRobotPlugin } from "../sim/sim-robot.js";
var robotPlugins = [
  simRobotPlugin,
  hybridSimRobotPlugin,
  serialRobotPlugin,
  mqttRobotPlugin
];
var controllerPlugins = [
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
  cartesianReachPlugin
];
var guardPlugins = [certifiedGuardPlugin];
var environmentPlugins = [
  riverCrossingPlugin,
  mujocoGapPlugin,
  // The rig stand-in reads rig configs with the rig's own loader (located errors).
  createRigPairPlugin(loadRigConfig),
  mujocoTaskPlugin
];
var plugins = {
  robots: robotPlugins,
  controllers: controllerPlugins,
  guards: guardPlugins,
  environments: environmentPlugins
};
export {
  controllerPlugins,
  environmentPlugins,
  guardPlugins,
  plugins,
  robotPlugins
};
