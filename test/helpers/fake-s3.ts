// A fake S3-compatible store on 127.0.0.1 that VERIFIES SigV4, written here from the S3
// documentation and deliberately sharing no code with src/media/hosts/sigv4.ts, so a mistake in
// the signer is not mirrored by the checker (the signer is also pinned to AWS's published
// examples in sigv4.test.ts). Why not s3rver: 3.7.1 accepts any V4 signature ("Signature version
// 4 calculation is unimplemented"), so a wrong secret would pass.
//
// It keeps objects in memory, answers path-style (`/<bucket>/<key>`) and virtual-host requests
// (`Host: <bucket>.<anything>`), verifies header auth and presigned query auth (clock skew,
// expiry, region, the body's SHA-256), refuses ACL headers like a post-2023 AWS bucket, can refuse
// checksum headers like R2 (501 NotImplemented), and serves anonymous GETs under "public" prefixes
// (a bucket policy granting s3:GetObject on snapshots/*). `script()` queues special answers.
//
// RawFakeServer (bodies as bytes, not text) is shared with fake-imgur, fake-slack-files and
// fake-mattermost-files: FakeServerBase decodes bodies as UTF-8 and would mangle a JPEG.
import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RawRequest {
  method: string;
  /** The path as sent (still percent-encoded). */
  rawPath: string;
  /** The query as sent, without `?`. */
  rawQuery: string;
  query: URLSearchParams;
  route: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  at: number;
}

export type RawAnswer = { status: number; body?: string | Buffer; headers?: Record<string, string> } | 'hang' | 'close';

export abstract class RawFakeServer {
  readonly requests: RawRequest[] = [];
  private readonly scripts = new Map<string, RawAnswer[]>();
  private server?: Server;
  protected port = 0;

  get url(): string { return `http://127.0.0.1:${this.port}`; }

  script(route: string, ...answers: RawAnswer[]): this {
    this.scripts.set(route, [...(this.scripts.get(route) ?? []), ...answers]);
    return this;
  }

  calls(route: string): RawRequest[] { return this.requests.filter((r) => r.route === route); }

  async listen(port = 0): Promise<void> {
    const server = createServer((req, res) => { void this.onRequest(req, res); });
    await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  protected abstract route(method: string, rawPath: string, headers: IncomingHttpHeaders): string;
  protected abstract handle(req: RawRequest, res: ServerResponse): void | Promise<void>;

  protected reply(res: ServerResponse, status: number, body: string | Buffer = '', headers: Record<string, string> = {}): void {
    res.writeHead(status, headers);
    res.end(body);
  }

  protected json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    this.reply(res, status, JSON.stringify(body), { 'content-type': 'application/json', ...headers });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const rawPath = q < 0 ? target : target.slice(0, q);
    const rawQuery = q < 0 ? '' : target.slice(q + 1);
    const rec: RawRequest = {
      method: req.method ?? 'GET', rawPath, rawQuery, query: new URLSearchParams(rawQuery),
      route: this.route(req.method ?? 'GET', rawPath, req.headers), headers: req.headers, body: Buffer.concat(chunks), at: Date.now(),
    };
    this.requests.push(rec);
    const a = this.scripts.get(rec.route)?.shift();
    if (a === 'hang') return;
    if (a === 'close') { req.socket.destroy(); return; }
    if (a) { this.reply(res, a.status, a.body ?? '', a.headers ?? {}); return; }
    try {
      await this.handle(rec, res);
    } catch (err) {
      this.reply(res, 500, `fake crashed: ${String(err)}`);
    }
  }
}

// ---- SigV4, checked from first principles ------------------------------------------------------

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const hmac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

/** RFC 3986: only unreserved characters stay literal. */
function enc(s: string, slash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(ch) || (slash && ch === '/')) out += ch;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function canonQuery(raw: string, drop?: string): string {
  const pairs = raw.split('&').filter(Boolean).map((p) => {
    const i = p.indexOf('=');
    const k = decodeURIComponent(i < 0 ? p : p.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1));
    return [enc(k, false), enc(v, false)] as const;
  }).filter(([k]) => k !== drop);
  pairs.sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export interface FakeS3Options {
  region?: string;
  buckets?: string[];
  credentials?: Record<string, string>;
  /** Readable by anyone: keys under these prefixes (a bucket policy on `snapshots/*`). */
  publicPrefixes?: string[];
  /** Answer 501 NotImplemented to checksum headers, as R2 does. */
  refuseChecksums?: boolean;
  /** Required session token for these access keys (temporary credentials). */
  sessionTokens?: Record<string, string>;
  /** The fake's clock, for skew tests. */
  now?: () => number;
}

