import { describe, expect, it } from 'vitest';
import { LineSplitter, type LineSink } from '../../src/job/line-splitter.js';

interface Got { text: string; lineNo: number; byteEnd: number; length: number }

function split(input: string | Buffer, chunkSizes: number[], maxCarry?: number): Got[] {
  const got: Got[] = [];
  const sink: LineSink = {
    line: (buf, s, e, lineNo, byteEnd, length) => got.push({ text: buf.toString('latin1', s, e), lineNo, byteEnd, length }),
  };
  const sp = new LineSplitter(sink, 0, 0, maxCarry);
  const data = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  let pos = 0;
  let i = 0;
  while (pos < data.length) {
    const n = chunkSizes[i++ % chunkSizes.length]!;
    // Copy into a reused scratch buffer: the splitter must not keep references to chunks.
    const scratch = Buffer.alloc(n, 0x41);
    const len = data.copy(scratch, 0, pos, pos + n);
    sp.feed(scratch.subarray(0, len));
    scratch.fill(0x5a);
    pos += len;
  }
  sp.finish();
  return got;
}

describe('LineSplitter', () => {
  const text = 'G28\r\n;LAYER:0\nG1 X1 Y2\r\n\r\n  \nG1 E5';

  it('splits LF, CRLF and a missing final newline, with 1-based numbers and byte ends', () => {
    expect(split(text, [1 << 16])).toEqual([
      { text: 'G28', lineNo: 1, byteEnd: 5, length: 4 },
      { text: ';LAYER:0', lineNo: 2, byteEnd: 14, length: 8 },
      { text: 'G1 X1 Y2', lineNo: 3, byteEnd: 24, length: 9 },
      { text: '', lineNo: 4, byteEnd: 26, length: 1 },
      { text: '  ', lineNo: 5, byteEnd: 29, length: 2 },
      { text: 'G1 E5', lineNo: 6, byteEnd: 34, length: 5 },
    ]);
  });

  it('gives the same lines whatever the chunk boundaries (CR and LF split apart included)', () => {
    const whole = split(text, [1 << 16]);
    for (const sizes of [[1], [2], [3], [4, 1], [5], [7, 2, 1], [13]]) expect(split(text, sizes), String(sizes)).toEqual(whole);
  });

  it('keeps only the head of a line longer than the cap but reports its true length', () => {
    const long = ';' + 'x'.repeat(100_000);
    const got = split(`G1 X1\n${long}\nG1 X2\n`, [4096], 1024);
    expect(got.map((g) => g.text.slice(0, 5))).toEqual(['G1 X1', ';xxxx', 'G1 X2']);
    expect(got[1]!.text.length).toBe(1024);
    expect(got[1]!.length).toBe(long.length);
    expect(got[2]!.byteEnd).toBe(6 + long.length + 1 + 6);
  });

  it('emits nothing for empty input and one line for a file without newline', () => {
    expect(split('', [10])).toEqual([]);
    expect(split('M84', [2])).toEqual([{ text: 'M84', lineNo: 1, byteEnd: 3, length: 3 }]);
  });
});
