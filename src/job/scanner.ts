// The pure core of the pre-print scan: fed the file's lines (LineSink), it validates command
// lengths, counts layers both ways, runs the motion model and samples the time map. One pass, O(1)
// memory. G0-G3 are parsed from bytes (no string per line); the rarer other commands go through
// src/gcode/command.ts. scan.ts does the file I/O around it.
import { parseCommand, type GcodeCommand } from '../gcode/command.js';
import { arcGeometry } from './arc.js';
import { LayerTracker } from './layer-tracker.js';
import { LineView } from './line-bytes.js';
import type { LineSink } from './line-splitter.js';
import { MarkerState } from './layer-markers.js';
import { applyMachineSetting } from './machine-settings.js';
import { MotionModel, type MotionOptions } from './motion-model.js';
import { MoveParser, newMoveWords, wordsFromCommand } from './move-words.js';
import { PositionState } from './position-state.js';
import { fileErrors } from './scan-checks.js';
import type { BoundingBox, FileScan, WaitPoint } from './scan-types.js';
import type { SlicerMetadata } from './slicer-metadata.js';
import { TimeMapBuilder } from './time-map.js';

/** Fixed allowances (s) for commands whose duration the file cannot tell. Rough on purpose. */
export const DEFAULT_ALLOWANCES: Readonly<Record<string, { kind: 'heatup' | 'homing'; seconds: number }>> = {
  M109: { kind: 'heatup', seconds: 60 },
  M190: { kind: 'heatup', seconds: 90 },
  M191: { kind: 'heatup', seconds: 180 },
  M116: { kind: 'heatup', seconds: 60 },
  G28: { kind: 'homing', seconds: 10 },
  G29: { kind: 'homing', seconds: 60 },
  G80: { kind: 'homing', seconds: 60 },
};

export interface ScannerOptions {
  maxCommandLength: number;
  /** Name used in error messages (the path as the user gave it). */
  label: string;
  model?: Partial<MotionOptions>;
  allowances?: typeof DEFAULT_ALLOWANCES;
}

const MAX_WAITS = 1000;

export class FileScanner implements LineSink {
  private readonly view = new LineView();
  private readonly markers = new MarkerState();
  private readonly zLayers = new LayerTracker({ source: 'z' });
  private readonly mp = new MoveParser();
  private readonly words = newMoveWords();
  private readonly pos = new PositionState();
  private readonly motion: MotionModel;
  private readonly timeMap = new TimeMapBuilder();
  private readonly allowances: typeof DEFAULT_ALLOWANCES;
  private commands = 0;
  private gcodes = 0;
  private moves = 0;
  private lines = 0;
  private prevEnd = 0;
  private firstCommandStart = -1;
  private lastCommandEnd = 0;
  private maxLen = 0;
  private maxLine = 0;
  private hasM73 = false;
  private filament = 0;
  private heatupS = 0;
  private homingS = 0;
  private readonly waits: WaitPoint[] = [];
  private bbox: BoundingBox | undefined;

  constructor(private readonly opts: ScannerOptions) {
    this.motion = new MotionModel(opts.model);
    this.allowances = opts.allowances ?? DEFAULT_ALLOWANCES;
  }

  line(buf: Buffer, start: number, end: number, lineNo: number, byteEnd: number, length: number): void {
    this.lines = lineNo;
    const lineStart = this.prevEnd;
    this.prevEnd = byteEnd;
    const v = this.view.classify(buf, start, end);
    if (v.kind === 'blank') return;
    if (v.kind === 'comment') {
      if (v.mayBeMarker(buf)) this.markers.onComment(v.commentText(buf));
      return;
    }
    // A line cut by the splitter's cap is at least `length` long.
    const len = length - (end - start) > 1 ? length : v.end - v.start;
    this.commands++;
    if (this.firstCommandStart < 0) this.firstCommandStart = lineStart;
    this.lastCommandEnd = byteEnd;
    if (len > this.maxLen) {
      this.maxLen = len;
      this.maxLine = lineNo;
    }
    if (len > this.opts.maxCommandLength) throw fileErrors.tooLong(this.opts.label, lineNo, len, this.opts.maxCommandLength);
    this.markers.takeLayer();
    this.markers.takeElapsed();
    if (this.mp.parse(buf, v.start, v.end)) {
      this.gcodes++;
      this.onMove(this.mp.code);
    } else {
      const text = buf.toString('latin1', v.start, v.end);
      const cmd = parseCommand(text);
      if (cmd.code !== '') this.gcodes++;
      this.onOther(cmd, text, lineNo, byteEnd);
    }
    if (byteEnd >= this.timeMap.nextAt) this.timeMap.add(byteEnd, this.motion.timeS);
  }

