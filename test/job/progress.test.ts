import { describe, expect, it } from 'vitest';
import type { JobSnapshot } from '../../src/events/events.js';
import { ProgressTracker } from '../../src/job/progress.js';
import { scanGcodeFile } from '../../src/job/scan.js';
import type { FileScan } from '../../src/job/scan-types.js';
import { timeAt } from '../../src/job/time-map.js';
import { corpus } from './corpus.js';
import { readAll, replay, type ReplayOptions } from './replay.js';
import { scanText } from './scan-text.js';

const scanOf = (name: string, model = {}) => scanGcodeFile(corpus(name), { maxCommandLength: 200, model });
/** A "real printer" unlike our model: other acceleration and cornering, and slower overall. */
const distorted = { accel: 3000, junctionDeviation: 0.05 };
const errs = (r: { errorPct: number }[]) => r.map((p) => Math.abs(p.errorPct));
const analysisOnly = { sources: { m73: false, slicer: false } };

describe('ETA from the analysis (no slicer data): drift correction', async () => {
  const name = 'slic3r-1.2.9-part.gcode'; // no slicer estimate, no layer markers
  const [scan, alt, lines] = await Promise.all([scanOf(name), scanOf(name, distorted), readAll(corpus(name))]);
  const base = { lines, scan, tracker: analysisOnly } satisfies Partial<ReplayOptions>;
  const ours = (b: number) => timeAt(scan.timeMap, b);
  const slowAlt = (b: number) => 1.3 * timeAt(alt.timeMap, b);

  it('a printer that follows the model: < 1 % error at 10/25/50 %', () => {
    const r = replay({ ...base, trueAt: ours });
    expect(r.map((p) => p.source)).toEqual(['analysis', 'analysis', 'analysis']);
    for (const e of errs(r)) expect(e).toBeLessThan(1);
  });

  it('a printer 1.3× slower: about -23 % without drift, < 1 % with it', () => {
    const slow = (b: number) => 1.3 * ours(b);
    for (const e of errs(replay({ ...base, trueAt: slow, tracker: { ...analysisOnly, driftFrom: Infinity } }))) expect(e).toBeCloseTo(23.1, 0);
    for (const e of errs(replay({ ...base, trueAt: slow }))) expect(e).toBeLessThan(1);
  });

  it('a printer that differs in shape and speed: drift shrinks the error at every point (≤ 10 %)', () => {
    const without = errs(replay({ ...base, trueAt: slowAlt, tracker: { ...analysisOnly, driftFrom: Infinity } }));
    const withDrift = errs(replay({ ...base, trueAt: slowAlt }));
    withDrift.forEach((e, i) => {
      expect(e).toBeLessThan(without[i]!);
      expect(e).toBeLessThan(10);
    });
  });

  it('5-minute heat-ups and a 10-minute pause do not skew drift (found from M109/M190, or told)', () => {
    const plain = replay({ ...base, trueAt: slowAlt }).map((p) => p.errorPct);
    const found = replay({ ...base, trueAt: slowAlt, heatupS: 300 }).map((p) => p.errorPct);
    const told = replay({ ...base, trueAt: slowAlt, heatupS: 300, explicitHeatup: true, pause: { at: 0.05, seconds: 600 } }).map((p) => p.errorPct);
    found.forEach((e, i) => expect(e).toBeCloseTo(plain[i]!, 0));
    told.forEach((e, i) => expect(e).toBeCloseTo(plain[i]!, 0));
  });
});

