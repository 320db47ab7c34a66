// Slack as a native host: the external upload flow that replaced `files.upload` (retired
// 2025-11-12; chat-platforms.md §1.5), one step at a time so each failure is named:
//   1. files.getUploadURLExternal(filename, length[, alt_txt]) — form-encoded, as the SDK sends it
//      (a JSON body is reportedly refused with invalid_arguments);
//   2. POST the bytes to upload_url — no token: the URL is pre-authorised, and a token must not
//      travel to another host;
//   3. files.completeUploadExternal(files=[{id, title}], channel_id, thread_ts, initial_comment) —
//      shares the file into the print's thread (no channel would leave it private).
// Slack returns no message `ts` for the share (it completes asynchronously), so the result carries
// the file id and permalink only. Calls go through @slack/web-api like the bot target: retries off
// (the caller queues and retries), our timeout and bounded answers.
import type { WebClient } from '@slack/web-api';
import type { SlackSettings } from '../../config/types.js';
import { networkError, redactUrl, scrub, slackApiError, type PeopleError } from '../../notify/errors.js';
import { callSignal, DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS } from '../../notify/targets/http.js';
import { slackWebClient } from '../../notify/targets/slack-client.js';
import { looksLikeSlackId, SlackChannelResolver } from '../../notify/targets/slack-channels.js';
import { ANSWER_MAX_BYTES, MediaFileError, mediaBody, send, transferTimeoutMs, type TransferLimits } from './transfer.js';
import { fileGone } from './s3.js';
import { failure, guarded, type Media, type UploadContext, type Uploader, type UploadResult } from './types.js';

export interface SlackFilesOptions {
  settings: SlackSettings;
  id?: string;
  /** Per API call; default 10 s. The byte transfer's limit grows with the size (`transfer`). */
  timeoutMs?: number;
  maxResponseBytes?: number;
  transfer?: TransferLimits;
  /** Share the bot target's resolver, so `#name` is listed once per process. */
  resolver?: SlackChannelResolver;
  log?: { debug?(s: string): void };
}

/** Codes of the upload methods that the chat translation does not know. */
function uploadError(code: string, channel: string): PeopleError | undefined {
  switch (code) {
    case 'file_uploads_disabled':
    case 'file_uploads_except_images_disabled':
      return { retry: false, code, error: `A Slack workspace admin turned file uploads off (${code})`,
        hint: 'Ask an admin to allow uploads, or host pictures on S3 (media.host: s3).' };
    case 'file_upload_size_restricted':
      return { retry: false, code, error: `The Slack workspace restricts uploads of this size (${code})`,
        hint: 'Lower the timelapse size, ask an admin, or host videos on S3 (media.host: s3).' };
    case 'file_type_not_allowed':
      return { retry: false, code, error: `The Slack workspace does not allow this file type (${code})`,
        hint: 'Ask an admin to allow JPEG/PNG/MP4 uploads, or host pictures on S3 (media.host: s3).' };
    case 'invalid_channel':
      return { retry: false, code, error: `Slack cannot share the file in ${channel} (invalid_channel)`,
        hint: 'Use the channel ID in slack.channels, and invite the bot to the channel.' };
    case 'file_not_found':
    case 'file_deleted':
      return { retry: true, code, error: `Slack lost the uploaded file before sharing it (${code})`, hint: 'octoslack uploads it again.' };
    default:
      return undefined;
  }
}

export class SlackFilesUploader implements Uploader {
  readonly id: string;
  readonly kind = 'native' as const;
  private readonly client: WebClient;
  private readonly resolver: SlackChannelResolver;
  private readonly timeoutMs: number;

  constructor(private readonly o: SlackFilesOptions) {
    this.id = o.id ?? 'slack-files';
    this.timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.client = slackWebClient(o.settings, { timeoutMs: this.timeoutMs, maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_BYTES, ...(o.log?.debug ? { debug: o.log.debug } : {}) });
    this.resolver = o.resolver ?? new SlackChannelResolver((m, a) => this.call(m, a));
  }

  private async call(method: string, args: Record<string, unknown>): Promise<Record<string, unknown>> {
    return (await this.client.apiCall(method, args)) as unknown as Record<string, unknown>;
  }

  upload(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    return guarded('Slack', () => callSignal.run(signal, () => this.run(media, name, ctx, signal)), (t) => this.clean(t));
  }

