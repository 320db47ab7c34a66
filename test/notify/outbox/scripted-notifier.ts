// An in-memory Notifier for outbox tests: records every send (with its ThreadContext and the
// clock time), answers from a script (results, 'hang' until aborted, 'ignore-abort'), and checks
// that the outbox never has two sends in flight on one target.
import type { Clock } from '../../../src/util/clock.js';
import type { DeliveryResult, Notification, Notifier, ThreadContext } from '../../../src/notify/notification.js';

export type Scripted = DeliveryResult | 'hang' | 'ignore-abort';

export class ScriptedNotifier implements Notifier {
  readonly canThread = true;
  readonly sent: { n: Notification; ctx: ThreadContext; at: number }[] = [];
  readonly answers: Scripted[] = [];
  inFlight = 0;
  maxInFlight = 0;
  /** When set, every send without a scripted answer returns this. */
  fallback?: DeliveryResult;

  constructor(readonly id: string, private readonly clock?: Clock) {}

  script(...answers: Scripted[]): this {
    this.answers.push(...answers);
    return this;
  }

  ids(): string[] {
    return this.sent.map((s) => s.n.id);
  }

  async send(n: Notification, ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult> {
    this.sent.push({ n, ctx, at: this.clock?.now() ?? performance.now() });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const a = this.answers.shift() ?? this.fallback ?? { ok: true, refs: [{ target: this.id, channel: 'C1', id: `ts-${n.id}` }] };
      if (a === 'ignore-abort') return await new Promise<DeliveryResult>(() => {});
      if (a === 'hang') {
        return await new Promise<DeliveryResult>((resolve) => signal?.addEventListener('abort', () => resolve({ ok: false, retry: true, error: 'aborted' })));
      }
      await Promise.resolve();
      return a;
    } finally {
      this.inFlight--;
    }
  }
}

export function quietLog(): { warn(s: string): void; debug(s: string): void; warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (s) => warnings.push(s), debug: () => {} };
}

export async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('until: timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}
