// `ok` in all its forms (marlin-protocol.md §4, §7, §15.9-10).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse ok', () => {
  it.each([
    ['ok', { kind: 'ok' }],
    ['ok ', { kind: 'ok' }],
    ['ok\r', { kind: 'ok' }],
    ['ok N123 P15 B3', { kind: 'ok', lineNo: 123, plannerFree: 15, bufferFree: 3 }],
    ['ok P127 B31', { kind: 'ok', plannerFree: 127, bufferFree: 31 }],
    ['ok N0 P15 B3', { kind: 'ok', lineNo: 0, plannerFree: 15, bufferFree: 3 }],
    ['ok N:12', { kind: 'ok', lineNo: 12 }],
    ['ok 103256', { kind: 'ok', lineNo: 103256 }],
    ['ok 0', { kind: 'ok', lineNo: 0 }],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual(want);
  });

  it('carries the M105 report: ok leads the temperature line', () => {
    expect(p('ok T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0')).toEqual({
      kind: 'ok',
      temperature: {
        heaters: { T0: { actual: 21.56, target: 0, power: 0 }, B: { actual: 21.3, target: 0, power: 0 } },
      },
    });
  });

  it('reads ADVANCED_OK B3 as free slots and B: as the bed', () => {
    expect(p('ok N12 P15 B3 T:210.0 /210.0 B:60.0 /60.0')).toEqual({
      kind: 'ok',
      lineNo: 12,
      plannerFree: 15,
      bufferFree: 3,
      temperature: { heaters: { T0: { actual: 210, target: 210 }, B: { actual: 60, target: 60 } } },
    });
  });

  it('carries a position when ok shares M114 line, ignoring Count A: B: C:', () => {
    expect(p('ok X:62.417 Y:64.781 Z:0.2 E:2.72328 Count: A:6241 B:6478 C:20')).toEqual({
      kind: 'ok',
      position: { x: 62.417, y: 64.781, z: 0.2, e: 2.72328 },
    });
    expect(p('ok C: X:0.0000 Y:0.0000 Z:0.0000 E:0.0000')).toEqual({
      kind: 'ok',
      position: { x: 0, y: 0, z: 0, e: 0 },
    });
  });

  it('ok T:0 is a report of 0 °C, not a line number', () => {
    expect(p('ok T:0')).toEqual({ kind: 'ok', temperature: { heaters: { T0: { actual: 0 } } } });
  });

  it.each(['okay', 'ok:', 'oK', 'Ok then', 'ok_go', 'okN12'])('%j is not an ok', (line) => {
    expect(p(line).kind).not.toBe('ok');
  });

  it('ignores malformed ADVANCED_OK words instead of guessing', () => {
    expect(p('ok N12x P15')).toEqual({ kind: 'ok' });
    expect(p('ok N99999999999999999999')).toEqual({ kind: 'ok' });
  });
});
