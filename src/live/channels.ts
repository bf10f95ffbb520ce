/**
 * The live channels: the MCAP log's tick topics, schemas and JSON messages (src/logging/layout.ts),
 * so a Foxglove layout made on a log works on the live stream and back, plus `/tether/status`, which
 * only the live stream has (who is in control, the latch, policy versions, certificate state).
 */
import type { RobotInfo } from '../core/robot.ts';
import {
  eventSchema,
  modeSchema,
  safetySchema,
  Topic,
  timingSchema,
  vectorLayout,
  vectorSchema,
} from '../logging/layout.ts';

export const statusTopic = '/tether/status';

export interface ChannelDefinition {
  readonly topic: string;
  readonly encoding: 'json';
  readonly schemaName: string;
  readonly schema: string;
  readonly schemaEncoding: 'jsonschema';
}

function definition(topic: string, schema: { title: string }): ChannelDefinition {
  return {
    topic,
    encoding: 'json',
    schemaName: schema.title,
    schema: JSON.stringify(schema),
    schemaEncoding: 'jsonschema',
  };
}

/** The six per-tick channels, in the log's order. */
export const tickChannelCount = 6;

export function tickChannels(robot: RobotInfo): ChannelDefinition[] {
  const observation = vectorLayout(robot.observation);
  const action = vectorLayout(robot.action);
  return [
    definition(
      Topic.observation,
      vectorSchema('tether.Observation', `Observation of ${robot.name}`, robot.observation, observation),
    ),
    definition(
      Topic.action,
      vectorSchema('tether.Action', 'Action proposed by the controller', robot.action, action),
    ),
    definition(
      Topic.command,
      vectorSchema(
        'tether.Command',
        'Command sent to the robot after the safety layer',
        robot.action,
        action,
      ),
    ),
    definition(Topic.timing, timingSchema),
    definition(Topic.mode, modeSchema),
    definition(Topic.safety, safetySchema),
  ];
}

export const eventChannel: ChannelDefinition = definition(Topic.events, eventSchema);

const text = (description: string) => ({ type: 'string', description });
const number = (description: string) => ({ type: 'number', description });

export const statusSchema = {
  title: 'tether.Status',
  description: 'The state of the run, a few times a second and on every change of control or latch',
  type: 'object',
  properties: {
    time: number('Loop time [s]'),
    tick: { type: 'integer', description: 'Last tick index' },
    run: text('Run name'),
    robot: text('Robot name'),
    robot_state: text('Robot lifecycle state (running, fault, ...)'),
    rate_hz: number('Nominal control rate [Hz]'),
    controller: text('Active controller'),
    controllers: text('Every controller of the run, comma-separated'),
    pending_switch: text('Controller a switch is pending to, empty when none'),
    latched: { type: 'boolean', description: 'The safety layer holds its latched safe state' },
    latch_reason: text('Why it latched, empty when clear'),
    missed_deadlines: { type: 'integer', description: 'Deadlines missed so far' },
    operator: { type: 'boolean', description: 'Operator commands are accepted (with the token)' },
    policy: {
      type: 'object',
      description: 'Learned policies by controller name: model file, SHA-256, version',
      properties: {},
    },
    certificate: {
      type: 'object',
      description: 'Certified switching: the guard configured and the last certificate decision',
      properties: {
        guard: text("Switch guard kind, 'none' when switches are not guarded"),
        last: text('Last certificate event, empty when none yet'),
        last_time: number('Loop time of the last certificate event [s]'),
        events: { type: 'integer', description: 'Certificate events so far' },
      },
    },
    logger: {
      type: 'object',
      description: "The run's MCAP logger: what it dropped so far (the writer fell behind)",
      properties: {
        logging: { type: 'boolean', description: 'The run writes an MCAP log' },
        dropped_ticks: { type: 'integer', description: 'Ticks the logger dropped so far' },
        dropped_events: { type: 'integer', description: 'Events the logger could not log so far' },
      },
    },
    live: {
      type: 'object',
      description: 'The live stream itself',
      properties: {
        streamed_ticks: { type: 'integer', description: 'Ticks sent to subscribers' },
        dropped_ticks: { type: 'integer', description: 'Ticks dropped because the publisher fell behind' },
        dropped_events: { type: 'integer', description: 'Events dropped from a full queue' },
        publish_ms_mean: number("Mean publish step [ms] (on the live view's own thread)"),
        publish_ms_max: number('Longest publish step so far [ms]'),
      },
    },
  },
};

export const statusChannel: ChannelDefinition = definition(statusTopic, statusSchema);
