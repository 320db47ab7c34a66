// One target's queue: strict order, one message in flight, retries with backoff (Retry-After
// exactly), deadlines, progress supersede, and the target's thread refs. A slow or dead target
// only ever delays its own lane; the other targets and the caller carry on.
import type { Clock, TimerHandle } from '../../util/clock.js';
import type { DeliveryResult, Notification, Notifier } from '../notification.js';
import type { MultiThreadContext } from '../targets/thread-refs.js';
import type { Journal, JournalRecord, LoadedJournal } from './journal.js';
import { ageText, backoffMs, isExpired, type Backoff, type Deadlines } from './policy.js';
import { ThreadRefs } from './threads.js';
import type { OutboxProblem } from './problems.js';

export type Grouping = 'thread' | 'edit' | 'none';

export interface LanePolicy {
  deadlines: Deadlines;
  backoff: Backoff;
  maxAttempts: number;
  /** Guard against a notifier that never settles: abort and retry after this long. */
  sendTimeoutMs: number;
  grouping: Grouping;
  random: () => number;
}

export interface LaneHooks {
  report(p: OutboxProblem): void;
  warn(s: string): void;
  debug(s: string): void;
  /** Something finished (drain waits on this). */
  changed(): void;
}

interface Entry {
  n: Notification;
  attempts: number;
  /** clock.now() before which not to try. */
  notBefore: number;
  /** Waiting for a server's Retry-After (drain must not cut it short). */
  rateLimited: boolean;
}

export class Lane {
  readonly threads = new ThreadRefs();
  readonly stats = { delivered: 0, failed: 0, superseded: 0 };
  journal!: Journal;
  private queue: Entry[] = [];
  private readonly ids = new Set<string>();
  private inflight?: { entry: Entry; abort: AbortController };
  private timer?: TimerHandle;
  private kicked = false;
  private running = false;
  private pumping?: Promise<void>;
  /** A retryable failure was announced; announce the recovery too. */
  private failing = false;

  constructor(readonly notifier: Notifier, private readonly clock: Clock, private readonly policy: LanePolicy,
    private readonly hooks: LaneHooks) {}

  get pending(): number { return this.queue.length; }
  get idle(): boolean { return this.queue.length === 0 && !this.inflight; }

  /** What an earlier run left; no journal writes (the journal is compacted right after). */
  restore(state: LoadedJournal): void {
    for (const r of state.refs) this.threads.set(r.printId, r.role, r.refs, r.at);
    for (const n of state.queue) this.add(n, false);
  }

  /** The live state as journal records, for compaction. */
  snapshot(): JournalRecord[] {
    return [...this.threads.records(this.clock.wallNow()), ...this.queue.map((e) => ({ t: 'add' as const, n: e.n }))];
  }

  push(n: Notification): void {
    this.add(n, true);
    this.kick();
  }

  start(): void {
    this.running = true;
    this.kick();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.timer?.cancel();
    this.timer = undefined;
    this.inflight?.abort.abort(new Error('outbox stopped'));
    await this.pumping;
  }

  /** Before exit: retry now instead of after the backoff (a server's Retry-After is still honoured). */
  hurry(): void {
    const head = this.queue[0];
    if (!this.timer || !head || head.rateLimited) return;
    this.timer.cancel();
    this.timer = undefined;
    head.notBefore = 0;
    this.kick();
  }

  private add(n: Notification, journal: boolean): void {
    if (this.ids.has(n.id)) return;
    if (n.kind === 'progress') this.supersede(n, journal);
    this.queue.push({ n, attempts: 0, notBefore: 0, rateLimited: false });
    this.ids.add(n.id);
    if (journal) this.journal.append({ t: 'add', n });
  }

  /** A newer progress update replaces an older one still waiting (never the one in flight). */
  private supersede(n: Notification, journal: boolean): void {
    const old = this.queue.filter((e) => e !== this.inflight?.entry && e.n.kind === 'progress' && e.n.printId === n.printId);
    for (const e of old) {
      this.remove(e, journal);
      this.stats.superseded++;
      this.hooks.debug(`${this.notifier.id}: progress ${e.n.id} superseded by ${n.id}`);
    }
  }

  private remove(e: Entry, journal = true): void {
    const i = this.queue.indexOf(e);
    if (i < 0) return;
    this.queue.splice(i, 1);
    this.ids.delete(e.n.id);
    if (journal) this.journal.append({ t: 'done', id: e.n.id });
    // A removed head may have been waiting on a timer: the next one must not wait for it.
    if (i === 0 && this.timer) {
      this.timer.cancel();
      this.timer = undefined;
      this.kick();
    }
  }

