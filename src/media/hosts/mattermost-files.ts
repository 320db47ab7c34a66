// Mattermost as a native host (chat-platforms.md §2.3): `POST /api/v4/files?channel_id=&filename=`
// with the raw bytes (no multipart to build, and a video streams from disk), answered with
// `file_infos[].id`; a post then carries up to five `file_ids`. Upload and post must be the same
// identity (mattermost/mattermost #35993), so this uses the bot's token, and the bot must be a
// member of the channel. Two ways to use it:
//   - upload(): the file and a post of its own in the print's thread (`root_id`), like Slack's
//     completeUploadExternal — for pictures and the timelapse that follow a message;
//   - uploadForPost(): only the files, returning ids for the caller's own post (a PrintDone card
//     with its picture attached).
// 413 (too large), 501 (uploads off) and 403 (not a member / no upload_file) are translated here.
import type { MattermostSettings } from '../../config/types.js';
import { mattermostError, networkError, parseRetryAfter, redactUrl, scrub, type PeopleError } from '../../notify/errors.js';
import { channelKey } from '../../notify/targets/channels.js';
import { looksLikeMattermostId, MattermostApi } from '../../notify/targets/mattermost-api.js';
import { ANSWER_MAX_BYTES, MediaFileError, mediaBody, send, transferTimeoutMs, type TransferLimits } from './transfer.js';
import { fileGone } from './s3.js';
import { failure, guarded, type Media, type UploadContext, type Uploader, type UploadFailure, type UploadResult } from './types.js';

/** Mattermost refuses posts with more files. */
export const MAX_FILES_PER_POST = 5;

export interface MattermostFilesOptions {
  settings: MattermostSettings;
  id?: string;
  /** Per API call (channel lookup, post); default 10 s. */
  timeoutMs?: number;
  transfer?: TransferLimits;
}

export class MattermostFilesUploader implements Uploader {
  readonly id: string;
  readonly kind = 'native' as const;
  private readonly api?: MattermostApi;
  private readonly channelIds = new Map<string, string>();

  constructor(private readonly o: MattermostFilesOptions) {
    this.id = o.id ?? 'mattermost-files';
    const { url, token } = o.settings;
    if (url && token) this.api = new MattermostApi({ url, token, timeoutMs: o.timeoutMs });
  }

  /** The file, then a post carrying it in the print's thread (`ctx.rootId`), with `ctx.comment`. */
  upload(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    return guarded('Mattermost', async () => {
      const file = await this.sendFile(media, name, ctx, signal);
      if (!file.ok) return file;
      const posted = await this.post(file.channelId, [file.fileId], ctx, signal);
      if (!posted.ok) return posted;
      return { ok: true, fileId: file.fileId, permalink: `${this.api!.base}/_redirect/pl/${posted.postId}` };
    }, (t) => this.clean(t));
  }

  /** Only the file: for a post the caller makes itself (`file_ids`). */
  uploadFile(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    return guarded('Mattermost', async () => {
      const file = await this.sendFile(media, name, ctx, signal);
      return file.ok ? { ok: true, fileId: file.fileId } : file;
    }, (t) => this.clean(t));
  }

  /**
   * Several files for one post: `file_ids` to put in it (at most five, in order) and what failed.
   * A failed file costs only itself; the post goes out with the others and a note.
   */
  async uploadForPost(items: ReadonlyArray<{ media: Media; name: string }>, ctx: UploadContext, signal?: AbortSignal): Promise<{ fileIds: string[]; failures: UploadFailure[] }> {
    const fileIds: string[] = [];
    const failures: UploadFailure[] = [];
    for (const [i, it] of items.entries()) {
      if (i >= MAX_FILES_PER_POST) {
        failures.push({ ok: false, retry: false, code: 'too_many_files', error: `Mattermost takes ${MAX_FILES_PER_POST} files per post; ${items.length - MAX_FILES_PER_POST} left out`,
          hint: 'Combine the cameras into one picture (snapshot layout), or use fewer cameras for this event.' });
        break;
      }
      const r = await this.uploadFile(it.media, it.name, ctx, signal);
      if (r.ok && r.fileId) fileIds.push(r.fileId);
      else if (!r.ok) failures.push(r);
    }
    return { fileIds, failures };
  }

