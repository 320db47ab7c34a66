// AWS Signature Version 4 for S3, header auth and presigned URLs, with node:crypto only (no AWS
// SDK: it is large, and since 3.729 it adds CRC32 checksums that R2, B2 and Ceph refuse,
// chat-platforms.md §4). Newer AWS regions accept nothing older than SigV4 (the old plugin's V2
// broke there). Written from the S3 documentation ("Authenticating Requests (AWS Signature
// Version 4)") and checked against its published examples in test/media/hosts/sigv4.test.ts.
//
// S3 specifics, unlike other AWS services: the path is encoded once (not twice) and not
// normalised, and `x-amz-content-sha256` is always sent and signed.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Temporary credentials (STS): sent as x-amz-security-token. */
  sessionToken?: string;
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** SigV4 query signatures live at most 7 days. */
export const MAX_PRESIGN_SECONDS = 604_800;

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** `20130524T000000Z` */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * RFC 3986 encoding as SigV4 wants it: everything but `A-Z a-z 0-9 - _ . ~` percent-encoded with
 * upper-case hex; `/` kept in object paths. encodeURIComponent leaves `! ' ( ) *` alone: fix those.
 */
export function uriEncode(s: string, keepSlash: boolean): string {
  const e = encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? e.replace(/%2F/g, '/') : e;
}

/** Query parameters sorted by encoded name, then value; `lifecycle` → `lifecycle=`. */
export function canonicalQuery(params: ReadonlyArray<readonly [string, string]>): string {
  return params
    .map(([k, v]) => [uriEncode(k, false), uriEncode(v, false)] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** The raw query of a URL as pairs (decoded; `+` is a literal plus in S3 keys, not a space). */
export function queryPairs(url: URL): [string, string][] {
  const q = url.search.replace(/^\?/, '');
  if (!q) return [];
  return q.split('&').filter((p) => p !== '').map((p) => {
    const i = p.indexOf('=');
    const dec = (s: string) => decodeURIComponent(s);
    return i < 0 ? [dec(p), ''] : [dec(p.slice(0, i)), dec(p.slice(i + 1))];
  });
}

function canonicalHeaders(headers: Record<string, string>): { text: string; signed: string } {
  const byName = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) byName.set(k.toLowerCase(), v.trim().replace(/\s+/g, ' '));
  const names = [...byName.keys()].sort();
  return { text: names.map((n) => `${n}:${byName.get(n)!}\n`).join(''), signed: names.join(';') };
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

interface Scope { date: string; stamp: string; scope: string }

function scopeOf(now: Date, region: string, service: string): Scope {
  const stamp = amzDate(now);
  const date = stamp.slice(0, 8);
  return { date, stamp, scope: `${date}/${region}/${service}/aws4_request` };
}

function signatureOf(creds: Credentials, region: string, service: string, s: Scope, canonical: string): string {
  const toSign = `${ALGORITHM}\n${s.stamp}\n${s.scope}\n${sha256Hex(canonical)}`;
  return createHmac('sha256', signingKey(creds.secretAccessKey, s.date, region, service)).update(toSign, 'utf8').digest('hex');
}

export interface SignInput {
  method: string;
  /** Path and query exactly as they will be sent (the path already uriEncoded). */
  url: URL;
  /** Further headers to sign and send (Content-Type, …). `host` is taken from the URL. */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body (EMPTY_SHA256 for none), or UNSIGNED_PAYLOAD. */
  payloadHash: string;
  credentials: Credentials;
  region: string;
  service?: string;
  now?: Date;
}

/**
 * The headers to send: the caller's, plus x-amz-date, x-amz-content-sha256, x-amz-security-token
 * and Authorization. `host` is signed but not returned: fetch sets it from the URL, identically.
 */
export function signHeaders(i: SignInput): Record<string, string> {
  const service = i.service ?? 's3';
  const s = scopeOf(i.now ?? new Date(), i.region, service);
  const sent: Record<string, string> = { ...(i.headers ?? {}), 'x-amz-date': s.stamp, 'x-amz-content-sha256': i.payloadHash };
  if (i.credentials.sessionToken) sent['x-amz-security-token'] = i.credentials.sessionToken;
  const h = canonicalHeaders({ ...sent, host: i.url.host });
  const canonical = [i.method.toUpperCase(), i.url.pathname || '/', canonicalQuery(queryPairs(i.url)), h.text, h.signed, i.payloadHash].join('\n');
  const sig = signatureOf(i.credentials, i.region, service, s, canonical);
  return {
    ...sent,
    authorization: `${ALGORITHM} Credential=${i.credentials.accessKeyId}/${s.scope},SignedHeaders=${h.signed},Signature=${sig}`,
  };
}

export interface PresignInput {
  method?: string;
  /** The object's URL without a query (the path already uriEncoded). */
  url: URL;
  credentials: Credentials;
  region: string;
  expiresS: number;
  service?: string;
  now?: Date;
}

/** A URL anyone can GET until it expires; only `host` is signed, the payload is UNSIGNED-PAYLOAD. */
export function presignUrl(i: PresignInput): string {
  if (!Number.isInteger(i.expiresS) || i.expiresS < 1 || i.expiresS > MAX_PRESIGN_SECONDS) {
    throw new RangeError(`presigned URLs live 1 to ${MAX_PRESIGN_SECONDS} s, not ${i.expiresS}`);
  }
  const service = i.service ?? 's3';
  const s = scopeOf(i.now ?? new Date(), i.region, service);
  const params: [string, string][] = [
    ['X-Amz-Algorithm', ALGORITHM],
    ['X-Amz-Credential', `${i.credentials.accessKeyId}/${s.scope}`],
    ['X-Amz-Date', s.stamp],
    ['X-Amz-Expires', String(i.expiresS)],
    ['X-Amz-SignedHeaders', 'host'],
  ];
  if (i.credentials.sessionToken) params.push(['X-Amz-Security-Token', i.credentials.sessionToken]);
  const query = canonicalQuery(params);
  const canonical = [(i.method ?? 'GET').toUpperCase(), i.url.pathname || '/', query, `host:${i.url.host}\n`, 'host', UNSIGNED_PAYLOAD].join('\n');
  const sig = signatureOf(i.credentials, i.region, service, s, canonical);
  return `${i.url.origin}${i.url.pathname}?${query}&X-Amz-Signature=${sig}`;
}
