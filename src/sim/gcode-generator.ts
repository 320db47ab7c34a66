// Synthetic G-code for tests and benchmarks: files of any size (hundreds of MB) with the line
// shapes that stress a print host — 1 mm segments around circles (the demand peak of real
// slicer output, docs/performance.md §1), G2/G3 arcs, long infill lines, or a mix — wrapped
// in a realistic start block, layer changes, M73 progress and an end block. Committed fixtures
// stay small (gcode-fixtures/); anything big is generated here, deterministically from a seed.
//
// GcodeProgram is pure and synchronous. It emits lines into small batches (one ring, a few
// infill lines) and yields a batch at a time: a generator per line would cost a third of the
// speed. writeGeneratedGcode is the only part that touches the file system.

import { open } from 'node:fs/promises';
import { seededRandom } from './prng.js';

export type GeneratedKind = 'segments' | 'arcs' | 'infill' | 'mixed';

export interface GcodeSpec {
  /** segments: 1 mm G1 segments around circles; arcs: the same circles as G2/G3 with I/J;
   *  infill: long straight zig-zag lines; mixed: perimeters, arc-fitted rings and infill. */
  kind: GeneratedKind;
  /** Size to aim at, in bytes. The file lands just under it (within ~300 B), except that a
   *  target smaller than the start and end blocks (~1 KB) still gets both. */
  targetBytes: number;
  /** mm, default 0.2. */
  layerHeight?: number;
  /** `;LAYER_CHANGE` / `;Z:` / `;HEIGHT:` before each layer (PrusaSlicer style), default true.
   *  Without them Z still rises, as in Slic3r or ArcWelder output. */
  withLayerMarkers?: boolean;
  /** `M73 P<percent> R<minutes left>` at start, every minute of print time and at the end. */
  withM73?: boolean;
  /** Print speed in mm/s for every extruding move, default 100 (demand = feedrate ÷ segment). */
  feedrate?: number;
  /** Seed for seams and arc splits; the same spec gives the same bytes. Default 1. */
  seed?: number;
  /** Segment length in mm for `segments` and the `mixed` perimeters, default 1. */
  segmentLength?: number;
  /** Low by default (60 / 35 °C) so a simulated printer heats in moments. */
  nozzleTemp?: number;
  bedTemp?: number;
}

export interface GeneratedStats {
  bytes: number;
  /** Lines that carry a command (not blank, not comment-only). */
  commands: number;
  lines: number;
  layers: number;
  /** Motion time at the programmed feedrates, no acceleration (the closing estimate). */
  printSeconds: number;
}

const TRAVEL_F = 9000, RETRACT_F = 2400, Z_F = 720, RETRACT_MM = 1;
const LINE_WIDTH = 0.45, FILAMENT_AREA = Math.PI * 0.875 ** 2, MAX_RADIUS = 30;
/** Up to 3 × 3 objects on a 220 × 220 bed, in a serpentine to keep travel short. */
const CENTRES: ReadonlyArray<readonly [number, number]> = [
  [40, 40], [110, 40], [180, 40], [180, 110], [110, 110], [40, 110], [40, 180], [110, 180], [180, 180],
];
/** Smallest object radius per kind: infill keeps its long lines, mixed keeps room for infill. */
const MIN_RADIUS: Record<GeneratedKind, number> = { segments: 5, arcs: 5, infill: MAX_RADIUS, mixed: 20 };

/** Rough bytes of one object's layer at radius r (fitted to the output), to size the plate. */
function objectBytes(kind: GeneratedKind, r: number, segment: number): number {
  switch (kind) {
    case 'segments': return (225 * r * r) / segment;
    case 'arcs': return 460 * r;
    case 'infill': return 260 * r;
    case 'mixed': return (380 * r) / segment + 60 * r;
  }
}

/**
 * The plate: how many objects, how big. Aims at ~250 layers whatever the file size: fewer
 * objects first, then smaller ones down to the kind's minimum. Past a full plate of nine, or
 * below the minimum, the layer count gives (a 500 MB arcs file is metres tall: harmless).
 */
function plate(kind: GeneratedKind, targetBytes: number, segment: number) {
  const layerBytes = targetBytes / 250;
  let n = CENTRES.length, r = MAX_RADIUS;
  while (n > 1 && n * objectBytes(kind, r, segment) > layerBytes) n--;
  while (r > MIN_RADIUS[kind] && objectBytes(kind, r, segment) > layerBytes) r--;
  return { centres: n === 1 ? [[110, 110] as const] : CENTRES.slice(0, n), radius: r };
}

