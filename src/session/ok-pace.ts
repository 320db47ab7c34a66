// How long the printer normally takes between two oks, so a missing one is noticed in proportion.
// A line whose `\n` was eaten by noise leaves the firmware waiting for the rest of it and the host
// waiting for its ok; the empty line that ends it (Watchdog's nudge) used to wait a fixed
// second, which on 1 mm segments at 100 mm/s is six times what the planner holds (~160 ms with
// 16 blocks): a visible stutter. The nudge is harmless when early (Marlin ignores empty lines
// without an ok), so it can come as soon as the silence is clearly unusual: a few times the
// recent slow oks, never before MIN_MS and never later than it used to.

const SAMPLES = 64;
/** Several times the slow end of normal; G4 and long moves are far above it and simply get one nudge. */
const FACTOR = 4;
export const NUDGE_MIN_MS = 200;
export const NUDGE_MAX_MS = 1000;

export class OkPace {
  private readonly gaps: number[] = [];
  private next = 0;
  private lastOkAt: number | undefined;

  /** An ok arrived while lines were in flight. */
  onOk(now: number): void {
    if (this.lastOkAt !== undefined) {
      const gap = now - this.lastOkAt;
      if (this.gaps.length < SAMPLES) this.gaps.push(gap);
      else this.gaps[this.next] = gap;
      this.next = (this.next + 1) % SAMPLES;
    }
    this.lastOkAt = now;
  }

  /** The line stream paused (nothing in flight): the next gap would measure our idleness, not the printer. */
  idle(): void {
    this.lastOkAt = undefined;
  }

  /** How long without an ok before an empty line is sent. */
  nudgeAfterMs(): number {
    if (this.gaps.length < 8) return NUDGE_MAX_MS;
    const sorted = [...this.gaps].sort((a, b) => a - b);
    const p90 = sorted[Math.floor(sorted.length * 0.9)]!;
    return Math.min(NUDGE_MAX_MS, Math.max(NUDGE_MIN_MS, FACTOR * p90));
  }
}
