import type { LinearBounder } from '../../src/verification/bounds.ts';
import type { LyapunovModel } from '../../src/verification/model.ts';
import { down, up } from '../../src/verification/rounding.ts';

function fmt(value: number): string {
  return String(Number(value.toPrecision(6)));
}

/**
 * The runtime certificate monitor of one certificate (docs/certification.md, "The runtime
 * monitor"): while its controller runs, the measured state must stay in the verified box and below ρ,
 * and V must shrink by the factor (1 − κ) per step wherever the certificate promises that (outside
 * the hole, above the inner level). V's range over the state-estimate box comes from the bounds the
 * proof used, so a reported violation holds for every state the estimate allows: it is never a
 * rounding artefact. The certified guard runs one per certified controller, the hybrid supervisor
 * one per mode. Allocation-free per tick.
 */
export class LyapunovMonitor {
  /** Ticks checked (a repeated or non-finite sample is not a step and is not counted). */
  ticks = 0;
  /** The sound lower bound of V at the last check (the value a violation reports). */
  lastValue = Number.NaN;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly previous: Float64Array;
  private readonly range = new Float64Array(2);
  private previousValid = false;
  private previousUpper = 0;
  private previousDecreasing = false;

  /**
   * `index[i]` is the observation that carries state i, `radius[i]` its estimate error, `names[i]` its
   * signal name; the arrays may be filled after construction (when the robot is known).
   */
  constructor(
    private readonly model: LyapunovModel,
    private readonly bounds: LinearBounder,
    private readonly rho: number,
    private readonly index: Int32Array,
    private readonly radius: Float64Array,
    private readonly names: readonly string[],
    /**
     * False where the plant's state may jump (reset maps the certificate does not cover): only
     * the box and the region are checked, not that V decreases from one tick to the next.
     */
    private readonly checkDecrease = true,
  ) {
    const n = model.stateDim;
    this.lo = new Float64Array(n);
    this.hi = new Float64Array(n);
    this.previous = new Float64Array(n);
  }

  /** Forget the last step (the controller was switched out, or the run reset). */
  reset(): void {
    this.previousValid = false;
  }

  /** Checks this tick's observation; returns why the certificate no longer holds, or undefined. */
  check(observation: Float64Array): string | undefined {
    const { index } = this;
    const n = index.length;
    let same = this.previousValid;
    for (let i = 0; i < n && same; i++) same = observation[index[i]!] === this.previous[i];
    // A repeated (stale) sample says nothing new about the step.
    if (same) return undefined;
    const { boxLo, boxUp, kappa, hole, innerLevel } = this.model.spec;
    let outside = -1;
    for (let i = 0; i < n; i++) {
      const y = observation[index[i]!]!;
      if (!Number.isFinite(y)) {
        this.previousValid = false;
        return undefined;
      }
      this.previous[i] = y;
      this.lo[i] = down(y - this.radius[i]!);
      this.hi[i] = up(y + this.radius[i]!);
      if (outside < 0 && (this.lo[i]! > boxUp[i]! || this.hi[i]! < boxLo[i]!)) outside = i;
    }
    this.ticks++;
    this.bounds.valueRange(this.lo, this.hi, this.range);
    const vLo = this.range[0]!;
    const vUp = this.range[1]!;
    this.lastValue = vLo;
    let reason: string | undefined;
    if (outside >= 0) {
      reason = `${this.names[outside]} = ${fmt(observation[index[outside]!]!)} left the verified box [${boxLo[outside]}, ${boxUp[outside]}]`;
    } else if (vLo >= this.rho) {
      reason = `the state left the certified region: V >= ${vLo.toPrecision(5)} >= rho ${this.rho}`;
    } else if (
      this.checkDecrease &&
      this.previousValid &&
      this.previousDecreasing &&
      vLo > (1 - kappa) * this.previousUpper
    ) {
      reason = `V did not decrease as certified: V >= ${vLo.toPrecision(5)} > (1 - ${kappa}) × ${this.previousUpper.toPrecision(5)}`;
    }
    if (reason !== undefined) {
      this.previousValid = false;
      return reason;
    }
    // The next step must decrease only from states certainly outside the hole and above the inner level.
    let outsideHole = false;
    for (let i = 0; i < n && !outsideHole; i++)
      outsideHole = this.lo[i]! >= hole[i]! || this.hi[i]! <= -hole[i]!;
    this.previousDecreasing = outsideHole && vLo >= innerLevel;
    this.previousUpper = vUp;
    this.previousValid = true;
    return undefined;
  }
}