describe('ETA from the slicer', async () => {
  it('Cura: total spread along the map, anchored on ;TIME_ELAPSED: and corrected by it (≤ 6 %)', async () => {
    const name = 'cura-3.1-benchy-marlin.gcode';
    const [scan, alt, lines] = await Promise.all([scanOf(name), scanOf(name, distorted), readAll(corpus(name))]);
    for (const trueAt of [(b: number) => timeAt(scan.timeMap, b), (b: number) => 1.3 * timeAt(alt.timeMap, b)]) {
      const r = replay({ lines, scan, trueAt, heatupS: 120 });
      expect(r.map((p) => p.source)).toEqual(['slicer', 'slicer', 'slicer']);
      for (const e of errs(r)) expect(e).toBeLessThan(6);
      // What a byte-linear estimate would have said at 10 % (E3: never used).
      expect(Math.abs(r[0]!.byteLinearErrorPct)).toBeGreaterThan(10);
    }
  });

  it('without elapsed comments (Simplify3D): remaining = total × (1 − map(pos) / map total)', async () => {
    const name = 'simplify3d-4.1.2-part.gcode';
    const [scan, lines] = await Promise.all([scanOf(name), readAll(corpus(name))]);
    const t = new ProgressTracker(scan, { startedAt: 0, paceCorrection: false });
    const half = lines[Math.floor(lines.length / 2)]!;
    for (const l of lines) {
      t.onAck(l, 1000);
      if (l === half) break;
    }
    const s = t.snapshot(1000);
    const f = timeAt(scan.timeMap, half.byteEnd) / scan.timeMap.totalS;
    expect(s.remainingSource).toBe('slicer');
    expect(s.remainingS).toBeCloseTo(1860 * (1 - f), 6);
  });

  it('PrusaSlicer M73: percent = P and remaining = R minutes when acknowledged, then counts down', async () => {
    const name = 'prusaslicer-2.6.1-benchy-m73-thumbnails.gcode';
    const [scan, lines] = await Promise.all([scanOf(name), readAll(corpus(name))]);
    const t = new ProgressTracker(scan, { startedAt: 0, paceCorrection: false });
    let checked = 0;
    for (const [i, l] of lines.entries()) {
      t.onAck(l, i * 10);
      const m = /^M73 P(\d+) R(\d+)$/.exec(l.command);
      if (m) {
        const s = t.snapshot(i * 10);
        // R is whole minutes rounded down: the estimate stays inside that minute, then counts down.
        const r = Number(m[2]) * 60;
        expect([s.percent, s.remainingSource]).toEqual([Number(m[1]), 'm73']);
        expect(s.remainingS!).toBeGreaterThanOrEqual(r - 1);
        expect(s.remainingS!).toBeLessThanOrEqual(r + 60);
        expect(t.snapshot(i * 10 + 5000).remainingS).toBeCloseTo(Math.max(0, s.remainingS! - 5), 6);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(60);
    const r = replay({ lines, scan, trueAt: (b) => timeAt(scan.timeMap, b) });
    for (const e of errs(r)) expect(e).toBeLessThan(8); // PrusaSlicer's own distribution vs our model
  });
});

describe('pace correction of slicer times', () => {
  it('a printer 100× faster than the slicer thought (the virtual printer): M73 times follow it from 10 % on', async () => {
    const name = 'prusaslicer-2.6.1-benchy-m73-thumbnails.gcode';
    const [scan, lines] = await Promise.all([scanOf(name), readAll(corpus(name))]);
    const slicerTotal = scan.slicer.estimatedTimeS!;
    const mapTotal = scan.timeMap.totalS;
    const t = new ProgressTracker(scan, { startedAt: 0 });
    const checks: number[] = [];
    for (const l of lines) {
      // True time: the slicer's distribution along the map, 100× faster.
      const trueAt = (timeAt(scan.timeMap, l.byteEnd) / mapTotal) * slicerTotal * 10;
      t.onAck(l, trueAt);
      const fraction = timeAt(scan.timeMap, l.byteEnd) / mapTotal;
      if (fraction > 0.35 && fraction < 0.9 && checks.length < 50) {
        const trueLeft = (1 - fraction) * slicerTotal / 100;
        checks.push(Math.abs(t.snapshot(trueAt).remainingS! - trueLeft) / trueLeft);
      }
    }
    expect(checks.length).toBe(50);
    // M73 R has a one-minute resolution: allow that, relative to the 100× shorter time.
    for (const c of checks) expect(c).toBeLessThan(0.35);
    expect(checks.reduce((a, b) => a + b) / checks.length).toBeLessThan(0.15);
  });
});

describe('snapshot', () => {
  it('is a JobSnapshot: bytes percent, 1-based layer of the marker count, z, elapsed; no ETA without a model', () => {
    const scan: FileScan = scanText('M104 S200\n;LAYER:0\nM106 S255\n;LAYER:1\nM107\n');
    expect(scan.timing.motionS).toBe(0);
    const t = new ProgressTracker(scan, { file: 'fans.gcode' });
    t.start(5000);
    t.onAck({ command: 'M104 S200', fileLine: 1, byteEnd: 10 }, 6000);
    t.onAck({ command: 'M106 S255', fileLine: 3, byteEnd: 30, layer: { index: 0, z: 0.2 } }, 7000);
    const s: JobSnapshot = t.snapshot(9000);
    expect(s).toEqual({
      file: 'fans.gcode', origin: 'host', percent: (30 / scan.sizeBytes) * 100, bytesDone: 30, bytesTotal: scan.sizeBytes,
      linesDone: 2, layer: 1, layerCount: 2, z: 0.2, elapsedS: 4,
    });
  });

  it('percent counts the bytes that print: 100 at the last command, before PrusaSlicer\'s config block', async () => {
    const name = 'prusaslicer-2.6.1-benchy-m73-thumbnails.gcode';
    const [scan, lines] = await Promise.all([scanOf(name), readAll(corpus(name))]);
    const t = new ProgressTracker(scan, { startedAt: 0, sources: { m73: false } });
    t.onAck(lines[0]!, 1);
    expect(t.snapshot(1).percent).toBeLessThan(0.01); // the thumbnails before it do not count
    for (const l of lines) t.onAck(l, 2);
    expect(scan.sizeBytes - scan.commandBytes.end).toBeGreaterThan(10_000);
    expect(t.snapshot(2)).toMatchObject({ percent: 100, remainingS: 0, remainingSource: 'slicer' });
  });

  it('names the file from the scan unless told, and starts the clock at the first ack when start() was not called', () => {
    const scan = { ...scanText('G1 X10 F600\n'), path: '/home/me/prints/benchy.gcode' };
    const t = new ProgressTracker(scan);
    t.onAck({ command: 'G1 X10 F600', fileLine: 1, byteEnd: 12 }, 10_000);
    expect(t.snapshot(13_000)).toMatchObject({ file: 'benchy.gcode', elapsedS: 3, percent: 100 });
    expect(t.snapshot(13_000, 'Benchy (copy).gcode').file).toBe('Benchy (copy).gcode');
  });

  it('reports activeS, excluded time and drift in details()', () => {
    const scan = scanText('G1 X100 F6000\nM109 S200\nG1 X0\n', { model: { accel: Infinity } });
    const t = new ProgressTracker(scan, { startedAt: 0 });
    t.onAck({ command: 'G1 X100 F6000', fileLine: 1, byteEnd: 14 }, 2000);
    t.onAck({ command: 'M109 S200', fileLine: 2, byteEnd: 24 }, 62_000); // 60 s heating
    t.onAck({ command: 'G1 X0', fileLine: 3, byteEnd: 30 }, 64_000);
    const d = t.details(64_000);
    expect(d).toEqual({ activeS: 4, excludedS: 60, modelS: 2, drift: 2 });
  });
});
