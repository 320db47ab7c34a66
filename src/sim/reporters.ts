// The two kinds of unsolicited output Marlin produces on a timer:
// - HOST_KEEPALIVE_FEATURE: `echo:busy: processing` / `echo:busy: paused for user` every
//   interval while a command blocks (M113 S<n> changes the interval, 0 turns it off);
// - auto-reports (M155 temperatures, M154 position, M27 S SD status) every S seconds.
// Both run in real (unscaled) seconds: they are protocol timing the host depends on.
// The keepalive timer is lazy: one pending timer at most, re-armed only while something blocks,
// so millions of short commands cost no timers.
import type { Clock, TimerHandle } from '../util/clock.js';

export const BUSY_NONE = 0;
export const BUSY_PROCESSING = 1;
export const BUSY_PAUSED_FOR_USER = 2;
export type BusyState = typeof BUSY_NONE | typeof BUSY_PROCESSING | typeof BUSY_PAUSED_FOR_USER;

export class Keepalive {
  state: BusyState = BUSY_NONE;
  private deadline = 0;
  private timer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly emit: (line: string) => void,
    private readonly enabled: boolean,
    /** Seconds; 0 = off. */
    public intervalS: number,
  ) {}

  /** A command started blocking: the first busy line comes one interval from now. */
  begin(): void {
    if (this.state === BUSY_NONE) this.set(BUSY_PROCESSING);
  }

  /** Enter or switch the busy state (processing / paused for user) of the blocking command. */
  set(state: BusyState): void {
    if (this.state === BUSY_NONE) this.deadline = this.clock.now() + this.intervalS * 1000;
    this.state = state;
    this.arm();
  }

  end(): void {
    this.state = BUSY_NONE;
  }

  stop(): void {
    this.state = BUSY_NONE;
    this.timer?.cancel();
    this.timer = null;
  }

  private arm(): void {
    if (this.timer || !this.enabled || this.intervalS <= 0 || this.state === BUSY_NONE) return;
    this.timer = this.clock.setTimeout(() => this.tick(), Math.max(0, this.deadline - this.clock.now()));
  }

  private tick(): void {
    this.timer = null;
    if (this.state === BUSY_NONE || !this.enabled || this.intervalS <= 0) return;
    const now = this.clock.now();
    if (now >= this.deadline) {
      this.emit(this.state === BUSY_PAUSED_FOR_USER ? 'echo:busy: paused for user' : 'echo:busy: processing');
      this.deadline = now + this.intervalS * 1000;
    }
    this.arm();
  }
}

/** One periodic report (M155 / M154 / M27 S). */
export class AutoReporter {
  private timer: TimerHandle | null = null;
  private intervalMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly report: () => void,
  ) {}

  get intervalS(): number {
    return this.intervalMs / 1000;
  }

  /** Report every `seconds` (first report one interval from now); 0 stops. */
  set(seconds: number): void {
    this.stop();
    this.intervalMs = Math.max(0, seconds) * 1000;
    if (this.intervalMs > 0) this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.report();
      if (this.intervalMs > 0) this.schedule();
    }, this.intervalMs);
  }
}
