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
  'Heartbeat', 'MovieRendering', 'MovieDone', 'MovieFailed',
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
  /** Attach a camera picture (needs `cameras:` and a way to host it). */
  snapshot: boolean;
  /** Which cameras (by name) this event's picture uses; empty = every camera in `snapshots.cameras`. */
  cameras: string[];
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

/** One entry of `cameras:` (media/types.ts CameraConfig is the same shape with everything optional). */
export interface CameraSettings {
  name: string;
  /** HTTP still (mjpg-streamer `?action=snapshot`, ustreamer `/snapshot`, IP camera) or MJPEG stream URL. */
  url?: string;
  /** V4L2 device, e.g. /dev/video0. Exactly one of url and device. */
  device?: string;
  /** Basic auth for the URL (secret: redacted everywhere). */
  username?: string;
  password?: string;
  /** Counter-clockwise, applied after the flips. */
  rotate: 0 | 90 | 180 | 270;
  flipH: boolean;
  flipV: boolean;
  width?: number;
  height?: number;
  /** Device: frames skipped before the picture, so it is never black. */
  warmupFrames: number;
  /** Hard limit for one picture from this camera, ms. */
  timeoutMs?: number;
  /** Device: which program reads it. */
  tool: 'ffmpeg' | 'fswebcam';
}

export interface SnapshotSettings {
  /** Several cameras: one combined picture (horizontal, vertical, grid) or each on its own. */
  layout: 'horizontal' | 'vertical' | 'grid' | 'separate';
  /** Cameras a message picture uses by default (names); empty = all. */
  cameras: string[];
  /** Limit for taking and combining a message's picture, ms; the message waits at most this. */
  timeoutMs: number;
}

export interface TimelapseSettings {
  enabled: boolean;
  /** Cameras in the frames (names); empty = all. Several are combined with snapshots.layout (separate → horizontal). */
  cameras: string[];
  /** A frame every N seconds; 0 = a frame at every layer change. */
  everySeconds: number;
  fps: number;
  /** Video size; one side alone keeps the aspect; neither = the frames' size. */
  width?: number;
  height?: number;
  /** Where frames and videos go; default <stateDir>/timelapse. */
  dir?: string;
  /** Videos older than this many days are deleted at start (0 = keep forever). Frames of finished prints are always removed. */
  keepDays: number;
  /** Upload the video into the print's thread (MovieDone). */
  upload: boolean;
}

/** auto: bot targets upload natively, webhook targets use s3 (else imgur) when configured. */
export type MediaHost = 'auto' | 'slack' | 'mattermost' | 's3' | 'imgur' | 'none';

export interface S3MediaSettings {
  /** e.g. https://s3.eu-west-1.amazonaws.com, http://minio.local:9000; default AWS for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  /** Secret-ish: from OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID. */
  accessKeyId?: string;
  /** Secret: from OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY. */
  secretAccessKey?: string;
  sessionToken?: string;
  /** Minio and most self-hosted stores need path-style URLs. */
  pathStyle: boolean;
  /** Key prefix, e.g. "octoslack/". */
  prefix: string;
  /** Public URL of the bucket (CDN, public-read bucket); without it links are presigned. */
  publicBaseUrl?: string;
  /** Lifetime of presigned links, seconds (max 7 days). */
  presignExpirySeconds: number;
}

export interface ImgurMediaSettings {
  /** Secret-ish: from OCTOSLACK_MEDIA_IMGUR_CLIENT_ID. */
  clientId?: string;
  apiUrl: string;
  /** none (default): loose images; per-print: one anonymous album per print; shared: one for everything. */
  album?: 'none' | 'per-print' | 'shared';
  /** With album: shared, an existing anonymous album's deletehash, so restarts keep adding to it. */
  albumDeletehash?: string;
  /** Uploads kept in reserve of the rate limit for other apps (the old plugin burnt it all). */
  reserve: number;
}

export interface MediaSettings {
  host: MediaHost;
  s3?: S3MediaSettings;
  imgur?: ImgurMediaSettings;
}

/** One printer of a farm (`printers:`); the top-level port/camera/channel settings are the defaults. */
export interface PrinterSettings {
  /** {printer_name}; also the MQTT topic segment and the name chat commands use. */
  name: string;
  /** /dev/ttyUSB0, /dev/serial/by-id/…, sim://…, or auto. One of port, serialNumber, usbId. */
  port?: string;
  /** USB serial number (sysfs `serial`), so renumbered ports do not swap printers. */
  serialNumber?: string;
  /** "vid:pid" in hex, e.g. "1a86:7523" (only when that pair is unique among the connected ports). */
  usbId?: string;
  baud?: number;
  /** Camera names for this printer's pictures and timelapse; default all. */
  cameras?: string[];
  /** Slack channels for this printer's messages instead of slack.channels. */
  slackChannels?: string[];
  /** Mattermost channel instead of mattermost.channel. */
  mattermostChannel?: string;
}

export interface MqttSettings {
  /** mqtt://host:1883, mqtts://host:8883, ws://… */
  url: string;
  username?: string;
  /** Secret: from OCTOSLACK_MQTT_PASSWORD. */
  password?: string;
  /** Default octoslack-<host name>-<pid>. */
  clientId?: string;
  /** Topics are <topicPrefix>/<printer>/… */
  topicPrefix: string;
  /** TLS: CA, client certificate and key files (PEM), and whether to check the server. */
  tls?: { ca?: string; cert?: string; key?: string; rejectUnauthorized: boolean };
  /** Home Assistant MQTT discovery. */
  discovery: boolean;
  discoveryPrefix: string;
  /** Commands received over MQTT (and Home Assistant buttons); off unless enabled. */
  commands: { pause: boolean; resume: boolean; cancel: boolean };
  /** How often the state topic is refreshed while printing, seconds. */
  stateIntervalSeconds: number;
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
  /** Cameras for snapshots and the timelapse (issue 6). */
  cameras: CameraSettings[];
  snapshots: SnapshotSettings;
  timelapse: TimelapseSettings;
  media: MediaSettings;
  /** Several printers in one process (`watch`); empty = the one printer of the command line. */
  printers: PrinterSettings[];
  mqtt?: MqttSettings;
}
