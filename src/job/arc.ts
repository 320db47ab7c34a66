// Geometry of G2/G3 arcs in the XY plane, for the time model: length, radius and the tangent
// directions at both ends (junction speeds need them). Centre from I/J (offset from the start,
// ArcWelder and PrusaSlicer's native arcs) or from R (negative R = the long way round).
//
//   G3 X75.225 Y85.483 I5.966 J7.580 E2.30279      (ArcWelder, counter-clockwise)
//   G2 X77.257 Y80.128 I-16.413 J-19.464 E-.91615  (PrusaSlicer 2.7, clockwise)

export interface ArcGeometry {
  /** Path length in XY (mm). */
  length: number;
  radius: number;
  /** Unit tangents at the start and the end, in the direction of travel. */
  sx: number;
  sy: number;
  ex: number;
  ey: number;
}

const TWO_PI = 2 * Math.PI;

/**
 * Arc from (x0,y0) to (x1,y1). `i`,`j` = centre offset from the start, or NaN when `r` is used.
 * Returns undefined for a degenerate arc (no radius), which the caller treats as a straight move.
 */
export function arcGeometry(
  x0: number, y0: number, x1: number, y1: number,
  i: number, j: number, r: number, clockwise: boolean,
): ArcGeometry | undefined {
  let cx: number;
  let cy: number;
  if (!Number.isNaN(i) || !Number.isNaN(j)) {
    cx = x0 + (Number.isNaN(i) ? 0 : i);
    cy = y0 + (Number.isNaN(j) ? 0 : j);
  } else if (!Number.isNaN(r) && r !== 0) {
    const c = rCentre(x0, y0, x1, y1, r, clockwise);
    if (!c) return undefined;
    [cx, cy] = c;
  } else {
    return undefined;
  }
  const rx0 = x0 - cx;
  const ry0 = y0 - cy;
  const rx1 = x1 - cx;
  const ry1 = y1 - cy;
  const radius = Math.hypot(rx0, ry0);
  if (!(radius > 1e-9)) return undefined;
  const a0 = Math.atan2(ry0, rx0);
  const a1 = Math.atan2(ry1, rx1);
  let sweep = clockwise ? a0 - a1 : a1 - a0;
  // Marlin: same start and end point means a full circle.
  if (sweep <= 1e-9) sweep += TWO_PI;
  const r1 = Math.hypot(rx1, ry1) || radius;
  // Tangent = radius vector turned by -90° (clockwise) or +90° (counter-clockwise).
  const sgn = clockwise ? 1 : -1;
  return {
    length: sweep * radius,
    radius,
    sx: (sgn * ry0) / radius,
    sy: (-sgn * rx0) / radius,
    ex: (sgn * ry1) / r1,
    ey: (-sgn * rx1) / r1,
  };
}

/** Centre of the R-form arc; negative R picks the centre for the arc longer than 180°. */
function rCentre(x0: number, y0: number, x1: number, y1: number, r: number, clockwise: boolean): [number, number] | undefined {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const d = Math.hypot(dx, dy);
  if (d === 0 || d > 2 * Math.abs(r) + 1e-9) return undefined;
  const h = Math.sqrt(Math.max(0, r * r - (d * d) / 4));
  // Unit normal to the chord; which side depends on direction and the sign of R.
  let nx = -dy / d;
  let ny = dx / d;
  if (clockwise !== r < 0) {
    nx = -nx;
    ny = -ny;
  }
  return [x0 + dx / 2 + nx * h, y0 + dy / 2 + ny * h];
}
