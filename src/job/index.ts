// The job layer's public face: what the session, the CLI and the app import. The G-code source
// (streaming reader), the pre-print scan with its time map and slicer metadata, layer tracking,
// and progress/ETA. Everything else in this folder is an implementation detail.
export type { JobLine, LayerMark } from './job-line.js';
export { GcodeReader, type GcodeReaderOptions } from './gcode-reader.js';
export { scanGcodeFile, type ScanOptions } from './scan.js';
export type { BoundingBox, FileScan, ModelTiming, WaitPoint } from './scan-types.js';
export { FileScanner, DEFAULT_ALLOWANCES } from './scanner.js';
export { readSlicerMetadata } from './read-slicer-metadata.js';
export { parseSlicerMetadata, parseDuration, type SlicerMetadata, type Thumbnail } from './slicer-metadata.js';
export { LayerTracker, type LayerTrackerOptions } from './layer-tracker.js';
export { ProgressTracker, DEFAULT_WAIT_CODES, type ProgressOptions, type ProgressDetails } from './progress.js';
export { timeAt, TimeMapCursor, type TimeMap } from './time-map.js';
export { defaultMotionOptions, type MotionOptions } from './motion-model.js';
