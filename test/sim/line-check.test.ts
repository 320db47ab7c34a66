import { describe, expect, it } from 'vitest';
import {
  checkLine,
  ERR_CHECKSUM,
  ERR_LINE_NUMBER,
  ERR_NO_CHECKSUM,
  LINE_OK,
  type LineInfo,
  normalizeCommand,
  strtol,
} from '../../src/sim/line-check.js';
import { frame } from './sim-harness.js';

const check = (line: string, lastN: number): [number, LineInfo] => {
  const info: LineInfo = { numbered: false, n: -99 };
  return [checkLine(line, lastN, info), info];
};

describe('checkLine (Marlin queue.cpp order: line number, checksum, no checksum)', () => {
  it.each([
    // framed examples from marlin-protocol.md §3
    ['N0 M110 N0*125', 5, LINE_OK, 0],
    ['N1 M115*39', 0, LINE_OK, 1],
    ['N1 M105*38', 0, LINE_OK, 1],
    ['N2 M105*37', 1, LINE_OK, 2],
    ['N-1 M110 N-1*125', 40, LINE_OK, -1],
    ['N3 G1 X10 Y10 E1 F1200*27', 2, LINE_OK, 3],
    ['N123 G1 X1.5*122', 122, LINE_OK, 123],
    // M110 takes its own N, whatever the line's N
    [frame(5, 'M110 N0'), 17, LINE_OK, 0],
  ])('%s after %i is accepted as line %i', (line, last, code, n) => {
    const [c, info] = check(line, last);
    expect(c).toBe(code);
    expect(info).toEqual({ numbered: true, n });
  });

  it('rejects a line number that is not last + 1 before looking at the checksum', () => {
    expect(check('N3 M105*36', 1)[0]).toBe(ERR_LINE_NUMBER);
    expect(check('N3 M105*0', 1)[0]).toBe(ERR_LINE_NUMBER);
  });

  it('rejects a wrong checksum and a missing one', () => {
    expect(check('N2 M105*38', 1)[0]).toBe(ERR_CHECKSUM);
    expect(check('N2 M105', 1)[0]).toBe(ERR_NO_CHECKSUM);
  });

  it('accepts un-numbered lines unchecked and leaves the line number alone', () => {
    expect(check('M105', 7)).toEqual([LINE_OK, { numbered: false, n: 7 }]);
    expect(check('G1 X5*99', 7)[0]).toBe(LINE_OK);
  });

  it('any single changed byte fails the check', () => {
    const good = frame(42, 'G1 X12.5 Y7 E0.123 F1800');
    for (let i = 0; i < good.length; i++) {
      const bad = good.slice(0, i) + String.fromCharCode(good.charCodeAt(i) ^ 0x04) + good.slice(i + 1);
      if (bad.charCodeAt(0) !== 78) continue; // N turned into another letter: un-numbered, unchecked
      expect(check(bad, 41)[0], bad).not.toBe(LINE_OK);
    }
  });
});

describe('normalizeCommand', () => {
  it.each([
    ['N12 G1 X5*99', 'G1 X5'],
    ['  N-1 M110 N-1*125', 'M110 N-1'],
    ['G28', 'G28'],
    ['M117 Hello  *12', 'M117 Hello'],
    ['N5 *7', ''],
  ])('%j -> %j', (line, text) => expect(normalizeCommand(line)).toBe(text));
});

describe('strtol', () => {
  it('reads like C strtol', () => {
    expect(strtol('N123 G1', 1)).toBe(123);
    expect(strtol('*-12', 1)).toBe(-12);
    expect(strtol('* 7', 1)).toBe(7);
    expect(strtol('*x', 1)).toBe(0);
  });
});
