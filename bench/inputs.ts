// The files the benchmark prints and analyses: generated ones (1 mm segments, G2/G3 arcs, long
// infill lines, a 100 MB mix) written into a temp dir, real slicer output from the shared corpus,
// and a sliced fixture with and without its slicer time data (for the ETA targets E1/E2).
// Paths are resolved from this file's location, so the built copy (dist/bench) and the source
// (bench/, run by vitest) find the same repo root.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanGcodeFile } from '../src/job/scan.js';
import type { FileScan } from '../src/job/scan-types.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { type GcodeSpec, writeGeneratedGcode } from '../src/sim/gcode-generator.js';
import { type SteadySpec, writeSteadyGcode } from './steady-gcode.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** bench/ → repo root; dist/bench/ → repo root. */
export const repoRoot = path.resolve(here, path.basename(path.dirname(here)) === 'dist' ? '../..' : '..');
export const corpusDir = path.resolve(repoRoot, '../shared/gcode-corpus');
export const fixturesDir = path.join(repoRoot, 'gcode-fixtures');

export interface BenchFile {
  key: string;
  path: string;
  /** What it is, for the report. */
  label: string;
  scan: FileScan;
}

export class BenchInputs {
  private readonly files = new Map<string, BenchFile>();

  constructor(readonly dir: string) {}

  /** A generated file (cached by key within one run). */
  async generated(key: string, spec: GcodeSpec, label: string): Promise<BenchFile> {
    const hit = this.files.get(key);
    if (hit) return hit;
    const file = path.join(this.dir, `${key}.gcode`);
    await writeGeneratedGcode(file, spec);
    return this.add(key, file, label);
  }

  /** Nothing but 1 mm segments at one feedrate (steady-gcode.ts). */
  async steady(key: string, spec: SteadySpec): Promise<BenchFile> {
    const hit = this.files.get(key);
    if (hit) return hit;
    const file = path.join(this.dir, `${key}.gcode`);
    writeSteadyGcode(file, spec);
    return this.add(key, file, `${spec.segments} × 1 mm segments at ${spec.feedrate} mm/s (steady demand ${spec.feedrate} lines/s)`);
  }

  /** A file of the shared corpus; undefined (with the reason) when the corpus is not there. */
  async corpus(key: string, name: string, label: string): Promise<BenchFile | undefined> {
    const hit = this.files.get(key);
    if (hit) return hit;
    const file = path.join(corpusDir, name);
    if (!existsSync(file)) return undefined;
    return this.add(key, file, label);
  }

  async fixture(key: string, name: string, label: string): Promise<BenchFile> {
    return this.files.get(key) ?? this.add(key, path.join(fixturesDir, name), label);
  }

  /**
   * The same file without slicer time data: no M73 lines, no `; estimated printing time` or
   * other time comments — what a slicer that writes none (or a stripped file) looks like.
   */
  async withoutTimeData(key: string, source: BenchFile): Promise<BenchFile> {
    const hit = this.files.get(key);
    if (hit) return hit;
    const text = readFileSync(source.path, 'latin1');
    const kept = text.split('\n').filter((l) => !/^\s*M73\b/i.test(l) && !/^\s*;.*(estimated printing time|print time|;TIME|TIME_ELAPSED|PRINTING_TIME)/i.test(l));
    const file = path.join(this.dir, `${key}.gcode`);
    writeFileSync(file, kept.join('\n'), 'latin1');
    return this.add(key, file, `${source.label}, slicer time data stripped`);
  }

  private async add(key: string, file: string, label: string): Promise<BenchFile> {
    const size = statSync(file).size;
    const scan = await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(size) });
    const f: BenchFile = { key, path: file, label, scan };
    this.files.set(key, f);
    return f;
  }
}
