// Imgur's answers read defensively and its failures translated for people. Imgur wraps everything
// as `{ data, success, status }`, with `data.error` a string or `{ code, message }`; a block page
// or a proxy answers HTML. Known trouble (chat-platforms.md §3): 403 for a wrong or blocked
// Client-ID, 429 even with credits left, 417 seen by the old plugin, and no service in the UK
// since 2025-09-30.
import type { PeopleError } from '../../notify/errors.js';
import { MEDIA_ENV } from './types.js';

export interface ImgurAnswer {
  success?: boolean;
  status?: number;
  data?: Record<string, unknown>;
}

export function parseImgur(text: string): ImgurAnswer | undefined {
  try {
    const j = JSON.parse(text) as unknown;
    if (!j || typeof j !== 'object' || Array.isArray(j)) return undefined;
    const o = j as Record<string, unknown>;
    const data = o.data && typeof o.data === 'object' && !Array.isArray(o.data) ? (o.data as Record<string, unknown>) : undefined;
    return { success: typeof o.success === 'boolean' ? o.success : undefined, status: typeof o.status === 'number' ? o.status : undefined, data };
  } catch {
    return undefined;
  }
}

/** Imgur's own words, short and single-line (they never contain our Client-ID, but callers scrub anyway). */
function said(a: ImgurAnswer | undefined): string {
  const e = a?.data?.error;
  const text = typeof e === 'string' ? e : e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string'
    ? (e as { message: string }).message : '';
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 160 ? `${t.slice(0, 160)}…` : t;
}

export function imgurError(httpStatus: number, a: ImgurAnswer | undefined, where: string): PeopleError {
  // A 200 with success: false carries the real status inside.
  const status = httpStatus === 200 && a?.status && a.status !== 200 ? a.status : httpStatus;
  const words = said(a);
  const detail = words ? `: ${words}` : '';
  const perm = (code: string, error: string, hint: string): PeopleError => ({ retry: false, code, error, hint });
  if (!a && status < 500 && status !== 429) {
    if (status === 451) return perm('unavailable', 'Imgur is not available from here (HTTP 451)', 'Imgur blocks some countries (the UK since 2025-09-30): use S3 instead (media.host: s3).');
    return perm(`http_${status}`, `${where} answered HTTP ${status}, not like Imgur's API`, 'Check media.imgur.apiUrl (default https://api.imgur.com/), or remove it.');
  }
  switch (status) {
    case 200:
      return { retry: true, code: 'bad_answer', error: `Imgur did not confirm the upload${detail}`, hint: 'octoslack retries.' };
    case 400:
      return perm('bad_request', `Imgur refused the picture (HTTP 400${detail})`, 'Check the camera delivers a JPEG or PNG; if it does, please report this.');
    case 401:
    case 403:
      return perm('bad_client_id', `Imgur refused the Client-ID (HTTP ${status}${detail})`,
        `Set ${MEDIA_ENV.imgurClientId} to the Client ID of an app registered at https://api.imgur.com/oauth2/addclient ("anonymous usage"). An app that hit the daily limit five times this month stays blocked until the month ends.`);
    case 404:
      return perm('not_found', `Imgur answered 404${detail}`, 'Check media.imgur.apiUrl (default https://api.imgur.com/), or remove it.');
    case 413:
      return perm('too_large', `Imgur refused the picture as too large (HTTP 413${detail})`, 'Lower the camera resolution or JPEG quality.');
    case 417:
      return { retry: true, code: 'http_417', error: `Imgur refused the upload (HTTP 417${detail})`, hint: 'Imgur gives no reason for this one; octoslack retries. If it persists, use S3.' };
    case 429:
      return { retry: true, code: 'ratelimited', error: `Imgur's rate limit was reached (HTTP 429${detail})`,
        hint: 'Uploads pause until the limit resets. Fewer snapshots (events.*.snapshot) or S3 avoid this.' };
    case 451:
      return perm('unavailable', 'Imgur is not available from here (HTTP 451)', 'Imgur blocks some countries (the UK since 2025-09-30): use S3 instead (media.host: s3).');
    default:
      if (status >= 500) return { retry: true, code: `http_${status}`, error: `Imgur had a problem (HTTP ${status}${detail})`, hint: 'octoslack retries.' };
      return perm(`http_${status}`, `Imgur refused the upload (HTTP ${status}${detail})`, 'Check the media.imgur settings.');
  }
}