/** Fixed point without trailing zeros: 3 decimals for mm, 5 for E, as slicers write. */
function num(v: number, scale: 1000 | 100000): string {
  const n = Math.round(v * scale);
  if (n === 0) return '0';
  const a = n < 0 ? -n : n;
  const ip = Math.floor(a / scale);
  let fp = a - ip * scale;
  const head = (n < 0 ? '-' : '') + ip;
  if (fp === 0) return head;
  let width = scale === 1000 ? 3 : 5;
  while (fp % 10 === 0) { fp /= 10; width--; }
  const f = String(fp);
  return head + '.' + (f.length < width ? '0'.repeat(width - f.length) + f : f);
}
const mm = (v: number) => num(v, 1000);

/** PrusaSlicer's duration format: `1d 2h 3m 4s`, leading zero units left out. */
export function formatDuration(seconds: number): string {
  let s = Math.round(seconds);
  const d = Math.floor(s / 86400); s -= d * 86400;
  const h = Math.floor(s / 3600); s -= h * 3600;
  const m = Math.floor(s / 60); s -= m * 60;
  return [d && `${d}d`, (d || h) && `${h}h`, (d || h || m) && `${m}m`, `${s}s`].filter(Boolean).join(' ');
}

/** mulberry32: tiny and fast; plenty for placing seams. */
const rng = seededRandom;

/** One generated file. Iterate `lines()` or `batches()` once; `stats` is final afterwards. */
export class GcodeProgram {
  readonly stats: GeneratedStats = { bytes: 0, commands: 0, lines: 0, layers: 0, printSeconds: 0 };
  private readonly s: Required<GcodeSpec>;
  private readonly random: () => number;
  private readonly ePerMm: number;
  private readonly centres: ReadonlyArray<readonly [number, number]>;
  private readonly radius: number;
  private readonly endReserve: number;
  private batch: string[] = [];
  /** Set by emit() once the target size is reached: every loop stops, the end block follows. */
  private halt = false;
  private x = 0; private y = 0; private e = 0; private filament = 0; private retracted = false;
  private m73 = false; private bodyStart = 0; private nextM73 = 60;
  private estimateSeconds = 0; private lastP = 0; private lastR = Infinity;

  /** `sampleLayer` > 0: only that layer's moves (used to estimate the print time). */
  constructor(spec: GcodeSpec, private readonly sampleLayer = 0) {
    this.s = {
      layerHeight: 0.2, withLayerMarkers: true, withM73: true, feedrate: 100, seed: 1,
      segmentLength: 1, nozzleTemp: 60, bedTemp: 35, ...spec,
    };
    const { kind, targetBytes, feedrate, segmentLength, layerHeight } = this.s;
    if (!(kind in MIN_RADIUS && targetBytes >= 0 && feedrate > 0 && segmentLength > 0 && layerHeight > 0)) {
      throw new RangeError(`gcode-generator: bad spec ${JSON.stringify(spec)}`);
    }
    this.random = rng(this.s.seed);
    this.ePerMm = (LINE_WIDTH * layerHeight) / FILAMENT_AREA;
    ({ centres: this.centres, radius: this.radius } = plate(kind, targetBytes, segmentLength));
    // The end block at its widest, plus slack for the line that crosses the limit.
    this.endBlock(9_999_999.99, 99 * 86400);
    this.endReserve = this.stats.bytes + 200;
    Object.assign(this.stats, { bytes: 0, commands: 0, lines: 0 });
    this.batch = [];
  }

  /** The whole file, one line at a time, without line terminators. */
  *lines(): Generator<string, void, undefined> {
    for (const batch of this.batches()) yield* batch;
  }

  /** The whole file in batches of lines (a ring, a few infill lines, a block). */
  *batches(): Generator<string[], void, undefined> {
    if (this.sampleLayer) {
      for (const _ of this.layerBody(this.sampleLayer)) { /* one whole layer */ }
      return;
    }
    if (this.s.withM73) this.estimateSeconds = this.estimate();
    this.startBlock();
    this.bodyStart = this.stats.bytes;
    this.m73 = this.s.withM73;
    yield this.take();
    while (!this.full()) {
      const layer = ++this.stats.layers;
      this.layerChange(layer);
      for (const _ of this.layerBody(layer)) yield this.take();
    }
    this.m73 = false;
    this.endBlock(this.filament, this.stats.printSeconds);
    yield this.take();
  }

