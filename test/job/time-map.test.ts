import { describe, expect, it } from 'vitest';
import { TimeMapBuilder, TimeMapCursor, timeAt } from '../../src/job/time-map.js';

describe('TimeMap', () => {
  it('keeps at most maxPoints, halving the sampling when full, and ends at the file size', () => {
    const b = new TimeMapBuilder(10, 100);
    let calls = 0;
    for (let byte = 1; byte <= 100_000; byte++) {
      if (byte >= b.nextAt) {
        b.add(byte, byte / 1000);
        calls++;
      }
    }
    const map = b.build(100_500, 100, 100_000);
    expect(calls).toBeGreaterThan(10);
    expect(map.bytes.length).toBeLessThanOrEqual(10);
    expect(map.bytes[0]).toBe(0);
    expect(map.bytes.slice(-2)).toEqual([100_000, 100_500]);
    expect(map.seconds.slice(-2)).toEqual([100, 100]);
  });

  it('interpolates between checkpoints; the cursor agrees with the binary search', () => {
    const map = { bytes: [0, 100, 300, 400], seconds: [0, 10, 20, 60], totalS: 60 };
    expect([timeAt(map, -5), timeAt(map, 50), timeAt(map, 100), timeAt(map, 200), timeAt(map, 350), timeAt(map, 999)]).toEqual([0, 5, 10, 15, 40, 60]);
    const c = new TimeMapCursor(map);
    for (const byte of [0, 1, 50, 99, 100, 150, 299, 300, 301, 399, 400, 401]) expect(c.at(byte)).toBe(timeAt(map, byte));
    expect(c.at(20)).toBe(2); // going back (a resume) still answers correctly
  });
});
