// Pictures and videos with messages: a decorator around one chat target that turns a
// Notification's `attachments` (files on disk, see attachment-store.ts) into what that target can
// show. The route per file comes from media-route.ts:
//
//   public (S3, Imgur): upload BEFORE posting, then the message carries the URL (images in
//     `imageUrls`, the timelapse as a "Timelapse <url>" field). Until the message is posted nothing
//     is lost by waiting, so a retryable upload failure makes the whole send answer "retry" (no
//     duplicate message), up to `maxPublicUploadAttempts` sends per notification; after that, or
//     on a permanent failure, the message goes out with a short note instead of the picture
//     (issue 6). URLs are cached per (file, host), so retries and other targets on the same host
//     never upload a file twice.
//   native (Slack, Mattermost bots): post the message first, then upload each file into the
//     print's thread (the parent, else the message just posted) in every channel the message went
//     to. From here on the message exists, so an upload failure must never make the outbox send it
//     again: uploads are retried a few times within this send, and if they still fail a short note
//     is posted as a reply in the thread (and a warning logged). The send answers the message's
//     own refs.
//
// Time: the outbox aborts and retries a send that takes longer than its guard (60 s), which after
// posting would duplicate the message. So one send waits at most `timeoutMs` (30 s) for uploads in
// all; an upload still running then continues in the background: a public one is picked up by the
// next attempt through the URL cache (the send answers retry meanwhile, without counting it as a
// failure), a native one finishes on its own. Nothing here throws out of send().
import type { MediaHost } from '../../config/types.js';
import type { Attachment, DeliveryResult, MessageRef, Notification, NotificationField, Notifier, ThreadContext } from '../../notify/notification.js';
import type { MultiThreadContext } from '../../notify/targets/thread-refs.js';
import type { Media, UploadContext, Uploader, UploadFailure, UploadResult } from '../hosts/types.js';
import type { AttachmentStore } from './attachment-store.js';
import { errText, failureText, noteFor, placesFor, shape, within, type Place } from './media-message.js';
import { routeFor, type MediaKind, type MediaRoute, type RouteUploaders } from './media-route.js';
import { urlCacheFor } from './url-cache.js';

export interface MediaDeliveryOptions {
  /** buildUploaders' answer (only `all` is read). */
  uploaders: RouteUploaders;
  host: MediaHost;
  printerName: string;
  store: AttachmentStore;
  log: { warn(s: string): void; debug?(s: string): void };
  /** Sends of one notification that may wait for a retryable public upload; default 3. */
  maxPublicUploadAttempts?: number;
  /** The longest one send waits for uploads (before and after posting together); default 30 s. */
  timeoutMs?: number;
  /** Tries per native upload after the message is posted; default 3. */
  nativeAttempts?: number;
  /** Total waiting between native tries (Retry-After is honoured up to this); default 30 s. */
  nativeRetryWaitMs?: number;
  /** How long an uploaded URL is reused; default 30 min (presigned links expire). */
  urlCacheTtlMs?: number;
  /** Tests: the wait between native tries. */
  sleep?: (ms: number) => Promise<void>;
}