  private take(): string[] {
    const b = this.batch;
    this.batch = [];
    return b;
  }

  private emit(line: string): void {
    this.batch.push(line);
    const st = this.stats;
    st.bytes += line.length + 1;
    st.lines++;
    if (line.length > 0 && line.charCodeAt(0) !== 59 /* ; */) st.commands++;
    if (this.full()) this.halt = true;
    if (this.m73 && st.printSeconds >= this.nextM73) this.emit(this.progress());
  }

  private full(): boolean {
    return !this.sampleLayer && this.stats.bytes + this.endReserve >= this.s.targetBytes;
  }

  /** First M73's total: seconds per byte of a typical layer (the 5th, past the solid bottom). */
  private estimate(): number {
    const sample = new GcodeProgram({ ...this.s, withM73: false }, 5);
    for (const _ of sample.batches()) { /* drain */ }
    return (sample.stats.printSeconds / Math.max(1, sample.stats.bytes)) * this.s.targetBytes;
  }

  /** M73 P<percent of time> R<minutes left>, blending in the measured pace as it goes. */
  private progress(): string {
    const st = this.stats;
    while (this.nextM73 <= st.printSeconds) this.nextM73 += 60;
    const body = Math.max(1, this.s.targetBytes - this.bodyStart - this.endReserve);
    const done = Math.min(1, (st.bytes - this.bodyStart) / body);
    const measured = done > 0 ? st.printSeconds / done : this.estimateSeconds;
    const total = Math.max(st.printSeconds, this.estimateSeconds * (1 - done) + measured * done);
    // Slicers compute M73 from the finished print: P never falls and R never rises.
    this.lastP = Math.max(this.lastP, Math.min(99, Math.floor((100 * st.printSeconds) / total)));
    this.lastR = Math.min(this.lastR, Math.round((total - st.printSeconds) / 60));
    return `M73 P${this.lastP} R${this.lastR}`;
  }

  private startBlock(): void {
    const { kind, seed, targetBytes, nozzleTemp: t, bedTemp: b } = this.s;
    this.emit(`; generated by octoslack gcode-generator: kind=${kind} seed=${seed} target=${targetBytes}`);
    this.emit('; synthetic G-code for tests and benchmarks, not a real print');
    this.emit('');
    if (this.s.withM73) this.emit(`M73 P0 R${Math.round(this.estimateSeconds / 60)}`);
    for (const l of [`M140 S${b} ; bed heat, no wait`, `M104 S${t} ; nozzle heat, no wait`,
      'G28 ; home all axes', `M190 S${b} ; wait for bed`, `M109 S${t} ; wait for nozzle`,
      'G21 ; millimetres', 'G90 ; absolute positioning', 'M82 ; absolute E', 'G92 E0', 'M107',
      ';TYPE:Custom']) this.emit(l);
    this.travel(5, 20);
    this.emit(`G1 Z0.3 F${Z_F}`);
    this.extrude(5, 120, 1200, ' ; purge line');
    this.emit('G92 E0');
    this.e = 0;
  }

  private layerChange(layer: number): void {
    const z = layer * this.s.layerHeight;
    if (this.s.withLayerMarkers) {
      this.emit(';LAYER_CHANGE');
      this.emit(`;Z:${mm(z)}`);
      this.emit(`;HEIGHT:${mm(this.s.layerHeight)}`);
    }
    if (!this.retracted) this.retract();
    // Absolute E, reset at each layer as PrusaSlicer does, so E stays small on long prints.
    this.e = 0;
    this.emit('G92 E0');
    this.stats.printSeconds += this.s.layerHeight / (Z_F / 60);
    this.emit(`G1 Z${mm(z)} F${Z_F}`);
    if (layer === 2) this.emit('M106 S255 ; part fan on');
  }

  /** The plate's objects one after another; yields after each ring or few infill lines. */
  private *layerBody(layer: number): Generator<void> {
    for (let i = 0; i < this.centres.length && !this.halt; i++) {
      const [cx, cy] = this.centres[i]!;
      this.emit(`; printing object part_${i}`);
      if (this.s.kind === 'infill') yield* this.square(cx, cy, layer);
      else if (this.s.kind === 'mixed') yield* this.mixed(cx, cy, layer);
      else yield* this.disc(cx, cy, layer, () => this.s.kind as 'segments' | 'arcs');
      this.emit(`; stop printing object part_${i}`);
    }
  }