export const S3_ACCESS_KEY = 'AKIAFAKEOCTOSLACK01';
export const S3_SECRET = 'fakeSecret/Key+with/slashes0123456789ABCD';

export class FakeS3 extends RawFakeServer {
  readonly region: string;
  readonly buckets: Set<string>;
  readonly objects = new Map<string, { data: Buffer; contentType: string }>();
  private readonly creds: Record<string, string>;

  constructor(private readonly o: FakeS3Options = {}) {
    super();
    this.region = o.region ?? 'us-east-1';
    this.buckets = new Set(o.buckets ?? ['octo-pictures']);
    this.creds = o.credentials ?? { [S3_ACCESS_KEY]: S3_SECRET };
  }

  static async start(o: FakeS3Options = {}): Promise<FakeS3> {
    const f = new FakeS3(o);
    await f.listen();
    return f;
  }

  protected route(method: string): string { return method === 'PUT' ? 'put' : method === 'GET' ? 'get' : method.toLowerCase(); }

  /** Bucket and decoded key of a request, path-style or virtual-host. */
  private target(r: RawRequest): { bucket: string; key: string } {
    const host = String(r.headers.host ?? '').replace(/:\d+$/, '');
    const segs = r.rawPath.split('/').slice(1).map(decodeURIComponent);
    if (host !== '127.0.0.1' && host !== 'localhost' && host.includes('.')) return { bucket: host.split('.')[0]!, key: segs.join('/') };
    return { bucket: segs[0] ?? '', key: segs.slice(1).join('/') };
  }

