// Public URLs already made for an attachment, per host, so a message that is retried — or the same
// message going to a second webhook target through the same host — never uploads a file twice.
// An upload in progress is shared too: a second caller waits for the first upload's answer, and an
// upload that outlives one send (a timelapse on a slow uplink) is picked up by the next attempt.
// Failures are not kept: the next attempt uploads again. Entries live `ttlMs` (presigned S3 links
// expire, so a message held for hours gets a fresh one) and the cache is bounded.
import type { Uploader, UploadResult } from '../hosts/types.js';

export const URL_CACHE_TTL_MS = 30 * 60_000;
const MAX_ENTRIES = 256;

interface Entry {
  promise: Promise<UploadResult>;
  /** Set once the upload succeeded (ms); until then the entry is in progress. */
  doneAt?: number;
}

export class UploadUrlCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs = URL_CACHE_TTL_MS, private readonly now: () => number = Date.now) {}

  /** The upload for `path` on this host: the cached or running one, or `start()` now. Never rejects. */
  get(path: string, start: () => Promise<UploadResult>): Promise<UploadResult> {
    const hit = this.entries.get(path);
    if (hit && (hit.doneAt === undefined || this.now() - hit.doneAt <= this.ttlMs)) return hit.promise;
    if (hit) this.entries.delete(path);
    const entry = {} as Entry;
    entry.promise = start().catch((err: unknown): UploadResult => ({
      ok: false, retry: true, code: 'internal', error: `Upload failed unexpectedly (${err instanceof Error ? err.message.slice(0, 120) : 'error'})`, hint: 'octoslack retries.',
    })).then((r) => {
      if (r.ok && r.url) entry.doneAt = this.now();
      else if (this.entries.get(path) === entry) this.entries.delete(path);
      return r;
    });
    this.entries.set(path, entry);
    while (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    return entry.promise;
  }

  /** Whether an upload for `path` is still running (tests, debug). */
  running(path: string): boolean {
    const e = this.entries.get(path);
    return e !== undefined && e.doneAt === undefined;
  }
}

// One cache per host object: every target decorated with the same `buildUploaders` answer shares it.
const caches = new WeakMap<Uploader, UploadUrlCache>();

export function urlCacheFor(uploader: Uploader, ttlMs?: number): UploadUrlCache {
  let c = caches.get(uploader);
  if (!c) {
    c = new UploadUrlCache(ttlMs);
    caches.set(uploader, c);
  }
  return c;
}
