import { mqttRobotPlugin, serialRobotPlugin } from '../../hardware/link/plugins.ts';
import { hybridSimRobotPlugin } from '../../sim/hybrid/robot.ts';
import { simRobotPlugin } from '../../sim/sim-robot.ts';
import type { RobotPlugin } from '../config/plugin.ts';

/** Every robot kind a config can name (`robot.kind`). Add new transports here. */
export const robotPlugins: readonly RobotPlugin[] = [
  simRobotPlugin,
  hybridSimRobotPlugin,
  serialRobotPlugin,
  mqttRobotPlugin,
];
