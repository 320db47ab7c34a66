// Marlin's motion planner reduced to what flow control and print time need: a ring of
// BLOCK_BUFFER_SIZE - 1 blocks run back to back; a G1 waits for a free block. SLOWDOWN and the
// restart delay after running dry follow Marlin (performance.md §2).
//
// Two kinds of block. A fixed block has a duration given by the caller (length ÷ feedrate: the
// plain model). A shaped block (acceleration on, see stage()) has a length, a nominal speed and
// an acceleration, and runs as a trapezoid between its entry and exit speeds. Its look-ahead is
// Marlin's: on every add a reverse pass raises the entry limits of the queued blocks (the newest
// block must be able to stop by its end), and a block's trapezoid is fixed when it starts to run
// — with the blocks queued at that moment, as Marlin locks a busy block. So a starved planner
// plans short and runs slower, a full one plans 15 blocks ahead. The pass stops at the first
// block that does not change, as Marlin's does: at most `capacity` steps, usually one or two.
//
// Time is lazy: blocks are retired (and the next one planned) whenever the planner is asked, and
// the firmware asks for a timer only when something waits (a full planner, a synchronize).
import { type BlockShape, trapezoidS } from './kinematics.js';
import type { SimStats } from './sim-stats.js';

export interface PlannerTiming {
  slowdown: boolean;
  /** MIN_SEGMENT_TIME, already divided by the speed factor. */
  minSegmentMs: number;
  /** BLOCK_DELAY_FOR_1ST_MOVE, already divided by the speed factor. */
  restartDelayMs: number;
}

export class Planner {
  /** Per block, a ring of `capacity` slots: fixed duration (NaN = shaped block) … */
  private readonly fixedMs: Float64Array;
  /** … and for shaped blocks: length, acceleration, nominal speed, junction limit, entry limit. */
  private readonly len: Float64Array;
  private readonly acc: Float64Array;
  private readonly vNom: Float64Array;
  private readonly vJunction: Float64Array;
  /** Highest entry speed from which the queue can still stop by the end of its newest block. */
  private readonly vMax: Float64Array;
  private head = 0;
  private count = 0;
  /** End of the last retired block. */
  private lastEnd = 0;
  /** When the head block starts, when it ends (NaN until planned) and its entry speed. */
  private headStart = 0;
  private headEnd = Number.NaN;
  private headEntry = 0;
  /** Exit speed of the planned head: the entry of the next block. */
  private headExit = 0;
  private hasMoved = false;
  /** The next gap in motion was asked for (M400, G4, M109 …) and is no underrun. */
  private gapExpected = true;
  /** The shape of the move being queued (stage()) and how many of its blocks are still to come. */
  private shape: BlockShape | null = null;
  private shapeLeft = 0;
  /** ms of printer time per second of motion: 1000 ÷ the speed factor. */
  private msPerS = 1000;
  /** Dilation's lower bound for shaped blocks, one block behind (see idealStep). */
  private idealOpen = false;
  private iLen = 0;
  private iAcc = 0;
  private iNom = 0;
  private iEntry = 0;

  constructor(
    readonly capacity: number,
    private readonly timing: PlannerTiming,
    private readonly stats: SimStats,
  ) {
    this.fixedMs = new Float64Array(capacity);
    this.len = new Float64Array(capacity);
    this.acc = new Float64Array(capacity);
    this.vNom = new Float64Array(capacity);
    this.vJunction = new Float64Array(capacity);
    this.vMax = new Float64Array(capacity);
  }

  /**
   * The next `shape.segments` add() calls queue shaped blocks of this move (acceleration on).
   * `msPerS`: ms of simulated time per second of motion (1000 ÷ speed factor).
   */
  stage(shape: BlockShape, msPerS: number): void {
    this.shape = shape;
    this.shapeLeft = shape.segments;
    this.msPerS = msPerS;
  }

