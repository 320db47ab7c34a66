// A simple print-time model: each move is a trapezoid (accelerate, cruise, decelerate) between
// junction speeds from Marlin's junction-deviation rule, with one move of look-ahead (a move's
// exit speed is fixed when the next move arrives). Good to roughly ±10-20 % of the slicers' own
// estimates on the corpus; replaying Marlin's planner exactly is future work. Pure: no I/O.

export interface AxisLimits {
  x: number;
  y: number;
  z: number;
  e: number;
}

export interface MotionOptions {
  /** mm/s² for every kind of move until the file sets M204 (Marlin-ish default: 1000). */
  accel: number;
  /** Marlin's JUNCTION_DEVIATION_MM (default 0.013). */
  junctionDeviation: number;
  /** mm/s, until M203. */
  maxFeed: AxisLimits;
  /** mm/s², until M201. */
  maxAccel: AxisLimits;
}

export const defaultMotionOptions: MotionOptions = {
  accel: 1000,
  junctionDeviation: 0.013,
  maxFeed: { x: 500, y: 500, z: 12, e: 120 },
  maxAccel: { x: Infinity, y: Infinity, z: 500, e: 10000 },
};

/** Time (s) to cover `len` mm starting at v0 and ending at v1, cruising at most at vc, with accel a. */
export function trapezoidTime(len: number, v0: number, v1: number, vc: number, a: number): number {
  if (len <= 0) return 0;
  if (!(a > 0) || !Number.isFinite(a)) return len / vc;
  const dAcc = (vc * vc - v0 * v0) / (2 * a);
  const dDec = (vc * vc - v1 * v1) / (2 * a);
  if (dAcc + dDec <= len) return (vc - v0) / a + (vc - v1) / a + (len - dAcc - dDec) / vc;
  // No cruise: peak speed where the accelerating and decelerating ramps meet.
  const peak = Math.sqrt((2 * a * len + v0 * v0 + v1 * v1) / 2);
  if (peak >= v0 && peak >= v1) return (peak - v0) / a + (peak - v1) / a;
  // Entry or exit cannot be reached within the move (one-move look-ahead): average speed.
  const vEnd = v0 > v1 ? Math.max(v1, Math.sqrt(Math.max(0, v0 * v0 - 2 * a * len))) : v1;
  return (2 * len) / (v0 + vEnd);
}

/** Marlin's junction-deviation speed limit between two unit directions (mm/s). */
export function junctionSpeed(ax: number, ay: number, az: number, bx: number, by: number, bz: number, accel: number, jd: number): number {
  const cos = -(ax * bx + ay * by + az * bz);
  if (cos > 0.999999) return 0; // reversal
  if (cos < -0.999999) return Infinity; // straight on
  const sinHalf = Math.sqrt(0.5 * (1 - cos));
  return Math.sqrt((accel * jd * sinHalf) / (1 - sinHalf));
}

/** One planned move, reused (two instances swap roles). */
class Move {
  len = 0;
  /** Cruise speed (mm/s) after feed and axis caps. */
  v = 0;
  accel = 0;
  entry = 0;
  hasDir = false;
  sx = 0; sy = 0; sz = 0;
  ex = 0; ey = 0; ez = 0;
}

export class MotionModel {
  printAccel: number;
  travelAccel: number;
  retractAccel: number;
  readonly maxFeed: AxisLimits;
  readonly maxAccel: AxisLimits;
  private readonly jd: number;
  private committed = 0;
  private pending: Move | undefined;
  private readonly moves = [new Move(), new Move()] as const;

  constructor(opts: Partial<MotionOptions> = {}) {
    const o = { ...defaultMotionOptions, ...opts };
    this.printAccel = this.travelAccel = this.retractAccel = o.accel;
    this.maxFeed = { ...o.maxFeed };
    this.maxAccel = { ...o.maxAccel };
    this.jd = o.junctionDeviation;
  }

  /** Seconds of motion so far, the move still waiting for its successor counted as if it stopped. */
  get timeS(): number {
    const p = this.pending;
    return p ? this.committed + trapezoidTime(p.len, p.entry, 0, p.v, p.accel) : this.committed;
  }

