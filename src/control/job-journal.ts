// Where a host print had got to, on disk, so that a crash of octoslack or a reboot of the Pi
// mid-print is noticed: the next `print`/`watch` on that port finds the journal and reports "the
// print of X was interrupted at line N, layer L, Z …" — the printer may still be hot, and the user
// needs the line and height to decide whether to resume or start over.
//
// Writes are atomic (temp file, fsync, rename: after a power cut the file is the old or the new
// one, never half) and happen off the serial loop, one at a time, newest wins. A full disk or an
// unwritable folder costs only this safety net: warned about once, the print goes on.
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { OctoslackEvent } from '../events/events.js';
import { errorMessage } from '../util/errors.js';
import { currentProcessIdentity, isProcessAlive, type ProcessIdentity } from './liveness.js';
import { canonicalPort, portKey } from './paths.js';

/** What the adapter samples from the running job. */
export interface JournalSnapshot {
  /** The job's status: printing, paused, cancelling … */
  status: string;
  /** Last file line the printer acknowledged (1-based). */
  lastAckedFileLine?: number;
  /** File bytes acknowledged: where a resume would seek to. */
  byteOffset?: number;
  layer?: number;
  layerCount?: number;
  z?: number;
  percent?: number;
  elapsedS?: number;
}

export interface JournalEntry extends JournalSnapshot, ProcessIdentity {
  version: 1;
  /** The file's base name, as messages show it. */
  file: string;
  /** The file as given to `print`, made absolute. */
  path: string;
  port: string;
  startedAt: string;
  updatedAt: string;
}

export interface JobJournalOptions {
  /** journalDir(stateDir(config)). */
  dir: string;
  port: string;
  /** The G-code file being printed. */
  file: string;
  startedAt?: number;
  log?: { warn(msg: string): void };
  now?: () => number;
}

/** `$XDG_STATE_HOME/octoslack/jobs`, from the state folder the outbox also uses. */
export function journalDir(stateDir: string): string {
  return path.join(stateDir, 'jobs');
}

export class JobJournal {
  /** The journal file of this port. */
  readonly file: string;
  private readonly base: Omit<JournalEntry, keyof JournalSnapshot | 'updatedAt'>;
  private readonly now: () => number;
  private pending: JournalEntry | undefined;
  private writing: Promise<void> | undefined;
  private finished: Promise<void> | undefined;
  private warned = false;
  private latestEntry: JournalEntry | undefined;

  constructor(private readonly opts: JobJournalOptions) {
    this.file = JobJournal.fileFor(opts.dir, opts.port);
    this.now = opts.now ?? Date.now;
    const abs = path.resolve(opts.file);
    this.base = {
      version: 1,
      ...currentProcessIdentity(),
      file: path.basename(abs),
      path: abs,
      port: canonicalPort(opts.port),
      startedAt: new Date(opts.startedAt ?? this.now()).toISOString(),
    };
  }

  static fileFor(dir: string, port: string): string {
    return path.join(dir, `${portKey(canonicalPort(port))}.json`);
  }

  /**
   * The journal a previous run left for `port`: that print was interrupted. Undefined when there
   * is none, when it cannot be read, or when its writer is still running (not interrupted).
   */
  static async readInterrupted(dir: string, port: string): Promise<JournalEntry | undefined> {
    let text: string;
    try {
      text = await readFile(JobJournal.fileFor(dir, port), 'utf8');
    } catch {
      return undefined;
    }
    const entry = parseEntry(text);
    if (!entry || isProcessAlive(entry)) return undefined;
    return entry;
  }

  /** Forget an interrupted print once it has been reported (else `watch` repeats it every start). */
  static async dismiss(dir: string, port: string): Promise<void> {
    await unlink(JobJournal.fileFor(dir, port)).catch(() => undefined);
  }

  /** The newest state, kept in memory even when the disk refuses it. */
  get latest(): JournalEntry | undefined {
    return this.latestEntry;
  }

  /** Remember `s`; written soon, off the caller's path. After finish() it is ignored. */
  record(s: JournalSnapshot): void {
    if (this.finished) return;
    this.latestEntry = { ...this.base, ...definedOnly(s), updatedAt: new Date(this.now()).toISOString() };
    this.pending = this.latestEntry;
    if (!this.writing) this.writing = this.drain();
  }

