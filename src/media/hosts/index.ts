// Where pictures and videos go, built from the config. `media.host` names the one host messages
// use; every other host the config makes possible is built too, because one host rarely fits all:
// Imgur takes no video (the timelapse needs S3 or a chat's native upload), and webhook-only targets
// can show only public URLs (S3, Imgur). The composition root picks per target and per media from
// `all`; `problems` says, for `config check`, why a named host could not be built.
import type { MattermostSettings, SlackSettings } from '../../config/types.js';
import type { SlackChannelResolver } from '../../notify/targets/slack-channels.js';
import { ImgurUploader, type ImgurSettings } from './imgur.js';
import { MattermostFilesUploader } from './mattermost-files.js';
import { S3Uploader, type S3Settings } from './s3.js';
import { SlackFilesUploader } from './slack-files.js';
import type { TransferLimits } from './transfer.js';
import { MEDIA_ENV, type Uploader } from './types.js';

export type { Media, UploadContext, UploadFailure, UploadResult, Uploader } from './types.js';
export { isVideo, MEDIA_ENV } from './types.js';
export { S3Uploader, objectKey, type S3Settings } from './s3.js';
export { ImgurUploader, type ImgurLimits, type ImgurSettings } from './imgur.js';
export { SlackFilesUploader } from './slack-files.js';
export { MattermostFilesUploader, MAX_FILES_PER_POST } from './mattermost-files.js';
export { MAX_PRESIGN_SECONDS } from './sigv4.js';

/** 'auto' names no single host: delivery (media/delivery/media-route.ts) picks one per target. */
export type MediaHostName = 'auto' | 'slack' | 'mattermost' | 's3' | 'imgur' | 'none';

/** media.s3 as configured: the keys may be missing (they come from the environment; checked here). */
export type S3Config = Omit<S3Settings, 'accessKeyId' | 'secretAccessKey'> & { accessKeyId?: string; secretAccessKey?: string };
/** media.imgur as configured. */
export type ImgurConfig = Omit<ImgurSettings, 'clientId'> & { clientId?: string };

export interface MediaHostSettings {
  host: MediaHostName;
  s3?: S3Config;
  imgur?: ImgurConfig;
}

/** The parts of OctoslackConfig the hosts read (structural, so the config can grow `media` freely). */
export interface UploaderConfig {
  media?: MediaHostSettings;
  slack?: SlackSettings;
  mattermost?: MattermostSettings;
}

export interface BuildOptions {
  timeoutMs?: number;
  transfer?: TransferLimits;
  /** The Slack bot target's resolver, so channel names are listed once. */
  slackResolver?: SlackChannelResolver;
  log?: { debug?(s: string): void };
}

export interface Uploaders {
  /** The host named by media.host; undefined for 'none' or when it could not be built. */
  host?: Uploader;
  /** Every host the config allows, by id: 's3', 'imgur', 'slack-files', 'mattermost-files'. */
  all: Map<string, Uploader>;
  /** Why a host could not be built (for config check and the startup log); no secrets. */
  problems: string[];
}

const ID: Record<Exclude<MediaHostName, 'none' | 'auto'>, string> = { slack: 'slack-files', mattermost: 'mattermost-files', s3: 's3', imgur: 'imgur' };

export function buildUploaders(config: UploaderConfig, o: BuildOptions = {}): Uploaders {
  const all = new Map<string, Uploader>();
  const problems: string[] = [];
  const name = config.media?.host ?? 'none';
  const wanted = (h: MediaHostName) => name === h;

  const s3 = config.media?.s3;
  if (s3) {
    const missing = [!s3.accessKeyId && `media.s3.accessKeyId (${MEDIA_ENV.s3AccessKeyId})`, !s3.secretAccessKey && MEDIA_ENV.s3SecretAccessKey, !s3.bucket && 'media.s3.bucket'].filter(Boolean);
    if (!s3.accessKeyId || !s3.secretAccessKey || missing.length > 0) problems.push(`S3 is not usable: set ${missing.join(', ')}.`);
    else {
      try {
        all.set('s3', new S3Uploader({ settings: { ...s3, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }, transfer: o.transfer }));
      } catch (err) {
        problems.push(`S3 is not usable: ${(err as Error).message}.`);
      }
    }
  } else if (wanted('s3')) problems.push('media.host is s3, but there is no media.s3 section (bucket, region, keys).');

  const imgur = config.media?.imgur;
  if (imgur?.clientId) all.set('imgur', new ImgurUploader({ settings: { ...imgur, clientId: imgur.clientId }, timeoutMs: o.timeoutMs, transfer: o.transfer }));
  else if (wanted('imgur')) problems.push(`media.host is imgur, but no Client ID is set (${MEDIA_ENV.imgurClientId}).`);

  const slack = config.slack;
  if (slack?.token) {
    all.set('slack-files', new SlackFilesUploader({ settings: slack, timeoutMs: o.timeoutMs, transfer: o.transfer, resolver: o.slackResolver, log: o.log }));
  } else if (wanted('slack')) {
    problems.push(slack?.webhookUrl ? 'media.host is slack, but a Slack webhook cannot upload files: set OCTOSLACK_SLACK_TOKEN (scopes files:write, files:read), or use media.host: s3.'
      : 'media.host is slack, but there is no Slack bot token (OCTOSLACK_SLACK_TOKEN).');
  }

  const mm = config.mattermost;
  if (mm?.url && mm.token) {
    all.set('mattermost-files', new MattermostFilesUploader({ settings: mm, timeoutMs: o.timeoutMs, transfer: o.transfer }));
  } else if (wanted('mattermost')) {
    problems.push(mm?.webhookUrl && !mm.token ? 'media.host is mattermost, but a Mattermost webhook cannot upload files: set mattermost.url and OCTOSLACK_MATTERMOST_TOKEN, or use media.host: s3.'
      : 'media.host is mattermost, but mattermost.url or the bot token (OCTOSLACK_MATTERMOST_TOKEN) is missing.');
  }

  const host = name === 'none' || name === 'auto' ? undefined : all.get(ID[name]);
  return host ? { host, all, problems } : { all, problems };
}
