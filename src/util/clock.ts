// Time is an injected dependency so that the session, the streamer and the virtual printer can
// run on real time (the CLI) or on a virtual clock (tests and benchmarks: fast and repeatable).

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds; monotonic. Real clock: performance.now(); virtual clock: simulated time. */
  now(): number;
  /** Wall-clock milliseconds since the epoch, for timestamps shown to people. */
  wallNow(): number;
  /** Run `fn` after `ms` milliseconds (0 allowed). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const realClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(t) };
  },
};

interface ScheduledTimer {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A discrete-event clock. Timers fire in (time, insertion) order when the clock is advanced.
 * `run()` interleaves timers with the microtask/immediate queue so promise-based code between
 * timers (transport writes, awaits in the session) completes before simulated time moves on.
 */
export class VirtualClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly heap: ScheduledTimer[] = [];

  constructor(private readonly epochMs = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.time;
  }

  wallNow(): number {
    return this.epochMs + this.time;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: ScheduledTimer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn, cancelled: false };
    this.push(timer);
    return { cancel: () => { timer.cancelled = true; } };
  }

  /** Number of live timers (cancelled ones are dropped lazily). */
  get pending(): number {
    return this.heap.filter((t) => !t.cancelled).length;
  }

  /** Fire the earliest timer, moving time forward to it. Returns false when none is left. */
  step(): boolean {
    for (;;) {
      const next = this.pop();
      if (!next) return false;
      if (next.cancelled) continue;
      this.time = Math.max(this.time, next.at);
      next.fn();
      return true;
    }
  }

  /** Fire every timer due at or before `t`, then set the time to `t`. */
  advanceTo(t: number): void {
    for (;;) {
      const next = this.peek();
      if (!next || next.at > t) break;
      this.step();
    }
    this.time = Math.max(this.time, t);
  }

  /**
   * Run until `done()` is true, letting promises settle between timers.
   * Throws if simulated time passes `limitMs` (a hung simulation is a test failure, not a hang).
   */
  async run(done: () => boolean, limitMs = 24 * 3600_000): Promise<void> {
    let idleSpins = 0;
    while (!done()) {
      await settle();
      if (done()) return;
      const next = this.peek();
      if (!next) {
        // Nothing scheduled: something async outside the clock may still be in progress.
        if (++idleSpins > 1000) throw new Error(`VirtualClock.run: nothing scheduled at t=${this.time} ms and not done`);
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      idleSpins = 0;
      if (next.at > limitMs) throw new Error(`VirtualClock.run: limit of ${limitMs} ms simulated time reached`);
      this.step();
    }
  }

  private peek(): ScheduledTimer | undefined {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.pop();
    return this.heap[0];
  }

  private less(a: ScheduledTimer, b: ScheduledTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(t: ScheduledTimer): void {
    const h = this.heap;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): ScheduledTimer | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Let pending promise callbacks and immediates run. */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
