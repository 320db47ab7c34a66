// Current layer and height of a print, from what the printer has acknowledged. Two sources:
//  - 'markers': the slicer's layer comments (the reader puts them on JobLine.layer); the height is
//    the marker's Z, else the Z of the first extrusion after the marker (Cura, CraftWare).
//  - 'z': files without markers (Slic3r 1.x, ArcWelder output): a new layer when an extruding XY
//    move happens at a Z other than the current layer's. Z-hops never extrude, so a lift and the
//    move back down are ignored; G91 moves are resolved by PositionState. In spiral-vase mode Z
//    rises during extrusion; those rises count as a layer once they add up to the last real step.
// Raw Z alone is useless for layers (marlin-protocol.md §15.22); OctoPrint's Z_CHANGE fires on hops.
import { parseCommand, type GcodeCommand } from '../gcode/command.js';
import type { JobLine, LayerMark } from './job-line.js';
import { newMoveWords, wordsFromCommand } from './move-words.js';
import { PositionState } from './position-state.js';

export interface LayerTrackerOptions {
  source: 'markers' | 'z';
  /** Smallest Z step that counts as a new layer in 'z' mode (mm). Default 0.03. */
  minLayerStepMm?: number;
}

export class LayerTracker {
  private readonly source: 'markers' | 'z';
  private readonly minStep: number;
  private readonly pos = new PositionState();
  private readonly words = newMoveWords();
  private index = -1;
  private layerZ: number | undefined;
  /** Last step between two layers made by a travel (not a spiral), for vase mode. */
  private lastStep: number | undefined;
  private spiralSeen = false;

  constructor(opts: LayerTrackerOptions) {
    this.source = opts.source;
    this.minStep = opts.minLayerStepMm ?? 0.03;
  }

  /** 0-based index of the current layer; undefined before the first one. */
  get layer(): number | undefined {
    return this.index >= 0 ? this.index : undefined;
  }

  /** Height of the current layer (mm). */
  get z(): number | undefined {
    return this.layerZ;
  }

  /** Layers seen so far. */
  get count(): number {
    return this.index + 1;
  }

  /** Feed one acknowledged line. Pass the parsed command when the caller already has it. */
  onLine(line: JobLine, cmd?: GcodeCommand): void {
    if (line.layer) this.onMarker(line.layer);
    const c = cmd ?? parseCommand(line.command);
    const w = wordsFromCommand(c, this.words);
    if (c.code === 'G0' || c.code === 'G1' || c.code === 'G2' || c.code === 'G3') {
      this.pos.move(w);
      const p = this.pos;
      const xy = p.dx !== 0 || p.dy !== 0 || c.code === 'G2' || c.code === 'G3';
      if (p.de > 0 && xy) this.onExtrusion(p.z, p.dz !== 0);
    } else {
      this.pos.command(c.code, w);
    }
  }

  /** A slicer layer marker (markers mode; ignored in 'z' mode). */
  onMarker(mark: LayerMark): void {
    if (this.source !== 'markers') return;
    this.index = mark.index;
    this.layerZ = mark.z;
  }

  /**
   * An extruding XY move ended at height z. `spiral` = Z changed during this very move.
   * Low-level entry for the scanner, which resolves positions itself.
   */
  onExtrusion(z: number, spiral: boolean): void {
    if (this.source === 'markers') {
      if (this.index >= 0 && this.layerZ === undefined) this.layerZ = round(z);
      return;
    }
    if (this.layerZ === undefined) {
      this.index = 0;
      this.layerZ = round(z);
      return;
    }
    if (spiral) this.spiralSeen = true;
    const step = z - this.layerZ;
    // Once Z has risen while extruding (vase mode), a layer is a rise as tall as the last real step.
    const need = this.spiralSeen && this.lastStep !== undefined ? Math.max(this.minStep, this.lastStep * 0.95) : this.minStep;
    if (Math.abs(step) < need) return;
    if (!this.spiralSeen && step > 0) this.lastStep = step;
    this.index++;
    this.layerZ = round(z);
  }
}

/** Layer heights as people write them (0.2, not 0.20000000000000004). */
const round = (z: number) => Math.round(z * 1e4) / 1e4;
