// Compiled from controllers/policies/examples/isaac-cartpole/make.ts by `npm run build`: edit the source, not this file.
const __sourceUrl = new URL("../../../../../controllers/policies/examples/isaac-cartpole/make.ts", import.meta.url).href;

// controllers/policies/examples/isaac-cartpole/make.ts
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stringify } from "yaml";
import { createEnv } from "../../../../sim/envs/index.js";
import { EventBuffer } from "../../../../src/core/events.js";
import { mlpToOnnx } from "../../../../src/inference/onnx/build.js";
import { LqrController } from "../../../classical/lqr.js";
var deployConfig = {
  joint_names: ["hinge", "slider"],
  default_joint_pos: [0, 0.5],
  step_dt: 0.02,
  actions: { JointEffortAction: { scale: 20, clip: [-1, 1], joint_names: ["slider"] } },
  observations: {
    joint_pos_rel: { scale: 1, clip: null, history_length: 1 },
    joint_vel_rel: { scale: 0.5, clip: null, history_length: 1 },
    last_action: { scale: 1, clip: null, history_length: 1 }
  }
};
var binding = {
  observations: { joint_pos_rel: ["pole.angle", "cart.pos"], joint_vel_rel: ["pole.angvel", "cart.vel"] },
  actions: ["cart.force"],
  mode: "torque"
};
async function isaacStyleCartpoleOnnx() {
  const dt = deployConfig.step_dt;
  const env = await createEnv("cartpole", { controlDt: dt });
  const lqr = new LqrController({ model: "cartpole" });
  try {
    await lqr.configure({ observation: env.observation, action: env.action, dt, events: new EventBuffer() });
  } finally {
    env.dispose();
  }
  const [kPos, kAngle, kVel, kAngvel] = Array.from(lqr.gain);
  const velScale = deployConfig.observations.joint_vel_rel.scale;
  const forceScale = deployConfig.actions.JointEffortAction.scale;
  const w = [-kAngle, -kPos, -kAngvel / velScale, -kVel / velScale, 0].map((v) => v / forceScale);
  return mlpToOnnx(
    {
      layers: [
        {
          inSize: 5,
          outSize: 2,
          activation: "elu",
          weight: Float32Array.from([...w, ...w.map((v) => -v)]),
          bias: Float32Array.of(10, 10)
        },
        {
          inSize: 2,
          outSize: 1,
          activation: "identity",
          weight: Float32Array.of(0.5, -0.5),
          bias: Float32Array.of(0)
        }
      ]
    },
    { graphName: "isaac_style_cartpole", docString: "LQR for the MuJoCo cartpole in Isaac Lab conventions" }
  );
}
async function writeIsaacStyleCartpole(dir) {
  await writeFile(path.join(dir, "policy.onnx"), await isaacStyleCartpoleOnnx());
  await writeFile(path.join(dir, "deploy.yaml"), stringify(deployConfig));
  await writeFile(
    path.join(dir, "policy.yaml"),
    stringify({ format: "isaaclab-deploy/1", deploy: "deploy.yaml", model: "policy.onnx", bind: binding })
  );
}
if (process.argv[1] === fileURLToPath(__sourceUrl)) {
  await writeIsaacStyleCartpole(fileURLToPath(new URL(".", __sourceUrl)));
}
export {
  binding,
  deployConfig,
  isaacStyleCartpoleOnnx,
  writeIsaacStyleCartpole
};
