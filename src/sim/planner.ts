// Marlin's motion planner reduced to what flow control needs: a ring of BLOCK_BUFFER_SIZE - 1
// blocks, each with a duration; blocks run back to back; a G1 waits for a free block. Time is
// lazy: finished blocks are retired whenever the planner is asked (no timer per block), and the
// firmware asks for a timer only when something waits (a full planner, a synchronize).
// SLOWDOWN and the restart delay after running dry follow Marlin (performance.md §2).
import type { SimStats } from './sim-stats.js';

export interface PlannerTiming {
  slowdown: boolean;
  /** MIN_SEGMENT_TIME, already divided by the speed factor. */
  minSegmentMs: number;
  /** BLOCK_DELAY_FOR_1ST_MOVE, already divided by the speed factor. */
  restartDelayMs: number;
}

export class Planner {
  /** End time of each queued block; a ring of `capacity` slots. */
  private readonly ends: Float64Array;
  private head = 0;
  private count = 0;
  /** End of the last block ever queued. */
  private lastEnd = 0;
  private hasMoved = false;
  /** The next gap in motion was asked for (M400, G4, M109 …) and is no underrun. */
  private gapExpected = true;

  constructor(
    readonly capacity: number,
    private readonly timing: PlannerTiming,
    private readonly stats: SimStats,
  ) {
    this.ends = new Float64Array(capacity);
  }

  /** Retire blocks that finished by `now`. */
  update(now: number): void {
    while (this.count > 0 && this.ends[this.head]! <= now) {
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.count--;
    }
  }

  /** Blocks queued (including the one executing) at `now`. */
  queued(now: number): number {
    this.update(now);
    return this.count;
  }

  /** Free blocks at `now` (the `P` of ADVANCED_OK). */
  free(now: number): number {
    return this.capacity - this.queued(now);
  }

  /** When the oldest block ends (a slot frees); `now` if the planner is empty. */
  nextFreeAt(now: number): number {
    this.update(now);
    return this.count > 0 ? this.ends[this.head]! : now;
  }

  /** When all queued motion ends. */
  drainAt(now: number): number {
    this.update(now);
    return this.count > 0 ? this.lastEnd : now;
  }

  /** Queue a block of `durationMs` (already scaled). False when the planner is full. */
  add(now: number, durationMs: number): boolean {
    this.update(now);
    if (this.count === this.capacity) return false;
    let dur = durationMs;
    const queued = this.count;
    // Marlin: WITHIN(moves_queued, 2, BLOCK_BUFFER_SIZE / 2 - 1), BLOCK_BUFFER_SIZE = capacity + 1.
    if (this.timing.slowdown && queued >= 2 && queued <= ((this.capacity + 1) >> 1) - 1 && dur < this.timing.minSegmentMs) {
      dur += (2 * (this.timing.minSegmentMs - dur)) / queued;
      this.stats.slowdownBlocks++;
    }
    let start: number;
    if (queued === 0) {
      start = now + this.timing.restartDelayMs;
      if (this.hasMoved && !this.gapExpected) {
        const gap = start - this.lastEnd;
        this.stats.plannerUnderruns++;
        this.stats.plannerEmptyMsTotal += gap;
        if (gap > this.stats.plannerEmptyMsMax) this.stats.plannerEmptyMsMax = gap;
      }
    } else {
      start = this.lastEnd;
    }
    const end = start + dur;
    let tail = this.head + this.count;
    if (tail >= this.capacity) tail -= this.capacity;
    this.ends[tail] = end;
    this.count++;
    this.lastEnd = end;
    this.hasMoved = true;
    this.gapExpected = false;
    this.stats.plannerBlocks++;
    this.stats.motionMs += dur;
    this.stats.idealMotionMs += durationMs;
    return true;
  }

  /** The coming stop in motion is intended (synchronize, dwell, heating, pause). */
  expectGap(): void {
    this.gapExpected = true;
  }

  /** Quick stop (M410, kill, SD abort): drop all blocks at once. */
  clear(now: number): void {
    this.count = 0;
    this.head = 0;
    this.lastEnd = now;
    this.gapExpected = true;
  }
}
