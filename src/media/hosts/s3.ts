// S3 and S3-compatible stores (AWS, MinIO, R2, B2, Ceph, …) as a public-url host: one signed PUT
// per picture, then a URL any message can show. What the old plugin got wrong is avoided here
// (chat-platforms.md §4): SigV4 only; no `ACL: public-read` (buckets since 2023 refuse ACLs:
// public reading is a bucket policy on the prefix); no checksum headers beyond
// x-amz-content-sha256 (R2 answers 501 to CRC32, B2/Ceph 400), which still lets the store verify
// the body; custom endpoints and path-style addressing for MinIO-like stores.
//
// Keys are `snapshots/<printer>/<print-id>/<time>-<random>.<ext>`: the random part (96 bits) makes
// the URLs unguessable, so a public prefix does not list every picture ever taken.
import { randomBytes } from 'node:crypto';
import { networkError, parseRetryAfter, redactUrl, scrub, type PeopleError } from '../../notify/errors.js';
import { presignUrl, signHeaders, uriEncode, MAX_PRESIGN_SECONDS, type Credentials } from './sigv4.js';
import { s3Error } from './s3-errors.js';
import { ANSWER_MAX_BYTES, MediaFileError, mediaBody, send, transferTimeoutMs, type TransferLimits } from './transfer.js';
import { extensionOf, failure, guarded, type Media, type UploadContext, type Uploader, type UploadResult } from './types.js';

export interface S3Settings {
  /** e.g. https://minio.example.com:9000, https://<account>.r2.cloudflarestorage.com; default AWS. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>` (MinIO, dotted bucket names). */
  pathStyle: boolean;
  /** Default `snapshots/`. */
  prefix?: string;
  /** Where the bucket is readable by everyone (CDN, bucket website): URLs are `<publicBaseUrl>/<key>`. */
  publicBaseUrl?: string;
  /** Answer presigned GET URLs living this long (≤ 604800 s = 7 days) instead of public ones. */
  presignExpirySeconds?: number;
}

export interface S3UploaderOptions {
  settings: S3Settings;
  id?: string;
  transfer?: TransferLimits;
  now?: () => Date;
  /** The key's random part; tests pin it. */
  random?: () => string;
}

/** Keys stay readable and safe in URLs and on every store: letters, digits, `.`, `_`, `-`. */
export function keySegment(s: string, fallback: string): string {
  const t = s.normalize('NFKD').replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 64);
  return t || fallback;
}

/** `20260101T120000Z` — sorts by time in a bucket listing. */
function keyTime(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function objectKey(prefix: string, ctx: UploadContext, ext: string, now: Date, random: string): string {
  const p = prefix === '' ? '' : `${prefix.replace(/^\/+|\/+$/g, '')}/`;
  return `${p}${keySegment(ctx.printerName, 'printer')}/${keySegment(ctx.printId ?? '', 'no-print')}/${keyTime(now)}-${random}.${ext}`;
}

export class S3Uploader implements Uploader {
  readonly id: string;
  readonly kind = 'public-url' as const;
  private readonly s: S3Settings;
  private readonly creds: Credentials;

  constructor(private readonly o: S3UploaderOptions) {
    this.id = o.id ?? 's3';
    this.s = o.settings;
    this.creds = { accessKeyId: this.s.accessKeyId, secretAccessKey: this.s.secretAccessKey, sessionToken: this.s.sessionToken };
    const ex = this.s.presignExpirySeconds;
    if (ex !== undefined && (!Number.isInteger(ex) || ex < 1 || ex > MAX_PRESIGN_SECONDS)) {
      throw new RangeError(`media.s3.presignExpirySeconds must be 1…${MAX_PRESIGN_SECONDS} (7 days), not ${ex}`);
    }
  }

  /** Where objects live: the bucket's base URL, without a trailing slash. */
  bucketUrl(): string {
    const { endpoint, bucket, region, pathStyle } = this.s;
    if (endpoint) {
      const u = new URL(endpoint);
      const path = u.pathname.replace(/\/+$/, '');
      return pathStyle ? `${u.protocol}//${u.host}${path}/${uriEncode(bucket, false)}` : `${u.protocol}//${bucket}.${u.host}${path}`;
    }
    return pathStyle ? `https://s3.${region}.amazonaws.com/${uriEncode(bucket, false)}` : `https://${bucket}.s3.${region}.amazonaws.com`;
  }

  objectUrl(key: string): string {
    return `${this.bucketUrl()}/${uriEncode(key, true)}`;
  }

  /** The URL people get: presigned, under the public base URL, or the object's own URL. */
  shareUrl(key: string, now: Date): string {
    // A public base URL (CDN, public-read prefix) is what the user chose to show; presigning is the fallback.
    if (this.s.publicBaseUrl) return `${this.s.publicBaseUrl.replace(/\/+$/, '')}/${uriEncode(key, true)}`;
    if (this.s.presignExpirySeconds !== undefined) {
      return presignUrl({ url: new URL(this.objectUrl(key)), credentials: this.creds, region: this.s.region, expiresS: this.s.presignExpirySeconds, now });
    }
    return this.objectUrl(key);
  }

  upload(media: Media, _name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    return guarded('S3', () => this.put(media, ctx, signal), (t) => this.clean(t));
  }

  private async put(media: Media, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    const now = this.o.now?.() ?? new Date();
    const random = this.o.random?.() ?? randomBytes(12).toString('base64url');
    const key = objectKey(this.s.prefix ?? 'snapshots/', ctx, extensionOf(media), now, random);
    let body;
    try {
      body = await mediaBody(media);
    } catch (err) {
      if (err instanceof MediaFileError) return fileGone(err);
      throw err;
    }
    const url = new URL(this.objectUrl(key));
    const headers = signHeaders({
      method: 'PUT', url, credentials: this.creds, region: this.s.region, now,
      headers: { 'content-type': media.mime, 'content-length': String(body.bytes) },
      payloadHash: await body.sha256Hex(),
    });
    const where = redactUrl(url.href);
    const timeoutMs = transferTimeoutMs(body.bytes, this.o.transfer);
    let res;
    try {
      res = await send(url.href, { method: 'PUT', headers, body: body.open(), stream: body.data === undefined, timeoutMs, maxBytes: ANSWER_MAX_BYTES, signal });
    } catch (err) {
      return this.fail(networkError(err, where, timeoutMs));
    }
    if (res.status === 200) return { ok: true, url: this.shareUrl(key, now) };
    return this.fail(s3Error(res.status, res.text, {
      bucket: this.s.bucket, region: this.s.region, where, temporaryCredentials: Boolean(this.s.sessionToken),
      retryAfterS: parseRetryAfter(res.headers.get('retry-after')),
    }));
  }

  private clean(text: string): string {
    return scrub(text, [this.s.secretAccessKey, this.s.sessionToken]);
  }

  private fail(e: PeopleError): UploadResult {
    return failure({ ...e, error: this.clean(e.error), hint: this.clean(e.hint) });
  }
}

export function fileGone(err: MediaFileError): UploadResult {
  return { ok: false, retry: false, code: 'file_gone', error: `The video file is missing or unreadable (${err.reason})`,
    hint: `Check that ${err.path} exists and octoslack may read it.` };
}
