// The contract between whoever has a picture or a video and the places that can host it. Two kinds:
// a public-url host (S3, Imgur) hands back a URL any message can show (Slack image blocks,
// Mattermost `image_url`, webhooks); a native host (Slack, Mattermost) attaches the file to a
// message in the print's thread. Uploads never throw: a failure is a result the caller reports as a
// short note in place of the picture (issue 6: a failed upload still sends the message). Uploads
// are slow and may wait for a rate limit, so callers queue them off the print's path.
import type { Image, Video } from '../types.js';
import type { PeopleError } from '../../notify/errors.js';

export type Media = Image | Video;

/**
 * Where the secrets come from, for hints. config/env.ts derives variable names from the key's path
 * (`media.s3.secretAccessKey` → OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY); change these with it.
 */
export const MEDIA_ENV = {
  s3AccessKeyId: 'OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID',
  s3SecretAccessKey: 'OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY',
  s3SessionToken: 'OCTOSLACK_MEDIA_S3_SESSION_TOKEN',
  imgurClientId: 'OCTOSLACK_MEDIA_IMGUR_CLIENT_ID',
} as const;

export interface UploadContext {
  /** Shown in keys and titles; `octoslack` names every picture after its printer. */
  printerName: string;
  /** The print's id (keys and per-print albums); absent for a picture taken outside a print. */
  printId?: string;
  /** Native hosts: the channel (`#name`, Slack ID, Mattermost name or ID); default the target's first. */
  channel?: string;
  /** Slack: the print's thread (the parent's `ts`). */
  threadTs?: string;
  /** Mattermost: the print's thread (the root post's id). */
  rootId?: string;
  /** The file's title (Slack file title, Imgur title); default the file name. */
  title?: string;
  /** Native hosts: text posted with the file (Slack `initial_comment`, Mattermost post message). */
  comment?: string;
}

export type UploadFailure = {
  ok: false;
  /** true: trying again later can help; false: someone must change something (the hint says what). */
  retry: boolean;
  error: string;
  hint: string;
  /** Seconds the host asked us to wait (429, Imgur's rate-limit reset). */
  retryAfterS?: number;
  /** Stable short code for grouping and tests (the host's error code, or ours). */
  code?: string;
};

export type UploadResult =
  | { ok: true; url?: string; fileId?: string; permalink?: string }
  | UploadFailure;

export interface Uploader {
  /** 's3', 'imgur', 'slack-files', 'mattermost-files' (or the configured id). */
  readonly id: string;
  readonly kind: 'public-url' | 'native';
  /** `name` is the file name people see (Slack/Mattermost attachment name, Imgur name). */
  upload(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult>;
}

export function isVideo(m: Media): m is Video {
  return typeof (m as Video).path === 'string';
}

/** `.jpg` / `.png` / `.mp4` for keys and default names. */
export function extensionOf(m: Media): string {
  return m.mime === 'image/png' ? 'png' : m.mime === 'video/mp4' ? 'mp4' : 'jpg';
}

export function failure(e: PeopleError): UploadFailure {
  const out: UploadFailure = { ok: false, retry: e.retry, error: e.error, hint: e.hint, code: e.code };
  if (e.retryAfterS !== undefined) out.retryAfterS = e.retryAfterS;
  return out;
}

/**
 * Run an upload so that nothing escapes: an unexpected exception (a bug, a file that vanished)
 * becomes a failure result, because the caller is in the middle of delivering a message.
 */
export async function guarded(where: string, run: () => Promise<UploadResult>, clean: (s: string) => string): Promise<UploadResult> {
  try {
    return await run();
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    return { ok: false, retry: true, code: 'internal', error: clean(`Upload to ${where} failed unexpectedly (${msg.slice(0, 160)})`),
      hint: 'octoslack retries; if it keeps happening, please report it.' };
  }
}
