import { describe, expect, it } from 'vitest';
import { Mlp } from '../../src/lyapunov/mlp.ts';
import { defaultPendulumClfConfig, PendulumClfTrainer } from '../../src/lyapunov/pendulum-clf.ts';
import { mulberry32 } from '../../src/verification/falsify.ts';
import { ForwardModel } from '../../src/verification/forward.ts';
import { parseModel } from '../../src/verification/model.ts';

describe('MLP backpropagation', () => {
  it('matches finite differences for parameters and inputs', () => {
    const net = new Mlp([2, 5, 4, 1], 0.01, mulberry32(3));
    const x = Float64Array.of(0.3, -0.7, 1.1, 0.4);
    const loss = () => {
      const y = net.forward(x, 2);
      return 0.5 * y[0]! ** 2 + 2 * y[1]!;
    };
    const y = net.forward(x, 2);
    const dIn = new Float64Array(4);
    net.grads.fill(0);
    net.backward(Float64Array.of(y[0]!, 2), 2, dIn);
    const h = 1e-6;
    for (const i of [0, 3, 7, net.params.length - 1]) {
      const keep = net.params[i]!;
      net.params[i] = keep + h;
      const up = loss();
      net.params[i] = keep - h;
      const down = loss();
      net.params[i] = keep;
      expect(net.grads[i]).toBeCloseTo((up - down) / (2 * h), 5);
    }
    for (let j = 0; j < 4; j++) {
      const keep = x[j]!;
      x[j] = keep + h;
      const up = loss();
      x[j] = keep - h;
      const down = loss();
      x[j] = keep;
      expect(dIn[j]).toBeCloseTo((up - down) / (2 * h), 5);
    }
  });
});

describe('pendulum controller + Lyapunov training', () => {
  it('writes the LQR gain exactly into the ReLU controller at initialisation', () => {
    const trainer = new PendulumClfTrainer({ ...defaultPendulumClfConfig, seed: 4 });
    const { gain } = trainer.lqr();
    const model = parseModel(trainer.toModel('init', 1));
    const f = new ForwardModel(model);
    // Near x* the network is the linear gain (plus a small correction from the other units).
    const x = [0.01, -0.02];
    const linear = -(gain[0] * x[0]! + gain[1] * x[1]!);
    expect(Math.abs(f.control(x) - linear)).toBeLessThan(0.2 * Math.abs(linear));
    expect(gain[0]).toBeGreaterThan(0);
  });

  it('reduces the decrease violations on a fixed batch', () => {
    const trainer = new PendulumClfTrainer({ ...defaultPendulumClfConfig, seed: 1 });
    const rand = mulberry32(9);
    const batch = 128;
    const states = Float64Array.from({ length: batch * 2 }, () => (2 * rand() - 1) * 0.5);
    const first = trainer.step(states, batch);
    let last = first;
    for (let i = 0; i < 300; i++) last = trainer.step(states, batch);
    expect(first.violations).toBeGreaterThan(0);
    expect(last.violations).toBeLessThan(first.violations);
  });
});
