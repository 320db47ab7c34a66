// decodeLineBytes: UTF-8 when valid, else Latin-1; NULs and CRs dropped (marlin-protocol.md §1).
import { describe, expect, it } from 'vitest';
import { decodeLineBytes } from '../../src/marlin/decode.js';

const bytes = (...b: number[]) => Uint8Array.from(b);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('decodeLineBytes', () => {
  it('decodes ASCII and drops a trailing CR', () => {
    expect(decodeLineBytes(ascii('ok T:21.5 /0.0\r'))).toBe('ok T:21.5 /0.0');
  });

  it('drops NULs anywhere', () => {
    expect(decodeLineBytes(ascii('\0\0ok\0 N1\0'))).toBe('ok N1');
    expect(decodeLineBytes(bytes(0, 0, 0))).toBe('');
  });

  it('keeps valid UTF-8', () => {
    expect(decodeLineBytes(Uint8Array.from(Buffer.from('echo:Temp 200°C Grüße', 'utf8')))).toBe('echo:Temp 200°C Grüße');
  });

  it('falls back to Latin-1 for invalid UTF-8, keeping every byte', () => {
    // 0xB0 alone is the Latin-1 degree sign, invalid as UTF-8.
    expect(decodeLineBytes(bytes(0x54, 0x3a, 0x32, 0x30, 0xb0))).toBe('T:20°');
    expect(decodeLineBytes(bytes(0xff, 0xfe, 0x6f, 0x6b))).toBe('ÿþok');
    // A truncated multi-byte sequence (reset mid-character).
    expect(decodeLineBytes(bytes(0x6f, 0x6b, 0xe2, 0x82))).toBe('okâ\u0082');
  });

  it('drops NUL and CR before deciding between UTF-8 and Latin-1', () => {
    expect(decodeLineBytes(bytes(0xc2, 0x00, 0xb0, 0x0d))).toBe('°');
  });

  it('handles empty and very long lines', () => {
    expect(decodeLineBytes(new Uint8Array(0))).toBe('');
    const long = new Uint8Array(100_000).fill(0xe9); // invalid UTF-8 → Latin-1 'é' × 100k
    const s = decodeLineBytes(long);
    expect(s.length).toBe(100_000);
    expect(s[0]).toBe('é');
    expect(s.at(-1)).toBe('é');
  });
});
