// Compiled from src/verification/forward.ts by `npm run build`: edit the source, not this file.

// src/verification/forward.ts
function maxWidth(mlp) {
  return Math.max(...mlp.layers.map((l) => Math.max(l.inSize, l.outSize)));
}
function evalMlp(mlp, x, a, b) {
  let input = x;
  let out = a;
  const last = mlp.layers.length - 1;
  for (let k = 0; k <= last; k++) {
    const tanh = k < last && mlp.activations[k] === "tanh";
    const layer = mlp.layers[k];
    const { inSize, outSize, weight, bias } = layer;
    for (let i = 0; i < outSize; i++) {
      let s = bias[i];
      const row = i * inSize;
      for (let j = 0; j < inSize; j++) s += weight[row + j] * input[j];
      out[i] = k === last ? s : tanh ? Math.tanh(s) : s < 0 ? s * mlp.slope : s;
    }
    input = out;
    out = out === a ? b : a;
  }
  return input[0];
}
function uncertaintyLayout(model) {
  const find = (pred) => {
    for (let k = 0; k < model.uncertainty.length; k++) if (pred(k)) return k;
    return -1;
  };
  const u = model.uncertainty;
  const param = (name) => find((k) => u[k].kind === "parameter" && u[k].name === name);
  return {
    poleMassScale: param("pole_mass_scale"),
    cartMassScale: param("cart_mass_scale"),
    dampingScale: param("damping_scale"),
    forceGainScale: param("force_gain_scale"),
    force: find((k) => u[k].kind === "disturbance"),
    delayedCommand: find((k) => u[k].kind === "delayed-command"),
    delaySteps: u.reduce((m, d) => d.kind === "delayed-command" ? d.steps : m, 0),
    delayedRelative: u.some((d) => d.kind === "delayed-command" && d.relative !== void 0),
    estimate: Array.from(
      { length: model.stateDim },
      (_, i) => find((k) => {
        const d = u[k];
        return d.kind === "estimate" && d.index === i;
      })
    )
  };
}
var noUncertainty = {
  poleMassScale: -1,
  cartMassScale: -1,
  dampingScale: -1,
  forceGainScale: -1,
  force: -1,
  delayedCommand: -1,
  delaySteps: 0,
  delayedRelative: false,
  estimate: []
};
function cartpoleStep(p, layout = noUncertainty) {
  const h = p.dt / p.substeps;
  return (x, u, out, w) => {
    const sPole = w && layout.poleMassScale >= 0 ? w[layout.poleMassScale] : 1;
    const sCart = w && layout.cartMassScale >= 0 ? w[layout.cartMassScale] : 1;
    const sDamp = w && layout.dampingScale >= 0 ? w[layout.dampingScale] : 1;
    const sGain = w && layout.forceGainScale >= 0 ? w[layout.forceGainScale] : 1;
    const d = w && layout.force >= 0 ? w[layout.force] : 0;
    const m = p.poleMass * sPole;
    const ic = p.poleInertia * sPole;
    const mc = p.cartMass * sCart;
    const bx = p.sliderDamping * sDamp;
    const bt = p.hingeDamping * sDamp;
    const lc = p.poleCom;
    const force = p.forceGain * sGain * u + d;
    const offset = w && layout.delayedCommand >= 0 ? w[layout.delayedCommand] : void 0;
    const delayed = offset !== void 0 && layout.delayedRelative ? u + offset : offset;
    const early = delayed !== void 0 ? p.forceGain * sGain * delayed + d : force;
    const earlySteps = delayed !== void 0 ? layout.delaySteps : 0;
    const j = ic + m * lc * lc;
    let q0 = x[0];
    let q1 = x[1];
    let v0 = x[2];
    let v1 = x[3];
    for (let k = 0; k < p.substeps; k++) {
      const s = Math.sin(q1);
      const c = Math.cos(q1);
      const a11 = mc + m + h * bx;
      const a12 = m * lc * c;
      const a22 = j + h * bt;
      const f1 = (k < earlySteps ? early : force) - bx * v0 + m * lc * s * v1 * v1;
      const f2 = m * p.gravity * lc * s - bt * v1;
      const det = a11 * a22 - a12 * a12;
      const acc0 = (a22 * f1 - a12 * f2) / det;
      const acc1 = (a11 * f2 - a12 * f1) / det;
      v0 += h * acc0;
      v1 += h * acc1;
      q0 += h * v0;
      q1 += h * v1;
    }
    out[0] = q0;
    out[1] = q1;
    out[2] = v0;
    out[3] = v1;
  };
}
function stepFunction(params, layout) {
  if (params.system === "cartpole") return cartpoleStep(params, layout);
  if (params.system === "pendulum") {
    const { m, l, beta, g, dt: dt2 } = params;
    const ml2 = m * l * l;
    return (x, u, out) => {
      const theta = x[0];
      const omega = x[1];
      const acc = -(beta / ml2) * omega + g / l * Math.sin(theta) + u / ml2;
      out[0] = theta + dt2 * omega;
      out[1] = omega + dt2 * acc;
    };
  }
  const { speed, length, radius, dt } = params;
  return (x, u, out) => {
    const d = x[0];
    const th = x[1];
    out[0] = d + dt * speed * Math.sin(th);
    out[1] = th + dt * (speed * u / length - Math.cos(th) / (radius / speed - Math.sin(th)));
  };
}
var ForwardModel = class {
  constructor(model) {
    this.model = model;
    const n = model.stateDim;
    this.n = n;
    const lyap = model.lyapunov;
    const width = Math.max(
      maxWidth(model.controller.net),
      lyap.kind === "neural" ? maxWidth(lyap.phi) : 1,
      n
    );
    this.a = new Float64Array(width);
    this.b = new Float64Array(width);
    this.zero = new Float64Array(n);
    this.next = new Float64Array(n);
    this.seen = new Float64Array(n);
    this.netAtZero = evalMlp(model.controller.net, this.zero, this.a, this.b);
    this.phiAtZero = lyap.kind === "neural" ? evalMlp(lyap.phi, this.zero, this.a, this.b) : 0;
    this.m = lyap.kind === "neural" ? lyapunovMatrix(model) : new Float64Array(0);
    this.layout = uncertaintyLayout(model);
    this.step = stepFunction(model.dynamics, this.layout);
    this.uncertain = Float64Array.from(
      model.uncertainty,
      (u) => u.kind === "parameter" ? u.lo <= 1 && 1 <= u.up ? 1 : 0.5 * (u.lo + u.up) : 0
    );
    this.point = new Float64Array(model.uncertainty.length);
  }
  model;
  n;
  a;
  b;
  zero;
  next;
  seen;
  netAtZero;
  phiAtZero;
  m;
  step;
  layout;
  /** Values of the uncertainty dimensions used by `decrease`, `boxExcess` and `stepClosedLoop`. */
  uncertain;
  /** Scratch: the uncertainty part of a full verification point. */
  point;
  /** The controller's command for what it sees (no estimate error added). */
  control(x) {
    const c = this.model.controller;
    const v = evalMlp(c.net, x, this.a, this.b) - this.netAtZero + c.uStar;
    return Math.min(c.uUp, Math.max(c.uLo, v));
  }
  value(x) {
    const n = this.n;
    const lyap = this.model.lyapunov;
    if (lyap.kind === "quadratic") {
      let v2 = 0;
      for (let r = 0; r < lyap.lRows; r++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += lyap.l[r * n + j] * x[j];
        v2 += s * s;
      }
      return v2;
    }
    let v = Math.abs(evalMlp(lyap.phi, x, this.a, this.b) - this.phiAtZero);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += this.m[i * n + j] * x[j];
      v += Math.abs(s);
    }
    return v;
  }
  /**
   * x⁺ = f(x, u(x + ε); w) into `out` with the current `uncertain` values; returns u. `x` may be a
   * full verification point (state then uncertainty), in which case its uncertainty is used.
   */
  stepClosedLoop(x, out) {
    const n = this.n;
    const w = x.length > n ? this.loadUncertain(x) : this.uncertain;
    const est = this.layout.estimate;
    for (let i = 0; i < n; i++)
      this.seen[i] = x[i] + (est[i] !== void 0 && est[i] >= 0 ? w[est[i]] : 0);
    const u = this.control(this.seen);
    this.step(x, u, out, w);
    return u;
  }
  loadUncertain(x) {
    for (let k = 0; k < this.point.length; k++) this.point[k] = x[this.n + k];
    return this.point;
  }
  stepOpenLoop(x, u, out) {
    this.step(x, u, out, this.uncertain);
  }
  /** g(x) = V(x⁺) − (1 − κ)V(x), the decrease condition's left side. */
  decrease(x) {
    this.stepClosedLoop(x, this.next);
    return this.value(this.next) - (1 - this.model.spec.kappa) * this.value(x);
  }
  /** Largest violation of x⁺ ∈ B (positive = outside). */
  boxExcess(x) {
    this.stepClosedLoop(x, this.next);
    const { boxLo, boxUp } = this.model.spec;
    let worst = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < this.n; i++)
      worst = Math.max(worst, this.next[i] - boxUp[i], boxLo[i] - this.next[i]);
    return worst;
  }
  /** Whether a state lies in the hole H (closed). */
  inHole(x) {
    const h = this.model.spec.hole;
    for (let i = 0; i < this.n; i++) if (!(Math.abs(x[i]) <= h[i])) return false;
    return true;
  }
};
function lyapunovMatrix(model) {
  const n = model.stateDim;
  const lyap = model.lyapunov;
  if (lyap.kind !== "neural") throw new RangeError("lyapunovMatrix: the model has a quadratic V");
  const { r, rRows, eps } = lyap;
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = i === j ? eps : 0;
      for (let k = 0; k < rRows; k++) s += r[k * n + i] * r[k * n + j];
      m[i * n + j] = s;
    }
  return m;
}
export {
  ForwardModel,
  cartpoleStep,
  evalMlp,
  lyapunovMatrix,
  stepFunction,
  uncertaintyLayout
};