export interface MediaNotifier extends Notifier {
  /** Resolves when uploads that outlived their send have finished (tests, shutdown). */
  idle(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_PUBLIC_ATTEMPTS = 3;
const DEFAULT_NATIVE_ATTEMPTS = 3;
const DEFAULT_NATIVE_WAIT_MS = 30_000;
/** While a public upload is still running, ask the outbox to come back this soon. */
const STILL_UPLOADING_RETRY_S = 5;
const MAX_TRACKED = 200;

interface Planned {
  a: Attachment;
  kind: MediaKind;
  route: MediaRoute;
}

type Public = Planned & { route: Extract<MediaRoute, { via: 'public' }> };
type Native = Planned & { route: Extract<MediaRoute, { via: 'native' }> };

export function withMedia(target: Notifier, o: MediaDeliveryOptions): MediaNotifier {
  return new MediaTarget(target, o);
}

class MediaTarget implements MediaNotifier {
  readonly id: string;
  readonly canThread: boolean;
  readonly check?: Notifier['check'];
  /** Sends per notification that ended waiting for a retryable public upload. */
  private readonly attempts = new Map<string, number>();
  private readonly background = new Set<Promise<void>>();
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly inner: Notifier, private readonly o: MediaDeliveryOptions) {
    this.id = inner.id;
    this.canThread = inner.canThread;
    if (inner.check) this.check = (signal) => inner.check!(signal);
    this.sleep = o.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  send(n: Notification, ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult> {
    const files = n.attachments;
    // Ordinary messages: exactly the inner send. (mediaNotes alone are rendered by the payloads.)
    if (!files || files.length === 0) return this.inner.send(n, ctx, signal);
    return this.deliver(n, files, ctx, signal);
  }

  async idle(): Promise<void> {
    while (this.background.size > 0) await Promise.allSettled([...this.background]);
  }

  private async deliver(n: Notification, files: Attachment[], ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult> {
    const deadline = Date.now() + (this.o.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let out: Notification;
    let native: Native[];
    try {
      const plan: Planned[] = files.map((a) => {
        const kind: MediaKind = a.mime === 'video/mp4' ? 'video' : 'image';
        return { a, kind, route: routeFor(this.id, this.o.host, this.o.uploaders, kind) };
      });
      const notes: string[] = [];
      for (const p of plan) {
        if (p.route.via !== 'none') continue;
        if (this.o.host === 'none') this.o.log.debug?.(`${this.id}: ${p.a.name} not shown (media.host is none)`);
        else notes.push(noteFor(p, p.route.why));
      }
      const pub = plan.filter((p): p is Public => p.route.via === 'public');
      const shown = { imageUrls: [] as string[], fields: [] as NotificationField[] };
      if (pub.length > 0) {
        const r = await this.publicUploads(n, pub, deadline, shown, notes);
        if (r) return r;
      }
      native = plan.filter((p): p is Native => p.route.via === 'native');
      out = shape(n, shown.imageUrls, shown.fields, notes);
    } catch (err) {
      // A bug before anything was posted: the message goes out without its pictures.
      this.o.log.warn(`${this.id}: preparing the pictures of ${n.id} failed (${errText(err)}); sending the message without them`);
      native = [];
      out = shape(n, [], [], ['Picture not shown: octoslack could not prepare it']);
    }

    const result = await this.inner.send(out, ctx, signal);
    if (!result.ok) {
      if (!result.retry) this.attempts.delete(n.id);
      return result;
    }
    this.attempts.delete(n.id);
    if (native.length > 0) {
      const work = this.nativeUploads(n, ctx, result.refs, native).catch((err: unknown) => {
        this.o.log.warn(`${this.id}: posting the pictures of ${n.id} failed unexpectedly (${errText(err)})`);
      });
      this.track(work);
      if (!(await within(work.then(() => true), deadline - Date.now()))) {
        this.o.log.debug?.(`${this.id}: pictures of ${n.id} are still uploading; the message is posted, they follow`);
      }
    }
    return result;
  }

  /**
   * Upload every public file (or reuse its URL). Answers a DeliveryResult when the message must
   * wait (retry), or undefined with `shown` and `notes` filled.
   */
  private async publicUploads(n: Notification, pub: Public[], deadline: number,
    shown: { imageUrls: string[]; fields: NotificationField[] }, notes: string[]): Promise<DeliveryResult | undefined> {
    // Start them all (small pictures in parallel; each host's cache shares a running upload).
    const running = pub.map((p) => ({ p, answer: this.publicUpload(n, p) }));
    const retryable: { p: Public; f: UploadFailure }[] = [];
    const pending: Public[] = [];
    const results: { p: Public; r: UploadResult }[] = [];
    for (const { p, answer } of running) {
      const r = await within(answer, deadline - Date.now());
      if (!r) pending.push(p);
      else if (!r.ok && r.retry) retryable.push({ p, f: r });
      else results.push({ p, r });
    }
    if (pending.length > 0) {
      return { ok: false, retry: true, retryAfterS: STILL_UPLOADING_RETRY_S,
        error: `${this.id}: still uploading ${pending.map((p) => p.a.name).join(', ')} to ${pending[0]!.route.uploader.id}; the message waits for it` };
    }
    if (retryable.length > 0) {
      const tries = (this.attempts.get(n.id) ?? 0) + 1;
      const max = this.o.maxPublicUploadAttempts ?? DEFAULT_PUBLIC_ATTEMPTS;
      if (tries < max) {
        this.remember(n.id, tries);
        const waits = retryable.map((x) => x.f.retryAfterS).filter((s): s is number => s !== undefined);
        const first = retryable[0]!;
        const res: DeliveryResult = { ok: false, retry: true,
          error: `${this.id}: uploading ${first.p.a.name} to ${first.p.route.uploader.id} failed (${first.f.error}); the message waits for it (try ${tries} of ${max})` };
        if (waits.length > 0) res.retryAfterS = Math.max(...waits);
        return res;
      }
      for (const x of retryable) results.push({ p: x.p, r: x.f });
    }
    // Back in the files' order, so pictures keep the order the cameras gave.
    results.sort((x, y) => pub.indexOf(x.p) - pub.indexOf(y.p));
    for (const { p, r } of results) {
      if (r.ok && r.url) {
        if (p.kind === 'video') shown.fields.push({ label: 'Timelapse', value: r.url });
        else shown.imageUrls.push(r.url);
      } else {
        const why = r.ok ? `${p.route.uploader.id} answered no link` : failureText(p, r);
        if (!r.ok) this.o.log.warn(`${this.id}: ${p.a.name} not shown: ${r.error}${r.hint ? ` (${r.hint})` : ''}`);
        notes.push(noteFor(p, why));
      }
    }
    return undefined;
  }

  private publicUpload(n: Notification, p: Public): Promise<UploadResult> {
    const u = p.route.uploader;
    // Not the send's signal: an upload that outlives this send is reused by the next attempt.
    return urlCacheFor(u, this.o.urlCacheTtlMs).get(p.a.path, async () => {
      const media = await this.load(p.a);
      if (!('mime' in media)) return media;
      return u.upload(media, p.a.name, this.uploadContext(n, p.a), undefined);
    });
  }

  /** After the message: each native file into the thread of every channel the message went to. */
  private async nativeUploads(n: Notification, ctx: ThreadContext, refs: MessageRef[], items: Native[]): Promise<void> {
    const places = placesFor(n, ctx, refs);
    const notes: string[] = [];
    for (const p of items) {
      const media = await this.load(p.a);
      if (!('mime' in media)) {
        notes.push(noteFor(p, failureText(p, media)));
        continue;
      }
      const failures: UploadFailure[] = [];
      for (const place of places) {
        const uctx = this.uploadContext(n, p.a);
        if (place.channel) uctx.channel = place.channel;
        if (place.thread) { uctx.threadTs = place.thread; uctx.rootId = place.thread; }
        const r = await this.nativeWithRetries(p.route.uploader, media, p.a.name, uctx);
        if (!r.ok) {
          failures.push(r);
          this.o.log.warn(`${this.id}: ${p.a.name} was not posted${place.channel ? ` in ${place.channel}` : ''}: ${r.error}${r.hint ? ` (${r.hint})` : ''}`);
        }
      }
      // A note only where nothing arrived (one note in every channel would be wrong for the others).
      if (failures.length > 0 && failures.length === places.length) notes.push(noteFor(p, failureText(p, failures[0]!)));
    }
    if (notes.length > 0) await this.replyNote(n, places, notes);
  }

  /** A few tries within this send, honouring Retry-After up to the total wait allowed. */
  private async nativeWithRetries(u: Uploader, media: Media, name: string, uctx: UploadContext): Promise<UploadResult> {
    const tries = Math.max(1, this.o.nativeAttempts ?? DEFAULT_NATIVE_ATTEMPTS);
    const cap = this.o.nativeRetryWaitMs ?? DEFAULT_NATIVE_WAIT_MS;
    let waited = 0;
    let last: UploadResult = { ok: false, retry: false, error: 'not tried', hint: '' };
    for (let i = 0; i < tries; i++) {
      try {
        last = await u.upload(media, name, uctx);
      } catch (err) {
        last = { ok: false, retry: true, code: 'internal', error: `Upload failed unexpectedly (${errText(err)})`, hint: 'octoslack retries.' };
      }
      if (last.ok || !last.retry || i === tries - 1) return last;
      const wait = last.retryAfterS !== undefined ? last.retryAfterS * 1000 : 1000 * 2 ** i;
      if (waited + wait > cap) return last;
      waited += wait;
      await this.sleep(wait);
    }
    return last;
  }

  /** "Picture not shown: …" as a quiet reply in the thread, through the target itself. */
  private async replyNote(n: Notification, places: Place[], notes: string[]): Promise<void> {
    const parents: MessageRef[] = places.filter((p): p is Required<Place> => p.channel !== undefined && p.thread !== undefined)
      .map((p) => ({ target: this.id, channel: p.channel, id: p.thread }));
    const reply: Notification = {
      id: `${n.id}:media-note`, event: n.event, at: n.at, level: 'routine', color: 'warning', headline: '',
      fallback: notes.join('\n'), fields: [], footer: '', channels: n.channels, kind: 'other', imageUrls: [], mediaNotes: notes, silent: true,
    };
    if (n.printId !== undefined) reply.printId = n.printId;
    const rctx: MultiThreadContext = parents[0] ? { parent: parents[0], parents } : {};
    let r: DeliveryResult;
    try {
      r = await this.inner.send(reply, rctx);
    } catch (err) {
      r = { ok: false, retry: false, error: errText(err), hint: '' };
    }
    if (!r.ok) this.o.log.warn(`${this.id}: could not post the note about the missing pictures of ${n.id}: ${r.error}`);
  }

  /** The file as the hosts take it; a vanished picture becomes a failure, never an exception. */
  private async load(a: Attachment): Promise<Media | UploadFailure> {
    if (a.mime === 'video/mp4') return { path: a.path, mime: 'video/mp4', bytes: a.bytes };
    try {
      return { data: await this.o.store.read(a), mime: a.mime };
    } catch (err) {
      this.o.log.debug?.(`${this.id}: picture ${a.name} cannot be read (${errText(err)})`);
      return { ok: false, retry: false, code: 'file_gone', error: `${a.name} is no longer stored`, hint: 'It was removed before the message could be sent.' };
    }
  }

  private uploadContext(n: Notification, a: Attachment): UploadContext {
    const c: UploadContext = { printerName: this.o.printerName, title: a.name };
    if (n.printId !== undefined) c.printId = n.printId;
    return c;
  }

  private remember(id: string, tries: number): void {
    this.attempts.delete(id);
    this.attempts.set(id, tries);
    while (this.attempts.size > MAX_TRACKED) {
      const oldest = this.attempts.keys().next().value;
      if (oldest === undefined) break;
      this.attempts.delete(oldest);
    }
  }

  private track(p: Promise<void>): void {
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }
}
