// The acceleration model of the virtual printer (performance.md §6, "optional trapezoid"): what
// Marlin 2.1's Planner::_populate_block() works out for one move before the look-ahead runs —
// its length, nominal speed, acceleration (M204 P/R/T, limited per axis by M201) and the highest
// speed it may have at the junction with the previous move: junction deviation (stock Marlin 2.1,
// JUNCTION_DEVIATION_MM 0.013, with the small-segment curve limit) or classic jerk (M205 X/Y/Z/E,
// what PrusaSlicer's time estimate assumes). The look-ahead and the trapezoids are planner.ts.
// Written from Marlin's planner.cpp, independently of octoslack's own model (src/job/), because
// the simulator is the ground truth that model is judged against. Pure: no clock, no output.
// Deliberately left out: S-curve, linear advance, the minimum feedrates of M205 S/T.

/** X, Y, Z, E. */
export type Axes4 = [number, number, number, number];

export interface AccelSettings {
  /** M204 P: moves that extrude, mm/s². */
  printAccel: number;
  /** M204 R: E-only moves (retract, unretract), mm/s². */
  retractAccel: number;
  /** M204 T: moves without E, mm/s². */
  travelAccel: number;
  /** M201: per-axis acceleration limits, mm/s². */
  maxAccel: Axes4;
  /** M205 J: JUNCTION_DEVIATION_MM. */
  junctionDeviationMm: number;
  /** CLASSIC_JERK instead of junction deviation. */
  classicJerk: boolean;
  /** M205 X Y Z E: classic jerk, mm/s. */
  jerk: Axes4;
}

/** One move as the planner needs it: filled by Kinematics, read by Planner.add() (via stage()). */
export class BlockShape {
  /** Length of one block, mm. */
  len = 0;
  /** Nominal (cruise) speed, mm/s: feedrate, M220 and per-axis limits applied. */
  vNom = 0;
  /** Acceleration along the path, mm/s². */
  accel = 0;
  /** Highest entry speed at the junction with the previous move, mm/s (≤ both nominal speeds). */
  vJunction = 0;
  /** Arcs: the junction speed between two of its own segments. */
  vInner = 0;
  /** Entry speed when the planner was empty: 0 (junction deviation) or the safe speed (classic jerk). */
  vStart = 0;
  /** Planner blocks of this move (1, or the segments of an arc). */
  segments = 1;
}

/** Marlin treats a junction this close to a full reversal as a stop. */
const REVERSAL_COS = 0.999999;

export class Kinematics {
  readonly shape = new BlockShape();
  /** Previous move: JD unit vector (E included when it extrudes), per-axis velocity at nominal. */
  private readonly prevUnit: Axes4 = [0, 0, 0, 0];
  private readonly prevVel: Axes4 = [0, 0, 0, 0];
  private prevNom = 0;
  private prevSafe = 0;
  private hasPrev = false;
  /** The move being worked out (arcs: one of its segments). */
  private readonly unit: Axes4 = [0, 0, 0, 0];
  private readonly vel: Axes4 = [0, 0, 0, 0];
  private nom = 0;
  private safe = 0;
  private accel = 0;
  private len = 0;

  constructor(readonly settings: AccelSettings) {}

  /** A straight move of (dx, dy, dz, de) mm, `len` mm long (XYZ, or |E| alone), at `vNom` mm/s. */
  line(dx: number, dy: number, dz: number, de: number, len: number, vNom: number): BlockShape {
    this.segment(dx, dy, dz, de, len, vNom);
    const s = this.shape;
    s.len = len;
    s.vNom = vNom;
    s.accel = this.accel;
    s.vJunction = this.junctionWithPrev();
    s.vInner = s.vJunction;
    s.vStart = this.safe;
    s.segments = 1;
    this.commit();
    return s;
  }

