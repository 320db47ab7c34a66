// The shape of octoslack's configuration once loaded and validated (defaults applied).
// This file is the contract between the config loader (schema.ts builds the same shape with zod,
// and a compile-time check keeps the two equal) and everything that reads the config.
// YAML keys are these names; OCTOSLACK_* environment variables map to paths in SCREAMING_SNAKE
// (`slack.webhookUrl` <- OCTOSLACK_SLACK_WEBHOOK_URL).

/** Events that can become chat messages: the bus events people care about, plus rule events. */
export const NOTIFIABLE_EVENTS = [
  'Startup', 'Shutdown', 'Connecting', 'Connected', 'Disconnecting', 'Disconnected',
  'PrintStarted', 'Progress', 'FirstLayerDone', 'PrintPaused', 'PrintResumed', 'PrintCancelling',
  'PrintCancelled', 'PrintFailed', 'PrintDone', 'FilamentRunout', 'PausedForUser', 'Error',
  'Heartbeat',
] as const;
export type NotifiableEvent = (typeof NOTIFIABLE_EVENTS)[number];

export type Color = 'good' | 'warning' | 'danger';
/** routine: may be silenced at night; attention: normal; urgent: @here / Mattermost priority urgent. */
export type Level = 'routine' | 'attention' | 'urgent';

export interface EventSettings {
  enabled: boolean;
  /** Headline template, e.g. "Print finished successfully :dancer:". */
  message: string;
  /** Plain notification text template (Slack top-level `text`, push notifications). */
  fallback: string;
  color: Color;
  level: Level;
  /** Channels instead of the targets' defaults; empty = defaults. Names must belong to a target. */
  channels: string[];
  /** Attach a camera picture (needs a way to host it; media feature). */
  snapshot: boolean;
  /** Drop repeats of this event within N minutes (0 = off); reset when a print ends. */
  minIntervalMinutes: number;
}

export interface ProgressSettings {
  /** Every N percent (0 < p < 100, p % N == 0); 0 = off. */
  everyPercent: number;
  /** Every N minutes from the start (ticks while paused); 0 = off. */
  everyMinutes: number;
  /** Every N mm of Z; 0 = off. */
  everyMm: number;
  /** Every N layers; 0 = off. */
  everyLayers: number;
  /** A message when the first layer is done. */
  firstLayerDone: boolean;
}

export type RuleDirection = 'sent' | 'received';
export type RuleMatch = 'startsWith' | 'endsWith' | 'contains' | 'regex';

export interface GcodeRule extends EventSettings {
  name: string;
  direction: RuleDirection;
  match: RuleMatch;
  pattern: string;
}

export interface SlackSettings {
  /** Bot token `xoxb-…` (from OCTOSLACK_SLACK_TOKEN). */
  token?: string;
  /** App-level token `xapp-…` for chat commands over Socket Mode (from OCTOSLACK_SLACK_APP_TOKEN). */
  appToken?: string;
  /** Incoming webhook URL (from OCTOSLACK_SLACK_WEBHOOK_URL): post-only. */
  webhookUrl?: string;
  /** Web API base, ending in `/` (GovSlack, tests). */
  apiUrl: string;
  /** Channels (`#name` or ID) for the bot token. */
  channels: string[];
  username?: string;
  iconEmoji?: string;
  iconUrl?: string;
}

export interface MattermostSettings {
  /** Server URL, e.g. https://chat.example.com (bot token and webhook). */
  url?: string;
  /** Bot token (from OCTOSLACK_MATTERMOST_TOKEN). */
  token?: string;
  /** Incoming webhook URL (from OCTOSLACK_MATTERMOST_WEBHOOK_URL). */
  webhookUrl?: string;
  /** Channel name (webhook) or name/ID for the bot. */
  channel?: string;
  /** Team name, to resolve a channel name for the bot. */
  team?: string;
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
}

export interface FormatSettings {
  /** HUMAN "2 hours 5 minutes", FUZZY "about 2 hours", EXACT "02:05:00". */
  timeFormat: 'HUMAN' | 'FUZZY' | 'EXACT';
  /** e.g. "hh:mm tt <fuzzy date>" (parity §4). */
  etaFormat: string;
  /** IANA zone; default the machine's. */
  timezone?: string;
}

export interface QuietHours {
  /** "22:00" */
  start: string;
  /** "07:00" */
  end: string;
  /** silent: post without notifying; hold: deliver routine messages after the quiet hours. */
  mode: 'silent' | 'hold';
}

/** Chat commands (Slack Socket Mode, Mattermost WebSocket); user IDs, never names. */
export interface CommandsSettings {
  enabled: boolean;
  allow: { help?: string[]; status?: string[]; temps?: string[]; pause: string[]; resume: string[]; cancel: string[] };
  confirmCancelSeconds: number;
  requirePrinterName: boolean;
}

export interface OctoslackConfig {
  /** Shown in every message ({printer_name}); default: the host name. */
  printerName?: string;
  slack?: SlackSettings;
  mattermost?: MattermostSettings;
  events: Record<NotifiableEvent, EventSettings>;
  progress: ProgressSettings;
  rules: GcodeRule[];
  format: FormatSettings;
  /** thread: a print's messages in its first message's thread, progress edited in place;
   *  edit: progress edited in place, other messages new; none: every message new. */
  grouping: 'thread' | 'edit' | 'none';
  quietHours?: QuietHours;
  /** Add the host CPU temperature to the footer when the machine exposes it. */
  hostTemperature: boolean;
  /** Drop a PrintFailed that comes within 30 s of a PrintCancelled. */
  ignoreFailAfterCancel: boolean;
  /** Heartbeat every N minutes (0 = off). */
  heartbeatMinutes: number;
  /** Where the outbox lives; default $XDG_STATE_HOME/octoslack. */
  stateDir?: string;
  /** Chat commands. */
  commands: CommandsSettings;
}
