// Where the virtual toolhead is and how long a move takes: G0/G1 lines and G2/G3 arcs (split
// into ~1 mm segments like Marlin's plan_arc), absolute/relative modes (G90/G91, M82/M83),
// G92, modal F and M220. Time = length / feedrate, clamped by each axis's maximum feedrate
// (Marlin's DEFAULT_MAX_FEEDRATE, M203 with acceleration on). With `kin` set (acceleration on)
// each move also leaves its shape in kin.shape for the planner's trapezoids (kinematics.ts).
// Pure: no clock, no output.
import type { Words } from './gcode-words.js';
import { Kinematics } from './kinematics.js';
import type { ResolvedSimOptions } from './sim-options.js';

/** E follows G90/G91, or was forced by M83 (relative) / M82 (absolute). */
const E_FOLLOW = 0;
const E_REL = 1;
const E_ABS = 2;

/** DEFAULT_MAX_FEEDRATE of Marlin's example configuration, mm/s: X, Y, Z, E. */
export const MAX_FEED = [300, 300, 5, 25] as const;
/** MAX_ARC_SEGMENT_MM */
const ARC_SEGMENT_MM = 1;

export class Motion {
  x = 0;
  y = 0;
  z = 0;
  e = 0;
  relative = false;
  private eMode = E_FOLLOW;
  /** Modal feedrate, mm/min (Marlin starts at 1500). */
  feedrate = 1500;
  /** M220 percentage. */
  feedPercent = 100;
  /** Filled by arc(): number of segments and the time of each, ms at speed 1. */
  arcSegments = 0;
  arcSegmentMs = 0;
  /** Per-axis maximum feedrates, mm/s (M203 changes them only with acceleration on). */
  readonly maxFeed: [number, number, number, number] = [...MAX_FEED];
  /** The acceleration model; null = time is length ÷ feedrate. */
  kin: Kinematics | null = null;
  private configured = false;
  /** Of the last moveTime(): length (mm) and nominal speed (mm/s). */
  private moveLen = 0;
  private moveNom = 0;

  /** Take this boot's options (Firmware builds a bare Motion; the handlers call this first). */
  configure(o: ResolvedSimOptions): void {
    if (this.configured) return;
    this.configured = true;
    for (let i = 0; i < 4; i++) this.maxFeed[i] = o.maxFeedrate[i]!;
    if (!o.acceleration) return;
    const { printAccel, retractAccel, travelAccel, junctionDeviationMm, classicJerk } = o;
    this.kin = new Kinematics({ printAccel, retractAccel, travelAccel, junctionDeviationMm, classicJerk, maxAccel: [...o.maxAccel], jerk: [...o.jerk] });
  }

  setRelative(rel: boolean): void {
    this.relative = rel;
    this.eMode = E_FOLLOW;
  }

  setRelativeE(rel: boolean): void {
    this.eMode = rel ? E_REL : E_ABS;
  }

  get relativeE(): boolean {
    return this.eMode === E_REL || (this.eMode === E_FOLLOW && this.relative);
  }

  /** Apply a G0/G1; returns its duration in ms at speed 1, or 0 when nothing moves. */
  linear(w: Words): number {
    this.takeFeedrate(w);
    const tx = this.target(w, 'X', this.x);
    const ty = this.target(w, 'Y', this.y);
    const tz = this.target(w, 'Z', this.z);
    const te = w.has('E') ? (this.relativeE ? this.e + w.get('E', 0) : w.get('E', this.e)) : this.e;
    const dx = tx - this.x;
    const dy = ty - this.y;
    const dz = tz - this.z;
    const de = te - this.e;
    const ms = this.moveTime(dx, dy, dz, de);
    if (ms > 0 && this.kin) this.kin.line(dx, dy, dz, de, this.moveLen, this.moveNom);
    this.x = tx;
    this.y = ty;
    this.z = tz;
    this.e = te;
    return ms;
  }

