// The combining rules of parity §7 as a table: grid shapes by count, canvas sizes with 10 px
// margins and gutters, each picture centred in a cell as large as the largest picture.
import { describe, expect, it } from 'vitest';
import { gridShape, planCanvas } from '../../../src/media/compose/layout.js';

describe('gridShape', () => {
  const grid: [number, number, number][] = [
    [1, 1, 1], [2, 2, 1], [3, 2, 2], [4, 2, 2], [5, 3, 2], [6, 3, 2],
    [7, 3, 3], [8, 3, 3], [9, 3, 3], [10, 4, 3], [11, 4, 3], [12, 4, 3], [13, 13, 1],
  ];
  it.each(grid)('GRID with %i pictures is %i×%i', (n, cols, rows) => {
    expect(gridShape(n, 'grid')).toEqual({ cols, rows });
  });
  it('HORIZONTAL is one row, VERTICAL one column', () => {
    expect(gridShape(5, 'horizontal')).toEqual({ cols: 5, rows: 1 });
    expect(gridShape(5, 'vertical')).toEqual({ cols: 1, rows: 5 });
  });
});

describe('planCanvas', () => {
  const big = { width: 320, height: 240 };
  const small = { width: 160, height: 120 };

  it('two pictures side by side: margins, gutter, the small one centred', () => {
    expect(planCanvas([big, small], 'horizontal')).toEqual({
      width: 10 + 320 + 10 + 320 + 10,
      height: 10 + 240 + 10,
      cols: 2,
      rows: 1,
      cell: big,
      positions: [{ x: 10, y: 10 }, { x: 340 + 80, y: 10 + 60 }],
    });
  });

  it('two pictures stacked', () => {
    const p = planCanvas([small, big], 'vertical');
    expect([p.width, p.height]).toEqual([340, 510]);
    expect(p.positions).toEqual([{ x: 90, y: 70 }, { x: 10, y: 260 }]);
  });

  it('five pictures in a 3×2 grid, filled row by row', () => {
    const p = planCanvas([big, big, big, big, small], 'grid');
    expect([p.width, p.height, p.cols, p.rows]).toEqual([10 + 3 * 320 + 2 * 10 + 10, 10 + 2 * 240 + 10 + 10, 3, 2]);
    expect(p.positions[3]).toEqual({ x: 10, y: 260 });
    expect(p.positions[4]).toEqual({ x: 340 + 80, y: 260 + 60 });
  });

  it('odd differences round down (no half pixels)', () => {
    const p = planCanvas([{ width: 101, height: 51 }, { width: 100, height: 50 }], 'horizontal');
    expect(p.positions[1]).toEqual({ x: 10 + 101 + 10, y: 10 });
  });
});
