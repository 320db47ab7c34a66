// When to try a message again, and when it is too old to send at all. A progress update 30
// minutes late is worse than none (chat-platforms.md §1.4); a "print failed" a few hours late
// is still worth having. Retry-After is honoured exactly: Slack asks for it.
import type { Notification } from '../notification.js';

export interface Deadlines {
  /** Progress updates older than this are dropped; default 10 min. */
  progress: number;
  /** Everything else; default 24 h. */
  other: number;
}

export interface Backoff {
  /** First retry after about this long; default 2 s. */
  baseMs: number;
  /** Never wait longer than this between tries; default 5 min. */
  maxMs: number;
}

export const DEFAULT_DEADLINES: Deadlines = { progress: 10 * 60_000, other: 24 * 3600_000 };
export const DEFAULT_BACKOFF: Backoff = { baseMs: 2000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": half the step is fixed, half random, so many
 * octoslack instances that lost the network together do not come back in lockstep.
 */
export function backoffMs(attempt: number, b: Backoff, random: () => number): number {
  const step = Math.min(b.maxMs, b.baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(step / 2 + (step / 2) * random());
}

/** Age past which a message is dropped; `at` and `wallNow` are epoch ms. */
export function isExpired(n: Notification, wallNow: number, d: Deadlines): boolean {
  return wallNow - n.at > (n.kind === 'progress' ? d.progress : d.other);
}

/** "3 min", "2.5 h": for warnings about dropped messages. */
export function ageText(ms: number): string {
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.round(ms / 360_000) / 10} h`;
}
