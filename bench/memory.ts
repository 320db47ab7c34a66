// C3 (performance.md §5): RSS ≤ 100 MB while streaming a 100–500 MB file. Needs a fresh process
// for a clean peak, so it runs only when the benchmark runs built (stream-memory-child.js next to
// this file); from source (the smoke test) it is skipped. The virtual printer runs in the same
// process, so the figure is host + simulator: an upper bound of the host's.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { info, judged, type ResultEntry } from './results.js';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stream-memory-child.js');

export function canMeasureStreamMemory(): boolean {
  return existsSync(childScript);
}

export async function streamMemoryBench(file: string): Promise<ResultEntry[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [childScript, file], { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout) as { outcome: string; lines: number; wallS: number; rssPeakMb: number; rssStartMb: number; heapUsedPeakMb: number; sizeBytes: number };
  const where = `${(r.sizeBytes / 1e6).toFixed(0)} MB generated 'mixed' file, ${r.lines} lines, window over FTDI 16 ms, in a child process; host AND simulator in one process`;
  return [
    judged('C3', 'window', 'stream_rss_peak_mb', r.outcome === 'done' ? r.rssPeakMb : null, '<=100', where),
    info('C3', 'window', 'stream_rss_start_mb', r.rssStartMb, 'RSS of the child once its modules are loaded, before the scan'),
    info('C3', 'window', 'stream_heap_used_peak_mb', r.heapUsedPeakMb, 'V8 heap in use, sampled every 100 ms: live objects plus garbage not yet collected'),
    info('C3', 'window', 'stream_wall_s', r.wallS, where),
  ];
}
