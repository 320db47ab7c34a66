// Imgur as a public-url host: anonymous uploads with `Authorization: Client-ID` (chat-platforms.md
// §3), optionally into an anonymous album (created once, then addressed by its deletehash on each
// upload: anonymous albums take images only while uploading). Plain fetch + FormData with the
// answer's `success` checked: the `imgur` npm client swallows HTTP errors.
//
// Rate limits matter more than usual: five daily-limit hits in a month block the app until the
// month ends. So every answer's X-RateLimit-* / X-Post-Rate-Limit-* headers are read, uploads stop
// *before* a limit runs out (`reserve`), a 429 pauses uploads until the reset, and while paused
// an upload fails at once (retry later) without asking Imgur. Images only: no video.
import { networkError, parseRetryAfter, redactUrl, scrub, type PeopleError } from '../../notify/errors.js';
import { ANSWER_MAX_BYTES, send, transferTimeoutMs, type TransferLimits } from './transfer.js';
import { failure, guarded, isVideo, type Media, type UploadContext, type Uploader, type UploadFailure, type UploadResult } from './types.js';
import { imgurError, parseImgur } from './imgur-errors.js';

export interface ImgurSettings {
  /** The app's Client ID (register "anonymous usage without user authorization"). */
  clientId: string;
  /** API base; default https://api.imgur.com/ (tests: a fake). */
  apiUrl?: string;
  /** none; per-print: one album per print; shared: one album for everything (albumDeletehash, or created once). */
  album?: 'none' | 'per-print' | 'shared';
  /** With album: shared, an existing anonymous album's deletehash, so restarts keep adding to it. */
  albumDeletehash?: string;
  /** Pause uploads while fewer requests than this remain in the user or client quota. Default 10. */
  reserve?: number;
}

export interface ImgurUploaderOptions {
  settings: ImgurSettings;
  id?: string;
  /** Album creation. Default 10 s. */
  timeoutMs?: number;
  transfer?: TransferLimits;
  now?: () => number;
  /** Each uploaded image's id and deletehash (the only way to delete an anonymous upload later). */
  onImage?: (info: { id: string; link: string; deletehash?: string; album?: string }) => void;
}

/** What Imgur last said about our quotas; `pausedUntil` set while uploads wait. */
export interface ImgurLimits {
  userRemaining?: number;
  userLimit?: number;
  userResetAt?: number;
  clientRemaining?: number;
  clientLimit?: number;
  postRemaining?: number;
  postResetAt?: number;
  pausedUntil?: number;
  pausedBecause?: string;
}

/** Imgur's documented maximum for still images. */
export const IMGUR_MAX_IMAGE_BYTES = 20 * 1024 * 1024;
const HOUR = 3600_000;
const MAX_ALBUMS = 32;

interface Album { id: string; deletehash: string }

export class ImgurUploader implements Uploader {
  readonly id: string;
  readonly kind = 'public-url' as const;
  private readonly api: string;
  private readonly now: () => number;
  private readonly albums = new Map<string, Promise<Album | PeopleError>>();
  private state: ImgurLimits = {};