  private async run(media: Media, name: string, ctx: UploadContext, signal?: AbortSignal): Promise<UploadResult> {
    if (!this.o.settings.token) {
      return { ok: false, retry: false, code: 'no_token', error: 'No Slack bot token for uploads', hint: 'Set OCTOSLACK_SLACK_TOKEN to the app\'s Bot User OAuth Token (xoxb-…).' };
    }
    const ch = ctx.channel ?? this.o.settings.channels[0];
    if (!ch) return { ok: false, retry: false, code: 'no_channel', error: 'No Slack channel to upload into', hint: 'Set slack.channels, e.g. ["#printer"].' };
    let channelId: string;
    try {
      const target = await this.resolver.resolve(ch);
      channelId = target.id;
    } catch (err) {
      return this.fail(err, ch);
    }
    if (!looksLikeSlackId(channelId)) {
      const why = this.resolver.listingProblem ? ` (${this.resolver.listingProblem.error})` : '';
      return { ok: false, retry: false, code: 'channel_not_found', error: `Slack channel ${ch} was not found, and uploads need its ID${why}`,
        hint: 'Put the channel ID in slack.channels (channel details → About), or add the channels:read and groups:read scopes and reinstall the app; invite the bot to private channels.' };
    }
    let body;
    try {
      body = await mediaBody(media);
    } catch (err) {
      if (err instanceof MediaFileError) return fileGone(err);
      throw err;
    }
    const title = ctx.title ?? name;

    // 1. Ask for an upload URL. `alt_txt` is the API's spelling (the SDK's types say alt_text); ≤ 1000 chars.
    let upload: Record<string, unknown>;
    try {
      upload = await this.call('files.getUploadURLExternal', { filename: name, length: body.bytes, alt_txt: title.slice(0, 1000) });
    } catch (err) {
      return this.fail(err, ch);
    }
    const uploadUrl = upload.upload_url;
    const fileId = upload.file_id;
    if (typeof uploadUrl !== 'string' || !/^https?:\/\//.test(uploadUrl) || typeof fileId !== 'string') {
      return { ok: false, retry: true, code: 'bad_answer', error: 'Slack answered files.getUploadURLExternal without an upload URL', hint: 'octoslack retries.' };
    }

    // 2. Send the bytes (no token: the URL itself authorises, and it may be on another host).
    const timeoutMs = transferTimeoutMs(body.bytes, this.o.transfer);
    try {
      const res = await send(uploadUrl, { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'content-length': String(body.bytes) },
        body: body.open(), stream: body.data === undefined, timeoutMs, maxBytes: ANSWER_MAX_BYTES, signal });
      if (res.status !== 200) {
        // A stale or refused upload URL: a new one (next attempt) may work.
        return this.failWith({ retry: true, code: `upload_http_${res.status}`, error: `Slack's file server refused the bytes (HTTP ${res.status})`, hint: 'octoslack retries with a new upload URL.' });
      }
    } catch (err) {
      return this.failWith(networkError(err, redactUrl(uploadUrl), timeoutMs));
    }

    // 3. Share it into the print's thread.
    const args: Record<string, unknown> = { files: [{ id: fileId, title }], channel_id: channelId };
    if (ctx.threadTs) args.thread_ts = ctx.threadTs;
    if (ctx.comment) args.initial_comment = ctx.comment;
    let done: Record<string, unknown>;
    try {
      done = await this.call('files.completeUploadExternal', args);
    } catch (err) {
      return this.fail(err, ch);
    }
    this.resolver.learn(ch, channelId);
    const file = Array.isArray(done.files) ? (done.files[0] as Record<string, unknown> | undefined) : undefined;
    const result: UploadResult = { ok: true, fileId };
    if (typeof file?.permalink === 'string') result.permalink = file.permalink;
    return result;
  }

  private fail(err: unknown, channel: string): UploadResult {
    const e = slackApiError(err, { channel, apiUrl: this.o.settings.apiUrl, timeoutMs: this.timeoutMs });
    return this.failWith(uploadError(e.code, channel) ?? e);
  }

  private failWith(e: PeopleError): UploadResult {
    return failure({ ...e, error: this.clean(e.error), hint: this.clean(e.hint) });
  }

  private clean(text: string): string {
    return scrub(text, [this.o.settings.token]);
  }
}