  /** Concentric rings from the outside in: `perimeters`, then (unless told not to) solid fill. */
  private *disc(cx: number, cy: number, layer: number, style: (ring: number) => 'segments' | 'arcs',
    perimeters = 2, onlyPerimeters = false): Generator<void> {
    let ring = 0;
    for (let r = this.radius; r > 1 && !this.halt; r -= LINE_WIDTH, ring++) {
      if (onlyPerimeters && ring >= perimeters) return;
      if (ring === 0) this.emit(';TYPE:External perimeter');
      else if (ring === 1) this.emit(';TYPE:Perimeter');
      else if (ring === perimeters) this.emit(';TYPE:Solid infill');
      if (ring === 0) this.emit(`;WIDTH:${LINE_WIDTH}`);
      const a0 = this.random() * 2 * Math.PI;
      this.moveTo(cx + r * Math.cos(a0), cy + r * Math.sin(a0), ring === 0);
      if (style(ring) === 'segments') this.segmentRing(cx, cy, r, a0);
      else this.arcRing(cx, cy, r, a0, layer % 2 === 0);
      yield;
    }
  }

  private segmentRing(cx: number, cy: number, r: number, a0: number): void {
    const n = Math.max(8, Math.round((2 * Math.PI * r) / this.s.segmentLength));
    for (let i = 1; i <= n && !this.halt; i++) {
      const a = a0 + (2 * Math.PI * i) / n;
      this.extrude(cx + r * Math.cos(a), cy + r * Math.sin(a), i === 1 ? this.s.feedrate * 60 : 0);
    }
  }

  /** A ring as 2–6 arcs: G3 counter-clockwise, G2 clockwise; I/J point at the centre. */
  private arcRing(cx: number, cy: number, r: number, a0: number, clockwise: boolean): void {
    const k = 2 + Math.floor(this.random() * 5);
    const step = ((clockwise ? -2 : 2) * Math.PI) / k;
    for (let j = 1; j <= k && !this.halt; j++) {
      const x = cx + r * Math.cos(a0 + step * j), y = cy + r * Math.sin(a0 + step * j);
      const i = cx - this.x, jj = cy - this.y;
      this.addExtrusion((2 * Math.PI * r) / k, this.s.feedrate);
      this.x = x; this.y = y;
      const f = j === 1 ? ` F${this.s.feedrate * 60}` : '';
      this.emit(`${clockwise ? 'G2' : 'G3'} X${mm(x)} Y${mm(y)} I${mm(i)} J${mm(jj)} E${num(this.e, 100000)}${f}`);
    }
  }

  /** A 60 mm square: perimeter, then one zig-zag of solid infill, turned 90° every layer. */
  private *square(cx: number, cy: number, layer: number): Generator<void> {
    const h = this.radius, f = this.s.feedrate * 60, inner = h - LINE_WIDTH;
    this.emit(';TYPE:External perimeter');
    this.moveTo(cx - h, cy - h, true);
    for (const [x, y] of [[h, -h], [h, h], [-h, h], [-h, -h]] as const) {
      this.extrude(cx + x, cy + y, x === h && y === -h ? f : 0);
    }
    this.emit(';TYPE:Solid infill');
    const at = (u: number, v: number) => (layer % 2 === 0 ? [cx + v, cy + u] : [cx + u, cy + v]) as [number, number];
    let forward = true;
    for (let v = -inner, n = 0; v <= inner && !this.halt; v += LINE_WIDTH, forward = !forward, n++) {
      const [sx, sy] = at(forward ? -inner : inner, v);
      const [ex, ey] = at(forward ? inner : -inner, v);
      // The step between lines extrudes too: one continuous zig-zag, like rectilinear fill.
      if (n === 0) this.travel(sx, sy); else this.extrude(sx, sy, 0);
      this.extrude(ex, ey, n === 0 ? f : 0);
      if (n % 16 === 15) yield;
    }
    yield;
  }

