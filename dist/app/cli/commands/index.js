// Compiled from app/cli/commands/index.ts by `npm run build`: edit the source, not this file.

// app/cli/commands/index.ts
var commands = [
  {
    name: "run",
    description: "run a controller against a robot (simulated or real) as described by a YAML config",
    load: () => import("./run.js")
  },
  {
    name: "operator",
    description: "send one operator command to a running `tether run` over MQTT (its config's operator.mqtt), sealed with the link key",
    load: () => import("./operator.js")
  },
  {
    name: "demo",
    description: "run the bundled ONNX policy against the emulated cartpole rig over an embedded MQTT broker",
    load: () => import("./demo.js")
  },
  { name: "sim", description: "MuJoCo models and environments", load: () => import("./sim.js") },
  {
    name: "rig",
    description: "start the emulated rig: a MuJoCo robot behind the wire protocol, on a socat pty or MQTT",
    load: () => import("./rig.js")
  },
  { name: "policy", description: "inspect and benchmark ONNX policies", load: () => import("./policy.js") },
  {
    name: "train",
    description: "train a policy (sac, td3bc, iql, naive-mix, h2o) from a training config; one process per seed",
    load: () => import("./train.js")
  },
  {
    name: "dataset",
    description: "turn run logs into training datasets; export and import LeRobot datasets",
    load: () => import("./dataset.js")
  },
  {
    name: "finetune",
    description: "fine-tune a deployed policy on real datasets with the simulator online (the config's algorithm: h2o, naive-mix, td3bc, iql)",
    load: () => import("./finetune.js")
  },
  {
    name: "loop",
    description: "the closed sim-to-real loop: rounds of deploy → log → fine-tune → gate → swap on a running robot (docs/closed-loop.md)",
    load: () => import("./loop.js")
  },
  {
    name: "learner",
    description: "the learner of a fleet: takes every rig's episodes from the broker, fine-tunes, publishes candidates (docs/closed-loop.md)",
    load: () => import("./learner.js")
  },
  {
    name: "eval",
    description: "run an ONNX policy deterministically on an environment and report its return",
    load: () => import("./eval.js")
  },
  {
    name: "verify",
    description: "certify the region of attraction of a Lyapunov-certified controller (sound branch-and-bound)",
    load: () => import("./verify.js")
  },
  {
    name: "log",
    description: "inspect MCAP logs written by `tether run --log`",
    load: () => import("./log.js")
  },
  {
    name: "config",
    description: "check run, loop, training and rig configs and export their JSON Schema",
    load: () => import("./config.js")
  }
];
export {
  commands
};
