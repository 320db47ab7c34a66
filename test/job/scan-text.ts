// Test helper: runs the pure scanner over G-code text (no file), for small hand-written cases.
import { LineSplitter } from '../../src/job/line-splitter.js';
import type { FileScan } from '../../src/job/scan-types.js';
import { FileScanner, type ScannerOptions } from '../../src/job/scanner.js';

export function scanText(text: string, opts: Partial<ScannerOptions> = {}): FileScan {
  const data = Buffer.from(text, 'utf8');
  const scanner = new FileScanner({ maxCommandLength: 96, label: 'test.gcode', ...opts });
  const splitter = new LineSplitter(scanner);
  splitter.feed(data);
  splitter.finish();
  return scanner.finish('test.gcode', data.length, { thumbnails: [] });
}
