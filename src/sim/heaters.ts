// Hotends, bed and chamber that heat and cool over time, and Marlin 2.1's temperature report
// (`print_heater_states`): ` T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0`, with T0:/T1:/@0:/@1: for
// several hotends and C:/C@: for a chamber. Heating is a linear ramp, cooling an exponential
// decay toward room temperature; both scale with the speed factor. Lazy: a heater's temperature
// is brought up to date when read, no timers. Physical temperatures survive a board reset.

/** Per-kind physics at speed 1: heating ramp °C/s and cooling time constant s. */
const PHYSICS = {
  hotend: { rate: 2.5, tau: 90 },
  bed: { rate: 0.6, tau: 400 },
  chamber: { rate: 0.1, tau: 1200 },
} as const;

export type HeaterKind = keyof typeof PHYSICS;

export class Heater {
  actual: number;
  target = 0;
  private last: number;
  private readonly ratePerMs: number;
  private readonly tauMs: number;

  constructor(
    /** How Marlin names it in `Heater_ID:` — `0`, `1`, `bed`, `chamber`. */
    readonly heaterId: string,
    readonly kind: HeaterKind,
    private readonly ambient: number,
    speed: number,
    now: number,
  ) {
    this.actual = ambient;
    this.last = now;
    this.ratePerMs = (PHYSICS[kind].rate * speed) / 1000;
    this.tauMs = (PHYSICS[kind].tau * 1000) / speed;
  }

  update(now: number): void {
    const dt = now - this.last;
    if (dt <= 0) return;
    this.last = now;
    if (this.target > this.actual) {
      this.actual = Math.min(this.target, this.actual + this.ratePerMs * dt);
    } else {
      const cooled = this.ambient + (this.actual - this.ambient) * Math.exp(-dt / this.tauMs);
      this.actual = Math.max(cooled, Math.min(this.actual, this.target));
    }
  }

  read(now: number): number {
    this.update(now);
    return this.actual;
  }

  setTarget(now: number, t: number): void {
    this.update(now);
    this.target = Math.max(0, t);
  }

  /**
   * Milliseconds until the temperature is inside `window` of the target. Cooling below room
   * temperature never completes; like Marlin's cooling-slope check, stop 2 °C above it.
   */
  msUntilWithin(now: number, window: number): number {
    this.update(now);
    const diff = this.target - this.actual;
    if (Math.abs(diff) < window) return 0;
    if (diff > 0) return (diff - window / 2) / this.ratePerMs;
    const goal = Math.max(this.target + window / 2, this.ambient + 2);
    if (this.actual <= goal) return 0;
    return this.tauMs * Math.log((this.actual - this.ambient) / (goal - this.ambient));
  }

  /** PWM power 0..127 as Marlin reports it on `@:`. */
  power(now: number): number {
    this.update(now);
    if (this.target <= 0) return 0;
    if (this.actual < this.target - 0.5) return 127;
    return Math.min(127, Math.max(0, Math.round((this.target - this.ambient) * 0.3)));
  }
}

const fmt = (n: number): string => n.toFixed(2);

export class HeaterBank {
  readonly hotends: Heater[];
  readonly bed: Heater;
  readonly chamber: Heater | null;

  constructor(extruders: number, chamber: boolean, ambient: number, speed: number, now: number) {
    this.hotends = Array.from({ length: extruders }, (_, i) => new Heater(String(i), 'hotend', ambient, speed, now));
    this.bed = new Heater('bed', 'bed', ambient, speed, now);
    this.chamber = chamber ? new Heater('chamber', 'chamber', ambient, speed, now) : null;
  }

  all(): Heater[] {
    return this.chamber ? [...this.hotends, this.bed, this.chamber] : [...this.hotends, this.bed];
  }

  /** Find a heater by its Heater_ID (`0`, `bed`, …) or report name (`T0`, `B`, `C`). */
  find(id: string): Heater | undefined {
    const key = id.toUpperCase();
    if (key === 'B' || key === 'BED') return this.bed;
    if (key === 'C' || key === 'CHAMBER') return this.chamber ?? undefined;
    const n = Number(key.startsWith('T') || key.startsWith('E') ? key.slice(1) : key);
    return Number.isInteger(n) ? this.hotends[n] : undefined;
  }

  /** Every target to 0 (kill, reset, SD abort). */
  allOff(now: number): void {
    for (const h of this.all()) h.setTarget(now, 0);
  }

  /** The report with a leading space, as M105 (after `ok`), M155 and wait lines print it. */
  report(now: number, activeTool: number): string {
    const t = (h: Heater): string => `${fmt(h.read(now))} /${fmt(h.target)}`;
    const active = this.hotends[activeTool] ?? this.hotends[0]!;
    let s = ` T:${t(active)} B:${t(this.bed)}`;
    if (this.chamber) s += ` C:${t(this.chamber)}`;
    if (this.hotends.length > 1) this.hotends.forEach((h, i) => (s += ` T${i}:${t(h)}`));
    s += ` @:${active.power(now)} B@:${this.bed.power(now)}`;
    if (this.chamber) s += ` C@:${this.chamber.power(now)}`;
    if (this.hotends.length > 1) this.hotends.forEach((h, i) => (s += ` @${i}:${h.power(now)}`));
    return s;
  }
}
