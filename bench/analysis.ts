// The analysis targets (performance.md §5): A1 a 100 MB file analysed in ≤ 5 s (one pass, as
// `octoslack analyze` does: scanGcodeFile), A2 peak RSS ≤ 150 MB and flat in size, A5 the
// metadata fast path (header + 64 KiB tail) in ≤ 50 ms whatever the size.
// RSS is only meaningful in a fresh process, so the scans run in a child (analyze-child.js) when
// the benchmark runs built; run from source (the vitest smoke test) they run in-process and the
// RSS figures are informational.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readSlicerMetadata } from '../src/job/read-slicer-metadata.js';
import { scanGcodeFile } from '../src/job/scan.js';
import { maxCommandLengthFor } from '../src/marlin/command-limits.js';
import { writeGeneratedGcode } from '../src/sim/gcode-generator.js';
import { median } from './metrics.js';
import { info, judged, type ResultEntry } from './results.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const childScript = path.join(here, 'analyze-child.js');

interface ScanFigures {
  seconds: number;
  sizeBytes: number;
  rssPeakMb: number;
  rssBeforeMb: number;
  child: boolean;
}

async function scanOnce(file: string, sizeBytes: number): Promise<ScanFigures> {
  if (existsSync(childScript)) {
    const { stdout } = await promisify(execFile)(process.execPath, [childScript, file], { maxBuffer: 1 << 20 });
    return { ...(JSON.parse(stdout) as Omit<ScanFigures, 'child'>), child: true };
  }
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const t0 = performance.now();
  await scanGcodeFile(file, { maxCommandLength: maxCommandLengthFor(sizeBytes) });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { seconds, sizeBytes, rssPeakMb: peak / 1e6, rssBeforeMb: before / 1e6, child: false };
}

/** `bigMb`: the A1 file (100 in the full run); `smallMb`: the second size for "flat in size". */
export async function analysisBench(dir: string, bigMb: number, smallMb: number, log: (s: string) => void): Promise<ResultEntry[]> {
  const out: ResultEntry[] = [];
  const sizes = [smallMb, bigMb];
  const figures: ScanFigures[] = [];
  let bigFile = '';
  for (const mb of sizes) {
    const file = path.join(dir, `analysis-${mb}mb.gcode`);
    const t0 = performance.now();
    const gen = await writeGeneratedGcode(file, { kind: 'mixed', targetBytes: mb * 1e6, seed: 3 });
    log(`  generated ${(gen.bytes / 1e6).toFixed(0)} MB for the analysis in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    figures.push(await scanOnce(file, gen.bytes));
    bigFile = file;
  }
  const small = figures[0]!;
  const big = figures[1]!;
  const mbS = big.sizeBytes / 1e6 / big.seconds;
  const where = `${(big.sizeBytes / 1e6).toFixed(0)} MB generated 'mixed' file, ${big.child ? 'child process' : 'in-process (RSS includes the benchmark)'}`;
  const full = bigMb >= 100;
  out.push(full ? judged('A1', null, 'analysis_s', big.seconds, '<=5', where) : info('A1', null, 'analysis_s', big.seconds, where));
  out.push(full ? judged('A1', null, 'analysis_mb_s', mbS, '>=20', `${where}; 20 MB/s = 100 MB in 5 s`) : info('A1', null, 'analysis_mb_s', mbS, where));
  const rssJudged = big.child && full;
  out.push(rssJudged ? judged('A2', null, 'analysis_rss_peak_mb', big.rssPeakMb, '<=150', where) : info('A2', null, 'analysis_rss_peak_mb', big.rssPeakMb, where));
  const growth = big.rssPeakMb - small.rssPeakMb;
  const flatNote = `peak RSS at ${bigMb} MB minus at ${smallMb} MB ("flat in size": within 10 MB)`;
  out.push(rssJudged ? judged('A2', null, 'analysis_rss_growth_mb', growth, '<=10', flatNote) : info('A2', null, 'analysis_rss_growth_mb', growth, flatNote));
  // A5: the first read is the one a user waits for; the median shows the steady cost.
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await readSlicerMetadata(bigFile);
    times.push(performance.now() - t0);
  }
  const a5 = `readSlicerMetadata (head + 64 KiB tail) of the ${bigMb} MB file; max of 5 reads (first ${times[0]!.toFixed(2)} ms, median ${median(times)!.toFixed(2)} ms)`;
  out.push(judged('A5', null, 'metadata_read_ms', Math.max(...times), '<=50', a5));
  return out;
}
