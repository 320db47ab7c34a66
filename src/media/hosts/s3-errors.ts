// S3 (and MinIO, R2, B2, Ceph, …) failures translated for people, like notify/errors.ts does for
// chat: what went wrong, what to change, and whether a retry can help. S3 answers errors as XML
// `<Error><Code>…</Code><Message>…</Message></Error>`; a HEAD or a proxy may answer without a body,
// so the HTTP status alone must also give a useful message. The secret key and session token
// never appear (callers scrub with them); the access key ID is not repeated either.
import type { PeopleError } from '../../notify/errors.js';
import { MEDIA_ENV } from './types.js';

export interface S3ErrorContext {
  bucket: string;
  region: string;
  /** Where we sent it, already redacted: `https://s3.example.com/…`. */
  where: string;
  /** Seconds from a Retry-After header, if any. */
  retryAfterS?: number;
  temporaryCredentials: boolean;
}

/** The few fields we read from an S3 XML error; absent ones are ''. */
export function parseS3Error(xml: string): { code: string; message: string; region: string } {
  const field = (name: string) => {
    const m = new RegExp(`<${name}>([^<]{0,300})</${name}>`).exec(xml);
    return m ? m[1]!.trim() : '';
  };
  const code = field('Code');
  return { code: /^[A-Za-z0-9.]{1,64}$/.test(code) ? code : '', message: field('Message'), region: field('Region') };
}

const SECRET_ENV = MEDIA_ENV.s3SecretAccessKey;

export function s3Error(status: number, body: string, c: S3ErrorContext): PeopleError {
  const { code, message, region } = parseS3Error(body);
  const said = code ? ` (${code})` : ` (HTTP ${status})`;
  const perm = (error: string, hint: string, k = code || `http_${status}`): PeopleError => ({ retry: false, code: k, error, hint });
  const again = (error: string, hint: string, k = code || `http_${status}`): PeopleError =>
    ({ retry: true, code: k, error, hint, ...(c.retryAfterS !== undefined ? { retryAfterS: c.retryAfterS } : {}) });
  switch (code) {
    case 'SignatureDoesNotMatch':
      return perm(`S3 rejected the request signature${said}: the secret access key is wrong`,
        `Check ${SECRET_ENV} (no spaces or line breaks around it) and that it belongs to the access key ID; also check media.s3.region and media.s3.endpoint.`);
    case 'InvalidAccessKeyId':
      return perm(`S3 does not know the access key ID${said}`,
        `Check ${MEDIA_ENV.s3AccessKeyId} or media.s3.accessKeyId (and media.s3.endpoint: keys of one store do not work on another).`);
    case 'ExpiredToken':
    case 'TokenRefreshRequired':
    case 'InvalidToken':
      return perm(`The temporary S3 credentials expired or are invalid${said}`,
        `Renew ${MEDIA_ENV.s3SessionToken} with its access key pair, or use long-lived credentials of a user limited to the bucket.`);
    case 'RequestTimeTooSkewed':
    case 'RequestExpired':
      return again(`S3 refused the request because this machine's clock is wrong${said}`,
        'Set the clock (enable NTP: timedatectl set-ntp true); octoslack retries.');
    case 'AccessDenied':
    case 'AllAccessDisabled':
      return perm(`S3 denied the upload to bucket ${c.bucket}${said}`,
        `Give the key s3:PutObject on ${c.bucket}/snapshots/* (or your media.s3.prefix). Do not add ACLs: octoslack sends none; make pictures public with a bucket policy granting s3:GetObject on the prefix, or use media.s3.presignExpirySeconds.`);
    case 'NoSuchBucket':
      return perm(`S3 bucket ${c.bucket} does not exist at ${c.where}${said}`,
        'Check media.s3.bucket and media.s3.endpoint; MinIO and most self-hosted stores need media.s3.pathStyle: true.');
    case 'InvalidBucketName':
      return perm(`S3 refused the bucket name ${c.bucket}${said}`, 'Check media.s3.bucket; names with dots or capitals need media.s3.pathStyle: true.');
    case 'AuthorizationHeaderMalformed':
    case 'IllegalLocationConstraintException':
    case 'PermanentRedirect':
    case 'InvalidRegion':
      return perm(`S3 bucket ${c.bucket} is not in region ${c.region}${said}`,
        region ? `Set media.s3.region to ${region.replace(/[^a-z0-9-]/g, '')}.` : 'Set media.s3.region to the bucket\'s region, and check media.s3.endpoint.');
    case 'NotImplemented':
      return perm(`This S3-compatible store does not implement part of the request${said}`,
        'octoslack sends no checksum or ACL headers; check media.s3.endpoint points at the store itself, and report the store\'s name if it persists.');
    case 'XAmzContentSHA256Mismatch':
    case 'BadDigest':
    case 'IncompleteBody':
      return again(`The picture arrived at S3 damaged${said}`, 'Something between here and the store changed the upload; octoslack retries.');
    case 'EntityTooLarge':
      return perm(`The file is too large for a single S3 upload${said}`, 'Lower the timelapse size or bit rate.');
    case 'MissingContentLength':
    case 'InvalidArgument':
    case 'InvalidRequest':
    case 'MalformedXML':
      return perm(`S3 rejected the request${said}: ${message.slice(0, 160)}`, 'This is a bug in octoslack: please report it with the store\'s name.');
    case 'SlowDown':
    case 'ServiceUnavailable':
    case 'InternalError':
    case 'RequestTimeout':
      return again(`S3 is busy or had a temporary problem${said}`, 'octoslack retries.');
    default:
      break;
  }
  if (status === 301 || status === 307 || status === 308) {
    return perm(`S3 redirected the upload (HTTP ${status}): bucket ${c.bucket} is in another region or at another endpoint`,
      region ? `Set media.s3.region to ${region.replace(/[^a-z0-9-]/g, '')}.` : 'Check media.s3.region and media.s3.endpoint.', 'redirect');
  }
  if (status === 429 || status === 503) return again(`S3 is rate limiting us (HTTP ${status})`, 'octoslack waits and retries.', 'ratelimited');
  if (status >= 500 && status !== 501) return again(`S3 answered HTTP ${status}${said}`, 'octoslack retries.');
  if (status === 501) return perm(`This S3-compatible store does not implement part of the request${said}`, 'Check media.s3.endpoint.');
  if (!code) {
    return perm(`${c.where} answered HTTP ${status}, not like an S3 store`,
      'Check media.s3.endpoint: it must be the S3 API address (MinIO: the API port, usually 9000, not the console), e.g. https://s3.example.com.', `http_${status}`);
  }
  return perm(`S3 refused the upload${said}${message ? `: ${message.slice(0, 160)}` : ''}`, 'Check the media.s3 settings and the key\'s permissions.');
}