  /** Two segment perimeters, one arc-fitted ring, then infill lines clipped to the circle. */
  private *mixed(cx: number, cy: number, layer: number): Generator<void> {
    yield* this.disc(cx, cy, layer, (i) => (i < 2 ? 'segments' : 'arcs'), 3, true);
    const rIn = this.radius - 3 * LINE_WIDTH - 0.2;
    const solid = layer <= 3 || layer % 20 === 0;
    const spacing = solid ? LINE_WIDTH : 2;
    const ang = ((layer % 2 === 0 ? 45 : 135) * Math.PI) / 180;
    const ux = Math.cos(ang), uy = Math.sin(ang);
    if (!this.halt) this.emit(solid ? ';TYPE:Solid infill' : ';TYPE:Internal infill');
    let forward = true;
    for (let d = -rIn + spacing / 2, n = 0; d < rIn && !this.halt; d += spacing, forward = !forward, n++) {
      const half = Math.sqrt(rIn * rIn - d * d), s = forward ? -half : half;
      const bx = cx - uy * d, by = cy + ux * d;
      this.moveTo(bx + ux * s, by + uy * s, false);
      this.extrude(bx - ux * s, by - uy * s, this.s.feedrate * 60);
      if (n % 16 === 15) yield;
    }
    yield;
  }

  /** Travel; retract first for jumps between objects, and undo a retraction after. */
  private moveTo(x: number, y: number, longJump: boolean): void {
    if (longJump && !this.retracted) this.retract();
    this.travel(x, y);
    if (this.retracted) {
      this.e += RETRACT_MM;
      this.retracted = false;
      this.stats.printSeconds += RETRACT_MM / (RETRACT_F / 60);
      this.emit(`G1 E${num(this.e, 100000)} F${RETRACT_F}`);
    }
  }

  private retract(): void {
    this.e -= RETRACT_MM;
    this.retracted = true;
    this.stats.printSeconds += RETRACT_MM / (RETRACT_F / 60);
    this.emit(`G1 E${num(this.e, 100000)} F${RETRACT_F}`);
  }

  private travel(x: number, y: number): void {
    this.stats.printSeconds += Math.hypot(x - this.x, y - this.y) / (TRAVEL_F / 60);
    this.x = x; this.y = y;
    this.emit(`G0 X${mm(x)} Y${mm(y)} F${TRAVEL_F}`);
  }

  /** G1 with extrusion; `f` (mm/min) is written only when non-zero, as slicers do. */
  private extrude(x: number, y: number, f: number, comment = ''): void {
    this.addExtrusion(Math.hypot(x - this.x, y - this.y), f > 0 ? f / 60 : this.s.feedrate);
    this.x = x; this.y = y;
    const head = `G1 X${mm(x)} Y${mm(y)} E${num(this.e, 100000)}`;
    this.emit(f > 0 ? `${head} F${f}${comment}` : head + comment);
  }

  private addExtrusion(len: number, speed: number): void {
    const de = len * this.ePerMm;
    this.e += de;
    this.filament += de;
    this.stats.printSeconds += len / speed;
  }

  private endBlock(filamentMm: number, seconds: number): void {
    this.emit(';TYPE:Custom');
    if (this.s.withM73) this.emit('M73 P100 R0');
    for (const l of ['M104 S0 ; nozzle heater off', 'M140 S0 ; bed heater off', 'M107 ; fan off',
      'G91 ; relative moves', 'G1 Z10 F600 ; lift', 'G90', 'G1 X0 Y200 F6000 ; present the print',
      'M84 ; motors off']) this.emit(l);
    this.emit(`; filament used [mm] = ${filamentMm.toFixed(2)}`);
    this.emit(`; estimated printing time (normal mode) = ${formatDuration(seconds)}`);
  }
}

/** The file as lines (no terminators), for small in-memory cases. */
export function generateGcodeLines(spec: GcodeSpec): Generator<string, void, undefined> {
  return new GcodeProgram(spec).lines();
}

const CHUNK = 1 << 20;

/**
 * Write a generated file: batches are copied into one of two 1 MB buffers; a full buffer is
 * written while the other fills, and the next swap waits for that write. Memory stays flat at
 * any size, and a slow disk slows the generator instead of queueing data.
 */
export async function writeGeneratedGcode(path: string, spec: GcodeSpec): Promise<GeneratedStats> {
  const program = new GcodeProgram(spec);
  const fh = await open(path, 'w');
  try {
    const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let cur = 0, used = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const flush = async () => {
      await pending;
      pending = fh.write(bufs[cur]!, 0, used);
      cur ^= 1;
      used = 0;
    };
    for (const batch of program.batches()) {
      if (batch.length === 0) continue;
      const text = batch.join('\n') + '\n';
      if (used + text.length > CHUNK) await flush();
      if (text.length > CHUNK) {
        await pending;
        pending = fh.write(text, null, 'latin1');
      } else {
        used += bufs[cur]!.write(text, used, 'latin1');
      }
    }
    await flush();
    await pending;
  } finally {
    await fh.close();
  }
  return { ...program.stats };
}