  /**
   * An arc cut into `n` segments of `segLen` mm at `vNom`: chords of a circle of `radius` around
   * (cx, cy) relative to the start, starting at angle `a0` (rad) and turning `angle` in total; `dz`
   * and `de` per segment. Only three junctions matter: into the first chord, between two chords
   * (all alike), and out of the last (kept for the next move).
   */
  arc(n: number, segLen: number, vNom: number, radius: number, a0: number, angle: number, dz: number, de: number): BlockShape {
    const step = angle / n;
    const chord = (k: number): void => {
      const a = a0 + k * step;
      const x = radius * (Math.cos(a + step) - Math.cos(a));
      const y = radius * (Math.sin(a + step) - Math.sin(a));
      const h = Math.hypot(x, y);
      const xy = Math.sqrt(Math.max(0, segLen * segLen - dz * dz));
      this.segment(h > 0 ? (x / h) * xy : 0, h > 0 ? (y / h) * xy : 0, dz, de, segLen, vNom);
    };
    const s = this.shape;
    chord(0);
    s.vJunction = this.junctionWithPrev();
    s.vStart = this.safe;
    s.accel = this.accel;
    s.vInner = s.vJunction;
    if (n > 1) {
      this.commit();
      chord(1);
      s.vInner = this.junctionWithPrev();
      chord(n - 1);
    }
    s.len = segLen;
    s.vNom = vNom;
    s.segments = n;
    this.commit();
    return s;
  }

  /** The motion stopped for good (G28, quick stop): the next move starts from rest anyway. */
  forget(): void {
    this.hasPrev = false;
  }

  /** Unit vectors, velocities, acceleration and safe speed of one block (Marlin: _populate_block). */
  private segment(dx: number, dy: number, dz: number, de: number, len: number, vNom: number): void {
    const st = this.settings;
    this.len = len;
    this.nom = vNom;
    const d: Axes4 = [dx, dy, dz, de];
    const xyz = dx !== 0 || dy !== 0 || dz !== 0;
    // JD vector: normalised over XYZE when E moves (Marlin: normalize_junction_vector), else XYZ.
    const norm = de !== 0 ? Math.hypot(dx, dy, dz, de) : len;
    let accel = !xyz ? st.retractAccel : de !== 0 ? st.printAccel : st.travelAccel;
    for (let i = 0; i < 4; i++) {
      this.unit[i] = norm > 0 ? d[i]! / norm : 0;
      const u = len > 0 ? Math.abs(d[i]!) / len : 0;
      this.vel[i] = len > 0 ? (d[i]! / len) * vNom : 0;
      if (u > 0 && accel * u > st.maxAccel[i]!) accel = st.maxAccel[i]! / u;
    }
    this.accel = accel;
    this.safe = st.classicJerk ? this.safeSpeed() : 0;
  }

  private commit(): void {
    for (let i = 0; i < 4; i++) {
      this.prevUnit[i] = this.unit[i]!;
      this.prevVel[i] = this.vel[i]!;
    }
    this.prevNom = this.nom;
    this.prevSafe = this.safe;
    this.hasPrev = true;
  }

  private junctionWithPrev(): number {
    if (!this.hasPrev || this.prevNom < 1e-6) return this.safe;
    const v = this.settings.classicJerk ? this.jerkJunction() : this.deviationJunction();
    return Math.min(v, this.nom, this.prevNom);
  }