  /** Resolves when what was recorded so far is on disk (or failed to get there). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** The print ended and was reported: remove the journal. Idempotent. */
  finish(): Promise<void> {
    this.finished ??= (async () => {
      this.pending = undefined;
      await this.flush();
      try {
        await unlink(this.file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.warnOnce(err);
      }
    })();
    return this.finished;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending && !this.finished) {
        const entry = this.pending;
        this.pending = undefined;
        try {
          await this.write(entry);
        } catch (err) {
          this.warnOnce(err);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async write(entry: JournalEntry): Promise<void> {
    await mkdir(this.opts.dir, { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      const fh = await open(tmp, 'w', 0o600);
      try {
        await fh.writeFile(`${JSON.stringify(entry)}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, this.file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
  }

  private warnOnce(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const code = (err as NodeJS.ErrnoException).code ?? errorMessage(err);
    this.opts.log?.warn(`cannot write the print journal ${this.file} (${code}): the print goes on, but if octoslack stops mid-print it will not be able to say where`);
  }
}

/** For the log and the console: what happened and what to do. */
export function describeInterrupted(e: JournalEntry): string {
  return `the print of ${e.file} on ${e.port} was interrupted ${whereText(e)}, last recorded ${localTime(e.updatedAt)} while ${e.status}: ` +
    'octoslack stopped or the computer restarted mid-print. Check the printer — its heaters may still be on — before printing again';
}

/** "2026-11-24 00:37" in local time, as people read it in a log. */
function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The chat/`--json` report of an interrupted print: a PrintFailed of that job, as it was. */
export function interruptedEvent(e: JournalEntry, at: number): Extract<OctoslackEvent, { event: 'PrintFailed' }> {
  const job = {
    file: e.file,
    origin: 'host' as const,
    elapsedS: e.elapsedS ?? Math.max(0, (Date.parse(e.updatedAt) - Date.parse(e.startedAt)) / 1000),
    ...(e.percent !== undefined ? { percent: e.percent } : {}),
    ...(e.byteOffset !== undefined ? { bytesDone: e.byteOffset } : {}),
    ...(e.layer !== undefined ? { layer: e.layer } : {}),
    ...(e.layerCount !== undefined ? { layerCount: e.layerCount } : {}),
    ...(e.z !== undefined ? { z: e.z } : {}),
  };
  return {
    event: 'PrintFailed',
    at,
    job,
    error: `interrupted ${whereText(e)}: octoslack stopped or the computer restarted mid-print; check the printer, its heaters may still be on`,
    ...(e.lastAckedFileLine !== undefined ? { lastAckedFileLine: e.lastAckedFileLine } : {}),
  };
}

function whereText(e: JournalEntry): string {
  const parts: string[] = [];
  if (e.layer !== undefined) parts.push(`layer ${e.layer}${e.layerCount ? `/${e.layerCount}` : ''}`);
  if (e.z !== undefined) parts.push(`Z ${e.z.toFixed(2)} mm`);
  if (e.percent !== undefined) parts.push(`${e.percent.toFixed(1)} %`);
  const line = e.lastAckedFileLine !== undefined ? `at line ${e.lastAckedFileLine}` : 'before the printer acknowledged any line';
  return parts.length > 0 ? `${line} (${parts.join(', ')})` : line;
}

function parseEntry(text: string): JournalEntry | undefined {
  try {
    const v = JSON.parse(text) as Partial<JournalEntry>;
    if (typeof v !== 'object' || v === null || v.version !== 1) return undefined;
    if (typeof v.file !== 'string' || typeof v.port !== 'string' || typeof v.pid !== 'number' || typeof v.status !== 'string') return undefined;
    if (typeof v.startedAt !== 'string' || typeof v.updatedAt !== 'string') return undefined;
    return { ...(v as JournalEntry), path: typeof v.path === 'string' ? v.path : v.file };
  } catch {
    return undefined;
  }
}

function definedOnly(s: JournalSnapshot): JournalSnapshot {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s)) if (v !== undefined && (typeof v !== 'number' || Number.isFinite(v))) out[k] = v;
  return out as unknown as JournalSnapshot;
}
