// Which host carries a picture or a video to one chat target: a pure decision from the target's id,
// `media.host` and the hosts the config could build (media/hosts buildUploaders).
//
//   - native: the file is posted into the message's thread after the message (Slack's external
//     upload, Mattermost /files). Only a bot of the same platform can: Slack files do not show in
//     Mattermost, and a webhook has no token to upload with.
//   - public: the file is uploaded first and the message shows its URL (S3, Imgur); any target can.
//     Imgur takes no video.
//
// `media.host` is a preference, not a fence: where the named host cannot serve a target (Slack
// files for a Mattermost target, Imgur for the timelapse, a webhook with host `slack`), the next
// usable host the config allows is taken, so a picture is shown whenever something can show it:
//   auto        bots: own native → s3 → imgur;          webhooks: s3 → imgur
//   slack       slack-bot: slack-files; others as auto
//   mattermost  mattermost-bot: mattermost-files; others as auto
//   s3          s3 → (bots) own native → imgur
//   imgur       images: imgur → s3 → own native;  videos: s3 → own native (Imgur takes no video)
//   none        nothing (no note either: pictures are off)
import type { MediaHost } from '../../config/types.js';
import type { Uploader } from '../hosts/types.js';

export type MediaKind = 'image' | 'video';

export type MediaRoute =
  | { via: 'native'; uploader: Uploader }
  | { via: 'public'; uploader: Uploader }
  | { via: 'none'; why: string };

/** What routing needs from buildUploaders' answer. */
export interface RouteUploaders {
  all: ReadonlyMap<string, Uploader>;
}

export type Platform = 'slack' | 'mattermost';

export interface TargetShape {
  platform?: Platform;
  /** A bot token: can upload files natively and reply in threads. */
  bot: boolean;
}

/** `slack-bot`, `slack-webhook`, `mattermost-bot`, `mattermost-webhook` (a suffix such as `slack-bot:farm` is allowed). */
export function targetShape(targetId: string): TargetShape {
  const m = /^(slack|mattermost)-(bot|webhook)(?:$|[^a-z])/.exec(targetId);
  if (!m) return { bot: false };
  return { platform: m[1] as Platform, bot: m[2] === 'bot' };
}

const NATIVE: Record<Platform, string> = { slack: 'slack-files', mattermost: 'mattermost-files' };
const HOST_ID: Record<Exclude<MediaHost, 'auto' | 'none'>, string> = { slack: 'slack-files', mattermost: 'mattermost-files', s3: 's3', imgur: 'imgur' };

function canServe(uploaderId: string, t: TargetShape, kind: MediaKind): boolean {
  switch (uploaderId) {
    case 'slack-files': return t.platform === 'slack' && t.bot;
    case 'mattermost-files': return t.platform === 'mattermost' && t.bot;
    case 'imgur': return kind === 'image';
    case 's3': return true;
    default: return false;
  }
}

/** The hosts to try, best first. */
function candidates(host: Exclude<MediaHost, 'none'>, t: TargetShape): string[] {
  const native = t.bot && t.platform ? [NATIVE[t.platform]] : [];
  if (host === 'auto') return [...native, 's3', 'imgur'];
  const preferred = HOST_ID[host];
  if (host === 's3' || host === 'imgur') return [preferred, 's3', ...native, 'imgur'];
  return [preferred, ...native, 's3', 'imgur'];
}

export function routeFor(targetId: string, host: MediaHost, uploaders: RouteUploaders, kind: MediaKind): MediaRoute {
  if (host === 'none') return { via: 'none', why: 'media.host is none' };
  const t = targetShape(targetId);
  for (const id of new Set(candidates(host, t))) {
    const u = uploaders.all.get(id);
    if (u && canServe(id, t, kind)) return u.kind === 'native' ? { via: 'native', uploader: u } : { via: 'public', uploader: u };
  }
  return { via: 'none', why: whyNot(targetId, host, uploaders, t, kind) };
}

function whyNot(targetId: string, host: MediaHost, uploaders: RouteUploaders, t: TargetShape, kind: MediaKind): string {
  if (kind === 'video' && uploaders.all.has('imgur')) return 'Imgur takes no video';
  const fix = kind === 'video' ? 'set up media.s3' : 'set up media.s3 or media.imgur';
  if (host !== 'auto' && !uploaders.all.has(HOST_ID[host as keyof typeof HOST_ID])) return `media.host is ${host}, but it is not set up`;
  if (!t.platform) return `${targetId} cannot show uploaded files`;
  if (!t.bot) return `a ${t.platform === 'slack' ? 'Slack' : 'Mattermost'} webhook cannot upload files; ${fix}`;
  return `no file host is set up for ${targetId}`;
}
