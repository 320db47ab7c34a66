// How a command blocks, the way Marlin's handlers do: wait for planner space, synchronize (all
// motion done), dwell, wait for the user (wait_for_user) or for heating (wait_for_heatup).
// Each helper takes a continuation and returns true when it could finish at once, false when it
// will call host.finish(cmd) later — so handlers compose them: sync(cmd, () => delay(cmd, ms, …)).
import type { TimerHandle } from '../util/clock.js';
import type { Cmd } from './command-queue.js';
import type { Planner } from './planner.js';

export interface WaitHost {
  readonly planner: Planner;
  now(): number;
  /** A timer that is dropped when the firmware dies. */
  after(ms: number, fn: () => void): TimerHandle;
  finish(cmd: Cmd): void;
}

type Wait = { fn: () => void; timer: TimerHandle };

export class Waits {
  /** Set by a heat wait so M108 can end it (wait_for_heatup = false). */
  heatRelease: (() => void) | null = null;
  private motionWait: Wait | null = null;
  private userWait: Wait | null = null;

  constructor(private readonly host: WaitHost) {}

  /** Queue `n` planner blocks of `durMs`, waiting for free blocks as needed. */
  queueBlocks(cmd: Cmd, n: number, durMs: number): boolean {
    const { planner } = this.host;
    const now = this.host.now();
    while (n > 0 && planner.add(now, durMs)) n--;
    if (n === 0) return true;
    this.waitMotion(planner.nextFreeAt(now), () => {
      if (this.queueBlocks(cmd, n, durMs)) this.host.finish(cmd);
    });
    return false;
  }

  /** planner.synchronize(): wait until all motion ended, then `then`. */
  sync(cmd: Cmd, then: () => boolean): boolean {
    this.host.planner.expectGap();
    const at = this.host.planner.drainAt(this.host.now());
    if (at <= this.host.now()) return then();
    this.waitMotion(at, () => {
      if (then()) this.host.finish(cmd);
    });
    return false;
  }

  /** Wait `ms` (already scaled), then `then`. */
  delay(cmd: Cmd, ms: number, then: () => boolean): boolean {
    if (ms <= 0) return then();
    this.host.after(ms, () => {
      if (then()) this.host.finish(cmd);
    });
    return false;
  }

  /** wait_for_user: until M108, M876, the LCD button, or `timeoutMs` (> 0) passes. */
  user(cmd: Cmd, timeoutMs: number, then: () => boolean): boolean {
    const fn = (): void => {
      if (then()) this.host.finish(cmd);
    };
    const timer = timeoutMs > 0 ? this.host.after(timeoutMs, () => this.releaseUser()) : { cancel() {} };
    this.userWait = { fn, timer };
    return false;
  }

  releaseUser(): void {
    const w = this.userWait;
    if (!w) return;
    this.userWait = null;
    w.timer.cancel();
    w.fn();
  }

  /** M108: wait_for_heatup = wait_for_user = false. */
  releaseAll(): void {
    const h = this.heatRelease;
    this.heatRelease = null;
    h?.();
    this.releaseUser();
  }

  /** After a quick stop the planner is empty: a command waiting on it goes on now. */
  motionStopped(): void {
    const w = this.motionWait;
    if (!w) return;
    this.motionWait = null;
    w.timer.cancel();
    this.host.after(0, w.fn);
  }

  private waitMotion(at: number, fn: () => void): void {
    const timer = this.host.after(at - this.host.now(), () => {
      this.motionWait = null;
      fn();
    });
    this.motionWait = { fn, timer };
  }
}
