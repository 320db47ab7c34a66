// The persistent outbox between the event stream and the chat targets (DESIGN principles 2 and 3):
// enqueue() only appends to memory and schedules a journal write, so the print's serial loop never
// waits for Slack, Mattermost or the disk; each target then gets its own lane (strict order, one in
// flight, retries, deadlines, supersede). What is queued survives restarts, and permanent failures
// are reported once in plain words instead of retried forever.
import { realClock, type Clock } from '../../util/clock.js';
import type { Notification, Notifier } from '../notification.js';
import { Journal, Storage } from './journal.js';
import { Lane, type Grouping } from './lane.js';
import { DEFAULT_BACKOFF, DEFAULT_DEADLINES, type Backoff, type Deadlines } from './policy.js';
import type { OutboxProblem } from './problems.js';

export interface OutboxOptions {
  /** State folder for the journals; the composition root passes $XDG_STATE_HOME/octoslack. */
  dir: string;
  notifiers: Notifier[];
  clock?: Clock;
  log: { warn(s: string): void; debug?(s: string): void };
  /** Give up on a message after this many failed tries; default: never (its deadline bounds it). */
  maxAttempts?: number;
  /** Drop undelivered messages older than this; default progress 10 min, others 24 h. */
  deadlineMs?: Partial<Deadlines>;
  backoff?: Partial<Backoff>;
  /** thread: replies in the print's thread + progress card edited; edit: card only; none: all new posts. */
  grouping?: Grouping;
  /** Abort a send that has not settled after this long (a guard; targets have their own timeouts). Default 60 s. */
  sendTimeoutMs?: number;
  /** Told about every reported problem, besides log.warn (e.g. for `--strict` or a status line). */
  onProblem?: (p: OutboxProblem) => void;
  /** For tests: the jitter source. */
  random?: () => number;
}

export interface DrainResult {
  /** Messages delivered by this outbox since it was created. */
  delivered: number;
  /** Messages still queued (kept in the journal for the next run). */
  pending: number;
  /** Messages dropped undelivered: rejected, expired, or given up on (superseded progress not counted). */
  failed: number;
}

export class Outbox {
  private readonly lanes: Lane[] = [];
  private readonly clock: Clock;
  private readonly reported = new Set<string>();
  private readonly waiters = new Set<() => void>();
  private started = false;

  constructor(private readonly o: OutboxOptions) {
    this.clock = o.clock ?? realClock;
    const storage = new Storage(o.dir, (s) => this.report({ target: 'outbox', kind: 'storage', error: s, hint: '' }));
    const policy = {
      deadlines: { ...DEFAULT_DEADLINES, ...o.deadlineMs },
      backoff: { ...DEFAULT_BACKOFF, ...o.backoff },
      maxAttempts: o.maxAttempts ?? Infinity,
      sendTimeoutMs: o.sendTimeoutMs ?? 60_000,
      grouping: o.grouping ?? 'thread',
      random: o.random ?? Math.random,
    };
    const hooks = {
      report: (p: OutboxProblem) => this.report(p),
      warn: (s: string) => this.o.log.warn(s),
      debug: (s: string) => this.o.log.debug?.(s),
      changed: () => { for (const w of [...this.waiters]) w(); },
    };
    const seen = new Set<string>();
    for (const notifier of o.notifiers) {
      if (seen.has(notifier.id)) {
        o.log.warn(`Two notification targets share the id "${notifier.id}"; only the first is used.`);
        continue;
      }
      seen.add(notifier.id);
      const lane = new Lane(notifier, this.clock, policy, hooks);
      lane.journal = new Journal(storage, notifier.id, () => lane.snapshot());
      lane.restore(lane.journal.load());
      lane.journal.compactNow();
      if (lane.pending > 0) o.log.debug?.(`${notifier.id}: ${lane.pending} notification(s) left from an earlier run`);
      this.lanes.push(lane);
    }
  }

  /** Queue for every target. Never blocks and never throws: safe to call from the print loop's path. */
  enqueue(n: Notification): void {
    try {
      for (const lane of this.lanes) lane.push(n);
    } catch (err) {
      try { this.o.log.warn(`Could not queue notification ${String(n?.id)}: ${(err as Error)?.message ?? String(err)}`); } catch { /* never throw */ }
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    for (const lane of this.lanes) lane.start();
  }

  /** Stop delivering (in-flight sends are aborted and stay queued), finish and compact the journals. */
  async stop(): Promise<void> {
    this.started = false;
    await Promise.all(this.lanes.map((l) => l.stop()));
    await Promise.all(this.lanes.map((l) => l.journal.compact()));
  }

  /**
   * Deliver what is queued, for at most `timeoutMs` (before exit). Lanes waiting in backoff try
   * again right away; a server's Retry-After is still honoured. Delivery keeps running afterwards
   * until stop().
   */
  async drain(timeoutMs: number): Promise<DrainResult> {
    this.start();
    for (const lane of this.lanes) lane.hurry();
    await new Promise<void>((resolve) => {
      const finish = () => { timer.cancel(); this.waiters.delete(check); resolve(); };
      const check = () => { if (this.lanes.every((l) => l.idle)) finish(); };
      const timer = this.clock.setTimeout(finish, timeoutMs);
      this.waiters.add(check);
      check();
    });
    await Promise.all(this.lanes.map((l) => l.journal.flushed()));
    return this.counts();
  }

  counts(): DrainResult {
    let delivered = 0;
    let pending = 0;
    let failed = 0;
    for (const l of this.lanes) {
      delivered += l.stats.delivered;
      failed += l.stats.failed;
      pending += l.pending;
    }
    return { delivered, pending, failed };
  }

  /** Permanent errors once per target and error; drops and storage trouble every time. */
  private report(p: OutboxProblem): void {
    if (p.kind === 'rejected') {
      const key = `${p.target}\u0000${p.error}`;
      if (this.reported.has(key)) return;
      this.reported.add(key);
    }
    const who = p.target === 'outbox' ? '' : `${p.target}: `;
    try {
      this.o.log.warn(`${who}${p.error}${p.hint ? `. ${p.hint}` : ''}`);
      this.o.onProblem?.(p);
    } catch { /* a logger must not break delivery */ }
  }
}
