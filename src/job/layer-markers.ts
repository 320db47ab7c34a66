// Slicer comments that mark layer changes and elapsed time, as found in ../shared/gcode-corpus:
//
//   ;LAYER:12                               Cura, ideaMaker (ideaMaker rafts: ;LAYER:-2)
//   ;LAYER_CHANGE  then  ;Z:0.4             PrusaSlicer, SuperSlicer, OrcaSlicer (ideaMaker: ;Z:2.320 too)
//   ; CHANGE_LAYER  then  ; Z_HEIGHT: 0.2   Bambu Studio
//   ; layer 1, Z = 0.480                    Simplify3D
//   ; BEGIN_LAYER_OBJECT z=0.263 z_thickness=0.263   KISSlicer
//   ;; --- layer 0 (0.250 @ 0.255) ---      Kiri:Moto (height @ z)
//   ; Layer #0                              CraftWare
//   ;TIME_ELAPSED:61.960377                 Cura, end of each layer
//   ;PRINTING_TIME: 41                      ideaMaker, before each layer
//
// Slicers with no markers (Slic3r 1.x, ArcWelder output of it) get layers from Z instead
// (layer-tracker.ts). Both the reader and the scanner use MarkerState so they count alike.
import type { LayerMark } from './job-line.js';

export type MarkerDialect = 'cura' | 'prusa' | 'bambu' | 's3d' | 'kisslicer' | 'kiri' | 'craftware';

export type CommentMarker =
  | { kind: 'layer'; dialect: MarkerDialect; z?: number }
  | { kind: 'z'; z: number }
  | { kind: 'elapsed'; seconds: number };

const SEMI = 59;
const SPACE = 32;
const TAB = 9;

/**
 * Cheap byte test run on every comment line: true when the comment could be a marker, so only
 * those few are decoded. Looks at the first character after the `;`s and blanks.
 */
export function mayBeMarker(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && (buf[i] === SEMI || buf[i] === SPACE || buf[i] === TAB)) i++;
  if (i >= end) return false;
  const c = buf[i]!;
  // L(AYER…), l(ayer n, Z), Z(:, _HEIGHT), C(HANGE_LAYER), B(EGIN_LAYER_OBJECT), T(IME_ELAPSED),
  // P(RINTING_TIME), -(-- layer).
  return c === 76 || c === 108 || c === 90 || c === 67 || c === 66 || c === 84 || c === 80 || c === 45;
}

const num = (s: string | undefined): number | undefined => {
  if (s === undefined) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
};

/** Parse one comment line (starting at its `;`). Undefined when it is not a marker. */
export function parseMarkerComment(text: string): CommentMarker | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^;LAYER:\s*(-?\d+)\s*$/.exec(text))) return { kind: 'layer', dialect: 'cura' };
  if (/^;LAYER_CHANGE\s*$/.test(text)) return { kind: 'layer', dialect: 'prusa' };
  if ((m = /^;Z:\s*(-?[\d.]+)\s*$/.exec(text)) || (m = /^; Z_HEIGHT:\s*(-?[\d.]+)\s*$/.exec(text))) {
    const z = num(m[1]);
    return z === undefined ? undefined : { kind: 'z', z };
  }
  if (/^; CHANGE_LAYER\s*$/.test(text)) return { kind: 'layer', dialect: 'bambu' };
  if ((m = /^; layer \d+, Z = (-?[\d.]+)/.exec(text))) return { kind: 'layer', dialect: 's3d', z: num(m[1]) };
  if ((m = /^; BEGIN_LAYER_OBJECT z=(-?[\d.]+)/.exec(text))) return { kind: 'layer', dialect: 'kisslicer', z: num(m[1]) };
  if ((m = /^;; --- layer \d+ \([\d.]+ @ (-?[\d.]+)\) ---/.exec(text))) return { kind: 'layer', dialect: 'kiri', z: num(m[1]) };
  if (/^; Layer #\d+\s*$/.test(text)) return { kind: 'layer', dialect: 'craftware' };
  if ((m = /^;(?:TIME_ELAPSED|PRINTING_TIME):\s*([\d.]+)\s*$/.exec(text))) {
    const s = num(m[1]);
    return s === undefined ? undefined : { kind: 'elapsed', seconds: s };
  }
  return undefined;
}

/**
 * Turns marker comments into annotations on the next command. Locks onto the first dialect seen
 * so a file carrying two styles (post-processors, pasted templates) is not counted twice.
 */
export class MarkerState {
  private dialect: MarkerDialect | undefined;
  private count = 0;
  private pendingLayer: LayerMark | undefined;
  private pendingElapsed: number | undefined;

  /** Feed a comment line (from its `;`). */
  onComment(text: string): void {
    const m = parseMarkerComment(text);
    if (!m) return;
    if (m.kind === 'elapsed') {
      this.pendingElapsed = m.seconds;
    } else if (m.kind === 'z') {
      if (this.pendingLayer && this.pendingLayer.z === undefined) this.pendingLayer.z = m.z;
    } else {
      if (this.dialect === undefined) this.dialect = m.dialect;
      else if (this.dialect !== m.dialect) return;
      this.pendingLayer = m.z === undefined ? { index: this.count } : { index: this.count, z: m.z };
      this.count++;
    }
  }

  /** The layer mark for the command about to be emitted (then cleared). */
  takeLayer(): LayerMark | undefined {
    const l = this.pendingLayer;
    this.pendingLayer = undefined;
    return l;
  }

  /** The elapsed-time comment seen since the previous command (then cleared). */
  takeElapsed(): number | undefined {
    const e = this.pendingElapsed;
    this.pendingElapsed = undefined;
    return e;
  }

  /** Layer markers seen so far. */
  get markers(): number {
    return this.count;
  }

  get markerDialect(): MarkerDialect | undefined {
    return this.dialect;
  }

  /** Resume mid-file: markers before the resume point. */
  setCount(n: number): void {
    this.count = n;
  }
}