  /** After the last line: the scan result (slicer metadata comes from the head/tail read). */
  finish(path: string, sizeBytes: number, slicer: SlicerMetadata): FileScan {
    if (this.gcodes === 0) throw fileErrors.noCommands(this.opts.label, this.lines);
    this.motion.flush();
    const motionS = this.motion.timeS;
    const markerLayerCount = this.markers.markers;
    const zLayerCount = this.zLayers.count;
    const layerSource = markerLayerCount > 0 ? 'markers' : zLayerCount > 0 ? 'z' : 'none';
    return {
      path,
      sizeBytes,
      commandBytes: { start: Math.max(0, this.firstCommandStart), end: this.lastCommandEnd },
      commandCount: this.commands,
      gcodeCount: this.gcodes,
      moveCount: this.moves,
      maxCommandLength: this.maxLen,
      maxCommandLine: this.maxLine,
      layerCount: layerSource === 'markers' ? markerLayerCount : zLayerCount,
      layerSource,
      markerLayerCount,
      zLayerCount,
      hasM73: this.hasM73,
      slicer,
      timing: { motionS, heatupS: this.heatupS, homingS: this.homingS, totalS: motionS + this.heatupS + this.homingS },
      timeMap: this.timeMap.build(sizeBytes, motionS, this.lastCommandEnd),
      waits: this.waits,
      filamentMm: this.filament,
      ...(this.bbox ? { bbox: this.bbox } : {}),
    };
  }

  private onMove(code: number): void {
    const p = this.pos;
    const w = this.mp.words;
    const x0 = p.x;
    const y0 = p.y;
    const z0 = p.z;
    p.move(w);
    this.moves++;
    const arc = code >= 2 ? arcGeometry(x0, y0, p.x, p.y, w.i * p.unit, w.j * p.unit, w.r * p.unit, code === 2) : undefined;
    if (arc) this.motion.arc(arc.length, arc.radius, p.dz, p.de, p.feed, arc.sx, arc.sy, arc.ex, arc.ey);
    else this.motion.line(p.dx, p.dy, p.dz, p.de, p.feed);
    this.filament += p.de;
    if (p.de > 0 && (arc !== undefined || p.dx !== 0 || p.dy !== 0)) {
      this.extend(x0, y0, z0);
      this.extend(p.x, p.y, p.z);
      this.zLayers.onExtrusion(p.z, p.dz !== 0);
    }
  }

  private onOther(cmd: GcodeCommand, text: string, fileLine: number, byteEnd: number): void {
    const code = cmd.code;
    const w = wordsFromCommand(cmd, this.words);
    if (this.pos.command(code, w)) {
      if (code === 'G28') this.wait(code, fileLine, byteEnd);
      return;
    }
    switch (code) {
      case 'G4':
        this.motion.dwell((w.p > 0 ? w.p / 1000 : 0) + (w.s > 0 ? w.s : 0));
        return;
      case 'M109': case 'M190': case 'M191':
        // M109 S0 / R0 waits to cool, not to heat: no allowance but the planner still empties.
        if (w.s > 0 || w.r > 0) this.wait(code, fileLine, byteEnd);
        else this.motion.flush();
        return;
      case 'M116': case 'G29': case 'G80':
        this.wait(code, fileLine, byteEnd);
        return;
      case 'M400': case 'M600': case 'M0': case 'M1':
        this.motion.flush();
        return;
      case 'M73':
        if (!Number.isNaN(w.p)) this.hasM73 = true;
        return;
      default:
        applyMachineSetting(this.motion, code, w, text);
    }
  }

  private wait(code: string, fileLine: number, byteEnd: number): void {
    this.motion.flush();
    const a = this.allowances[code];
    if (!a) return;
    if (a.kind === 'heatup') this.heatupS += a.seconds;
    else this.homingS += a.seconds;
    if (this.waits.length < MAX_WAITS) this.waits.push({ code, fileLine, byteEnd, allowanceS: a.seconds });
  }

  private extend(x: number, y: number, z: number): void {
    const b = this.bbox;
    if (!b) {
      this.bbox = { minX: x, minY: y, minZ: z, maxX: x, maxY: y, maxZ: z };
      return;
    }
    if (x < b.minX) b.minX = x;
    if (x > b.maxX) b.maxX = x;
    if (y < b.minY) b.minY = y;
    if (y > b.maxY) b.maxY = y;
    if (z < b.minZ) b.minZ = z;
    if (z > b.maxZ) b.maxZ = z;
  }
}
