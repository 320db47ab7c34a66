import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stripComment } from '../../src/gcode/command.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import type { JobLine } from '../../src/job/job-line.js';
import { corpus, corpusDir } from './corpus.js';
import { readAll } from './replay.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'octoslack-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The obvious, whole-file way: what the streaming reader must agree with. */
function reference(file: string): { command: string; fileLine: number; byteEnd: number }[] {
  const out: { command: string; fileLine: number; byteEnd: number }[] = [];
  const data = readFileSync(file);
  let offset = 0;
  data.toString('latin1').split('\n').forEach((raw, i) => {
    offset = Math.min(data.length, offset + raw.length + 1);
    const command = stripComment(raw.replace(/\r$/, ''));
    if (command !== '') out.push({ command: Buffer.from(command, 'latin1').toString('utf8'), fileLine: i + 1, byteEnd: offset });
  });
  return out;
}

const files = readdirSync(corpusDir).filter((f) => f.endsWith('.gcode'));

describe('GcodeReader on every corpus file', () => {
  it.each(files)('%s: same commands, line numbers and byte offsets as a whole-file read', async (name) => {
    const lines = await readAll(corpus(name));
    expect(lines.map((l) => ({ command: l.command, fileLine: l.fileLine, byteEnd: l.byteEnd }))).toEqual(reference(corpus(name)));
  });

  it('ends exactly at the file size when the last line has no newline', async () => {
    const name = 'orcaslicer-2.3.0-ad5m-klipper-large.gcode';
    expect((await readAll(corpus(name))).at(-1)).toMatchObject({ command: 'M73 P100 R0', byteEnd: statSync(corpus(name)).size });
  });

  // Expected counts read from the files (grep of each slicer's marker form).
  it.each([
    ['bambustudio-2.04-a1mini.gcode', 1, 0.2],
    ['craftware-1.15-benchy.gcode', 151, undefined],
    ['cura-3.1-benchy-marlin.gcode', 151, undefined],
    ['cura-4.10.0-reprap-crlf.gcode', 25, undefined],
    ['ideamaker-4.2.0-crlf.gcode', 54, 0.5],
    ['kirimoto-3.0.gcode', 25, 0.255],
    ['kisslicer-2.0.6-crlf.gcode', 36, 0.263],
    ['orcaslicer-2.3.0-ad5m-klipper-large.gcode', 240, 0.2],
    ['prusaslicer-2.6.1-benchy-m73-thumbnails.gcode', 160, 0.3],
    ['prusaslicer-2.7.4-screw-native-arcs-thumbnails.gcode', 139, 0.3],
    ['simplify3d-4.1.2-part.gcode', 49, 0.48],
    ['superslicer-2.3.56-arcwelder-thumbnails-crlf.gcode', 25, 0.2],
    ['slic3r-1.2.9-part.gcode', 0, undefined],
    ['slic3rpe-1.33.3-benchy-arcwelder-1.2.0.gcode', 0, undefined],
  ])('%s: %i layer marks, first at z=%s', async (name, count, firstZ) => {
    const marks = (await readAll(corpus(name))).filter((l) => l.layer).map((l) => l.layer!);
    expect(marks.length).toBe(count);
    expect(marks.map((m) => m.index)).toEqual([...Array(count).keys()]);
    if (count > 0) expect(marks[0]!.z).toBe(firstZ);
  });

  it('puts Cura ;TIME_ELAPSED: and ideaMaker ;PRINTING_TIME: on the next command', async () => {
    const cura = (await readAll(corpus('cura-3.1-benchy-marlin.gcode'))).filter((l) => l.slicerElapsedS !== undefined);
    expect(cura.length).toBe(151);
    expect(cura[0]).toMatchObject({ slicerElapsedS: 61.960377, layer: { index: 1 } });
    const idea = (await readAll(corpus('ideamaker-4.2.0-crlf.gcode'))).filter((l) => l.slicerElapsedS !== undefined);
    expect(idea[1]!.slicerElapsedS).toBe(41);
  });
});

describe('GcodeReader streaming', () => {
  it('keeps the read-ahead bounded, survives a 5 MB comment line, and resumes at a byte offset', async () => {
    const file = path.join(tmp, 'big.gcode');
    const ws = createWriteStream(file);
    const thumb = '; ' + 'A'.repeat(10_000) + '\n';
    for (let i = 0; i < 2000; i++) {
      ws.write(`G1 X${i % 200} Y${i % 100} E${i}.5 ; move ${i}\n`.repeat(50));
      ws.write(thumb);
      if (i === 1000) ws.write(';' + 'B'.repeat(5_000_000) + '\nM117 after the long comment\n');
    }
    await new Promise<void>((r) => ws.end(r));
    const reader = await GcodeReader.open(file, { highWaterLines: 1000 });
    const maxPerChunk = 64 * 1024 / 10;
    let n = 0;
    let maxBuffered = 0;
    let sawAfter = false;
    let resumeAt: JobLine | undefined;
    for (;;) {
      maxBuffered = Math.max(maxBuffered, reader.buffered);
      const l = reader.shift();
      if (l) {
        n++;
        if (l.command === 'M117 after the long comment') sawAfter = true;
        if (n === 77_777) resumeAt = l;
        continue;
      }
      if (reader.finished) break;
      await reader.whenReadable();
    }
    await reader.close();
    expect(n).toBe(2000 * 50 + 1);
    expect(sawAfter).toBe(true);
    expect(maxBuffered).toBeLessThanOrEqual(1000 + maxPerChunk);
    const again = await GcodeReader.open(file, { start: { byteOffset: resumeAt!.byteEnd, fileLine: resumeAt!.fileLine } });
    await again.whenReadable();
    const next = again.shift()!;
    await again.close();
    const all = reference(file);
    const idx = all.findIndex((l) => l.fileLine === resumeAt!.fileLine);
    expect(next).toEqual(all[idx + 1]!);
  });

  it('resolves whenReadable at the end of an empty file, and close() mid-file is safe', async () => {
    const empty = path.join(tmp, 'empty.gcode');
    writeFileSync(empty, '; only a comment\n\n');
    const r = await GcodeReader.open(empty);
    await r.whenReadable();
    expect(r.shift()).toBeUndefined();
    expect(r.finished).toBe(true);
    await r.close();
    const r2 = await GcodeReader.open(corpus('orcaslicer-2.3.0-ad5m-klipper-large.gcode'));
    await r2.whenReadable();
    expect(r2.shift()).toBeDefined();
    await r2.close();
    await r2.close();
  });

  it('rejects whenReadable with the read error (not a hang)', async () => {
    const r = await GcodeReader.open(corpus('cura-3.1-benchy-marlin.gcode'), { highWaterLines: 10 });
    await r.whenReadable();
    while (r.shift()) { /* drain what is buffered */ }
    await (r as unknown as { fh: { close(): Promise<void> } }).fh.close(); // the file vanishes under us
    await expect(async () => {
      for (;;) {
        while (r.shift()) { /* drain */ }
        if (r.finished) return;
        await r.whenReadable();
      }
    }).rejects.toThrow();
  });
});
