// Where each picture goes when several cameras become one picture (parity §7), pure so the rules
// are tested as a table: a black canvas, 10 px margins around it and 10 px gutters between cells,
// every cell as large as the largest picture, each picture centred in its cell, cells filled row
// by row. HORIZONTAL is one row, VERTICAL one column, GRID has the old plugin's shapes
// (2→2×1, 3–4→2×2, 5–6→3×2, 7–9→3×3, 10–12→4×3) and falls back to one row above 12.
import type { Size } from '../capture/jpeg.js';

export type CombineLayout = 'horizontal' | 'vertical' | 'grid';

export const MARGIN_PX = 10;
export const GUTTER_PX = 10;
export const GRID_MAX = 12;

export function gridShape(count: number, layout: CombineLayout): { cols: number; rows: number } {
  const n = Math.max(1, count);
  if (layout === 'vertical') return { cols: 1, rows: n };
  if (layout === 'horizontal' || n > GRID_MAX) return { cols: n, rows: 1 };
  if (n === 1) return { cols: 1, rows: 1 };
  if (n === 2) return { cols: 2, rows: 1 };
  if (n <= 4) return { cols: 2, rows: 2 };
  if (n <= 6) return { cols: 3, rows: 2 };
  if (n <= 9) return { cols: 3, rows: 3 };
  return { cols: 4, rows: 3 };
}

export interface CanvasPlan {
  width: number;
  height: number;
  cols: number;
  rows: number;
  cell: Size;
  /** Top-left corner of each picture, in the order given. */
  positions: { x: number; y: number }[];
}

export function planCanvas(sizes: readonly Size[], layout: CombineLayout): CanvasPlan {
  const { cols, rows } = gridShape(sizes.length, layout);
  const cell = {
    width: Math.max(1, ...sizes.map((s) => s.width)),
    height: Math.max(1, ...sizes.map((s) => s.height)),
  };
  const positions = sizes.map((s, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    return {
      x: MARGIN_PX + col * (cell.width + GUTTER_PX) + Math.floor((cell.width - s.width) / 2),
      y: MARGIN_PX + row * (cell.height + GUTTER_PX) + Math.floor((cell.height - s.height) / 2),
    };
  });
  return {
    width: 2 * MARGIN_PX + cols * cell.width + (cols - 1) * GUTTER_PX,
    height: 2 * MARGIN_PX + rows * cell.height + (rows - 1) * GUTTER_PX,
    cols,
    rows,
    cell,
    positions,
  };
}
