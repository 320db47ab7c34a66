import { describe, expect, it } from 'vitest';
import { arcGeometry } from '../../src/job/arc.js';
import { junctionSpeed, trapezoidTime } from '../../src/job/motion-model.js';
import { scanText } from './scan-text.js';

describe('trapezoidTime', () => {
  it('accelerates, cruises and decelerates', () => {
    // 100 mm at 100 mm/s, 1000 mm/s²: 5 mm ramps of 0.1 s each, 90 mm at full speed.
    expect(trapezoidTime(100, 0, 0, 100, 1000)).toBeCloseTo(1.1, 9);
    expect(trapezoidTime(100, 100, 100, 100, 1000)).toBeCloseTo(1.0, 9);
  });
  it('never reaches cruise on a short move (triangle)', () => {
    expect(trapezoidTime(1, 0, 0, 100, 1000)).toBeCloseTo((2 * Math.sqrt(1000)) / 1000, 9);
  });
  it('is length ÷ speed without acceleration', () => {
    expect(trapezoidTime(10, 0, 0, 5, Infinity)).toBe(2);
  });
});

describe('junctionSpeed (Marlin junction deviation)', () => {
  it('is unlimited straight on, zero on a reversal, ≈5.6 mm/s at 90° (a=1000, JD=0.013)', () => {
    expect(junctionSpeed(1, 0, 0, 1, 0, 0, 1000, 0.013)).toBe(Infinity);
    expect(junctionSpeed(1, 0, 0, -1, 0, 0, 1000, 0.013)).toBe(0);
    expect(junctionSpeed(1, 0, 0, 0, 1, 0, 1000, 0.013)).toBeCloseTo(5.602, 2);
  });
});

describe('arcGeometry', () => {
  it('quarter circle from I/J, counter-clockwise, with tangents along the travel', () => {
    const a = arcGeometry(10, 0, 0, 10, -10, 0, NaN, false)!;
    expect(a.length).toBeCloseTo((Math.PI * 10) / 2, 9);
    expect([a.sx, a.sy, a.ex, a.ey].map((v) => Math.round(v * 1e9) / 1e9 + 0)).toEqual([0, 1, -1, 0]);
  });
  it('clockwise the long way round, R forms, and a full circle', () => {
    expect(arcGeometry(10, 0, 0, 10, -10, 0, NaN, true)!.length).toBeCloseTo((3 * Math.PI * 10) / 2, 9);
    expect(arcGeometry(10, 0, 0, 10, NaN, NaN, 10, false)!.length).toBeCloseTo((Math.PI * 10) / 2, 9);
    expect(arcGeometry(10, 0, 0, 10, NaN, NaN, -10, false)!.length).toBeCloseTo((3 * Math.PI * 10) / 2, 9);
    expect(arcGeometry(10, 0, 10, 0, -10, 0, NaN, false)!.length).toBeCloseTo(2 * Math.PI * 10, 9);
    expect(arcGeometry(0, 0, 10, 0, NaN, NaN, NaN, false)).toBeUndefined();
  });
});

describe('FileScanner motion model', () => {
  const t = (g: string, opts = {}) => scanText(g, opts).timing.motionS;

  it('times a straight line as one trapezoid, however it is cut', () => {
    expect(t('G1 X100 F6000\n')).toBeCloseTo(1.1, 6);
    expect(t('G1 X50 F6000\nG1 X100\n')).toBeCloseTo(1.1, 6);
  });

  it('slows down at corners and honours M204 and default 1000 mm/s²', () => {
    const square = 'G1 X50 F6000\nG1 Y50\nG1 X0\nG1 Y0\n';
    expect(t(square)).toBeGreaterThan(t('G1 X200 F6000\n'));
    expect(t('M204 P5000 T5000\n' + square)).toBeLessThan(t(square));
    expect(t('M204 S500\n' + square)).toBeGreaterThan(t(square));
  });

  it('resolves G91 relative moves and G20 inches', () => {
    expect(t('G91\nG1 X10 F600\nG1 X10\n', { model: { accel: Infinity } })).toBeCloseTo(2, 6);
    expect(t('G20\nG1 X1 F60\n', { model: { accel: Infinity } })).toBeCloseTo(1, 6);
  });

  it('caps speed at M203 axis limits (Z is slow)', () => {
    // 5 mm/s, and the default Z acceleration limit (500 mm/s²) adds two 0.01 s ramps less 0.05 mm.
    expect(t('M203 Z5\nG1 Z10 F6000\n', { model: { accel: Infinity } })).toBeCloseTo(2.01, 6);
  });

  it('times arcs by their length', () => {
    const quarter = t('G1 X10 F600\nG3 X0 Y10 I-10 J0 E1\n', { model: { accel: Infinity } }) - 1;
    expect(quarter).toBeCloseTo((Math.PI * 10) / 2 / 10, 6);
  });

  it('adds G4 dwells to the motion, heat-ups and homing as separate allowances', () => {
    const s = scanText('G28\nM190 S60\nM109 S210\nG4 P500\nG4 S2\nM109 S0\nG1 X1 F60\n', { model: { accel: Infinity } });
    expect(s.timing.motionS).toBeCloseTo(3.5, 6);
    expect(s.timing).toMatchObject({ heatupS: 150, homingS: 10 });
    expect(s.waits.map((w) => [w.code, w.fileLine, w.allowanceS])).toEqual([['G28', 1, 10], ['M190', 2, 90], ['M109', 3, 60]]);
  });

  it('counts net filament in both E modes and the box of extruding moves only', () => {
    expect(scanText('M83\nG1 X10 E1\nG1 X20 E1\nG1 E-0.5\nG1 E0.5\n').filamentMm).toBeCloseTo(2, 9);
    const abs = scanText('M82\nG92 E0\nG1 X10 Y5 Z0.2 E1\nG92 E0\nG1 X20 E1\nG0 X200 Y200\n');
    expect(abs.filamentMm).toBeCloseTo(2, 9);
    expect(abs.bbox).toEqual({ minX: 0, minY: 0, minZ: 0, maxX: 20, maxY: 5, maxZ: 0.2 });
  });
});
