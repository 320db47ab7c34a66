// C3 (performance.md §5): RSS ≤ 100 MB while streaming a 100–500 MB file. Each size runs in a
// fresh host process (stream-memory-child.js) whose virtual printer runs in a process of its own
// (src/sim/sim-child.js over stdio), so the peak is the host's alone: scan, reader, session, job.
// Both scripts exist only when the benchmark runs built; from source (the smoke test) C3 is skipped.
//
// Besides the judged peak, the rows break the host's memory down (sampled every 250 ms while
// streaming): V8 heap used (live objects plus garbage not yet collected) and reserved (young and
// old generation), external and array buffers — to say what holds the memory, not just how much.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { canRunSimChild } from '../src/sim/child-transport.js';
import { info, judged, type ResultEntry } from './results.js';
import type { StreamMemoryFigures } from './stream-memory-child.js';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stream-memory-child.js');

export function canMeasureStreamMemory(): boolean {
  return existsSync(childScript) && canRunSimChild();
}

/**
 * The node flags `octoslack` runs with: those of bin/octoslack.js's `#!/usr/bin/env -S node …`
 * line, so the judged figure is the host as users start it. V8's young generation otherwise grows
 * to two 16 MB semi-spaces under the allocation rate of a fast stream; that reserve, not live data
 * (~6 MB), is most of the host's heap. One more run with Node's defaults shows the difference.
 */
export function octoslackNodeFlags(binFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'octoslack.js')): string[] {
  const first = readFileSync(binFile, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env -S node(.*)$/.exec(first);
  return m ? m[1]!.trim().split(/\s+/).filter((f) => f.startsWith('--')) : [];
}

export async function streamMemoryBench(files: readonly string[], log: (s: string) => void = () => {}): Promise<ResultEntry[]> {
  const out: ResultEntry[] = [];
  const flags = octoslackNodeFlags();
  for (const file of files) out.push(...(await measure(file, flags, true, log)));
  if (files[0]) out.push(...(await measure(files[0], [], false, log)));
  return out;
}

async function measure(file: string, nodeFlags: string[], judge: boolean, log: (s: string) => void): Promise<ResultEntry[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [...nodeFlags, childScript, file], { maxBuffer: 1 << 20 });
  const r = JSON.parse(stdout) as StreamMemoryFigures;
  const mb = Math.round(r.sizeBytes / 1e6);
  const flags = nodeFlags.join(' ');
  log(`  C3 ${mb} MB (${flags || 'node defaults'}): ${r.lines} lines at ${r.linesPerS.toFixed(0)} lines/s, host peak RSS ${r.rssPeakMb.toFixed(1)} MB`);
  const where = `${mb} MB generated 'mixed' file, ${r.lines} lines (${r.outcome}), window over ADVANCED_OK (BUFSIZE 16, RX 1024), real clock, ${r.linesPerS.toFixed(0)} lines/s; host process only (the printer runs in another process)`;
  const peakNote = `${where}; getrusage maxRSS over the whole run, scan included`;
  if (!judge) {
    const metric = `stream_rss_peak_mb_${mb}mb_node_defaults`;
    return [info('C3', 'window', metric, r.outcome === 'done' ? r.rssPeakMb : null, `informational, host started with Node's default flags (not octoslack's ${octoslackNodeFlags().join(' ')}): ${peakNote}`)];
  }
  const tag = `_${mb}mb`;
  const s = r.streaming;
  return [
    judged('C3', 'window', `stream_rss_peak_mb${tag}`, r.outcome === 'done' ? r.rssPeakMb : null, '<=100', `${peakNote}; node ${flags || '(no flags)'} as bin/octoslack.js starts it`),
    info('C3', 'window', `stream_rss_start_mb${tag}`, r.rssStartMb, 'modules loaded, before the scan (bare Node 20 is ~41 MB)'),
    info('C3', 'window', `stream_rss_after_scan_mb${tag}`, r.rssAfterScanMb, 'after the scan, before streaming'),
    info('C3', 'window', `stream_rss_sampled_peak_mb${tag}`, s.rss, 'peak RSS sampled every 250 ms while streaming'),
    info('C3', 'window', `stream_heap_used_peak_mb${tag}`, s.heapUsed, 'V8 heap in use while streaming: live objects (~6 MB after a full GC) plus garbage not yet collected'),
    info('C3', 'window', `stream_heap_total_peak_mb${tag}`, s.heapTotal, 'V8 heap reserved while streaming (young generation: 2 semi-spaces, 4 MB each with the flags of octoslack, 16 MB by default; plus old space)'),
    info('C3', 'window', `stream_external_peak_mb${tag}`, s.external, 'memory outside the V8 heap held by JS objects (Buffers, streams)'),
    info('C3', 'window', `stream_array_buffers_peak_mb${tag}`, s.arrayBuffers, 'of which ArrayBuffers (file read buffers)'),
    info('C3', 'window', `stream_wall_s${tag}`, r.wallS, `scan ${r.scanS.toFixed(1)} s, then streaming at ${r.linesPerS.toFixed(0)} lines/s`),
  ];
}
