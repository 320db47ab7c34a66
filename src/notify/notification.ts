// The neutral message model: what to say, before it is shaped for Slack or Mattermost.
// Rules and rendering produce a Notification; each target turns it into its own payload
// (Mattermost does not render Slack blocks inside attachments, so there is no "Slack JSON" here).
import type { Color, Level, NotifiableEvent } from '../config/types.js';

export interface NotificationField {
  label: string;
  value: string;
}

export interface Notification {
  /** Unique id (for the outbox and for deduplication). */
  id: string;
  event: NotifiableEvent | `rule:${string}`;
  /** Epoch ms when the event happened. */
  at: number;
  level: Level;
  color: Color;
  /** Rendered headline (message template). */
  headline: string;
  /** Rendered fallback text. */
  fallback: string;
  /** Body lines in order: File, Elapsed, Remaining, ETA, Error, … */
  fields: NotificationField[];
  /** "Printer: Printing, Bed: 60.0°C/60.0°C, Nozzle: 210.0°C/210.0°C, Nozzle Height: 0.30mm, RasPi: 45.1°C" */
  footer: string;
  /** Channel override from the event settings; empty = the target's defaults. */
  channels: string[];
  /** Identifies the print this message belongs to (threads, in-place progress); absent when idle. */
  printId?: string;
  /**
   * 'progress' messages may be edited in place and superseded: a newer progress update for the
   * same print replaces an undelivered older one.
   */
  kind: 'progress' | 'start' | 'other';
  /** Public image URLs to show (media feature); uploads are handled by the target. */
  imageUrls: string[];
  /**
   * Set by the rules when the event's settings ask for a picture: which cameras (empty = the
   * default ones). The snapshot stage takes it and fills `attachments`; targets ignore it.
   */
  snapshot?: { cameras: string[] };
  /** Files to show with the message (pictures, the timelapse video), kept on disk until delivered. */
  attachments?: Attachment[];
  /** Short notes shown in place of a picture that could not be taken or uploaded. */
  mediaNotes?: string[];
  /** Deliver without a notification sound (quiet hours). */
  silent: boolean;
}

/** A picture or video on disk that belongs to a message (survives restarts with the outbox). */
export interface Attachment {
  path: string;
  mime: 'image/jpeg' | 'image/png' | 'video/mp4';
  /** The file name people see. */
  name: string;
  bytes: number;
}

/** What a target remembers about a posted message, to edit it or reply in its thread. */
export interface MessageRef {
  target: string;
  channel: string;
  /** Slack `ts` / Mattermost post id. */
  id: string;
}

export type DeliveryResult =
  | { ok: true; refs: MessageRef[] }
  /** Try again later (network, 5xx, 429 with retryAfterS). */
  | { ok: false; retry: true; retryAfterS?: number; error: string }
  /** Will never work until the user fixes something (bad token, unknown channel): say so once. */
  | { ok: false; retry: false; error: string; hint: string };

/** Context a target gets with each send: where the print's thread and progress card are. */
export interface ThreadContext {
  /** The print's first message on this target, to reply in its thread. */
  parent?: MessageRef;
  /** The print's progress card on this target, to edit in place. */
  progressCard?: MessageRef;
}

export interface Notifier {
  /** Stable id, e.g. "slack-bot", "slack-webhook", "mattermost-webhook", "mattermost-bot". */
  readonly id: string;
  /** Whether this target can edit messages and reply in threads. */
  readonly canThread: boolean;
  send(n: Notification, ctx: ThreadContext, signal?: AbortSignal): Promise<DeliveryResult>;
  /** A short self-check for `notify test`: token valid, channel reachable. */
  check?(signal?: AbortSignal): Promise<{ ok: true; detail: string } | { ok: false; error: string; hint: string }>;
}
