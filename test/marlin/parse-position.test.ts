// M114 / M154 position reports (marlin-protocol.md §8).
import { describe, expect, it } from 'vitest';
import { p } from './helpers.js';

describe('parse position', () => {
  it.each([
    ['X:10.00 Y:20.00 Z:0.30 E:1.23 Count X:800 Y:1600 Z:120', { x: 10, y: 20, z: 0.3, e: 1.23 }],
    ['X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0', { x: 0, y: 0, z: 0, e: 0 }],
    ['X:150.0000 Y:10.0000 Z:20.0000 E:25.4821 Count A:12800 B:11200 Z:8000', { x: 150, y: 10, z: 20, e: 25.4821 }],
    ['X:96.99 Y:88.31 Z:0.30 E0:0.0 E1:0.0 E2:0.0', { x: 96.99, y: 88.31, z: 0.3, e: 0 }],
    ['X:150.0 Y:150.0 Z:  0.7 E:  0.0', { x: 150, y: 150, z: 0.7, e: 0 }],
    ['X:1.00 Y:2.00 Z:3.00 I:4.00 J:5.00 E:6.00 Count X:1 Y:2 Z:3', { x: 1, y: 2, z: 3, e: 6 }],
    ['X:-34.00 Y:-8.00 Z:4.00', { x: -34, y: -8, z: 4 }],
  ])('%j', (line, position) => {
    expect(p(line)).toEqual({ kind: 'position', position });
  });

  it('needs X, Y and Z', () => {
    expect(p('X:1.00 Y:2.00').kind).toBe('unknown');
    expect(p('X: Y:2 Z:3').kind).toBe('unknown');
  });
});
