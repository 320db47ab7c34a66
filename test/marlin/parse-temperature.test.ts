// Temperature report formats (marlin-protocol.md §7, §15.10), through parseLine.
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

const report = (heaters: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  kind: 'temperature',
  report: { heaters, ...extra },
});

describe('parse temperature', () => {
  it.each([
    [' T:21.56 /0.00 B:21.30 /0.00 @:0 B@:0', report({ T0: { actual: 21.56, target: 0, power: 0 }, B: { actual: 21.3, target: 0, power: 0 } })],
    [
      ' T:22.50 /30.00 B:19.37 /0.00 @:17 B@:0 W:?',
      report({ T0: { actual: 22.5, target: 30, power: 17 }, B: { actual: 19.37, target: 0, power: 0 } }, { waitRemaining: 'unknown' }),
    ],
    [' T:22.50 /30.00 W:12', report({ T0: { actual: 22.5, target: 30 } }, { waitRemaining: 12 })],
    ['T:25.3 E:0 W:?', report({ T0: { actual: 25.3 } }, { waitRemaining: 'unknown' })],
    ['T:25.3 E:1 W:?', report({ T1: { actual: 25.3 } }, { waitRemaining: 'unknown' })],
    ['T:21.84 E:0 B:23.0', report({ T0: { actual: 21.84 }, B: { actual: 23 } })],
    ['T:21.3/ 0.0', report({ T0: { actual: 21.3, target: 0 } })],
    ['T:23.0/220.0 B:60.0/70.0', report({ T0: { actual: 23, target: 220 }, B: { actual: 60, target: 70 } })],
    ['T:25.0', report({ T0: { actual: 25 } })],
    ['T:-15.5 /0.00 B:-0.5 /0.00', report({ T0: { actual: -15.5, target: 0 }, B: { actual: -0.5, target: 0 } })],
    [
      'T:21.56 /0.00 (4067.00) B:21.30 /0.00 (3980.00) @:0 B@:0',
      report({ T0: { actual: 21.56, target: 0, power: 0 }, B: { actual: 21.3, target: 0, power: 0 } }),
    ],
    ['T:13.68 /0 B:59.95 /60 B@:255 @:0', report({ T0: { actual: 13.68, target: 0, power: 0 }, B: { actual: 59.95, target: 60, power: 255 } })],
    ['B:23.8 /0.0 T0:24.1 /0.0', report({ B: { actual: 23.8, target: 0 }, T0: { actual: 24.1, target: 0 } })],
    [
      'T:20.0 /0.0 B:20.5 /0.0 C:25.18 /40.0 L:10.0 /5.0 P:36.7 M:40.2 R:20.1 @:0 B@:0 C@:80',
      report({
        T0: { actual: 20, target: 0, power: 0 },
        B: { actual: 20.5, target: 0, power: 0 },
        C: { actual: 25.18, target: 40, power: 80 },
        L: { actual: 10, target: 5 },
        P: { actual: 36.7 },
        M: { actual: 40.2 },
        R: { actual: 20.1 },
      }),
    ],
    [
      'T:210.6 /210.0 B:59.7 /60.0 T0:210.6 /210.0 @:25 B@:48 P:36.7 A:41.3',
      report({
        T0: { actual: 210.6, target: 210, power: 25 },
        B: { actual: 59.7, target: 60, power: 48 },
        P: { actual: 36.7 },
        A: { actual: 41.3 },
      }),
    ],
  ])('%j', (line, want) => {
    expect(p(line)).toEqual(want);
  });

  it('two hotends: T: is dropped when T0: is present; @0:/@1: are per tool', () => {
    expect(p('ok T:210.00 /210.00 B:60.00 /60.00 T0:210.00 /210.00 T1:25.00 /0.00 @:127 B@:64 @0:127 @1:0')).toEqual({
      kind: 'ok',
      temperature: {
        heaters: {
          T0: { actual: 210, target: 210, power: 127 },
          T1: { actual: 25, target: 0, power: 0 },
          B: { actual: 60, target: 60, power: 64 },
        },
      },
    });
  });

  it('T: with T1: but no T0: is T0 (Smoothieware)', () => {
    expect(p('T:23.0 /0 T1:42.0 /0')).toEqual(report({ T0: { actual: 23, target: 0 }, T1: { actual: 42, target: 0 } }));
  });

  it('the first reading of a name wins', () => {
    expect(p('T:210.04 /210.00 B:52.00 /52.00 @:85 B:1234.0 /1234.0')).toEqual(
      report({ T0: { actual: 210.04, target: 210, power: 85 }, B: { actual: 52, target: 52 } }),
    );
  });

  it('ignores names that are not heaters and glued garbage', () => {
    expect(p('T:210.04 /210.00 B:52.00 /52.00 @:85 F0:255.0 /255.0')).toEqual(
      report({ T0: { actual: 210.04, target: 210, power: 85 }, B: { actual: 52, target: 52 } }),
    );
    expect(p('T:210.04 /210.00 @B:52.00 /52.00 TXYZ:2')).toEqual(report({ T0: { actual: 210.04, target: 210 } }));
    expect(p('T:210.04 /210.00 B:52.00 /52.00 @:85 B@:31pS_XYZ:5')).toEqual(
      report({ T0: { actual: 210.04, target: 210, power: 85 }, B: { actual: 52, target: 52, power: 31 } }),
    );
  });

  it('Repetier target echoes become targets without readings', () => {
    expect(p('TargetExtr0:220')).toEqual(report({}, { targets: { T0: 220 } }));
    expect(p('TargetExtr1:200')).toEqual(report({}, { targets: { T1: 200 } }));
    expect(p('TargetBed:60')).toEqual(report({}, { targets: { B: 60 } }));
  });

  it('a delta Count A: B: line is a position, not ambient and bed', () => {
    expect(p('X:0.00 Y:0.00 Z:10.00 E:0.00 Count A:1000 B:1000 C:1000').kind).toBe('position');
  });

  it('numbers that are not readings are skipped', () => {
    expect(p('T:nan /0.00 B:21.30 /0.00')).toEqual(report({ B: { actual: 21.3, target: 0 } }));
    expect(p(`T:${'9'.repeat(400)} B:20`)).toEqual(report({ B: { actual: 20 } }));
    expect(p('T:abc B:def').kind).toBe('unknown');
  });
});
