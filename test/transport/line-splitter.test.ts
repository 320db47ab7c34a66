// Framing and decoding of received bytes, byte by byte: the cases real printers produce.
import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/transport/line-splitter.js';
import { decodeLine } from '../../src/transport/decode-line.js';

function split(chunks: Array<string | number[]>, max?: number): { lines: string[]; pending: number } {
  const lines: string[] = [];
  const s = new LineSplitter((b) => lines.push(b.toString('latin1')), max);
  for (const c of chunks) s.push(typeof c === 'string' ? Buffer.from(c, 'latin1') : Buffer.from(c));
  return { lines, pending: s.pendingBytes };
}

describe('LineSplitter', () => {
  it.each([
    { name: 'one line', chunks: ['ok\n'], lines: ['ok'], pending: 0 },
    { name: 'several lines in one read', chunks: ['ok\nok\nstart\n'], lines: ['ok', 'ok', 'start'], pending: 0 },
    { name: 'a line over three reads', chunks: ['o', 'k T:2', '1\n'], lines: ['ok T:21'], pending: 0 },
    { name: 'tail kept, not emitted', chunks: ['ok\nech', 'o:bu'], lines: ['ok'], pending: 7 },
    { name: '\\n alone in a read', chunks: ['wait', '\n', '\n'], lines: ['wait', ''], pending: 0 },
    { name: 'CRLF passes through (decodeLine strips)', chunks: ['ok\r', '\n'], lines: ['ok\r'], pending: 0 },
  ])('$name', ({ chunks, lines, pending }) => {
    expect(split(chunks)).toEqual({ lines, pending });
  });

  it('cuts a runaway line into pieces of maxLineBytes and loses nothing', () => {
    const r = split(['abcdefghij', 'klmnopqrstuvwxy', 'z\nok\n'], 8);
    expect(r.lines).toEqual(['abcdefgh', 'ijklmnop', 'qrstuvwx', 'yz', 'ok']);
  });

  it('bounds memory while no \\n arrives', () => {
    const s = new LineSplitter(() => undefined, 16);
    for (let i = 0; i < 1000; i++) s.push(Buffer.from('xyz'));
    expect(s.pendingBytes).toBeLessThanOrEqual(16);
  });

  it('does not cut inside a UTF-8 character', () => {
    const lines: Buffer[] = [];
    const s = new LineSplitter((b) => lines.push(Buffer.from(b)), 8);
    s.push(Buffer.from('abcdef\u00e9\u00e9\n', 'utf8')); // é is 2 bytes: the cut at 8 falls between the two
    s.push(Buffer.from('abcdefg\u00e9h\n', 'utf8')); // cut at 8 falls inside é
    expect(lines.map((b) => b.toString('utf8'))).toEqual(['abcdef\u00e9', '\u00e9', 'abcdefg', '\u00e9h']);
  });

  it('reset() forgets a partial line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((b) => lines.push(b.toString()));
    s.push(Buffer.from('par'));
    s.reset();
    s.push(Buffer.from('ok\n'));
    expect(lines).toEqual(['ok']);
  });
});

describe('decodeLine', () => {
  it.each([
    { name: 'ASCII', bytes: [0x6f, 0x6b], text: 'ok' },
    { name: 'trailing CR', bytes: [0x6f, 0x6b, 0x0d], text: 'ok' },
    { name: 'NULs anywhere', bytes: [0x00, 0x00, 0x73, 0x74, 0x00, 0x61, 0x72, 0x74], text: 'start' },
    { name: 'valid UTF-8', bytes: [...Buffer.from('echo:Caf\u00e9 \u2713', 'utf8')], text: 'echo:Caf\u00e9 \u2713' },
    { name: 'invalid UTF-8 → Latin-1', bytes: [0x54, 0x3a, 0x32, 0x35, 0xb0, 0x43], text: 'T:25\u00b0C' },
    { name: 'truncated UTF-8 → Latin-1', bytes: [0x61, 0xc3], text: 'a\u00c3' },
    { name: 'only noise', bytes: [0x00, 0x0d, 0x00], text: '' },
  ])('$name', ({ bytes, text }) => {
    expect(decodeLine(Buffer.from(bytes))).toBe(text);
  });
});
