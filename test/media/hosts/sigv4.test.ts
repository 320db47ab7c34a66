// The signer against the examples AWS publishes in "Authenticating Requests (AWS Signature Version
// 4)" (S3 API reference): header auth for GET Object with Range, PUT Object, GET Bucket Lifecycle,
// List Objects, and the presigned GET. These pin the algorithm independently of our fake S3.
import { describe, expect, it } from 'vitest';
import {
  amzDate, canonicalQuery, EMPTY_SHA256, presignUrl, sha256Hex, signHeaders, uriEncode, type Credentials,
} from '../../../src/media/hosts/sigv4.js';

const creds: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const now = new Date('2013-05-24T00:00:00Z');
const host = 'https://examplebucket.s3.amazonaws.com';

function sig(h: Record<string, string>): string {
  return /Signature=([0-9a-f]{64})$/.exec(h.authorization ?? '')?.[1] ?? '';
}

describe('SigV4 header auth (AWS examples)', () => {
  it('GET Object with a Range header', () => {
    const h = signHeaders({ method: 'GET', url: new URL(`${host}/test.txt`), headers: { Range: 'bytes=0-9' }, payloadHash: EMPTY_SHA256, credentials: creds, region: 'us-east-1', now });
    expect(h.authorization).toBe('AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,'
      + 'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(h['x-amz-date']).toBe('20130524T000000Z');
  });

  it('PUT Object with an encoded key and a payload hash', () => {
    const body = 'Welcome to Amazon S3.';
    expect(sha256Hex(body)).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const url = new URL(`${host}/${uriEncode('test$file.text', true)}`);
    expect(url.pathname).toBe('/test%24file.text');
    const h = signHeaders({ method: 'PUT', url, headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      payloadHash: sha256Hex(body), credentials: creds, region: 'us-east-1', now });
    expect(h.authorization).toContain('SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,');
    expect(sig(h)).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket Lifecycle (a query parameter without a value)', () => {
    const h = signHeaders({ method: 'GET', url: new URL(`${host}/?lifecycle`), payloadHash: EMPTY_SHA256, credentials: creds, region: 'us-east-1', now });
    expect(sig(h)).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
  });

  it('List Objects (sorted query)', () => {
    const h = signHeaders({ method: 'GET', url: new URL(`${host}/?prefix=J&max-keys=2`), payloadHash: EMPTY_SHA256, credentials: creds, region: 'us-east-1', now });
    expect(sig(h)).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('adds and signs the session token of temporary credentials', () => {
    const h = signHeaders({ method: 'PUT', url: new URL(`${host}/a.jpg`), payloadHash: EMPTY_SHA256, credentials: { ...creds, sessionToken: 'tok/en+1' }, region: 'us-east-1', now });
    expect(h['x-amz-security-token']).toBe('tok/en+1');
    expect(h.authorization).toContain('SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,');
  });
});

describe('SigV4 presigned URL (AWS example)', () => {
  it('GET test.txt for 86400 s', () => {
    const url = presignUrl({ url: new URL(`${host}/test.txt`), credentials: creds, region: 'us-east-1', expiresS: 86400, now });
    expect(url).toBe('https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256'
      + '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z'
      + '&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404');
  });

  it('refuses more than 7 days, which S3 would refuse later', () => {
    expect(() => presignUrl({ url: new URL(`${host}/a`), credentials: creds, region: 'us-east-1', expiresS: 604_801, now })).toThrow(/604800/);
  });
});

describe('SigV4 encoding', () => {
  it('encodes like RFC 3986, keeping / only in paths', () => {
    expect(uriEncode("a b!'()*~._-/ü+", true)).toBe('a%20b%21%27%28%29%2A~._-/%C3%BC%2B');
    expect(uriEncode('a/b', false)).toBe('a%2Fb');
    expect(canonicalQuery([['b', '2'], ['a', 'x y'], ['a', '1']])).toBe('a=1&a=x%20y&b=2');
    expect(amzDate(new Date('2026-01-02T03:04:05.678Z'))).toBe('20260102T030405Z');
  });
});