  constructor(private readonly o: ImgurUploaderOptions) {
    this.id = o.id ?? 'imgur';
    this.api = (o.settings.apiUrl ?? 'https://api.imgur.com/').replace(/\/*$/, '/');
    this.now = o.now ?? Date.now;
    const h = o.settings.albumDeletehash;
    if (h && (o.settings.album ?? 'none') === 'shared') this.albums.set('shared', Promise.resolve({ id: '', deletehash: h }));
  }

  get limits(): ImgurLimits { return { ...this.state }; }

  upload(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    return guarded('Imgur', () => this.run(media, name, ctx, signal), (t) => this.clean(t));
  }

  private async run(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    if (isVideo(media)) {
      return { ok: false, retry: false, code: 'no_video', error: 'Imgur takes no video (the timelapse was not uploaded)',
        hint: 'Host videos on S3, Slack or Mattermost (media.host), or turn the timelapse upload off.' };
    }
    if (media.data.byteLength > IMGUR_MAX_IMAGE_BYTES) {
      return { ok: false, retry: false, code: 'too_large', error: `The picture is ${Math.round(media.data.byteLength / 1048576)} MB; Imgur takes at most 20 MB`,
        hint: 'Lower the camera resolution or JPEG quality.' };
    }
    const paused = this.paused();
    if (paused) return paused;
    let album: Album | undefined;
    const mode = this.o.settings.album ?? 'none';
    if (mode !== 'none') {
      const a = await this.albumFor(mode === 'shared' ? 'shared' : `print:${ctx.printId ?? 'no-print'}`, ctx, signal);
      // A quota problem stops the upload too; any other album trouble only costs the album.
      if ('retry' in a) { if (a.code === 'ratelimited') return this.fail(a); } else album = a;
    }
    const form = new FormData();
    form.append('image', new Blob([media.data], { type: media.mime }), name);
    form.append('type', 'file');
    form.append('name', name);
    form.append('title', ctx.title ?? name);
    if (album) form.append('album', album.deletehash);
    const answer = await this.call('3/image', form, transferTimeoutMs(media.data.byteLength, this.o.transfer), signal);
    if ('retry' in answer) return this.fail(answer);
    const d = answer.data;
    if (typeof d.link !== 'string' || !/^https?:\/\//.test(d.link)) {
      return this.fail({ retry: true, code: 'bad_answer', error: 'Imgur answered without a link to the picture', hint: 'octoslack retries.' });
    }
    const id = typeof d.id === 'string' ? d.id : '';
    this.o.onImage?.({ id, link: d.link, deletehash: typeof d.deletehash === 'string' ? d.deletehash : undefined, album: album?.id || undefined });
    const result: UploadResult = { ok: true, url: d.link, fileId: id };
    if (album?.id) result.permalink = `https://imgur.com/a/${album.id}`;
    return result;
  }

  /** One album per key, created once; a failed creation is forgotten so the next upload tries again. */
  private albumFor(key: string, ctx: UploadContext, signal?: AbortSignal): Promise<Album | PeopleError> {
    let p = this.albums.get(key);
    if (!p) {
      p = this.createAlbum(ctx, signal).then((a) => {
        if ('retry' in a) this.albums.delete(key);
        return a;
      });
      this.albums.set(key, p);
      if (this.albums.size > MAX_ALBUMS) this.albums.delete(this.albums.keys().next().value!);
    }
    return p;
  }

  private async createAlbum(ctx: UploadContext, signal?: AbortSignal): Promise<Album | PeopleError> {
    const paused = this.paused();
    if (paused) return { retry: true, code: 'ratelimited', error: paused.error, hint: paused.hint, retryAfterS: paused.retryAfterS };
    const form = new FormData();
    form.append('title', ctx.printId ? `${ctx.printerName}: ${ctx.printId}` : ctx.printerName);
    form.append('privacy', 'hidden');
    const answer = await this.call('3/album', form, this.o.timeoutMs ?? 10_000, signal);
    if ('retry' in answer) return answer;
    const { id, deletehash } = answer.data;
    if (typeof id !== 'string' || typeof deletehash !== 'string') {
      return { retry: true, code: 'bad_answer', error: 'Imgur created an album without its deletehash', hint: 'octoslack tries again with the next picture.' };
    }
    return { id, deletehash };
  }

  private async call(path: string, form: FormData, timeoutMs: number, signal?: AbortSignal): Promise<{ data: Record<string, unknown> } | PeopleError> {
    const url = `${this.api}${path}`;
    let res;
    try {
      res = await send(url, { method: 'POST', headers: { authorization: `Client-ID ${this.o.settings.clientId}`, accept: 'application/json' },
        body: form, timeoutMs, maxBytes: ANSWER_MAX_BYTES, signal });
    } catch (err) {
      return networkError(err, redactUrl(url), timeoutMs);
    }
    this.learn(res.headers);
    const parsed = parseImgur(res.text);
    if (res.status === 200 && parsed?.success === true && parsed.data) return { data: parsed.data };
    if (res.status === 429) this.pause(this.resetAfter429(res.headers), 'Imgur answered 429 (too many requests)');
    const e = imgurError(res.status, parsed, redactUrl(url));
    if (e.code === 'ratelimited') {
      const waitS = Math.max(1, Math.ceil(((this.state.pausedUntil ?? this.now() + HOUR) - this.now()) / 1000));
      return { ...e, retryAfterS: waitS };
    }
    return e;
  }

  /** Quotas from the answer's headers; pause before one runs out. */
  private learn(h: Headers): void {
    const num = (name: string) => {
      const v = h.get(name);
      const n = v === null || v.trim() === '' ? NaN : Number(v);
      return Number.isFinite(n) ? n : undefined;
    };
    const now = this.now();
    const s = this.state;
    s.userLimit = num('x-ratelimit-userlimit') ?? s.userLimit;
    s.userRemaining = num('x-ratelimit-userremaining') ?? s.userRemaining;
    const userReset = num('x-ratelimit-userreset');
    if (userReset !== undefined) s.userResetAt = userReset * 1000;
    s.clientLimit = num('x-ratelimit-clientlimit') ?? s.clientLimit;
    s.clientRemaining = num('x-ratelimit-clientremaining') ?? s.clientRemaining;
    s.postRemaining = num('x-post-rate-limit-remaining') ?? s.postRemaining;
    const postReset = num('x-post-rate-limit-reset');
    if (postReset !== undefined) s.postResetAt = now + postReset * 1000;
    const reserve = this.o.settings.reserve ?? 10;
    if (s.clientRemaining !== undefined && s.clientRemaining <= reserve) {
      // The app's daily quota: Imgur names no reset time, so look again in an hour.
      this.pause(now + HOUR, `the app's daily Imgur quota is nearly used up (${s.clientRemaining} requests left)`);
    } else if (s.userRemaining !== undefined && s.userRemaining <= reserve) {
      this.pause(s.userResetAt && s.userResetAt > now ? s.userResetAt : now + HOUR, `this address's Imgur quota is nearly used up (${s.userRemaining} requests left)`);
    } else if (s.postRemaining !== undefined && s.postRemaining <= 0) {
      this.pause(s.postResetAt && s.postResetAt > now ? s.postResetAt : now + HOUR, 'the hourly Imgur upload limit is reached');
    }
  }

  private resetAfter429(h: Headers): number {
    const now = this.now();
    const ra = parseRetryAfter(h.get('retry-after'), now);
    if (ra !== undefined) return now + ra * 1000;
    const post = Number(h.get('x-post-rate-limit-reset'));
    if (h.get('x-post-rate-limit-reset') !== null && Number.isFinite(post) && post > 0) return now + post * 1000;
    const user = Number(h.get('x-ratelimit-userreset'));
    if (h.get('x-ratelimit-userreset') !== null && Number.isFinite(user) && user * 1000 > now) return user * 1000;
    return now + HOUR;
  }

  private pause(until: number, because: string): void {
    if (this.state.pausedUntil === undefined || until > this.state.pausedUntil) this.state.pausedUntil = until;
    this.state.pausedBecause = because;
  }

  /** The answer while uploads are paused; undefined once the pause is over. */
  private paused(): UploadFailure | undefined {
    const until = this.state.pausedUntil;
    if (until === undefined) return undefined;
    const now = this.now();
    if (now >= until) { this.state.pausedUntil = undefined; this.state.pausedBecause = undefined; return undefined; }
    const waitS = Math.ceil((until - now) / 1000);
    return { ok: false, retry: true, code: 'ratelimited', retryAfterS: waitS,
      error: `Imgur uploads are paused for ${fmtWait(waitS)}: ${this.state.pausedBecause ?? 'rate limit'}`,
      hint: 'octoslack waits instead of hitting the limit (repeated hits block the app for the month). Pictures meanwhile are sent as a note.' };
  }

  private clean(text: string): string {
    return scrub(text, [this.o.settings.clientId, this.o.settings.albumDeletehash]);
  }

  private fail(e: PeopleError): UploadResult {
    return failure({ ...e, error: this.clean(e.error), hint: this.clean(e.hint) });
  }
}

function fmtWait(s: number): string {
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
}
