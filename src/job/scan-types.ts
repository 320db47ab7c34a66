// What one pass over a G-code file learns before printing: is it printable, how big, how many
// layers, and how long each part should take (the time map the ETA runs on). Plain data, so it
// can come back from a worker thread.
import type { SlicerMetadata } from './slicer-metadata.js';
import type { TimeMap } from './time-map.js';

/** A command the printer waits on (heat-up, homing, probing) and the fixed time allowed for it. */
export interface WaitPoint {
  code: string;
  fileLine: number;
  /** Offset just after the command. */
  byteEnd: number;
  allowanceS: number;
}

export interface ModelTiming {
  /** Moves and G4 dwells: the time map's total. */
  motionS: number;
  /** Fixed allowances for M109/M190/M191/M116. */
  heatupS: number;
  /** Fixed allowances for G28/G29/G80. */
  homingS: number;
  totalS: number;
}

export interface BoundingBox {
  minX: number; minY: number; minZ: number;
  maxX: number; maxY: number; maxZ: number;
}

export interface FileScan {
  path: string;
  sizeBytes: number;
  /**
   * File offsets of the first command's line start and the last command's line end: the part
   * that prints (a thumbnail header or PrusaSlicer's config block at the end does not).
   */
  commandBytes: { start: number; end: number };
  /** Lines that will be sent (comment-free, non-blank). */
  commandCount: number;
  /** Of those, lines with a G/M/T command word (Klipper macros such as PRINT_START have none). */
  gcodeCount: number;
  moveCount: number;
  /** Longest command in bytes, and its file line. */
  maxCommandLength: number;
  maxCommandLine: number;
  /** Slicer markers when the file has them, else layers found from Z. */
  layerCount: number;
  layerSource: 'markers' | 'z' | 'none';
  markerLayerCount: number;
  zLayerCount: number;
  /** The file carries `M73 P…` progress lines. */
  hasM73: boolean;
  slicer: SlicerMetadata;
  timing: ModelTiming;
  timeMap: TimeMap;
  /** Heat-up and homing waits in file order (at most 1000 kept). */
  waits: WaitPoint[];
  /** Net filament pushed (mm of E, retractions subtracted). */
  filamentMm: number;
  /** Extent of extruding moves (their end points); undefined when nothing extrudes. */
  bbox?: BoundingBox;
}
