// A one-way link with a fixed latency: items pushed now come out `latencyMs` later, in order,
// batched so one timer serves everything due at the same moment. Never delivers synchronously,
// so a writer is never re-entered by its own write. On the real clock a zero latency uses
// setImmediate: Node's setTimeout(0) waits ~1 ms, which would cap a ping-pong stream at a few
// hundred lines a second and make the `sim://` demo crawl.
import { type Clock, realClock, type TimerHandle } from '../util/clock.js';

export class DelayLine<T> {
  private items: T[] = [];
  private times: number[] = [];
  private head = 0;
  private timer: TimerHandle | null = null;
  private immediate: ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly latencyMs: number,
    private readonly deliver: (item: T) => void,
  ) {}

  push(item: T): void {
    this.items.push(item);
    this.times.push(this.clock.now() + this.latencyMs);
    if (!this.timer && !this.immediate) this.arm();
  }

  /** Drop everything in flight. */
  clear(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = null;
    this.items = [];
    this.times = [];
    this.head = 0;
  }

  private arm(): void {
    const wait = this.times[this.head]! - this.clock.now();
    if (wait <= 0 && this.clock === realClock) {
      this.immediate = setImmediate(() => this.fire());
      return;
    }
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, wait));
  }

  private fire(): void {
    this.timer = null;
    this.immediate = null;
    const now = this.clock.now();
    while (this.head < this.items.length && this.times[this.head]! <= now + 1e-9) {
      const item = this.items[this.head]!;
      this.head++;
      this.deliver(item);
      if (this.items.length === 0) return; // cleared by the receiver
    }
    if (this.head >= this.items.length) {
      this.items = [];
      this.times = [];
      this.head = 0;
    } else {
      if (this.head > 1024) {
        this.items = this.items.slice(this.head);
        this.times = this.times.slice(this.head);
        this.head = 0;
      }
      if (!this.timer && !this.immediate) this.arm();
    }
  }
}
