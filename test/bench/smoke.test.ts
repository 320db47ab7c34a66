// `npm run bench -- --smoke`, run from source inside the test suite: the guard of performance.md
// §6 (ping-pong over a 16 ms FTDI adapter is capped near 62 lines/s, the window is not), S1 on
// stock Marlin + ADVANCED_OK, exactness under noise (S8), and the metadata fast path (A5).
// The full benchmark is `npm run bench`; it is not a timed test.
import { describe, expect, it } from 'vitest';
import { failures } from '../../bench/results.js';
import { textReport } from '../../bench/report.js';
import { runBench } from '../../bench/suite.js';

describe('npm run bench -- --smoke', () => {
  it('meets its targets in seconds', async () => {
    const t0 = performance.now();
    const report = await runBench({ smoke: true });
    const seconds = (performance.now() - t0) / 1000;
    expect(failures(report.results), textReport(report)).toEqual([]);
    expect(report.passed).toBe(true);
    const get = (id: string, mode: string | null, metric: string) => report.results.find((r) => r.id === id && r.mode === mode && r.metric === metric);
    // The guard: both sides of it were judged, not just left out.
    expect(get('S1', 'pingpong', 'lines_per_s')).toMatchObject({ target: '55..63', pass: true });
    expect(get('S1', 'window', 'lines_per_s')).toMatchObject({ pass: true });
    expect(get('S1', 'window', 'dilation')).toMatchObject({ target: '<=1.02', pass: true });
    for (const mode of ['pingpong', 'window']) expect(get('S8', mode, 'lost_lines')).toMatchObject({ value: 0, pass: true });
    expect(get('A5', null, 'metadata_read_ms')?.pass).toBe(true);
    // Every entry has the documented shape.
    for (const r of report.results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'mode', 'metric', 'value', 'target', 'pass']));
    expect(seconds).toBeLessThan(30);
  }, 30_000);
});
