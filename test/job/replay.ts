// Test helper: replays a G-code file through ProgressTracker as if a printer acknowledged each
// line when a "true" clock says it finished, and reports the ETA error at 10/25/50 % of the true
// printing time. The true clock is any file position → seconds function (a time map, a distorted
// one), plus optional heat-ups that stall the clock at M109/M190.
import { parseCommand } from '../../src/gcode/command.js';
import { GcodeReader } from '../../src/job/gcode-reader.js';
import type { JobLine } from '../../src/job/job-line.js';
import { ProgressTracker, type ProgressOptions } from '../../src/job/progress.js';
import type { FileScan } from '../../src/job/scan-types.js';

export async function readAll(path: string): Promise<JobLine[]> {
  const r = await GcodeReader.open(path);
  const out: JobLine[] = [];
  for (;;) {
    const l = r.shift();
    if (l) { out.push(l); continue; }
    if (r.finished) break;
    await r.whenReadable();
  }
  await r.close();
  return out;
}

export interface ReplayOptions {
  lines: JobLine[];
  scan: FileScan;
  /** True printing seconds at a file offset (monotonic). */
  trueAt: (byte: number) => number;
  /** Seconds of heat-up the printer spends on each M109/M190 (excluded from the truth). */
  heatupS?: number;
  /** Report the heat-up with begin/end calls (else the tracker finds it from the wait command). */
  explicitHeatup?: boolean;
  tracker?: Partial<ProgressOptions>;
  at?: number[];
  /** A pause of this many seconds when the true printing time passes `at` × total. */
  pause?: { at: number; seconds: number };
}

export interface ReplayPoint {
  at: number;
  errorPct: number;
  source?: string;
  remainingS?: number;
  trueRemainingS: number;
  /** What a byte-linear guess (elapsed × bytes left ÷ bytes done) would have said. */
  byteLinearErrorPct: number;
}

export function replay(o: ReplayOptions): ReplayPoint[] {
  const marks = o.at ?? [0.1, 0.25, 0.5];
  const start = 1_000_000;
  const t = new ProgressTracker(o.scan, { file: 'x.gcode', startedAt: start, ...o.tracker });
  const total = o.trueAt(o.scan.sizeBytes);
  const out: ReplayPoint[] = [];
  let heat = 0;
  let k = 0;
  let paused = false;
  for (const line of o.lines) {
    const cmd = parseCommand(line.command);
    const printS = o.trueAt(line.byteEnd);
    if (o.heatupS && (cmd.code === 'M109' || cmd.code === 'M190')) {
      const before = start + (printS + heat) * 1000;
      if (o.explicitHeatup) t.beginHeatup(before);
      heat += o.heatupS;
      if (o.explicitHeatup) t.endHeatup(start + (printS + heat) * 1000);
    }
    if (o.pause && printS >= o.pause.at * total && !paused) {
      paused = true;
      t.beginPause(start + (printS + heat) * 1000);
      heat += o.pause.seconds;
      t.endPause(start + (printS + heat) * 1000);
    }
    const now = start + (printS + heat) * 1000;
    t.onAck(line, now, cmd);
    while (k < marks.length && printS >= marks[k]! * total) {
      const s = t.snapshot(now);
      const trueRemainingS = total - printS;
      const errorPct = s.remainingS === undefined ? NaN : ((s.remainingS - trueRemainingS) / trueRemainingS) * 100;
      const byteLinear = (printS * (o.scan.sizeBytes - line.byteEnd)) / line.byteEnd;
      const byteLinearErrorPct = ((byteLinear - trueRemainingS) / trueRemainingS) * 100;
      out.push({ at: marks[k]!, errorPct, source: s.remainingSource, remainingS: s.remainingS, trueRemainingS, byteLinearErrorPct });
      k++;
    }
  }
  return out;
}
