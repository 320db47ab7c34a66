// ETA targets E1/E2 (performance.md §5): print a sliced fixture on the virtual printer, whose
// executed motion is the ground truth, and compare the job's predicted remaining time with the
// true remaining time at 10, 25 and 50 % of the whole job (start of streaming to PrintDone,
// heat-ups included). Once with the slicer's time data (M73 lines and the closing estimate), once
// with it stripped so only octoslack's own model (and its drift correction) is left.
//   error % = (predicted − true remaining) ÷ true remaining × 100
//
// The printer: the simulator with acceleration on (the "optional trapezoid" of §6), configured as
// the printer the slicer profile describes — the `; machine_max_*` limits PrusaSlicer writes into
// its config block, classic jerk like PrusaSlicer's estimator — because a slicer's estimate is
// only as good as its profile, and a feed-only simulator (length ÷ feedrate) finishes ~15 % sooner
// than any real printer. Informational runs on a stock Marlin 2.1 (3000 mm/s², junction
// deviation: faster than the cube's profile says) show how the drift correction copes with a
// printer that does not match its profile, and the print time rows compare the simulator's
// motion time with the slicer's own estimate (cube and the shared corpus's benchy).
import { readFileSync } from 'node:fs';
import type { LinkModelOptions } from '../src/sim/link-model.js';
import type { SimOptions } from '../src/sim/sim-options.js';
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

/** Stock Marlin 2.1 with acceleration: 3000 mm/s², junction deviation 0.013 mm. */
export const STOCK_MARLIN: SimOptions = { acceleration: true };

/**
 * The printer a PrusaSlicer-family profile describes, from the `; machine_max_* = normal,stealth`
 * lines of its config block (normal mode), with classic jerk as PrusaSlicer's estimator plans.
 * M201/M203/M204/M205 lines in the file itself still override these while it prints.
 */
export function profilePrinter(file: string): SimOptions {
  const text = readFileSync(file, 'latin1');
  const get = (key: string): number | undefined => {
    const m = new RegExp(`^; ${key} = ([0-9.]+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const axes = (prefix: string, fallback: [number, number, number, number]): [number, number, number, number] =>
    (['x', 'y', 'z', 'e'] as const).map((a, i) => get(`${prefix}_${a}`) ?? fallback[i]!) as [number, number, number, number];
  const o: SimOptions = { acceleration: true, classicJerk: true };
  const print = get('machine_max_acceleration_extruding');
  if (print) o.printAccel = print;
  const retract = get('machine_max_acceleration_retracting');
  if (retract) o.retractAccel = retract;
  const travel = get('machine_max_acceleration_travel');
  if (travel) o.travelAccel = travel;
  o.maxAccel = axes('machine_max_acceleration', [3000, 3000, 100, 10000]);
  o.maxFeedrate = axes('machine_max_feedrate', [300, 300, 5, 25]);
  o.jerk = axes('machine_max_jerk', [10, 10, 0.3, 5]);
  return o;
}

const describeSim = (s: SimOptions): string =>
  s.classicJerk
    ? `slicer profile's printer: accel P${s.printAccel ?? 3000}/T${s.travelAccel ?? 3000}, max accel ${String(s.maxAccel)}, max feed ${String(s.maxFeedrate)}, classic jerk ${String(s.jerk)}`
    : 'stock Marlin 2.1: accel 3000, junction deviation 0.013 mm';

export async function etaBench(withData: BenchFile, without: BenchFile, link: LinkModelOptions, extra: BenchFile[] = []): Promise<ResultEntry[]> {
  const out: ResultEntry[] = [];
  const profile = profilePrinter(withData.path);
  const runs = [
    ['E1', withData, profile, true],
    ['E2', without, profile, true],
    ['E1', withData, STOCK_MARLIN, false],
    ['E2', without, STOCK_MARLIN, false],
  ] as const;
  for (const [id, file, sim, judge] of runs) {
    const samples: Sample[] = [];
    const m = await runStream({
      file: file.path,
      scan: file.scan,
      sim: { advancedOk: true, ...sim },
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
    const suffix = judge ? '' : '_stock_marlin';
    for (const p of POINTS) {
      const at = (totalMs * p) / 100;
      const s = samples.reduce((best, x) => (Math.abs(x.t - at) < Math.abs(best.t - at) ? x : best), samples[0]!);
      const trueS = (totalMs - s.t) / 1000;
      const err = s.remainingS === undefined ? undefined : ((s.remainingS - trueS) / trueS) * 100;
      const lim = LIMITS[id][p];
      const note = `${file.label}, ${describeSim(sim)}: predicted ${s.remainingS?.toFixed(0) ?? 'nothing'} s (${s.source ?? 'no source'}) vs true ${trueS.toFixed(0)} s at ${(s.t / 1000).toFixed(0)} s of ${m.virtualS.toFixed(0)} s`;
      if (judge) out.push(judged(id, 'window', `eta_error_pct@${p}`, err, `-${lim}..${lim}`, note));
      else out.push(info(id, 'window', `eta_error_pct@${p}${suffix}`, err, `informational: ${note}`));
    }
    out.push(info(id, 'window', `print_s${suffix}`, m.virtualS, `${file.label}, ${describeSim(sim)}, heat-up included`));
    if (id === 'E1') out.push(...printTimeRows(id, file, m.motionS, describeSim(sim), suffix));
    out.push(info(id, 'window', 'model_estimate_s', file.scan.timing.totalS, "octoslack's model total (acceleration-aware, heat-up allowances included)"));
  }
  // The simulator's print time against the slicer's for more files, each on its profile's printer.
  for (const file of extra) {
    const m = await runStream({ file: file.path, scan: file.scan, sim: { advancedOk: true, ...profilePrinter(file.path) }, link, mode: 'window', exactness: false });
    out.push(...printTimeRows('E1', file, m.motionS, describeSim(profilePrinter(file.path)), `_${file.key}`));
  }
  return out;
}

/** Motion time on the simulator next to the slicer's estimate (which leaves heating out). */
function printTimeRows(id: 'E1' | 'E2', file: BenchFile, motionS: number, sim: string, suffix: string): ResultEntry[] {
  const rows = [info(id, 'window', `sim_motion_s${suffix}`, motionS, `${file.label}: motion as the simulator executed it (${sim}); heating and homing left out`)];
  const slicer = file.scan.slicer.estimatedTimeS;
  if (slicer !== undefined) {
    rows.push(info(id, 'window', `slicer_estimate_s${suffix}`, slicer, `${file.label}: the slicer's own total (full look-ahead, no heating)`));
    rows.push(info(id, 'window', `sim_motion_vs_slicer_pct${suffix}`, ((motionS - slicer) / slicer) * 100, `${file.label}: (simulator motion − slicer estimate) ÷ slicer estimate`));
  }
  return rows;
}
