// Steady demand for the link targets (S1, S3–S6): nothing but 1.000 mm G1 segments around one
// 30 mm-radius ring at one feedrate, round and round at one height, so the file asks for exactly
// feedrate ÷ 1 mm lines per second the whole time — no purge line, travel, layer change (a Z move
// is 40 ms at Marlin's 5 mm/s) or shrinking inner rings, as in gcode-generator's 'segments'
// files, to lower the demand and hide a slow link behind a slow file. Relative E (M83) keeps
// every line the same length: ~30 bytes, ~40 framed — the real-world 38.5 B of performance.md §1.
import { writeFileSync } from 'node:fs';

const RADIUS = 30;
const CX = 110;
const CY = 110;
/** Extrusion per mm: 0.45 × 0.2 mm bead of 1.75 mm filament. */
const E_PER_MM = (0.45 * 0.2) / (Math.PI * 0.875 ** 2);

export interface SteadySpec {
  /** Print moves. */
  segments: number;
  /** mm/s. */
  feedrate: number;
}

const f3 = (v: number): string => v.toFixed(3).replace(/\.?0+$/, '');

/** Write the file; returns the number of commands. */
export function writeSteadyGcode(file: string, spec: SteadySpec): number {
  const dTheta = 2 * Math.asin(0.5 / RADIUS); // a chord of exactly 1 mm
  const perRing = Math.floor((2 * Math.PI) / dTheta);
  const lines = [
    `; octoslack bench: ${spec.segments} segments of 1 mm at ${spec.feedrate} mm/s around one ring of ${perRing}`,
    // The travel to the ring runs while the heaters wait, so streaming starts with the ring.
    'M140 S35', 'M104 S60', 'G28', 'G21', 'G90', 'M83', 'M107',
    `G0 X${f3(CX + RADIUS)} Y${f3(CY)} F9000`, 'G1 Z0.2 F720', 'M190 S35', 'M109 S60',
  ];
  const e = E_PER_MM.toFixed(5);
  for (let i = 1; i <= spec.segments; i++) {
    const a = i * dTheta; // every chord exactly 1 mm, round and round
    const feed = i === 1 ? ` F${spec.feedrate * 60}` : '';
    lines.push(`G1 X${f3(CX + RADIUS * Math.cos(a))} Y${f3(CY + RADIUS * Math.sin(a))} E${e}${feed}`);
  }
  // No lift at the end: a 2 s Z move would count as streaming time with nothing to stream.
  lines.push('M104 S0', 'M140 S0', 'M84', '');
  writeFileSync(file, lines.join('\n'));
  return lines.filter((l) => l && !l.startsWith(';')).length;
}