  /** Retire blocks that finished by `now`, planning each next block as it starts. */
  update(now: number): void {
    while (this.count > 0) {
      if (Number.isNaN(this.headEnd)) {
        if (this.headStart > now) return;
        this.planHead();
      }
      if (this.headEnd > now) return;
      this.lastEnd = this.headEnd;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.count--;
      this.headStart = this.lastEnd;
      this.headEnd = Number.NaN;
      this.headEntry = this.headExit;
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

  /**
   * When the oldest block ends (a slot frees); `now` if the planner is empty. Asked when the
   * planner is full, so nothing can join the look-ahead before then: the head is planned now.
   */
  nextFreeAt(now: number): number {
    this.update(now);
    if (this.count === 0) return now;
    if (Number.isNaN(this.headEnd)) this.planHead();
    return this.headEnd;
  }

  /** When all queued motion ends, if nothing more is queued (a synchronize). Plans nothing for good. */
  drainAt(now: number): number {
    this.update(now);
    if (this.count === 0) return now;
    let t = this.headEnd;
    let entry = this.headExit;
    if (Number.isNaN(t)) {
      t = this.headStart + this.blockMs(this.head, this.headEntry, this.count > 1);
      entry = this.exit;
    }
    for (let n = 1; n < this.count; n++) {
      t += this.blockMs(this.at(n), entry, n + 1 < this.count);
      entry = this.exit;
    }
    return t;
  }

  /** Queue a block of `durationMs` (already scaled; length ÷ feedrate). False when the planner is full. */
  add(now: number, durationMs: number): boolean {
    this.update(now);
    if (this.count === this.capacity) return false;
    const shape = this.shapeLeft > 0 ? this.shape : null;
    let dur = durationMs;
    const queued = this.count;
    // Marlin: WITHIN(moves_queued, 2, BLOCK_BUFFER_SIZE / 2 - 1), BLOCK_BUFFER_SIZE = capacity + 1.
    if (this.timing.slowdown && queued >= 2 && queued <= ((this.capacity + 1) >> 1) - 1 && dur < this.timing.minSegmentMs) {
      dur += (2 * (this.timing.minSegmentMs - dur)) / queued;
      this.stats.slowdownBlocks++;
    }
    const i = this.at(queued);
    if (shape) {
      const first = this.shapeLeft === shape.segments;
      this.shapeLeft--;
      this.addShaped(i, shape, first, durationMs / dur);
    } else {
      this.fixedMs[i] = dur;
      this.vMax[i] = 0;
      this.stats.motionMs += dur;
      this.idealClose();
      this.stats.idealMotionMs += durationMs;
    }
    if (queued === 0) {
      this.headStart = now + this.timing.restartDelayMs;
      this.headEnd = Number.NaN;
      this.headEntry = shape ? this.vJunction[i]! : 0;
      if (this.hasMoved && !this.gapExpected) {
        const gap = this.headStart - this.lastEnd;
        this.stats.plannerUnderruns++;
        this.stats.plannerEmptyMsTotal += gap;
        if (gap > this.stats.plannerEmptyMsMax) this.stats.plannerEmptyMsMax = gap;
      }
    }
    this.count++;
    this.hasMoved = true;
    this.gapExpected = false;
    this.stats.plannerBlocks++;
    return true;
  }

  /** The coming stop in motion is intended (synchronize, dwell, heating, pause). */
  expectGap(): void {
    this.gapExpected = true;
    this.idealClose();
  }

  /** Quick stop (M410, kill, SD abort): drop all blocks at once. */
  clear(now: number): void {
    this.count = 0;
    this.head = 0;
    this.lastEnd = now;
    this.headEnd = Number.NaN;
    this.gapExpected = true;
    this.idealClose();
  }

  /** Slot of the block `n` places behind the head. */
  private at(n: number): number {
    const k = this.head + n;
    return k >= this.capacity ? k - this.capacity : k;
  }

  /** A shaped block into slot `i`; `slow` ≤ 1 is SLOWDOWN's factor on its nominal speed. */
  private addShaped(i: number, s: BlockShape, first: boolean, slow: number): void {
    const queued = this.count;
    const prev = queued > 0 ? this.at(queued - 1) : -1;
    const vNom = s.vNom * slow;
    const junction = first ? s.vJunction : s.vInner;
    this.fixedMs[i] = Number.NaN;
    this.len[i] = s.len;
    this.acc[i] = s.accel;
    this.vNom[i] = vNom;
    // After a fixed block (or none) the block starts from rest, like after an empty planner.
    const prevNom = prev < 0 || !Number.isNaN(this.fixedMs[prev]!) ? -1 : this.vNom[prev]!;
    this.vJunction[i] = prevNom < 0 ? Math.min(s.vStart, vNom) : Math.min(junction, vNom, prevNom);
    // The newest block must be able to stop by its end (Marlin: exit at MINIMUM_PLANNER_SPEED ≈ 0).
    this.vMax[i] = Math.min(this.vJunction[i]!, Math.sqrt(2 * s.accel * s.len));
    // Reverse pass over the queued blocks behind the head (its plan is the running block's).
    let next = i;
    for (let n = queued - 1; n >= 1; n--) {
      const k = this.at(n);
      if (!Number.isNaN(this.fixedMs[k]!)) break;
      const v = Math.min(this.vJunction[k]!, Math.sqrt(this.vMax[next]! ** 2 + 2 * this.acc[k]! * this.len[k]!));
      if (v === this.vMax[k]) break;
      this.vMax[k] = v;
      next = k;
    }
    this.idealStep(s, first ? s.vJunction : s.vInner);
  }

  /** Plan the head block for good: its end and its exit speed (the next block's entry). */
  private planHead(): void {
    const fixed = this.fixedMs[this.head]!;
    const ms = this.blockMs(this.head, this.headEntry, this.count > 1);
    if (Number.isNaN(fixed)) this.stats.motionMs += ms;
    this.headEnd = this.headStart + ms;
    this.headExit = this.exit;
  }

  /** Exit speed of the last blockMs() call. */
  private exit = 0;

  /** Duration (ms) of the block in slot `i` entered at `entry`; sets `exit`. Changes nothing else. */
  private blockMs(i: number, entry: number, hasNext: boolean): number {
    const fixed = this.fixedMs[i]!;
    if (!Number.isNaN(fixed)) {
      this.exit = 0;
      return fixed;
    }
    const len = this.len[i]!;
    const a = this.acc[i]!;
    const nextMax = hasNext ? this.vMax[i + 1 === this.capacity ? 0 : i + 1]! : 0;
    this.exit = Math.min(nextMax, Math.sqrt(entry * entry + 2 * a * len));
    return trapezoidS(len, a, this.vNom[i]!, entry, this.exit) * this.msPerS;
  }

  /**
   * idealMotionMs (the denominator of dilation) for shaped blocks: every block as fast as its own
   * junction limits allow, as if the look-ahead were endless and the host never late — a lower
   * bound of any real plan. A block is counted when the next one arrives (its exit is then known)
   * or when the chain breaks (a synchronize, a quick stop, a fixed block).
   */
  private idealStep(s: BlockShape, junction: number): void {
    const scale = this.msPerS;
    let entry = s.vStart;
    if (this.idealOpen) {
      const exit = Math.min(junction, s.vNom, this.iNom, Math.sqrt(this.iEntry ** 2 + 2 * this.iAcc * this.iLen));
      this.stats.idealMotionMs += trapezoidS(this.iLen, this.iAcc, this.iNom, this.iEntry, exit) * scale;
      entry = exit;
    }
    this.idealOpen = true;
    this.iLen = s.len;
    this.iAcc = s.accel;
    this.iNom = s.vNom;
    this.iEntry = entry;
  }

  private idealClose(): void {
    if (!this.idealOpen) return;
    this.idealOpen = false;
    this.stats.idealMotionMs += trapezoidS(this.iLen, this.iAcc, this.iNom, this.iEntry, 0) * this.msPerS;
  }
}
