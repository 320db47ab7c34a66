// Small statistics the benchmark needs (performance.md §6 metric table): percentiles, the rate
// of acknowledged lines in 1-s windows of virtual time with waits left out, and "lost or doubled"
// as the difference between two multisets of commands. Pure functions, no I/O.

/** p-th percentile (0..100) by nearest rank; undefined for no samples. Sorts a copy. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  const s = Float64Array.from(samples).sort();
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank];
}

export function median(samples: readonly number[]): number | undefined {
  return percentile(samples, 50);
}

/**
 * Percentiles of millions of samples in constant memory: buckets 1 % wide on a log scale from
 * 1 ns to ~3 h (ms units), so a percentile is exact to 1 %. Mergeable, for pooling runs.
 */
export class LogHistogram {
  private static readonly MIN = 1e-6;
  private static readonly STEP = Math.log(1.01);
  private readonly counts = new Uint32Array(2400);
  private zeros = 0;
  count = 0;
  max = 0;

  add(v: number): void {
    this.count++;
    if (v > this.max) this.max = v;
    if (!(v > LogHistogram.MIN)) {
      this.zeros++;
      return;
    }
    const i = Math.min(this.counts.length - 1, Math.floor(Math.log(v / LogHistogram.MIN) / LogHistogram.STEP));
    this.counts[i]!++;
  }

  merge(o: LogHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += o.counts[i]!;
    this.zeros += o.zeros;
    this.count += o.count;
    this.max = Math.max(this.max, o.max);
  }

  /** p-th percentile (0..100), the upper edge of its bucket (never below the true value by > 1 %). */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined;
    if (p >= 100) return this.max;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = this.zeros;
    if (seen >= rank) return 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(this.max, LogHistogram.MIN * Math.exp((i + 1) * LogHistogram.STEP));
    }
    return this.max;
  }
}

/** Acknowledgements counted per 1-s window of virtual time: constant memory per second. */
export class AckCounter {
  first = Number.NaN;
  last = Number.NaN;
  count = 0;
  private readonly perSecond: number[] = [];

  add(t: number): void {
    if (this.count === 0) this.first = t;
    this.last = t;
    this.count++;
    const w = Math.floor((t - this.first) / 1000);
    this.perSecond[w] = (this.perSecond[w] ?? 0) + 1;
  }

  /** Counts of windows 0..n-1 (missing windows are 0). */
  windows(n: number): number[] {
    return Array.from({ length: n }, (_, i) => this.perSecond[i] ?? 0);
  }
}

/** A stretch of virtual time (ms) to leave out: a long command (heat-up, homing) in flight. */
export interface Interval {
  from: number;
  to: number;
}

export interface RateSummary {
  /** Acknowledged lines ÷ seconds of streaming (first to last ack, waits left out). */
  linesPerS: number;
  /** 5th percentile of the per-second counts over whole 1-s windows that overlap no wait. */
  p5LinesPerS: number | undefined;
  windows: number;
  streamingS: number;
}

/**
 * A window overlapping any excluded interval is skipped: a heat-up acknowledges nothing for a
 * minute and says nothing about the link. The last, partial window is left out too.
 */
export function ackRates(acks: AckCounter, excluded: readonly Interval[]): RateSummary {
  if (acks.count < 2) return { linesPerS: 0, p5LinesPerS: undefined, windows: 0, streamingS: 0 };
  const { first, last } = acks;
  let waitMs = 0;
  for (const iv of excluded) waitMs += Math.max(0, Math.min(iv.to, last) - Math.max(iv.from, first));
  const streamingMs = Math.max(1, last - first - waitMs);
  const nWindows = Math.floor((last - first) / 1000);
  const counts = acks.windows(nWindows);
  const usable: number[] = [];
  for (let w = 0; w < nWindows; w++) {
    const a = first + w * 1000;
    const b = a + 1000;
    if (!excluded.some((iv) => iv.from < b && iv.to > a)) usable.push(counts[w]!);
  }
  return {
    linesPerS: ((acks.count - 1) / streamingMs) * 1000,
    p5LinesPerS: percentile(usable, 5),
    windows: usable.length,
    streamingS: streamingMs / 1000,
  };
}

/** Commands the file wanted that did not run (lost), and runs beyond what it wanted (doubled). */
export function lostAndDoubled(expected: readonly string[], executed: readonly string[]): { lost: number; doubled: number; inOrder: boolean } {
  const counts = new Map<string, number>();
  for (const c of expected) counts.set(c, (counts.get(c) ?? 0) + 1);
  for (const c of executed) counts.set(c, (counts.get(c) ?? 0) - 1);
  let lost = 0;
  let doubled = 0;
  for (const n of counts.values()) {
    if (n > 0) lost += n;
    else doubled -= n;
  }
  let inOrder = expected.length === executed.length;
  for (let i = 0; inOrder && i < expected.length; i++) inOrder = expected[i] === executed[i];
  return { lost, doubled, inOrder };
}

export const round = (v: number | undefined, digits: number): number | undefined =>
  v === undefined || !Number.isFinite(v) ? v : Math.round(v * 10 ** digits) / 10 ** digits;