  protected handle(r: RawRequest, res: ServerResponse): void {
    const { bucket, key } = this.target(r);
    const auth = r.headers.authorization ? this.verifyHeader(r) : r.query.has('X-Amz-Signature') ? this.verifyQuery(r) : 'anonymous';
    if (typeof auth === 'object') return this.error(res, auth.status, auth.code, auth.message, auth.extra);
    if (!this.buckets.has(bucket)) return this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });
    if (r.method === 'PUT') {
      if (auth === 'anonymous') return this.error(res, 403, 'AccessDenied', 'Access Denied');
      if (r.headers['x-amz-acl']) return this.error(res, 400, 'AccessControlListNotSupported', 'The bucket does not allow ACLs');
      if (this.o.refuseChecksums && Object.keys(r.headers).some((h) => h.startsWith('x-amz-checksum-') || h === 'x-amz-sdk-checksum-algorithm')) {
        return this.error(res, 501, 'NotImplemented', 'Header x-amz-checksum-crc32 with value ... not implemented');
      }
      if (r.headers['content-length'] === undefined) return this.error(res, 411, 'MissingContentLength', 'You must provide the Content-Length HTTP header.');
      if (r.headers['x-amz-content-sha256'] !== sha256(r.body)) {
        return this.error(res, 400, 'XAmzContentSHA256Mismatch', 'The provided \'x-amz-content-sha256\' header does not match what was computed.');
      }
      this.objects.set(`${bucket}/${key}`, { data: r.body, contentType: String(r.headers['content-type'] ?? 'binary/octet-stream') });
      return this.reply(res, 200, '', { etag: `"${createHash('md5').update(r.body).digest('hex')}"` });
    }
    if (r.method === 'GET' || r.method === 'HEAD') {
      const isPublic = (this.o.publicPrefixes ?? []).some((p) => key.startsWith(p));
      if (auth === 'anonymous' && !isPublic) return this.error(res, 403, 'AccessDenied', 'Access Denied');
      const obj = this.objects.get(`${bucket}/${key}`);
      if (!obj) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
      return this.reply(res, 200, r.method === 'HEAD' ? '' : obj.data, { 'content-type': obj.contentType, 'content-length': String(obj.data.length) });
    }
    this.error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
  }

  private error(res: ServerResponse, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
    const more = Object.entries(extra).map(([k, v]) => `<${k}>${v}</${k}>`).join('');
    this.reply(res, status, `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${more}<RequestId>FAKE1</RequestId></Error>`,
      { 'content-type': 'application/xml' });
  }

  private clock(): number { return this.o.now?.() ?? Date.now(); }

  /** Checks credential scope and time; answers the secret, or an error. */
  private scope(credential: string, stamp: string): { secret: string; date: string } | Fail {
    const [ak, date, region, service, term] = credential.split('/');
    const secret = this.creds[ak ?? ''];
    if (!secret) return fail(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
    if (region !== this.region) {
      return fail(400, 'AuthorizationHeaderMalformed', `the region '${region}' is wrong; expecting '${this.region}'`, { Region: this.region });
    }
    if (service !== 's3' || term !== 'aws4_request' || !/^\d{8}T\d{6}Z$/.test(stamp) || stamp.slice(0, 8) !== date) {
      return fail(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
    }
    return { secret, date: date! };
  }

  private signature(secret: string, date: string, stamp: string, canonical: string): string {
    const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), this.region), 's3'), 'aws4_request');
    return createHmac('sha256', key).update(`AWS4-HMAC-SHA256\n${stamp}\n${date}/${this.region}/s3/aws4_request\n${sha256(canonical)}`).digest('hex');
  }

  private canonicalUri(r: RawRequest): string {
    return r.rawPath.split('/').map((s) => enc(decodeURIComponent(s), false)).join('/');
  }

  private verifyHeader(r: RawRequest): 'signed' | Fail {
    const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(String(r.headers.authorization));
    if (!m) return fail(400, 'InvalidRequest', 'Unsupported Authorization Type (SigV4 only)');
    const stamp = String(r.headers['x-amz-date'] ?? '');
    const sc = this.scope(m[1]!, stamp);
    if ('status' in sc) return sc;
    const skew = Math.abs(this.clock() - parseStamp(stamp));
    if (!(skew <= 15 * 60_000)) return fail(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
    const signed = m[2]!.split(';');
    for (const need of ['host', 'x-amz-content-sha256', 'x-amz-date']) {
      if (!signed.includes(need)) return fail(400, 'AuthorizationHeaderMalformed', `${need} must be signed`);
    }
    const token = this.o.sessionTokens?.[m[1]!.split('/')[0]!];
    if (token !== undefined && (r.headers['x-amz-security-token'] !== token || !signed.includes('x-amz-security-token'))) {
      return fail(400, 'InvalidToken', 'The provided token is malformed or otherwise invalid.');
    }
    const hdrs = signed.map((h) => `${h}:${String(r.headers[h] ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
    const canonical = [r.method, this.canonicalUri(r), canonQuery(r.rawQuery), hdrs, signed.join(';'), String(r.headers['x-amz-content-sha256'])].join('\n');
    if (this.signature(sc.secret, sc.date, stamp, canonical) !== m[3]) {
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    }
    return 'signed';
  }

  private verifyQuery(r: RawRequest): 'signed' | Fail {
    const q = r.query;
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') return fail(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const stamp = q.get('X-Amz-Date') ?? '';
    const sc = this.scope(q.get('X-Amz-Credential') ?? '', stamp);
    if ('status' in sc) return sc;
    const expires = Number(q.get('X-Amz-Expires'));
    if (!Number.isInteger(expires) || expires < 1 || expires > 604_800) {
      return fail(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is 604800');
    }
    const t = parseStamp(stamp);
    if (this.clock() > t + expires * 1000) return fail(403, 'AccessDenied', 'Request has expired');
    if (this.clock() < t - 15 * 60_000) return fail(403, 'AccessDenied', 'Request is not valid yet');
    const signed = (q.get('X-Amz-SignedHeaders') ?? '').split(';');
    if (!signed.includes('host')) return fail(400, 'AuthorizationQueryParametersError', 'host must be signed');
    const hdrs = signed.map((h) => `${h}:${String(r.headers[h] ?? '').trim()}\n`).join('');
    const canonical = [r.method, this.canonicalUri(r), canonQuery(r.rawQuery, 'X-Amz-Signature'), hdrs, signed.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
    if (this.signature(sc.secret, sc.date, stamp, canonical) !== q.get('X-Amz-Signature')) {
      return fail(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    return 'signed';
  }
}

interface Fail { status: number; code: string; message: string; extra?: Record<string, string> }
function fail(status: number, code: string, message: string, extra?: Record<string, string>): Fail {
  return { status, code, message, extra };
}

function parseStamp(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}