  /** Start pumping on a later turn: the caller of push() must never run delivery code. */
  private kick(): void {
    if (this.kicked || !this.running || this.inflight || this.timer) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      if (!this.pumping) this.pumping = this.pump().finally(() => { this.pumping = undefined; });
    });
  }

  private async pump(): Promise<void> {
    while (this.running && !this.timer) {
      const head = this.queue[0];
      if (!head) break;
      if (isExpired(head.n, this.clock.wallNow(), this.policy.deadlines)) {
        this.drop(head, 'expired', `dropped "${head.n.headline || head.n.event}" (${head.n.event}): not delivered within ` +
          `${ageText(this.clock.wallNow() - head.n.at)}, too old to be useful`, 'See the earlier warning for why delivery failed.');
        continue;
      }
      const wait = head.notBefore - this.clock.now();
      if (wait > 0) {
        this.timer = this.clock.setTimeout(() => { this.timer = undefined; this.kick(); }, wait);
        break;
      }
      const result = await this.attempt(head);
      // Stopped mid-flight without a delivery: the message stays queued (and journaled) for next time.
      if (!this.running && !result.ok) break;
      this.settle(head, result);
    }
    this.hooks.changed();
  }

  /** One send. Never throws, and never takes longer than sendTimeoutMs. */
  private async attempt(head: Entry): Promise<DeliveryResult> {
    const abort = new AbortController();
    this.inflight = { entry: head, abort };
    const guard = this.clock.setTimeout(() => abort.abort(new Error('send timeout')), this.policy.sendTimeoutMs);
    const aborted = new Promise<DeliveryResult>((resolve) => abort.signal.addEventListener('abort',
      () => resolve({ ok: false, retry: true, error: `${this.notifier.id}: no result within ${ageText(this.policy.sendTimeoutMs)}` }), { once: true }));
    try {
      return await Promise.race([this.notifier.send(head.n, this.context(head.n), abort.signal), aborted]);
    } catch (err) {
      return { ok: false, retry: true, error: `${this.notifier.id} failed unexpectedly: ${(err as Error)?.message ?? String(err)}` };
    } finally {
      guard.cancel();
      this.inflight = undefined;
    }
  }

  private context(n: Notification): MultiThreadContext {
    const ctx: MultiThreadContext = {};
    if (this.policy.grouping === 'none' || !n.printId) return ctx;
    this.threads.touch(n.printId, this.clock.wallNow());
    const parents = this.policy.grouping === 'thread' && n.kind !== 'start' ? this.threads.get(n.printId, 'parent') : undefined;
    if (parents?.[0]) { ctx.parent = parents[0]; ctx.parents = parents; }
    const cards = n.kind === 'progress' ? this.threads.get(n.printId, 'card') : undefined;
    if (cards?.[0]) { ctx.progressCard = cards[0]; ctx.progressCards = cards; }
    return ctx;
  }

  private settle(head: Entry, r: DeliveryResult): void {
    const id = this.notifier.id;
    if (r.ok) {
      this.remove(head);
      this.stats.delivered++;
      const n = head.n;
      if (n.printId && r.refs.length > 0 && this.policy.grouping !== 'none' && (n.kind === 'start' || n.kind === 'progress')) {
        this.journal.append(this.threads.set(n.printId, n.kind === 'start' ? 'parent' : 'card', r.refs, this.clock.wallNow()));
      }
      for (const note of (r as { notes?: { error: string; hint: string }[] }).notes ?? []) {
        this.hooks.report({ target: id, kind: 'rejected', error: note.error, hint: note.hint, notificationId: n.id, event: n.event });
      }
      if (this.failing) {
        this.failing = false;
        this.hooks.warn(`${id}: delivering again.`);
      }
    } else if (r.retry) {
      head.attempts++;
      if (head.attempts >= this.policy.maxAttempts) {
        this.drop(head, 'gave-up', `gave up on "${head.n.headline || head.n.event}" after ${head.attempts} tries: ${r.error}`, 'See the earlier warning.');
        return;
      }
      head.rateLimited = r.retryAfterS !== undefined;
      const delay = r.retryAfterS !== undefined ? r.retryAfterS * 1000 : backoffMs(head.attempts, this.policy.backoff, this.policy.random);
      head.notBefore = this.clock.now() + delay;
      this.hooks.debug(`${id}: attempt ${head.attempts} for ${head.n.id} failed (${r.error}); next in ${ageText(delay)}`);
      if (!this.failing) {
        this.failing = true;
        this.hooks.warn(`${id}: cannot deliver yet: ${r.error}. Retrying; messages are kept until delivered.`);
      }
    } else {
      this.hooks.report({ target: id, kind: 'rejected', error: r.error, hint: r.hint, notificationId: head.n.id, event: head.n.event });
      this.remove(head);
      this.stats.failed++;
    }
  }

  private drop(e: Entry, kind: OutboxProblem['kind'], error: string, hint: string): void {
    this.remove(e);
    this.stats.failed++;
    this.hooks.report({ target: this.notifier.id, kind, error, hint, notificationId: e.n.id, event: e.n.event });
  }
}