  /** Apply a G2 (clockwise) / G3 arc; sets arcSegments and arcSegmentMs. */
  arc(w: Words, clockwise: boolean): void {
    this.takeFeedrate(w);
    const tx = this.target(w, 'X', this.x);
    const ty = this.target(w, 'Y', this.y);
    const tz = this.target(w, 'Z', this.z);
    const te = w.has('E') ? (this.relativeE ? this.e + w.get('E', 0) : w.get('E', this.e)) : this.e;
    let i = w.get('I', 0);
    let j = w.get('J', 0);
    if (w.has('R')) [i, j] = centerFromRadius(this.x, this.y, tx, ty, w.get('R', 0), clockwise);
    const cx = this.x + i;
    const cy = this.y + j;
    const rpx = -i;
    const rpy = -j;
    const radius = Math.hypot(rpx, rpy);
    const rtx = tx - cx;
    const rty = ty - cy;
    let angle = Math.atan2(rpx * rty - rpy * rtx, rpx * rtx + rpy * rty);
    if (angle < 0) angle += 2 * Math.PI;
    if (clockwise) angle -= 2 * Math.PI;
    if (Math.abs(angle) < 1e-9 && tx === this.x && ty === this.y) angle = clockwise ? -2 * Math.PI : 2 * Math.PI;
    const dz = tz - this.z;
    const de = te - this.e;
    const travel = Math.hypot(angle * radius, dz);
    const segments = Math.max(1, Math.floor(travel / ARC_SEGMENT_MM));
    const segLen = travel / segments;
    // Treat every segment as a straight piece of the same length (chord ≈ arc at 1 mm).
    this.arcSegments = travel > 1e-9 || Math.abs(de) > 1e-9 ? segments : 0;
    this.arcSegmentMs = this.arcSegments ? this.moveTime(segLen, 0, dz / segments, de / segments) : 0;
    if (this.arcSegmentMs > 0 && this.kin) {
      this.kin.arc(segments, this.moveLen, this.moveNom, radius, Math.atan2(rpy, rpx), angle, dz / segments, de / segments);
    }
    this.x = tx;
    this.y = ty;
    this.z = tz;
    this.e = te;
  }

  /** The M114 / M154 line: `X:10.00 Y:20.00 Z:0.30 E:1.23 Count X:800 Y:1600 Z:120`. */
  positionLine(): string {
    const f = (n: number): string => n.toFixed(2);
    const c = (n: number, steps: number): number => Math.round(n * steps);
    return `X:${f(this.x)} Y:${f(this.y)} Z:${f(this.z)} E:${f(this.e)} Count X:${c(this.x, 80)} Y:${c(this.y, 80)} Z:${c(this.z, 400)}`;
  }

  /** G92: set the named axes to new logical values. */
  setPosition(w: Words): void {
    if (w.has('X')) this.x = w.get('X', this.x);
    if (w.has('Y')) this.y = w.get('Y', this.y);
    if (w.has('Z')) this.z = w.get('Z', this.z);
    if (w.has('E')) this.e = w.get('E', this.e);
  }

  /** G28: home the named axes (all when none is named) to 0. Returns how many axes homed. */
  home(w: Words): number {
    const any = w.has('X') || w.has('Y') || w.has('Z');
    let n = 0;
    if (!any || w.has('X')) { this.x = 0; n++; }
    if (!any || w.has('Y')) { this.y = 0; n++; }
    if (!any || w.has('Z')) { this.z = 0; n++; }
    return n;
  }

  private takeFeedrate(w: Words): void {
    const f = w.get('F', 0);
    if (f > 0) this.feedrate = f;
  }

  private target(w: Words, axis: string, current: number): number {
    if (!w.has(axis)) return current;
    const v = w.get(axis, 0);
    return this.relative ? current + v : v;
  }

  /** ms at speed 1 for a straight move; 0 when nothing moves. */
  private moveTime(dx: number, dy: number, dz: number, de: number): number {
    let len = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (len < 1e-6) len = Math.abs(de);
    if (len < 1e-6) return 0;
    const feed = (this.feedrate / 60) * (this.feedPercent / 100);
    const max = this.maxFeed;
    const t = Math.max(len / feed, Math.abs(dx) / max[0], Math.abs(dy) / max[1], Math.abs(dz) / max[2], Math.abs(de) / max[3]);
    this.moveLen = len;
    this.moveNom = len / t;
    return t * 1000;
  }
}

/** Marlin's R-form arc centre, as an I/J offset from the start point. */
function centerFromRadius(x1: number, y1: number, x2: number, y2: number, r: number, cw: boolean): [number, number] {
  if (r === 0 || (x1 === x2 && y1 === y2)) return [0, 0];
  const sign = cw !== r < 0 ? -1 : 1;
  const dx = x2 - x1;
  const dy = y2 - y1;
  const d = Math.hypot(dx, dy);
  const h2 = (r - 0.5 * d) * (r + 0.5 * d);
  const h = h2 >= 0 ? Math.sqrt(h2) : 0;
  const cx = (x1 + x2) / 2 + sign * h * (-dy / d);
  const cy = (y1 + y2) / 2 + sign * h * (dx / d);
  return [cx - x1, cy - y1];
}
