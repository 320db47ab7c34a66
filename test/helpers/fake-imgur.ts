// A fake Imgur API on 127.0.0.1: `POST /3/image` and `/3/upload` (multipart, `Authorization:
// Client-ID`), anonymous albums (`POST /3/album`, images added by passing the album's deletehash
// as `album`), answers shaped `{ data, success, status }`, and quota headers (X-RateLimit-User*,
// X-RateLimit-Client*, X-Post-Rate-Limit-*) counted down per request, with 429 once the hourly
// upload quota is spent. Uploaded images are served back at their `link` (`/i/<id>.<ext>`).
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { RawFakeServer, type RawRequest } from './fake-s3.js';

export const IMGUR_CLIENT_ID = 'fakeclient0123456';

export interface FakeImgurImage {
  id: string;
  deletehash: string;
  data: Buffer;
  mime: string;
  fields: Record<string, string>;
  album?: string;
}

export interface FakeImgurQuota {
  clientLimit: number;
  clientRemaining: number;
  userLimit: number;
  userRemaining: number;
  /** Epoch seconds. */
  userReset: number;
  postLimit: number;
  postRemaining: number;
  /** Seconds until the post quota resets. */
  postReset: number;
}

export class FakeImgur extends RawFakeServer {
  readonly images = new Map<string, FakeImgurImage>();
  readonly albums = new Map<string, { id: string; deletehash: string; title: string; images: string[] }>();
  quota: FakeImgurQuota = {
    clientLimit: 12_500, clientRemaining: 12_500, userLimit: 2000, userRemaining: 2000,
    userReset: Math.floor(Date.now() / 1000) + 3600, postLimit: 1250, postRemaining: 1250, postReset: 3600,
  };

  static async start(): Promise<FakeImgur> {
    const f = new FakeImgur();
    await f.listen();
    return f;
  }

  get apiUrl(): string { return `${this.url}/`; }

  protected route(method: string, rawPath: string): string {
    if (method === 'GET' && rawPath.startsWith('/i/')) return 'file';
    return rawPath.replace(/^\//, '');
  }

  private headers(post: boolean): Record<string, string> {
    const q = this.quota;
    const h: Record<string, string> = {
      'x-ratelimit-clientlimit': String(q.clientLimit), 'x-ratelimit-clientremaining': String(q.clientRemaining),
      'x-ratelimit-userlimit': String(q.userLimit), 'x-ratelimit-userremaining': String(q.userRemaining), 'x-ratelimit-userreset': String(q.userReset),
    };
    if (post) Object.assign(h, { 'x-post-rate-limit-limit': String(q.postLimit), 'x-post-rate-limit-remaining': String(Math.max(0, q.postRemaining)), 'x-post-rate-limit-reset': String(q.postReset) });
    return h;
  }

  private answer(res: ServerResponse, r: RawRequest, status: number, data: Record<string, unknown>, post = true): void {
    const body = status === 200 ? { data, success: true, status } : { data: { ...data, request: r.rawPath, method: r.method }, success: false, status };
    this.json(res, status, body, this.headers(post));
  }

  protected async handle(r: RawRequest, res: ServerResponse): Promise<void> {
    if (r.route === 'file') {
      const img = this.images.get(r.rawPath.replace(/^\/i\//, '').replace(/\.\w+$/, ''));
      return img ? this.reply(res, 200, img.data, { 'content-type': img.mime }) : this.reply(res, 404, 'not found');
    }
    if (r.headers.authorization !== `Client-ID ${IMGUR_CLIENT_ID}`) {
      return this.answer(res, r, 403, { error: 'Invalid client_id' }, false);
    }
    this.quota.clientRemaining--;
    this.quota.userRemaining--;
    if (r.method !== 'POST') return this.answer(res, r, 404, { error: 'Not found' });
    this.quota.postRemaining--;
    if (this.quota.postRemaining < 0) {
      return this.json(res, 429, { data: { error: 'You are uploading too fast. Please wait 60 minutes.' }, success: false, status: 429 }, this.headers(true));
    }
    const form = await new Response(r.body, { headers: { 'content-type': String(r.headers['content-type'] ?? '') } }).formData().catch(() => undefined);
    const fields: Record<string, string> = {};
    let file: File | undefined;
    for (const [k, v] of form ?? []) {
      if (typeof v === 'string') fields[k] = v;
      else if (k === 'image' || k === 'video') file = v;
    }
    switch (r.route) {
      case '3/album': {
        const id = randomBytes(4).toString('hex');
        const album = { id, deletehash: randomBytes(8).toString('hex'), title: fields.title ?? '', images: [] };
        this.albums.set(id, album);
        return this.answer(res, r, 200, { id, deletehash: album.deletehash });
      }
      case '3/image':
      case '3/upload': {
        if (!file) return this.answer(res, r, 400, { error: 'No image data was sent to the upload api' });
        let album: string | undefined;
        if (fields.album) {
          album = [...this.albums.values()].find((a) => a.deletehash === fields.album)?.id;
          if (!album) return this.answer(res, r, 400, { error: { code: 1003, message: 'Invalid album', type: 'ImgurException' } });
        }
        const id = randomBytes(4).toString('hex');
        const deletehash = randomBytes(8).toString('hex');
        const ext = file.type === 'image/png' ? 'png' : 'jpg';
        this.images.set(id, { id, deletehash, data: Buffer.from(await file.arrayBuffer()), mime: file.type, fields, album });
        if (album) this.albums.get(album)!.images.push(id);
        return this.answer(res, r, 200, { id, deletehash, link: `${this.url}/i/${id}.${ext}`, type: file.type, size: file.size, title: fields.title ?? null });
      }
      default:
        return this.answer(res, r, 404, { error: 'Not found' });
    }
  }
}
