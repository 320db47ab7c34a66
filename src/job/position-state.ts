// Where the nozzle is, as the file drives it: absolute/relative modes and unit changes resolved
// into absolute millimetres and per-move deltas. Shared by the scanner's time model and the layer
// tracker, so both read G90/G91/M82/M83/G92/G20/G21 the same way (Marlin's rules: G90/G91 set
// the extruder mode too; M82/M83 set only E; G2/G3 centres I/J are always relative to the start).
import type { MoveWords } from './move-words.js';

const INCH = 25.4;

export class PositionState {
  x = 0;
  y = 0;
  z = 0;
  e = 0;
  relativeXYZ = false;
  relativeE = false;
  /** mm per file unit: 1, or 25.4 after G20. */
  unit = 1;
  /** Deltas of the last move (mm). */
  dx = 0;
  dy = 0;
  dz = 0;
  de = 0;
  /** Feedrate in mm/min (modal). */
  feed = 1500;

  /** Apply G0-G3 endpoints (the arc's centre is the caller's business). */
  move(w: MoveWords): void {
    const u = this.unit;
    if (w.f > 0) this.feed = w.f * u;
    const rel = this.relativeXYZ;
    const nx = Number.isNaN(w.x) ? this.x : rel ? this.x + w.x * u : w.x * u;
    const ny = Number.isNaN(w.y) ? this.y : rel ? this.y + w.y * u : w.y * u;
    const nz = Number.isNaN(w.z) ? this.z : rel ? this.z + w.z * u : w.z * u;
    const ne = Number.isNaN(w.e) ? this.e : this.relativeE ? this.e + w.e * u : w.e * u;
    this.dx = nx - this.x;
    this.dy = ny - this.y;
    this.dz = nz - this.z;
    this.de = ne - this.e;
    this.x = nx;
    this.y = ny;
    this.z = nz;
    this.e = ne;
  }

  /**
   * Mode and position commands. Returns true when `code` was one of them.
   * G28 zeroes the homed axes (all when none is named): the real home position is unknown,
   * which only affects the length of the first travel move.
   */
  command(code: string, w: MoveWords): boolean {
    switch (code) {
      case 'G90': this.relativeXYZ = false; this.relativeE = false; return true;
      case 'G91': this.relativeXYZ = true; this.relativeE = true; return true;
      case 'M82': this.relativeE = false; return true;
      case 'M83': this.relativeE = true; return true;
      case 'G20': this.unit = INCH; return true;
      case 'G21': this.unit = 1; return true;
      case 'G92':
        if (!Number.isNaN(w.x)) this.x = w.x * this.unit;
        if (!Number.isNaN(w.y)) this.y = w.y * this.unit;
        if (!Number.isNaN(w.z)) this.z = w.z * this.unit;
        if (!Number.isNaN(w.e)) this.e = w.e * this.unit;
        return true;
      case 'G28': {
        const all = Number.isNaN(w.x) && Number.isNaN(w.y) && Number.isNaN(w.z);
        if (all || !Number.isNaN(w.x)) this.x = 0;
        if (all || !Number.isNaN(w.y)) this.y = 0;
        if (all || !Number.isNaN(w.z)) this.z = 0;
        return true;
      }
      default:
        return false;
    }
  }
}
