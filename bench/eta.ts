// ETA targets E1/E2 (performance.md §5): print a sliced fixture on the virtual printer, whose
// executed motion is the ground truth, and compare the job's predicted remaining time with the
// true remaining time at 10, 25 and 50 % of the whole job (start of streaming to PrintDone,
// heat-ups included). Once with the slicer's time data (M73 lines and the closing estimate), once
// with it stripped so only octoslack's own model (and its drift correction) is left.
//   error % = (predicted − true remaining) ÷ true remaining × 100
// Caveat: the virtual printer moves at feedrate with no acceleration, so it finishes sooner than
// the slicer (and octoslack's acceleration-aware model) expect; the judged errors include that
// gap between the simulator and a real printer. To tell the tracker's own error from the
// simulator's, E1 runs once more (informational) with the simulator slowed uniformly (its
// `speed` option) until its motion time equals the slicer's estimate: a printer whose pace
// matches the slicer on average, though not segment by segment.
import type { LinkModelOptions } from '../src/sim/link-model.js';
import type { BenchFile } from './inputs.js';
import { info, judged, type ResultEntry } from './results.js';
import { runStream } from './stream-run.js';

const POINTS = [10, 25, 50] as const;

interface Sample {
  t: number;
  remainingS: number | undefined;
  source: string | undefined;
}

/** Limits per point: E1 (slicer data) ≤ 5 % at 10 %, ≤ 3 % from 25 %; E2 ≤ 10 %, then ≤ 5 % with drift. */
const LIMITS: Record<'E1' | 'E2', Record<(typeof POINTS)[number], number>> = {
  E1: { 10: 5, 25: 3, 50: 3 },
  E2: { 10: 10, 25: 5, 50: 5 },
};

export async function etaBench(withData: BenchFile, without: BenchFile, link: LinkModelOptions): Promise<ResultEntry[]> {
  const out: ResultEntry[] = [];
  let paceSpeed: number | undefined;
  const runs = [['E1', withData, 1], ['E2', without, 1], ['E1', withData, 0]] as const;
  for (const [id, file, speedIn] of runs) {
    const speed = speedIn || paceSpeed;
    if (speed === undefined) continue;
    const matched = speedIn === 0;
    const samples: Sample[] = [];
    const m = await runStream({
      file: file.path,
      scan: file.scan,
      sim: { advancedOk: true, speed },
      link,
      mode: 'window',
      sample: {
        everyMs: 1000,
        fn: (job, t) => {
          const s = job.snapshot();
          samples.push({ t, remainingS: s.remainingS, source: s.remainingSource });
        },
      },
    });
    const totalMs = m.virtualS * 1000;
    for (const p of POINTS) {
      const at = (totalMs * p) / 100;
      const s = samples.reduce((best, x) => (Math.abs(x.t - at) < Math.abs(best.t - at) ? x : best), samples[0]!);
      const trueS = (totalMs - s.t) / 1000;
      const err = s.remainingS === undefined ? undefined : ((s.remainingS - trueS) / trueS) * 100;
      const lim = LIMITS[id][p];
      const note = `${file.label}${matched ? `, simulator slowed to the slicer's pace (speed ${speed.toFixed(3)})` : ''}: predicted ${s.remainingS?.toFixed(0) ?? 'nothing'} s (${s.source ?? 'no source'}) vs true ${trueS.toFixed(0)} s at ${(s.t / 1000).toFixed(0)} s of ${m.virtualS.toFixed(0)} s`;
      if (matched) out.push(info(id, 'window', `eta_error_pct@${p}_pace_matched`, err, note));
      else out.push(judged(id, 'window', `eta_error_pct@${p}`, err, `-${lim}..${lim}`, note));
    }
    if (matched) continue;
    const slicer = file.scan.slicer.estimatedTimeS;
    out.push(info(id, 'window', 'print_s', m.virtualS, `${file.label}, on the virtual printer (speed 1), heat-up included`));
    out.push(info(id, 'window', 'sim_motion_s', m.motionS, 'motion as the simulator executed it (no acceleration)'));
    if (slicer !== undefined) {
      out.push(info(id, 'window', 'slicer_estimate_s', slicer, "the slicer's own total (it models acceleration; the simulator does not)"));
      paceSpeed ??= m.motionS / slicer;
    }
    out.push(info(id, 'window', 'model_estimate_s', file.scan.timing.totalS, "octoslack's model total (acceleration-aware, heat-up allowances included)"));
  }
  return out;
}
