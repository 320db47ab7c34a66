// Reconnect pacing for the chat connections: exponential, capped, with jitter so several printers
// behind one router don't all knock at once after an outage. A connection that stayed up long
// enough resets it, so a routine server-side refresh reconnects at once rather than after minutes.
// The sleep is cancellable: stopping must never wait for a backoff to run out.

export interface BackoffOptions {
  /** First delay, ms (default 1 s). */
  baseMs?: number;
  /** Largest delay, ms (default 60 s). */
  maxMs?: number;
  /** ± fraction of random spread (default 0.2). */
  jitter?: number;
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(o: BackoffOptions = {}) {
    this.baseMs = Math.max(1, o.baseMs ?? 1000);
    this.maxMs = Math.max(this.baseMs, o.maxMs ?? 60_000);
    this.jitter = Math.min(1, Math.max(0, o.jitter ?? 0.2));
    this.random = o.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts one more failure. */
  next(): number {
    const raw = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    const spread = raw * this.jitter * (this.random() * 2 - 1);
    return Math.round(Math.min(this.maxMs, Math.max(0, raw + spread)));
  }

  reset(): void {
    this.failures = 0;
  }

  get attempts(): number {
    return this.failures;
  }
}

/** A sleep that `cancel()` ends early (resolving false). */
export function cancellableSleep(ms: number): { done: Promise<boolean>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let finish: (v: boolean) => void = () => {};
  const done = new Promise<boolean>((resolve) => {
    finish = resolve;
    timer = setTimeout(() => resolve(true), ms);
  });
  return {
    done,
    cancel() {
      if (timer) clearTimeout(timer);
      finish(false);
    },
  };
}

/** How long `stop()` waits for a connection loop to notice. */
export const STOP_WAIT_MS = 3000;

/** Wait for `p` (its failure ignored), but no longer than `ms`. */
export async function boundedWait(p: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!p) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => {}), new Promise<void>((r) => { timer = setTimeout(r, ms); })]);
  clearTimeout(timer);
}

/** "250 ms", "4 s". */
export function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}
