// The outbox on disk: one JSONL file per target under the state folder. Enqueue appends an `add`
// line, delivery (or a drop) appends a `done` line, a posted thread parent / progress card appends a
// `ref` line. Writes are batched and asynchronous so the caller (ultimately the print loop) never
// waits for the disk; the file is compacted (rewritten from the live state) at start and when it
// grows. If the folder cannot be written (read-only, disk full) octoslack keeps working in memory
// and says so once. Only Notifications and refs are written: they hold no tokens or URLs' secrets.
import { appendFile, rename, unlink, writeFile } from 'node:fs/promises';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Notification } from '../notification.js';
import type { RefRecord } from './threads.js';

export type JournalRecord = { t: 'add'; n: Notification } | { t: 'done'; id: string } | RefRecord;

export interface LoadedJournal {
  queue: Notification[];
  refs: RefRecord[];
}

/** Compact once this many lines were appended since the last rewrite. */
const COMPACT_AFTER_LINES = 2000;

/** The state folder, shared by the journals: one "cannot write" warning for all of them. */
export class Storage {
  ok = true;
  private readonly files = new Set<string>();

  constructor(readonly dir: string, private readonly warn: (s: string) => void) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      this.fail(err);
    }
  }

  register(file: string): void {
    this.files.add(file);
  }

  /** Go memory-only. The journals are removed (best effort): a stale one would resend old messages. */
  fail(err: unknown): void {
    if (!this.ok) return;
    this.ok = false;
    const code = (err as { code?: unknown })?.code;
    this.warn(`Cannot write the notification outbox in ${this.dir}${typeof code === 'string' ? ` (${code})` : ''}: ` +
      'notifications are kept in memory only, and any not yet delivered are lost if octoslack exits. ' +
      'Check that the folder is writable and the disk is not full (it can be changed with stateDir).');
    for (const f of this.files) unlink(f).catch(() => { /* nothing to remove, or cannot */ });
  }
}

export class Journal {
  readonly file: string;
  private pending: JournalRecord[] = [];
  private flushing?: Promise<void>;
  private linesSinceRewrite = 0;

  /** `snapshot` gives the live state as records, for compaction. */
  constructor(private readonly storage: Storage, targetId: string, private readonly snapshot: () => JournalRecord[]) {
    this.file = join(storage.dir, `outbox-${targetId.replace(/[^A-Za-z0-9._-]/g, '_')}.jsonl`);
    storage.register(this.file);
  }

  /** Read what an earlier run left (synchronous: called once, before any print starts). */
  load(): LoadedJournal {
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENOENT') this.storage.fail(err);
      return { queue: [], refs: [] };
    }
    const adds = new Map<string, Notification>();
    const done = new Set<string>();
    const refs = new Map<string, RefRecord>();
    for (const line of text.split('\n')) {
      const rec = parseRecord(line);
      if (!rec) continue; // a torn last line after a crash, or garbage: skip it
      if (rec.t === 'add') {
        if (!done.has(rec.n.id) && !adds.has(rec.n.id)) adds.set(rec.n.id, rec.n);
      } else if (rec.t === 'done') {
        done.add(rec.id);
        adds.delete(rec.id);
      } else {
        refs.set(`${rec.printId}\u0000${rec.role}`, rec);
      }
    }
    return { queue: [...adds.values()], refs: [...refs.values()] };
  }

  /** Rewrite the file from the live state (synchronous; at start). */
  compactNow(): void {
    if (!this.storage.ok) return;
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, serialize(this.snapshot()), { mode: 0o600 });
      renameSync(tmp, this.file);
      this.linesSinceRewrite = 0;
    } catch (err) {
      this.storage.fail(err);
    }
  }

  /** Never blocks, never throws: the line is written on a later turn of the event loop. */
  append(rec: JournalRecord): void {
    if (!this.storage.ok) return;
    this.pending.push(rec);
    if (!this.flushing) this.flushing = this.flushLoop();
  }

  /** Resolves when everything appended so far is on disk (or storage failed). */
  async flushed(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flushLoop(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.pending.length > 0 && this.storage.ok) {
        const batch = this.pending;
        this.pending = [];
        await appendFile(this.file, serialize(batch), { mode: 0o600 });
        this.linesSinceRewrite += batch.length;
        if (this.linesSinceRewrite > COMPACT_AFTER_LINES && this.pending.length === 0) await this.compactAsync();
      }
    } catch (err) {
      this.storage.fail(err);
    } finally {
      this.pending = [];
      this.flushing = undefined;
    }
  }

  /** Rewrite the file from the live state once pending writes are done (at stop). */
  async compact(): Promise<void> {
    await this.flushed();
    if (!this.storage.ok) return;
    this.flushing = this.compactAsync().catch((err) => this.storage.fail(err)).finally(() => {
      // Appends made meanwhile waited for us: write them now.
      this.flushing = this.pending.length > 0 && this.storage.ok ? this.flushLoop() : undefined;
    });
    await this.flushed();
  }

  /** The snapshot is taken synchronously, so later appends land after it in the new file. */
  private async compactAsync(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, serialize(this.snapshot()), { mode: 0o600 });
    await rename(tmp, this.file);
    this.linesSinceRewrite = 0;
  }
}

/** One line per record; a record that cannot be serialized is skipped, not a storage failure. */
function serialize(records: JournalRecord[]): string {
  let out = '';
  for (const r of records) {
    try { out += `${JSON.stringify(r)}\n`; } catch { /* not plain data: keep it in memory only */ }
  }
  return out;
}

function parseRecord(line: string): JournalRecord | undefined {
  if (!line.trim()) return undefined;
  try {
    const r = JSON.parse(line) as Partial<Record<string, unknown>>;
    if (r.t === 'done' && typeof r.id === 'string') return { t: 'done', id: r.id };
    if (r.t === 'add' && isNotification(r.n)) return { t: 'add', n: r.n };
    if (r.t === 'ref' && typeof r.printId === 'string' && (r.role === 'parent' || r.role === 'card') &&
        Array.isArray(r.refs) && typeof r.at === 'number') {
      return r as unknown as RefRecord;
    }
  } catch { /* not JSON */ }
  return undefined;
}

function isNotification(n: unknown): n is Notification {
  const x = n as Partial<Notification> | undefined;
  return !!x && typeof x.id === 'string' && typeof x.at === 'number' && typeof x.kind === 'string' &&
    typeof x.headline === 'string' && Array.isArray(x.fields) && Array.isArray(x.channels);
}
