// Sending one notification to several channels of one target. A retry after a partial failure
// must not post twice where it already succeeded, so what each channel got is remembered until
// the notification is settled. The DeliveryResult contract has no room for "delivered, but one
// channel refused": such notes ride along on the ok result (`notes`), and the outbox reports them.
import type { DeliveryResult, MessageRef } from '../notification.js';
import { toDeliveryResult, type PeopleError } from '../errors.js';

export type ChannelOutcome =
  | { ok: true; ref?: MessageRef; note?: PeopleError }
  | { ok: false; error: PeopleError };

/** An ok DeliveryResult that also carries problems worth telling people about. */
export type NotedDelivery = Extract<DeliveryResult, { ok: true }> & { notes?: { error: string; hint: string }[] };

type ChannelState = { ref: MessageRef | null } | { failed: PeopleError };

const MAX_REMEMBERED = 100;

export class Fanout {
  private readonly partial = new Map<string, Map<string, ChannelState>>();

  async run(id: string, channels: readonly string[], one: (channel: string) => Promise<ChannelOutcome>): Promise<DeliveryResult> {
    const seen = this.partial.get(id) ?? new Map<string, ChannelState>();
    for (const ch of channels) {
      if (seen.has(ch)) continue;
      let out: ChannelOutcome;
      try {
        out = await one(ch);
      } catch (err) {
        out = { ok: false, error: { retry: true, code: 'internal', error: `Sending failed (${(err as Error)?.name ?? 'error'})`, hint: 'octoslack retries.' } };
      }
      if (out.ok) {
        seen.set(ch, { ref: out.ref ?? null });
        if (out.note) seen.set(`${ch}\u0000note`, { failed: out.note });
      } else if (out.error.retry) {
        this.remember(id, seen);
        return toDeliveryResult(out.error);
      } else {
        seen.set(ch, { failed: out.error });
      }
    }
    this.partial.delete(id);
    const refs: MessageRef[] = [];
    const problems: PeopleError[] = [];
    let delivered = 0;
    for (const state of seen.values()) {
      if ('ref' in state) { delivered++; if (state.ref) refs.push(state.ref); } else problems.push(state.failed);
    }
    if (delivered === 0) {
      const first = problems[0];
      if (!first) return { ok: true, refs: [] };
      return toDeliveryResult(problems.length === 1 ? first : { ...first, error: problems.map((p) => p.error).join('; ') });
    }
    const result: NotedDelivery = { ok: true, refs };
    if (problems.length > 0) result.notes = problems.map((p) => ({ error: p.error, hint: p.hint }));
    return result;
  }

  private remember(id: string, seen: Map<string, ChannelState>): void {
    this.partial.delete(id);
    this.partial.set(id, seen);
    while (this.partial.size > MAX_REMEMBERED) {
      const oldest = this.partial.keys().next().value;
      if (oldest === undefined) break;
      this.partial.delete(oldest);
    }
  }
}