  /** A straight move by (dx,dy,dz,de) mm at `feedMmMin`. */
  line(dx: number, dy: number, dz: number, de: number, feedMmMin: number): void {
    const lenXYZ = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const ade = Math.abs(de);
    if (lenXYZ < 1e-9 && ade < 1e-9) return;
    const m = this.next();
    if (lenXYZ >= 1e-9) {
      const inv = 1 / lenXYZ;
      m.len = lenXYZ;
      m.sx = m.ex = dx * inv;
      m.sy = m.ey = dy * inv;
      m.sz = m.ez = dz * inv;
      m.hasDir = true;
      let v = feedMmMin / 60;
      let a = de !== 0 ? this.printAccel : this.travelAccel;
      // Slow down and soften so that no axis exceeds its own limits (Marlin does the same).
      v = Math.min(v, this.cap(this.maxFeed, dx, dy, dz, de, lenXYZ));
      a = Math.min(a, this.cap(this.maxAccel, dx, dy, dz, 0, lenXYZ));
      m.v = v;
      m.accel = a;
    } else {
      m.len = ade;
      m.hasDir = false;
      m.v = Math.min(feedMmMin / 60, this.maxFeed.e);
      m.accel = Math.min(this.retractAccel, this.maxAccel.e);
    }
    this.push(m);
  }

  /** An XY arc (length and tangents from arc.ts), with optional helix dz and extrusion. */
  arc(length: number, radius: number, dz: number, de: number, feedMmMin: number,
    sx: number, sy: number, ex: number, ey: number): void {
    const m = this.next();
    m.len = Math.sqrt(length * length + dz * dz);
    m.hasDir = true;
    m.sx = sx; m.sy = sy; m.sz = 0;
    m.ex = ex; m.ey = ey; m.ez = 0;
    const a = de !== 0 ? this.printAccel : this.travelAccel;
    m.accel = Math.min(a, this.maxAccel.x, this.maxAccel.y);
    // Centripetal limit: Marlin cuts arcs into short segments whose junctions allow about √(a·r).
    m.v = Math.min(feedMmMin / 60, this.maxFeed.x, this.maxFeed.y, Math.sqrt(m.accel * radius));
    this.push(m);
  }

  /** G4: the planner empties, then waits. */
  dwell(seconds: number): void {
    this.flush();
    if (seconds > 0) this.committed += seconds;
  }

  /** Stop at the end of the pending move (M400, heat-up waits, homing, end of file). */
  flush(): void {
    const p = this.pending;
    if (!p) return;
    this.committed += trapezoidTime(p.len, p.entry, 0, p.v, p.accel);
    this.pending = undefined;
  }

  /** The Move object that is not the pending one. */
  private next(): Move {
    return this.pending === this.moves[0] ? this.moves[1] : this.moves[0];
  }

  private push(m: Move): void {
    const p = this.pending;
    if (!p) {
      m.entry = 0;
    } else {
      let vj = 0;
      if (p.hasDir && m.hasDir) {
        vj = junctionSpeed(p.ex, p.ey, p.ez, m.sx, m.sy, m.sz, Math.min(p.accel, m.accel), this.jd);
      }
      // Exit no faster than either cruise speed, nor than the pending move can reach.
      const exit = Math.min(vj, p.v, m.v, Math.sqrt(p.entry * p.entry + 2 * p.accel * p.len));
      this.committed += trapezoidTime(p.len, p.entry, exit, p.v, p.accel);
      m.entry = exit;
    }
    this.pending = m;
  }

  /** Largest speed (or accel) along this direction that keeps every axis within `lim`. */
  private cap(lim: AxisLimits, dx: number, dy: number, dz: number, de: number, len: number): number {
    let c = Infinity;
    if (dx !== 0) c = Math.min(c, (lim.x * len) / Math.abs(dx));
    if (dy !== 0) c = Math.min(c, (lim.y * len) / Math.abs(dy));
    if (dz !== 0) c = Math.min(c, (lim.z * len) / Math.abs(dz));
    if (de !== 0) c = Math.min(c, (lim.e * len) / Math.abs(de));
    return c;
  }
}
