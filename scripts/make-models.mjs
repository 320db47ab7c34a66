#!/usr/bin/env node
// Writes the small test models that gcode-fixtures/ is sliced from, as binary STL.
// We make our own models so the fixtures carry no third-party licence and can be regenerated
// bit for bit: the geometry is pure arithmetic here, and float32 rounding is deterministic.
//
//   node scripts/make-models.mjs [outDir]      (default: gcode-fixtures/models)
//
// Models (all millimetres, sitting on z = 0, centred on the origin; the slicer centres them on
// the bed):
//   cube-20mm.stl     20 mm calibration cube: flat walls → long straight lines, few commands.
//   coaster-50mm.stl  50 mm × 2 mm disc, 150 facets: ~1 mm perimeter segments like real curves.
//   vase-30mm.stl     a 30 mm tall bulging vase (revolved profile) sliced in spiral-vase mode:
//                     Z rises on every move, one continuous perimeter, many short segments.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(process.argv[2] ?? join(here, '..', 'gcode-fixtures', 'models'));

/** @typedef {[number, number, number]} Vec3 */

/** @param {Vec3} a @param {Vec3} b @param {Vec3} c @returns {Vec3} unit normal of (a,b,c), CCW */
function normal(a, b, c) {
  const u = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
  const v = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
  const n = [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const len = Math.hypot(n[0], n[1], n[2]) || 1;
  return [n[0] / len, n[1] / len, n[2] / len];
}

/**
 * Binary STL: 80-byte header (must not start with "solid", or some readers take it for ASCII),
 * a triangle count, then 50 bytes per triangle.
 * @param {string} name @param {Array<[Vec3, Vec3, Vec3]>} tris
 */
function binaryStl(name, tris) {
  const buf = Buffer.alloc(84 + 50 * tris.length);
  buf.write(`octoslack scripts/make-models.mjs ${name}`.slice(0, 80), 0, 'ascii');
  buf.writeUInt32LE(tris.length, 80);
  let o = 84;
  for (const [a, b, c] of tris) {
    for (const v of [normal(a, b, c), a, b, c]) {
      for (const x of v) { buf.writeFloatLE(x, o); o += 4; }
    }
    buf.writeUInt16LE(0, o); o += 2;
  }
  return buf;
}

/** Axis-aligned box with one corner at (-w/2, -d/2, 0). Triangles wound CCW seen from outside. */
function box(w, d, h) {
  const x0 = -w / 2, x1 = w / 2, y0 = -d / 2, y1 = d / 2;
  /** @type {Vec3[]} */
  const p = [
    [x0, y0, 0], [x1, y0, 0], [x1, y1, 0], [x0, y1, 0],
    [x0, y0, h], [x1, y0, h], [x1, y1, h], [x0, y1, h],
  ];
  // Each face as a quad of corner indices, CCW from outside; split into two triangles.
  const quads = [[0, 3, 2, 1], [4, 5, 6, 7], [0, 1, 5, 4], [1, 2, 6, 5], [2, 3, 7, 6], [3, 0, 4, 7]];
  /** @type {Array<[Vec3, Vec3, Vec3]>} */
  const tris = [];
  for (const [a, b, c, d2] of quads) {
    tris.push([p[a], p[b], p[c]], [p[a], p[c], p[d2]]);
  }
  return tris;
}

/**
 * A solid of revolution around Z: `profile` is [radius, z] from bottom to top; both ends are
 * closed with flat caps (fans around the axis), so the mesh is watertight.
 * @param {Array<[number, number]>} profile @param {number} facets
 */
function revolve(profile, facets) {
  /** @type {(r: number, z: number, i: number) => Vec3} */
  const at = (r, z, i) => {
    const t = (2 * Math.PI * (i % facets)) / facets;
    return [r * Math.cos(t), r * Math.sin(t), z];
  };
  /** @type {Array<[Vec3, Vec3, Vec3]>} */
  const tris = [];
  const first = profile[0], last = profile[profile.length - 1];
  for (let i = 0; i < facets; i++) {
    // Bottom cap faces down: wind clockwise seen from above.
    tris.push([[0, 0, first[1]], at(first[0], first[1], i + 1), at(first[0], first[1], i)]);
    tris.push([[0, 0, last[1]], at(last[0], last[1], i), at(last[0], last[1], i + 1)]);
    for (let k = 0; k + 1 < profile.length; k++) {
      const [r0, z0] = profile[k], [r1, z1] = profile[k + 1];
      const a = at(r0, z0, i), b = at(r0, z0, i + 1), c = at(r1, z1, i + 1), d = at(r1, z1, i);
      tris.push([a, b, c], [a, c, d]);
    }
  }
  return tris;
}

/** Vase profile: a 12 mm foot swelling to ~16 mm and narrowing to an 11 mm neck, 30 mm tall. */
function vaseProfile() {
  /** @type {Array<[number, number]>} */
  const pts = [];
  for (let z = 0; z <= 30; z += 2.5) {
    const r = 12 + 4 * Math.sin((Math.PI * z) / 24) - (z > 24 ? (z - 24) * 0.35 : 0);
    pts.push([Math.round(r * 1000) / 1000, z]);
  }
  return pts;
}

const models = {
  'cube-20mm.stl': box(20, 20, 20),
  'coaster-50mm.stl': revolve([[25, 0], [25, 2]], 150),
  'vase-30mm.stl': revolve(vaseProfile(), 96),
};

mkdirSync(outDir, { recursive: true });
for (const [name, tris] of Object.entries(models)) {
  const buf = binaryStl(name, tris);
  writeFileSync(join(outDir, name), buf);
  console.log(`${name}: ${tris.length} triangles, ${buf.length} bytes`);
}
