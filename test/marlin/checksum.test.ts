// Framing vectors from marlin-protocol.md §3, and the UTF-8 path checked against Node's encoder.
import { describe, expect, it } from 'vitest';
import { checksum, frameLine, MAX_FRAMED_LINE, wireLength } from '../../src/marlin/checksum.js';
import { seededRandom } from '../../src/sim/prng.js';

function referenceChecksum(s: string): number {
  const star = s.indexOf('*');
  let cs = 0;
  for (const b of Buffer.from(star >= 0 ? s.slice(0, star) : s, 'utf8')) cs ^= b;
  return cs;
}

/** Seeded PRNG (mulberry32) so failures reproduce. */
const rng = seededRandom;

describe('frameLine', () => {
  it.each([
    [0, 'M110 N0', 'N0 M110 N0*125'],
    [1, 'M115', 'N1 M115*39'],
    [1, 'M105', 'N1 M105*38'],
    [2, 'M105', 'N2 M105*37'],
    [-1, 'M110 N-1', 'N-1 M110 N-1*125'],
    [3, 'G1 X10 Y10 E1 F1200', 'N3 G1 X10 Y10 E1 F1200*27'],
    [123, 'G1 X1.5', 'N123 G1 X1.5*122'],
  ])('N%d %s', (lineNo, command, framed) => {
    expect(frameLine(lineNo, command)).toBe(framed);
  });
});

describe('checksum', () => {
  it('stops at the first *', () => {
    expect(checksum('N1 M115*39')).toBe(39);
    expect(checksum('N1 M115')).toBe(39);
  });

  it('is 0 for the empty string', () => {
    expect(checksum('')).toBe(0);
  });

  it('XORs the UTF-8 bytes of non-ASCII text, as the transport sends them', () => {
    for (const s of ['M117 200°C', 'M117 Grüße', 'M117 温度', 'M117 🙂 ok', 'M117 lone \ud800 high', 'M117 lone \udc00 low']) {
      expect(checksum(s), s).toBe(referenceChecksum(s));
    }
  });

  it('matches the reference on random strings', () => {
    const r = rng(42);
    for (let n = 0; n < 2000; n++) {
      let s = '';
      const len = Math.floor(r() * 40);
      for (let i = 0; i < len; i++) {
        const k = r();
        s += String.fromCharCode(k < 0.7 ? 32 + Math.floor(r() * 95) : k < 0.9 ? Math.floor(r() * 0x800) : Math.floor(r() * 0x10000));
      }
      expect(checksum(s), JSON.stringify(s)).toBe(referenceChecksum(s));
      expect(wireLength(s), JSON.stringify(s)).toBe(Buffer.byteLength(s, 'utf8'));
    }
  });
});

describe('MAX_FRAMED_LINE', () => {
  it('is Marlin MAX_CMD_SIZE (96) minus the terminator', () => {
    expect(MAX_FRAMED_LINE).toBe(95);
  });

  it('wireLength counts bytes, not UTF-16 units', () => {
    expect(wireLength('N1 M117 °*0')).toBe(12);
    expect(wireLength('🙂')).toBe(4);
  });
});
