// Compiled from src/live/channels.ts by `npm run build`: edit the source, not this file.

// src/live/channels.ts
import {
  eventSchema,
  modeSchema,
  safetySchema,
  Topic,
  timingSchema,
  vectorLayout,
  vectorSchema
} from "../logging/layout.js";
var statusTopic = "/tether/status";
function definition(topic, schema) {
  return {
    topic,
    encoding: "json",
    schemaName: schema.title,
    schema: JSON.stringify(schema),
    schemaEncoding: "jsonschema"
  };
}
var tickChannelCount = 6;
function tickChannels(robot) {
  const observation = vectorLayout(robot.observation);
  const action = vectorLayout(robot.action);
  return [
    definition(
      Topic.observation,
      vectorSchema("tether.Observation", `Observation of ${robot.name}`, robot.observation, observation)
    ),
    definition(
      Topic.action,
      vectorSchema("tether.Action", "Action proposed by the controller", robot.action, action)
    ),
    definition(
      Topic.command,
      vectorSchema(
        "tether.Command",
        "Command sent to the robot after the safety layer",
        robot.action,
        action
      )
    ),
    definition(Topic.timing, timingSchema),
    definition(Topic.mode, modeSchema),
    definition(Topic.safety, safetySchema)
  ];
}
var eventChannel = definition(Topic.events, eventSchema);
var text = (description) => ({ type: "string", description });
var number = (description) => ({ type: "number", description });
var statusSchema = {
  title: "tether.Status",
  description: "The state of the run, a few times a second and on every change of control or latch",
  type: "object",
  properties: {
    time: number("Loop time [s]"),
    tick: { type: "integer", description: "Last tick index" },
    run: text("Run name"),
    robot: text("Robot name"),
    robot_state: text("Robot lifecycle state (running, fault, ...)"),
    rate_hz: number("Nominal control rate [Hz]"),
    controller: text("Active controller"),
    controllers: text("Every controller of the run, comma-separated"),
    pending_switch: text("Controller a switch is pending to, empty when none"),
    latched: { type: "boolean", description: "The safety layer holds its latched safe state" },
    latch_reason: text("Why it latched, empty when clear"),
    missed_deadlines: { type: "integer", description: "Deadlines missed so far" },
    operator: { type: "boolean", description: "Operator commands are accepted (with the token)" },
    policy: {
      type: "object",
      description: "Learned policies by controller name: model file, SHA-256, version",
      properties: {}
    },
    certificate: {
      type: "object",
      description: "Certified switching: the guard configured and the last certificate decision",
      properties: {
        guard: text("Switch guard kind, 'none' when switches are not guarded"),
        last: text("Last certificate event, empty when none yet"),
        last_time: number("Loop time of the last certificate event [s]"),
        events: { type: "integer", description: "Certificate events so far" }
      }
    },
    logger: {
      type: "object",
      description: "The run's MCAP logger: what it dropped so far (the writer fell behind)",
      properties: {
        logging: { type: "boolean", description: "The run writes an MCAP log" },
        dropped_ticks: { type: "integer", description: "Ticks the logger dropped so far" },
        dropped_events: { type: "integer", description: "Events the logger could not log so far" }
      }
    },
    live: {
      type: "object",
      description: "The live stream itself",
      properties: {
        streamed_ticks: { type: "integer", description: "Ticks sent to subscribers" },
        dropped_ticks: { type: "integer", description: "Ticks dropped because the publisher fell behind" },
        dropped_events: { type: "integer", description: "Events dropped from a full queue" },
        publish_ms_mean: number("Mean publish step [ms] (on the live view's own thread)"),
        publish_ms_max: number("Longest publish step so far [ms]")
      }
    }
  }
};
var statusChannel = definition(statusTopic, statusSchema);
export {
  eventChannel,
  statusChannel,
  statusSchema,
  statusTopic,
  tickChannelCount,
  tickChannels
};