  private async sendFile(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal):
    Promise<{ ok: true; fileId: string; channelId: string } | UploadFailure> {
    if (!this.api) {
      return { ok: false, retry: false, code: 'no_token', error: 'Mattermost uploads need the bot token and server URL',
        hint: 'Set mattermost.url and OCTOSLACK_MATTERMOST_TOKEN (a webhook cannot upload files).' };
    }
    const ch = ctx.channel ?? this.o.settings.channel;
    if (!ch) return { ok: false, retry: false, code: 'no_channel', error: 'No Mattermost channel to upload into', hint: 'Set mattermost.channel.' };
    const channelId = await this.channelId(ch, signal);
    if (typeof channelId !== 'string') return this.fail(channelId);
    let body;
    try {
      body = await mediaBody(media);
    } catch (err) {
      if (err instanceof MediaFileError) return fileGone(err) as UploadFailure;
      throw err;
    }
    const url = `${this.api.base}/api/v4/files?channel_id=${encodeURIComponent(channelId)}&filename=${encodeURIComponent(name)}`;
    const timeoutMs = transferTimeoutMs(body.bytes, this.o.transfer);
    let res;
    try {
      res = await send(url, { method: 'POST', body: body.open(), stream: body.data === undefined, timeoutMs, maxBytes: ANSWER_MAX_BYTES, signal,
        headers: { authorization: `Bearer ${this.o.settings.token!}`, accept: 'application/json', 'content-type': media.mime, 'content-length': String(body.bytes) } });
    } catch (err) {
      return this.fail(networkError(err, redactUrl(this.api.base), timeoutMs));
    }
    if (res.status < 200 || res.status > 299) {
      return this.fail(uploadError(res.status, res.text, ch, this.o.settings.team, parseRetryAfter(res.headers.get('retry-after'))));
    }
    let id: unknown;
    try {
      id = (JSON.parse(res.text) as { file_infos?: { id?: unknown }[] }).file_infos?.[0]?.id;
    } catch { /* below */ }
    if (typeof id !== 'string' || id === '') {
      return this.fail({ retry: true, code: 'bad_answer', error: 'Mattermost answered the upload without a file id', hint: 'Check mattermost.url; octoslack retries.' });
    }
    return { ok: true, fileId: id, channelId };
  }

  private async post(channelId: string, fileIds: string[], ctx: UploadContext, signal?: AbortSignal): Promise<{ ok: true; postId: string } | UploadFailure> {
    const body: Record<string, unknown> = { channel_id: channelId, message: ctx.comment ?? '', file_ids: fileIds };
    if (ctx.rootId) body.root_id = ctx.rootId;
    const r = await this.api!.request('POST', '/posts', body, signal, { channel: ctx.channel ?? this.o.settings.channel });
    if (!r.ok) return this.fail(r.error);
    return typeof r.json.id === 'string' ? { ok: true, postId: r.json.id }
      : this.fail({ retry: false, code: 'bad_answer', error: 'Mattermost answered the post without its id', hint: 'Check mattermost.url.' });
  }

  /** A channel ID as given, or a name looked up in mattermost.team once. */
  private async channelId(ch: string, signal?: AbortSignal): Promise<string | PeopleError> {
    if (looksLikeMattermostId(ch)) return ch.trim();
    const key = channelKey(ch);
    const known = this.channelIds.get(key);
    if (known) return known;
    const team = this.o.settings.team;
    if (!team) {
      return { retry: false, code: 'no_team', error: `Mattermost channel ${ch} is given by name but no team is set`, hint: 'Set mattermost.team, or use the channel ID.' };
    }
    const r = await this.api!.request('GET', `/teams/name/${encodeURIComponent(team)}/channels/name/${encodeURIComponent(key)}`, undefined, signal, { channel: ch, team });
    if (!r.ok) return r.error;
    if (typeof r.json.id !== 'string') return { retry: false, code: 'bad_answer', error: `Mattermost answered without the id of channel ${ch}`, hint: 'Check mattermost.url.' };
    this.channelIds.set(key, r.json.id);
    return r.json.id;
  }

  private clean(text: string): string {
    return scrub(text, [this.o.settings.token]);
  }

  private fail(e: PeopleError): UploadFailure {
    return failure({ ...e, error: this.clean(e.error), hint: this.clean(e.hint) });
  }
}

/** The upload's own failures; the rest as for any API call. */
function uploadError(status: number, text: string, channel: string, team: string | undefined, retryAfterS: number | undefined): PeopleError {
  const ch = `~${channel.replace(/^[~#]/, '')}`;
  switch (status) {
    case 413:
      return { retry: false, code: 'too_large', error: 'Mattermost refused the file as too large (HTTP 413)',
        hint: 'Raise System Console → File Storage → Maximum File Size, or lower the camera resolution or the timelapse size.' };
    case 501:
      return { retry: false, code: 'uploads_disabled', error: 'File uploads are turned off on this Mattermost server (HTTP 501)',
        hint: 'Enable System Console → File Sharing and Downloads → Allow File Sharing, or host pictures on S3 (media.host: s3).' };
    case 403:
      return { retry: false, code: 'forbidden', error: `The Mattermost bot may not upload files to ${ch} (HTTP 403)`,
        hint: `Add the bot to ${ch} (bots upload only where they are members), and make sure its role has the upload_file permission.` };
    default:
      return mattermostError(status, text, { webhook: false, channel, team, retryAfterS });
  }
}
