// Bad G-code input must give a clear UsageError or be read without loss — never a crash, a hang,
// or an error of another kind. Seeded, so a failure is reproducible.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCommand, stripComment } from '../../src/gcode/command.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import { UsageError } from '../../src/util/errors.js';
import { seededRandom } from '../../src/sim/prng.js';

const mulberry32 = seededRandom;

const dir = mkdtempSync(path.join(os.tmpdir(), 'octoslack-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKENS = ['G1', 'G0', 'M104', 'S200', 'X', 'Y10.5', 'E-1', 'F1200', ';', ';LAYER:', ';LAYER_CHANGE', ';Z:', ' ', '\t', '\r\n', '\n', '(', ')', '*', 'N12', 'G2 I5 J0', 'G91', 'G92 E0', 'M73 P', 'R', '\u00e9', '\ufffd', '0', '9', '.', '-'];

function randomText(rnd: () => number, length: number): string {
  let s = '';
  while (s.length < length) {
    s += TOKENS[Math.floor(rnd() * TOKENS.length)]!;
    if (rnd() < 0.08) s += '\n'; // keep most commands under the length limit
  }
  return s;
}

async function readAll(file: string): Promise<string[]> {
  const r = await GcodeReader.open(file);
  const out: string[] = [];
  for (;;) {
    const l = r.shift();
    if (l) { out.push(l.command); continue; }
    if (r.finished) break;
    await r.whenReadable();
  }
  await r.close();
  return out;
}

describe('G-code input fuzz', () => {
  it('random token soup: the scan accepts or refuses with a UsageError, and the reader loses nothing', async () => {
    const rnd = mulberry32(42);
    let accepted = 0;
    for (let i = 0; i < 150; i++) {
      const text = randomText(rnd, Math.floor(rnd() * 20_000));
      const file = path.join(dir, `soup-${i}.gcode`);
      writeFileSync(file, text);
      let scan;
      try {
        scan = await scanGcodeFile(file, { maxCommandLength: 80 });
      } catch (err) {
        expect(err, `file ${i}`).toBeInstanceOf(UsageError);
        continue;
      }
      const expected = text.split(/\r?\n/).map(stripComment).filter((l) => l.length > 0);
      const read = await readAll(file);
      expect(read, `file ${i}`).toEqual(expected);
      expect(scan.commandCount).toBe(expected.length);
      accepted++;
    }
    expect(accepted).toBeGreaterThan(30); // the comparison above really ran
  });

  it('random bytes are refused as binary, with a clear message', async () => {
    const rnd = mulberry32(7);
    for (let i = 0; i < 30; i++) {
      const bytes = Buffer.alloc(1000 + Math.floor(rnd() * 50_000));
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rnd() * 256);
      const file = path.join(dir, `bytes-${i}.bin`);
      writeFileSync(file, bytes);
      await expect(scanGcodeFile(file, { maxCommandLength: 80 })).rejects.toSatisfy((e: unknown) => e instanceof UsageError && /binary|not G-code|text/i.test((e as Error).message));
    }
  });

  it('a single 5 MB line without newline is refused quickly', async () => {
    const file = path.join(dir, 'one-line.gcode');
    writeFileSync(file, `G1 X${'1'.repeat(5_000_000)}`);
    const t0 = performance.now();
    await expect(scanGcodeFile(file, { maxCommandLength: 80 })).rejects.toThrow(/line 1/);
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('parseCommand never throws and always returns a code it could find', () => {
    const rnd = mulberry32(3);
    for (let i = 0; i < 100_000; i++) {
      const c = parseCommand(randomText(rnd, Math.floor(rnd() * 60)));
      expect(typeof c.code).toBe('string');
      if (c.code) expect(c.code).toMatch(/^[A-Z]\d+(\.\d+)?$/);
    }
  });
});
