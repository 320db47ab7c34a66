// A short C4 soak (bench/soak.ts; the full one is 10 M lines): 250,000 commands through scan,
// reader, session and the in-process virtual printer on a virtual clock. Every job line reaches
// the printer once, in file order, and memory does not grow with the lines streamed.
//
// The memory bound is on V8 heap used after a forced GC, from 20 % of the lines to the end —
// a fixed 2 MB of slack plus 20 bytes per line streamed. A leak of anything per line (a JobLine
// kept in an array costs ~100 bytes) crosses it at any length; the second test proves that by
// retaining one small object per line through the soak's test hook. RSS is checked too, with a
// bound generous enough for a loaded CI machine (RSS moves with V8's page and malloc caching).
import { describe, expect, it } from 'vitest';
import { runSoak, type SoakResult } from '../../bench/soak.js';

const SLACK_MB = 2;
const BYTES_PER_LINE = 20;

function heapBoundMb(r: SoakResult): number {
  return SLACK_MB + (0.8 * r.lines * BYTES_PER_LINE) / 1e6;
}

describe('short soak', () => {
  it('250,000 lines: none lost or doubled, no growth', async () => {
    const r = await runSoak({ lines: 250_000 });
    const summary = `${r.lines} lines in ${r.streamS.toFixed(1)} s; heap drift ${r.heapUsed.driftMb?.toFixed(2)} MB (bound ${heapBoundMb(r).toFixed(1)}), ` +
      `RSS ${r.rss.startMb.toFixed(0)} → peak ${r.rss.peakMb.toFixed(0)} MB, drift ${r.rss.driftMb?.toFixed(1)} MB; ` +
      `longest own loop stall ${Math.max(r.loop.scan.ownMaxMs, r.loop.stream.ownMaxMs).toFixed(1)} ms`;
    console.log(`short soak: ${summary}`);
    expect(r.outcome).toBe('done');
    expect(r.expectedLines).toBeGreaterThan(240_000);
    expect(r.lines).toBe(r.expectedLines);
    expect(r.wireJobLines).toBe(r.expectedLines);
    expect(r.lost).toBe(0);
    expect(r.doubled).toBe(0);
    expect(r.wireProblems).toEqual([]);
    expect(r.gcForced).toBe(true);
    expect(r.heapUsed.driftMb, summary).not.toBeNull();
    expect(r.heapUsed.driftMb!, summary).toBeLessThan(heapBoundMb(r));
    expect(r.rss.driftMb!, summary).toBeLessThan(60);
  }, 60_000);

  it('the heap bound catches a leak of one small object per line', async () => {
    const kept: { command: string; n: number }[] = [];
    const r = await runSoak({ lines: 100_000, onJobLine: (command) => { kept.push({ command, n: kept.length }); } });
    console.log(`leaking soak: ${kept.length} objects kept, heap drift ${r.heapUsed.driftMb?.toFixed(2)} MB (bound ${heapBoundMb(r).toFixed(1)})`);
    expect(kept.length).toBe(r.expectedLines);
    expect(r.heapUsed.driftMb!, `leak of ${kept.length} objects`).toBeGreaterThan(heapBoundMb(r));
  }, 60_000);
});
