// Notification → Mattermost: incoming-webhook body and REST v4 post / patch bodies
// (chat-platforms.md §2.1–2.3). Mattermost shows none of Slack's blocks inside an attachment, so
// this renders from the neutral model: the headline as a `####` heading, `**bold**` labels in the
// attachment text, the footer in the attachment footer (folded into the text as inline code when
// it is longer than the 300 characters the server keeps), each image as `image_url` and a link.
import type { Notification } from '../notification.js';
import { COLOR_HEX, MATTERMOST_LIMITS, mediaNoteLines, truncate } from './limits.js';

export interface MattermostAttachment {
  fallback: string;
  color: string;
  text: string;
  footer?: string;
  image_url?: string;
}

export interface MattermostPriority {
  priority: 'urgent';
}

export interface MattermostWebhookOptions {
  /** Channel name (`town-square`) or `@user`; default the webhook's own. */
  channel?: string;
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
}

export interface MattermostWebhookBody {
  text: string;
  attachments: MattermostAttachment[];
  channel?: string;
  username?: string;
  icon_url?: string;
  icon_emoji?: string;
  priority?: MattermostPriority;
  silent?: boolean;
}

export interface MattermostPostOptions {
  channelId: string;
  /** Parent post id: reply in the print's thread. */
  rootId?: string;
  /** Shown instead of the bot's name/icon when the server allows overrides. */
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
}

export interface MattermostPostBody {
  channel_id: string;
  message: string;
  root_id?: string;
  props: { attachments: MattermostAttachment[]; override_username?: string; override_icon_url?: string; override_icon_emoji?: string };
  metadata?: { priority: MattermostPriority };
}

export interface MattermostPatchBody {
  message: string;
  props: { attachments: MattermostAttachment[] };
}

/**
 * The post text: heading, then a link per image (clients that hide attachments still get them),
 * then the notes about pictures that could not be shown.
 */
export function mattermostMessage(n: Notification): string {
  const lines: string[] = [];
  const headline = n.headline.replace(/\s*\n\s*/g, ' ').trim();
  if (headline) lines.push(`#### ${headline}`);
  n.imageUrls.forEach((url, i) => lines.push(`[${n.imageUrls.length > 1 ? `Snapshot ${i + 1}` : 'Snapshot'}](${url})`));
  // Pictures that could not be taken or uploaded: a line each where they would have been.
  lines.push(...mediaNoteLines(n.mediaNotes));
  const text = lines.join('\n');
  return truncate(text || n.fallback, MATTERMOST_LIMITS.message);
}

/** The coloured card, sized so message and card together stay within one post's 16,383 characters. */
export function mattermostAttachment(n: Notification, messageLength = mattermostMessage(n).length): MattermostAttachment {
  const lines = n.fields.map((f) => `**${f.label}** ${f.value}`);
  const footerFits = n.footer.length <= MATTERMOST_LIMITS.footer;
  if (n.footer && !footerFits) lines.push(`\`${n.footer.replace(/`/g, "'")}\``);
  const room = Math.max(0, MATTERMOST_LIMITS.message - messageLength);
  const att: MattermostAttachment = {
    fallback: truncate(n.fallback || n.headline, MATTERMOST_LIMITS.message),
    color: COLOR_HEX[n.color],
    text: truncate(lines.join('\n'), room),
  };
  if (n.footer && footerFits) att.footer = n.footer;
  if (n.imageUrls[0]) att.image_url = n.imageUrls[0];
  return att;
}

/** Incoming-webhook body; also usable as the targets' body builder (no options). */
export function mattermostWebhookPayload(n: Notification, opts: MattermostWebhookOptions = {}): MattermostWebhookBody {
  const text = mattermostMessage(n);
  const body: MattermostWebhookBody = { text, attachments: [mattermostAttachment(n, text.length)] };
  if (opts.channel) body.channel = opts.channel;
  if (opts.username) body.username = opts.username;
  if (opts.iconUrl) body.icon_url = opts.iconUrl;
  if (opts.iconEmoji) body.icon_emoji = opts.iconEmoji;
  if (n.level === 'urgent') body.priority = { priority: 'urgent' };
  // `silent` and persistent notifications exclude each other; an urgent message is never silent.
  else if (n.silent) body.silent = true;
  return body;
}

/** `POST /api/v4/posts` body for the bot token; priority sits in `metadata` there. */
export function mattermostPostPayload(n: Notification, opts: MattermostPostOptions): MattermostPostBody {
  const message = mattermostMessage(n);
  const body: MattermostPostBody = { channel_id: opts.channelId, message, props: { attachments: [mattermostAttachment(n, message.length)] } };
  if (opts.rootId) body.root_id = opts.rootId;
  if (opts.username) body.props.override_username = opts.username;
  if (opts.iconUrl) body.props.override_icon_url = opts.iconUrl;
  if (opts.iconEmoji) body.props.override_icon_emoji = opts.iconEmoji;
  if (n.level === 'urgent') body.metadata = { priority: { priority: 'urgent' } };
  return body;
}

/** `PUT /api/v4/posts/{id}/patch` body: the progress card edited in place. */
export function mattermostPatchPayload(n: Notification): MattermostPatchBody {
  const message = mattermostMessage(n);
  return { message, props: { attachments: [mattermostAttachment(n, message.length)] } };
}