  /** Junction deviation (Marlin 2.1, HAS_JUNCTION_DEVIATION). */
  private deviationJunction(): number {
    const st = this.settings;
    let cos = 0;
    for (let i = 0; i < 4; i++) cos -= this.prevUnit[i]! * this.unit[i]!;
    if (cos > REVERSAL_COS) return 0; // a reversal: stop
    cos = Math.max(cos, -REVERSAL_COS);
    // Acceleration along the junction vector (unit - prevUnit), limited per axis by M201.
    let ja = this.accel;
    const jn = Math.hypot(this.unit[0] - this.prevUnit[0], this.unit[1] - this.prevUnit[1], this.unit[2] - this.prevUnit[2], this.unit[3] - this.prevUnit[3]);
    if (jn > 0) {
      for (let i = 0; i < 4; i++) {
        const u = Math.abs(this.unit[i]! - this.prevUnit[i]!) / jn;
        if (u > 0 && ja * u > st.maxAccel[i]!) ja = st.maxAccel[i]! / u;
      }
    }
    const sinHalf = Math.sqrt(0.5 * (1 - cos));
    let v2 = (ja * st.junctionDeviationMm * sinHalf) / (1 - sinHalf);
    // Short segments of a curve: cap the centripetal acceleration (Marlin 2.0.9+: v² ≤ a·len/θ).
    if (this.len < 1) {
      const theta = Math.acos(-cos);
      if (theta > 0) v2 = Math.min(v2, (ja * this.len) / theta);
    }
    return Math.sqrt(v2);
  }

  /** Classic jerk (Marlin 2.1, HAS_CLASSIC_JERK): per-axis speed change at the junction ≤ jerk. */
  private jerkJunction(): number {
    const jerk = this.settings.jerk;
    let vmax = Math.min(this.nom, this.prevNom);
    const smaller = vmax / this.prevNom;
    let factor = 1;
    let limited = false;
    for (let i = 0; i < 4; i++) {
      let vExit = this.prevVel[i]! * smaller;
      let vEntry = this.vel[i]!;
      if (limited) {
        vExit *= factor;
        vEntry *= factor;
      }
      const j = vExit > vEntry
        ? (vEntry > 0 || vExit < 0 ? vExit - vEntry : Math.max(vExit, -vEntry))
        : (vEntry < 0 || vExit > 0 ? vEntry - vExit : Math.max(-vExit, vEntry));
      if (j > jerk[i]!) {
        factor *= jerk[i]! / j;
        limited = true;
      }
    }
    if (limited) vmax *= factor;
    // Marlin: when both moves could start from rest at nearly this speed, use the safe speed.
    const threshold = vmax * 0.99;
    if (this.prevSafe > threshold && this.safe > threshold) vmax = this.safe;
    return vmax;
  }

  /** Classic jerk: the speed this move may start from (or stop to) rest at (Marlin's safe_speed). */
  private safeSpeed(): number {
    const jerk = this.settings.jerk;
    let safe = this.nom;
    let limited = false;
    for (let i = 0; i < 4; i++) {
      const j = Math.abs(this.vel[i]!);
      const maxj = jerk[i]!;
      if (j > maxj) {
        if (limited) {
          if (j * safe > maxj * this.nom) safe = (maxj * this.nom) / j;
        } else {
          limited = true;
          safe = maxj;
        }
      }
    }
    return Math.min(safe, this.nom);
  }
}

/**
 * Seconds to cover `len` mm entering at `v0` and leaving at `v1`, cruising at most at `vmax`,
 * accelerating and braking at `a`: a trapezoid, or a triangle when the move is too short to
 * cruise. If the move is too short even to change from v0 to v1 at `a` (the planner never asks
 * for that; the dilation lower bound may), the speed changes linearly: 2·len ÷ (v0 + v1).
 */
export function trapezoidS(len: number, a: number, vmax: number, v0: number, v1: number): number {
  if (len <= 0) return 0;
  if (!(a > 0) || !Number.isFinite(a)) return len / vmax;
  const vi = Math.min(v0, vmax);
  const vo = Math.min(v1, vmax);
  const dAcc = (vmax * vmax - vi * vi) / (2 * a);
  const dDec = (vmax * vmax - vo * vo) / (2 * a);
  if (dAcc + dDec <= len) return (vmax - vi) / a + (vmax - vo) / a + (len - dAcc - dDec) / vmax;
  if (Math.abs(vi * vi - vo * vo) <= 2 * a * len) {
    const peak = Math.sqrt((2 * a * len + vi * vi + vo * vo) / 2);
    return (2 * peak - vi - vo) / a;
  }
  return (2 * len) / (vi + vo);
}
