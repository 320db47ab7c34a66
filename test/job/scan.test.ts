import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stripComment } from '../../src/gcode/command.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { UsageError } from '../../src/util/errors.js';
import { corpus, corpusDir, fixture } from './corpus.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'octoslack-scan-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, data: string | Buffer) => {
  const p = path.join(tmp, name);
  writeFileSync(p, data);
  return p;
};
const scan = (p: string, maxCommandLength = 96) => scanGcodeFile(p, { maxCommandLength });

async function usageError(p: Promise<unknown>): Promise<UsageError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  expect((err as UsageError).exitCode).toBe(2);
  return err as UsageError;
}

describe('scanGcodeFile refuses what cannot be printed', () => {
  it.each([
    ['a missing file', () => path.join(tmp, 'nope.gcode'), 'FILE_NOT_FOUND', /no such file/],
    ['a directory', () => { const d = path.join(tmp, 'dir.gcode'); mkdirSync(d, { recursive: true }); return d; }, 'FILE_IS_DIRECTORY', /directory/],
    ['an empty file', () => write('empty.gcode', ''), 'FILE_EMPTY', /empty/],
    ['comments only (PrusaSlicer header-only corpus file)', () => corpus('prusaslicer-2.4.1-jpg-thumbnail-header-only.gcode'), 'FILE_NO_COMMANDS', /no G-code commands \(499 lines/],
    ['an ASCII STL', () => write('part.stl', 'solid part\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n  endloop\n endfacet\nendsolid\n'), 'FILE_NO_COMMANDS', /no G-code/],
    ['a binary STL (project fixture)', () => fixture('models/cube-20mm.stl'), 'FILE_BINARY', /not a text file/],
    ['binary G-code', () => write('part.bgcode', Buffer.concat([Buffer.from('GCDE'), Buffer.from([1, 0, 0, 0, 0, 0])])), 'FILE_BGCODE', /binary G-code/],
  ])('%s', async (_what, make, code, message) => {
    const err = await usageError(scan(make()));
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
  });

  it('stops when the signal aborts', async () => {
    const ac = new AbortController();
    ac.abort(new Error('user gave up'));
    await expect(scanGcodeFile(corpus('cura-3.1-benchy-marlin.gcode'), { maxCommandLength: 96, signal: ac.signal })).rejects.toThrow('user gave up');
  });

  it('a command longer than the limit, naming the file line and length', async () => {
    const file = corpus('bambustudio-2.04-a1mini.gcode');
    const lines = readFileSync(file, 'latin1').split('\n');
    const idx = lines.findIndex((l) => stripComment(l).length > 40);
    const err = await usageError(scan(file, 40));
    expect(err.code).toBe('FILE_LINE_TOO_LONG');
    expect(err.message).toContain(`line ${idx + 1} is ${stripComment(lines[idx]!).length} bytes`);
    expect(err.message).toContain('at most 40');
  });
});

const names = readdirSync(corpusDir).filter((f) => f.endsWith('.gcode') && !f.includes('jpg-thumbnail-header-only'));

describe('scanGcodeFile on the corpus', () => {
  it.each(names)('%s: counts agree with a whole-file read; time map bounded and monotonic', async (name) => {
    const s = await scan(corpus(name), 200);
    const commands = readFileSync(corpus(name), 'latin1').split('\n').map((l) => stripComment(l.replace(/\r$/, ''))).filter((c) => c !== '');
    expect(s.commandCount).toBe(commands.length);
    expect(s.maxCommandLength).toBe(Math.max(...commands.map((c) => Buffer.byteLength(c, 'latin1'))));
    expect(s.hasM73).toBe(commands.some((c) => /^M73 .*P/.test(c)));
    const { bytes, seconds } = s.timeMap;
    expect(bytes.length).toBeLessThanOrEqual(2000);
    expect(bytes[0]).toBe(0);
    expect(bytes.at(-1)).toBe(s.sizeBytes);
    expect(seconds.at(-1)).toBeCloseTo(s.timing.motionS, 6);
    for (let i = 1; i < bytes.length; i++) {
      expect(bytes[i]!).toBeGreaterThan(bytes[i - 1]!);
      expect(seconds[i]!).toBeGreaterThanOrEqual(seconds[i - 1]!);
    }
  });

  // Layer counts: marker counts read from the files; Z-based counts for files without markers.
  it.each([
    ['cura-3.1-benchy-marlin.gcode', 'markers', 151],
    ['orcaslicer-2.3.0-ad5m-klipper-large.gcode', 'markers', 240],
    ['kisslicer-2.0.6-crlf.gcode', 'markers', 36],
    ['slic3rpe-1.33.3-benchy-arcwelder-1.2.0.gcode', 'z', 240], // 48 mm benchy at 0.2 mm
    ['slic3r-1.2.9-part.gcode', 'z', 77],
    ['cura-4.13.1-qoi-thumbnail-header-only.gcode', 'none', 0],
  ])('%s: %s layers, %i', async (name, source, count) => {
    const s = await scan(corpus(name), 200);
    expect([s.layerSource, s.layerCount]).toEqual([source, count]);
  });

  // The simple model against the slicers' own totals. Left out: Bambu (its total includes the
  // A1's minutes of calibration that the start G-code only triggers) and Kiri:Moto (the file
  // relies on the printer's print_start macro for relative E, so extrusion reads as travel).
  it.each([
    ['cura-3.1-benchy-marlin.gcode', 0.25], ['cura-4.10.0-reprap-crlf.gcode', 0.25], ['ideamaker-4.2.0-crlf.gcode', 0.25],
    ['kisslicer-2.0.6-crlf.gcode', 0.25], ['orcaslicer-2.3.0-ad5m-klipper-large.gcode', 0.25],
    ['prusaslicer-2.6.1-benchy-m73-thumbnails.gcode', 0.1], ['prusaslicer-2.7.4-screw-native-arcs-thumbnails.gcode', 0.1],
    ['simplify3d-4.1.2-part.gcode', 0.25], ['superslicer-2.3.56-arcwelder-thumbnails-crlf.gcode', 0.1],
  ])('%s: model time within ±%s of the slicer estimate; filament within 3 %', async (name, tolerance) => {
    const s = await scan(corpus(name), 200);
    const slicer = s.slicer.estimatedTimeS!;
    expect(Math.abs(s.timing.motionS / slicer - 1)).toBeLessThan(tolerance);
    if (!name.startsWith('ideamaker')) expect(Math.abs(s.filamentMm / s.slicer.filamentUsedMm! - 1)).toBeLessThan(0.03);
  });

  it('bounds the time map on a large file and scans at a useful speed', async () => {
    const parts = names.map((n) => readFileSync(corpus(n)));
    const file = write('large.gcode', Buffer.concat([...parts, ...parts]));
    const t0 = performance.now();
    const s = await scan(file, 200);
    const mbPerS = s.sizeBytes / 1e6 / ((performance.now() - t0) / 1000);
    expect(s.sizeBytes).toBeGreaterThan(25e6);
    expect(s.timeMap.bytes.length).toBeLessThanOrEqual(2000);
    expect(s.timeMap.bytes.length).toBeGreaterThan(500);
    expect(mbPerS).toBeGreaterThan(15); // ~75 MB/s measured on a 2-core VM; this only catches gross regressions
  });
});
