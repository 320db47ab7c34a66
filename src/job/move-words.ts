// Parameter words of the commands the motion model cares about, in a fixed-shape object reused
// for every line (NaN = word absent). Two ways in: straight from the file's bytes for G0-G3 (the
// scanner's hot path: no string, no regex, no allocation), or from a parsed GcodeCommand
// (src/gcode/command.ts) for everything else and for the streaming side.
//
//   "G1 X113.929 Y108.160 E0.0452 F900"     → code 1, x 113.929, y 108.16, e 0.0452, f 900
//   "G3 X75.225 Y85.483 I5.966 J7.580 E2.30279"  → code 3 with i/j
//   "G1 Z+0.5 E-5 X-20 Y-20 F9000"          → signs allowed
import type { GcodeCommand } from '../gcode/command.js';

export interface MoveWords {
  x: number;
  y: number;
  z: number;
  e: number;
  f: number;
  i: number;
  j: number;
  r: number;
  p: number;
  s: number;
}

export const newMoveWords = (): MoveWords => ({
  x: NaN, y: NaN, z: NaN, e: NaN, f: NaN, i: NaN, j: NaN, r: NaN, p: NaN, s: NaN,
});

function clear(w: MoveWords): void {
  w.x = w.y = w.z = w.e = w.f = w.i = w.j = w.r = w.p = w.s = NaN;
}

/** Copy the words the motion model uses from a parsed command. */
export function wordsFromCommand(cmd: GcodeCommand, out: MoveWords): MoveWords {
  clear(out);
  const p = cmd.params;
  if (p.X !== undefined) out.x = p.X;
  if (p.Y !== undefined) out.y = p.Y;
  if (p.Z !== undefined) out.z = p.Z;
  if (p.E !== undefined) out.e = p.E;
  if (p.F !== undefined) out.f = p.F;
  if (p.I !== undefined) out.i = p.I;
  if (p.J !== undefined) out.j = p.J;
  if (p.R !== undefined) out.r = p.R;
  if (p.P !== undefined) out.p = p.P;
  if (p.S !== undefined) out.s = p.S;
  return out;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Parses G0/G1/G2/G3 straight from bytes. */
export class MoveParser {
  /** 0..3 after a successful parse(). */
  code = 0;
  readonly words: MoveWords = newMoveWords();
  private pos = 0;

  /** True (and words filled) when [start, end) is a G0-G3 command; false for anything else. */
  parse(buf: Buffer, start: number, end: number): boolean {
    const c0 = buf[start];
    if (c0 !== 71 && c0 !== 103) return false; // G g
    let i = start + 1;
    let n = 0;
    let digits = 0;
    while (i < end && isDigit(buf[i]!)) {
      n = n * 10 + (buf[i]! - 48);
      i++;
      digits++;
    }
    if (digits === 0 || n > 3 || (i < end && buf[i] === 46)) return false; // G2.1 etc.
    this.code = n;
    const w = this.words;
    clear(w);
    while (i < end) {
      const c = buf[i]! | 0x20; // lower-case letters
      if (c < 97 || c > 122) {
        i++;
        continue;
      }
      this.pos = i + 1;
      const v = this.number(buf, end);
      i = this.pos;
      switch (c) {
        case 120: w.x = v; break; // x
        case 121: w.y = v; break;
        case 122: w.z = v; break;
        case 101: w.e = v; break;
        case 102: w.f = v; break;
        case 105: w.i = v; break;
        case 106: w.j = v; break;
        case 114: w.r = v; break;
        case 112: w.p = v; break;
        case 115: w.s = v; break;
        default: break;
      }
    }
    return true;
  }

  /** A decimal number at this.pos (sign, digits, point; no exponent). NaN when there are no digits. */
  private number(buf: Buffer, end: number): number {
    let i = this.pos;
    while (i < end && buf[i] === 32) i++;
    let neg = false;
    if (buf[i] === 45) { neg = true; i++; } else if (buf[i] === 43) i++;
    let v = 0;
    let scale = 1;
    let digits = 0;
    while (i < end && isDigit(buf[i]!)) { v = v * 10 + (buf[i]! - 48); i++; digits++; }
    if (i < end && buf[i] === 46) {
      i++;
      while (i < end && isDigit(buf[i]!)) { v = v * 10 + (buf[i]! - 48); scale *= 10; i++; digits++; }
    }
    this.pos = i;
    if (digits === 0) return NaN;
    const r = v / scale;
    return neg ? -r : r;
  }
}
