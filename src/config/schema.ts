// The one schema of octoslack's configuration: every key's type, default and description.
// The loader validates with it, environment variable names are derived from its key paths,
// `config init` documents it, and a compile-time check below keeps its output equal to the
// contract in types.ts. Objects are strict: an unknown key is an error, never silently ignored.
// Semantic checks that need more than one key (tokens, channels, regexes) live in check.ts.
import { z } from 'zod';
import { MAX_PRESIGN_SECONDS } from '../media/hosts/sigv4.js';
import { EVENT_DEFAULTS, RULE_DEFAULTS } from './event-defaults.js';
import { NOTIFIABLE_EVENTS, type EventSettings, type NotifiableEvent, type OctoslackConfig } from './types.js';
import { hasScheme, isHttpUrl } from './urls.js';

const MINUTES_PER_WEEK = 7 * 24 * 60;

const minutes = (what: string) =>
  z.number().min(0).max(MINUTES_PER_WEEK).describe(`${what}, in minutes (0 = off)`);

/** The per-event keys (parity §2); `d` holds this event's (or a rule's) defaults. */
function eventFields(d: EventSettings) {
  return {
    enabled: z.boolean().default(d.enabled).describe('send a message when this happens'),
    message: z.string().default(d.message).describe('headline template, with {tokens}'),
    fallback: z.string().default(d.fallback).describe('plain-text template for notifications and clients without rich text'),
    color: z.enum(['good', 'warning', 'danger']).default(d.color).describe('side bar colour: good (green), warning (yellow), danger (red)'),
    level: z.enum(['routine', 'attention', 'urgent']).default(d.level)
      .describe('routine: may be silenced or held in quiet hours; attention: a normal notification; urgent: @here / Mattermost urgent priority'),
    channels: z.array(z.string().min(1)).default([...d.channels])
      .describe('post to these channels instead of the targets\' defaults (each must be a configured channel); empty = defaults'),
    snapshot: z.boolean().default(d.snapshot)
      .describe('attach a camera picture (does nothing until cameras: lists one; webhooks need media.s3 or media.imgur)'),
    cameras: z.array(z.string().min(1)).default([...d.cameras])
      .describe('the cameras (by name) in this message\'s picture; empty = snapshots.cameras'),
    minIntervalMinutes: minutes('drop repeats of this message within this time; reset when a print ends').default(d.minIntervalMinutes),
  };
}

function eventSchema(name: NotifiableEvent) {
  // prefault({}): a partial entry (`Progress: { enabled: true }`) is completed from the defaults.
  return z.strictObject(eventFields(EVENT_DEFAULTS[name])).prefault({}).describe(`the ${name} message`);
}

const eventsSchema = z
  .strictObject(Object.fromEntries(NOTIFIABLE_EVENTS.map((n) => [n, eventSchema(n)])) as { [K in NotifiableEvent]: ReturnType<typeof eventSchema> })
  .prefault({})
  .describe('per-event settings; list only what you change');

const progressSchema = z
  .strictObject({
    everyPercent: z.number().int().min(0).max(99).default(25).describe('a Progress message every N percent (25: at 25, 50, 75 %); 0 = off'),
    everyMinutes: minutes('a Progress message every N minutes from the start, paused time included').default(0),
    everyMm: z.number().min(0).max(1000).default(0).describe('a Progress message every N mm of nozzle height; 0 = off'),
    everyLayers: z.number().int().min(0).max(100_000).default(0).describe('a Progress message every N layers; 0 = off'),
    firstLayerDone: z.boolean().default(true).describe('detect the end of the first layer (the FirstLayerDone message)'),
  })
  .prefault({})
  .describe('when Progress messages are sent (triggers combine)');

const ruleSchema = z
  .strictObject({
    name: z.string().min(1).describe('the rule\'s name, shown in --json output as the event "rule:<name>"'),
    direction: z.enum(['sent', 'received']).default(RULE_DEFAULTS.direction).describe('match lines sent to the printer, or received from it'),
    match: z.enum(['startsWith', 'endsWith', 'contains', 'regex']).default(RULE_DEFAULTS.match).describe('how pattern is compared with the trimmed line (regex: a search)'),
    pattern: z.string().describe('text (or regular expression) to look for; {cmd} in the message is the whole line'),
    ...eventFields({ ...RULE_DEFAULTS, channels: [...RULE_DEFAULTS.channels], cameras: [...RULE_DEFAULTS.cameras] }),
  })
  .describe('a G-code rule');

const slackSchema = z
  .strictObject({
    token: z.string().min(1).optional().describe('bot token xoxb-…; put it in OCTOSLACK_SLACK_TOKEN rather than here'),
    webhookUrl: z.string().min(1).optional().describe('incoming webhook URL (post only); put it in OCTOSLACK_SLACK_WEBHOOK_URL'),
    appToken: z.string().min(1).optional().describe('app-level token xapp-… (Socket Mode, scope connections:write) for chat commands; put it in OCTOSLACK_SLACK_APP_TOKEN'),
    apiUrl: z.string().min(1)
      // @slack/web-api joins method names onto it: a missing final slash would eat the last segment.
      .transform((u) => (u.endsWith('/') ? u : `${u}/`))
      .default('https://slack.com/api/')
      .describe('Web API base URL (GovSlack: https://slack-gov.com/api/; tests: a fake server)'),
    channels: z.array(z.string().min(1)).default([]).describe('channels the bot token posts to: "#name" or a channel ID'),
    username: z.string().min(1).optional().describe('bot name shown on messages (needs the chat:write.customize scope)'),
    iconEmoji: z.string().min(1).optional().describe('bot icon as an emoji, e.g. ":printer:"'),
    iconUrl: z.string().min(1).optional().describe('bot icon as an image URL'),
  })
  .optional()
  .describe('Slack: a bot token with channels, and/or an incoming webhook');

const mattermostSchema = z
  .strictObject({
    url: z.string().min(1).optional().describe('server URL, e.g. https://chat.example.com'),
    token: z.string().min(1).optional().describe('bot access token; put it in OCTOSLACK_MATTERMOST_TOKEN'),
    webhookUrl: z.string().min(1).optional().describe('incoming webhook URL; put it in OCTOSLACK_MATTERMOST_WEBHOOK_URL'),
    channel: z.string().min(1).optional().describe('channel name (or ID for the bot); empty = the webhook\'s own channel'),
    team: z.string().min(1).optional().describe('team name, so the bot can find a channel given by name'),
    username: z.string().min(1).optional().describe('name shown on posts (webhooks: needs "override usernames" enabled)'),
    iconUrl: z.string().min(1).optional().describe('icon image URL'),
    iconEmoji: z.string().min(1).optional().describe('icon emoji name, e.g. "printer"'),
  })
  .optional()
  .describe('Mattermost: a bot token (REST API), and/or an incoming webhook');

const formatSchema = z
  .strictObject({
    timeFormat: z.enum(['HUMAN', 'FUZZY', 'EXACT']).default('HUMAN')
      .describe('durations: HUMAN "2 hours 5 minutes", FUZZY "about 2 hours", EXACT "02:05:00"'),
    etaFormat: z.string().min(1).default('hh:mm tt <fuzzy date>')
      .describe('finish time: "hh:mm tt <fuzzy date>", "HH:mm <fuzzy date>", "yyyy-MM-dd HH:mm", "MM/dd/yyyy HH:mm", …'),
    timezone: z.string().min(1).optional().describe('IANA time zone for the finish time, e.g. "Europe/Berlin"; default the machine\'s'),
  })
  .prefault({})
  .describe('how times are written in messages');

const quietHoursSchema = z
  .strictObject({
    start: z.string().describe('start of the quiet time, "HH:MM" (24 h)'),
    end: z.string().describe('end of the quiet time, "HH:MM"; may be on the next day'),
    mode: z.enum(['silent', 'hold']).default('silent')
      .describe('routine messages: silent = post without a notification; hold = post them when the quiet time ends'),
  })
  .optional()
  .describe('night time: routine messages quiet; failures and runout always notify');

const USER_ID = /^(\*|(T[A-Z0-9]{2,}:)?[UW][A-Z0-9]{2,}|[a-z0-9]{26})$/;
const userIds = (what: string) => z.array(z.string().regex(USER_ID, 'a Slack user ID (U…/W…, or T…:U…), a Mattermost user ID (26 characters), or *'))
  .describe(`user IDs who may ${what} (IDs, never names: names can be changed by their owner)`);
const commandsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('answer chat commands (Slack needs slack.appToken and the bot token; Mattermost the bot token)'),
    allow: z.strictObject({
      help: userIds('ask for help').optional(),
      status: userIds('ask for the status; unset = everyone in the configured channels').optional(),
      temps: userIds('ask for the temperatures; unset = everyone in the configured channels').optional(),
      pause: userIds('pause the print').default([]),
      resume: userIds('resume the print').default([]),
      cancel: userIds('cancel the print').default([]),
    }).prefault({}).describe('who may use each command; pause/resume/cancel: nobody until listed'),
    confirmCancelSeconds: z.number().int().min(5).max(3600).default(60).describe('how long `cancel confirm` may follow `cancel`, in seconds'),
    requirePrinterName: z.boolean().default(false).describe('several printers share one bot: pause/resume/cancel must name this printer (`pause Prusa`)'),
  })
  .prefault({})
  .describe('chat commands: mention the bot in its channel, or write to it directly');

/** A problem the schema's own checks cannot phrase: the message, and the fix shown with it (issues.ts). */
type Ctx = z.core.$RefinementCtx;
function fail(ctx: Ctx, message: string, fix: string, path: PropertyKey[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { fix } });
}

/**
 * Names in a list of sections must be different: the others refer to them by name. Runs even when
 * an entry has other problems (`when`), so every problem is reported at once; entries are read
 * defensively for that reason.
 */
function uniqueNames(list: string) {
  return (items: unknown[], ctx: Ctx) => {
    if (!Array.isArray(items)) return;
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const name = item !== null && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
      if (typeof name !== 'string') return;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else fail(ctx, `${list}[${first}] already has this name`, `give every entry of ${list} a different name`, [i, 'name']);
    });
  };
}
const always = { when: () => true };

/** Exactly one of `keys` is set; `what` says what the section is ("a camera"). */
function exactlyOne(keys: readonly string[], what: string, example: string) {
  return (v: Record<string, unknown>, ctx: Ctx) => {
    const set = keys.filter((k) => v[k] !== undefined);
    const list = keys.join(', ').replace(/, ([^,]*)$/, ' or $1');
    if (set.length === 0) fail(ctx, `needs one of ${list}`, `add ${example}`);
    else if (set.length > 1) fail(ctx, `has ${set.join(' and ')}: ${what} uses exactly one of ${list}`, `keep one of ${set.join(', ')} and remove the other${set.length > 2 ? 's' : ''}`);
  };
}

const httpUrl = (what: string) =>
  z.string().min(1).refine(isHttpUrl, { message: 'is not an http(s) URL', params: { fix: `write the full address, e.g. ${what}` } });

const names = (what: string) => z.array(z.string().min(1)).describe(what);
const pixels = (what: string) => z.number().int().positive().max(8192).describe(what);

const cameraSchema = z
  .strictObject({
    name: z.string().min(1).describe('the camera\'s name, used by snapshots.cameras, timelapse.cameras, events.*.cameras and printers[].cameras'),
    url: httpUrl('http://octopi.local/webcam/?action=snapshot').optional()
      .describe('http(s) still picture (mjpg-streamer ?action=snapshot, ustreamer /snapshot, an IP camera) or MJPEG stream URL'),
    device: z.string().min(1).optional().describe('a local V4L2 camera, e.g. /dev/video0 (read with ffmpeg or fswebcam)'),
    username: z.string().min(1).optional().describe('Basic auth user for the URL'),
    password: z.string().min(1).optional().describe('Basic auth password for the URL (a secret: never shown in output)'),
    rotate: z.literal([0, 90, 180, 270]).default(0).describe('turn the picture counter-clockwise by 0, 90, 180 or 270 degrees (after the flips)'),
    flipH: z.boolean().default(false).describe('mirror the picture left to right'),
    flipV: z.boolean().default(false).describe('mirror the picture top to bottom'),
    width: pixels('device: capture width; URL: larger pictures are scaled down to fit').optional(),
    height: pixels('device: capture height; URL: larger pictures are scaled down to fit').optional(),
    warmupFrames: z.number().int().min(0).max(100).default(5).describe('device: frames thrown away first, so the exposure has settled'),
    timeoutMs: z.number().int().min(100).max(120_000).optional().describe('limit for one picture from this camera, in milliseconds'),
    tool: z.enum(['ffmpeg', 'fswebcam']).default('ffmpeg').describe('device: the program that reads it'),
  })
  .superRefine(exactlyOne(['url', 'device'], 'a camera', 'url: http://octopi.local/webcam/?action=snapshot, or device: /dev/video0'))
  .describe('a camera');

const camerasSchema = z
  .array(cameraSchema)
  .superRefine(uniqueNames('cameras'), always)
  .default([])
  .describe('cameras for message pictures and the timelapse; none = no pictures');

const snapshotsSchema = z
  .strictObject({
    layout: z.enum(['horizontal', 'vertical', 'grid', 'separate']).default('horizontal')
      .describe('several cameras: side by side (horizontal), stacked (vertical), a grid, or each picture on its own (separate)'),
    cameras: names('the cameras in a message\'s picture unless the event names its own; empty = all').default([]),
    timeoutMs: z.number().int().min(500).max(120_000).default(10_000)
      .describe('limit for taking and combining a message\'s picture, in milliseconds; the message waits at most this'),
  })
  .prefault({})
  .describe('message pictures');

const timelapseSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('record a timelapse of every print, rendered with ffmpeg when it ends (MovieDone)'),
    cameras: names('the cameras in the frames; empty = all (several are combined as snapshots.layout says; separate = horizontal)').default([]),
    everySeconds: z.number().min(0).max(3600).default(0).describe('a frame every N seconds; 0 = a frame at every layer change'),
    fps: z.number().int().min(1).max(60).default(25).describe('frames per second of the video'),
    width: pixels('video width; with only one of width and height the aspect is kept; neither = the frames\' size').optional(),
    height: pixels('video height').optional(),
    dir: z.string().min(1).optional().describe('where frames and videos are kept; default <stateDir>/timelapse'),
    keepDays: z.number().int().min(0).max(3650).default(30).describe('videos older than this are deleted at start (0 = keep forever); frames go when the video is made'),
    upload: z.boolean().default(true).describe('post the video in the print\'s thread with the MovieDone message (Imgur takes no video)'),
  })
  .prefault({})
  .describe('timelapse videos of prints');

const s3Schema = z
  .strictObject({
    endpoint: httpUrl('http://minio.local:9000').optional()
      .describe('an S3-compatible store\'s address (MinIO, R2, B2, Ceph); default AWS for the region'),
    region: z.string().min(1).default('us-east-1').describe('the bucket\'s region (MinIO: any, usually us-east-1)'),
    bucket: z.string().min(1).describe('the bucket pictures and videos go to'),
    accessKeyId: z.string().min(1).optional().describe('access key ID; put it in OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID'),
    secretAccessKey: z.string().min(1).optional().describe('secret access key; put it in OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY'),
    sessionToken: z.string().min(1).optional().describe('session token of temporary credentials; put it in OCTOSLACK_MEDIA_S3_SESSION_TOKEN'),
    pathStyle: z.boolean().default(false).describe('<endpoint>/<bucket>/<key> URLs (MinIO and most self-hosted stores need this)'),
    prefix: z.string().default('snapshots/').describe('key prefix; make it readable by everyone with a bucket policy, or leave links presigned'),
    publicBaseUrl: httpUrl('https://cdn.example.com/').optional()
      .describe('public address of the bucket (CDN, public prefix); without it links are presigned and expire'),
    presignExpirySeconds: z.number().int().min(1).max(MAX_PRESIGN_SECONDS).default(MAX_PRESIGN_SECONDS)
      .describe(`lifetime of presigned links, in seconds (at most ${MAX_PRESIGN_SECONDS} = 7 days: older messages lose their pictures)`),
  })
  .optional()
  .describe('S3 or an S3-compatible store: public links that any target can show, videos too');

const imgurSchema = z
  .strictObject({
    clientId: z.string().min(1).optional().describe('the Imgur app\'s Client ID; put it in OCTOSLACK_MEDIA_IMGUR_CLIENT_ID'),
    apiUrl: httpUrl('https://api.imgur.com/').default('https://api.imgur.com/').describe('Imgur API base URL (tests: a fake server)'),
    album: z.enum(['none', 'per-print', 'shared']).optional()
      .describe('none (default): loose images; per-print: an album per print; shared: one album for everything'),
    albumDeletehash: z.string().min(1).optional().describe('with album: shared, the deletehash of an existing anonymous album'),
    reserve: z.number().int().min(0).max(1000).default(10).describe('stop uploading while fewer requests than this remain in Imgur\'s quota'),
  })
  .optional()
  .describe('Imgur: anonymous picture uploads (no video; blocked in some countries)');

const mediaSchema = z
  .strictObject({
    host: z.enum(['auto', 'slack', 'mattermost', 's3', 'imgur', 'none']).default('auto')
      .describe('where pictures go: auto = bot tokens upload to their chat, webhooks use s3 (else imgur); or one host for all; none = no pictures'),
    s3: s3Schema,
    imgur: imgurSchema,
  })
  .prefault({})
  .describe('where pictures and videos are uploaded');

const USB_ID = /^[0-9a-f]{4}:[0-9a-f]{4}$/i;
const printerSchema = z
  .strictObject({
    name: z.string().min(1).describe('the printer\'s {printer_name}, its MQTT topic segment and the name chat commands use'),
    port: z.string().min(1).optional().describe('serial port: /dev/ttyUSB0, /dev/serial/by-id/…, sim://…, or auto'),
    serialNumber: z.string().min(1).optional().describe('the USB serial number of the printer\'s port, so renumbered ports never swap printers'),
    usbId: z.string().refine((v) => USB_ID.test(v), { message: 'is not a USB "vendor:product" ID', params: { fix: 'write four hex digits, a colon, four hex digits, e.g. usbId: "1a86:7523" (lsusb shows it)' } })
      .optional().describe('USB "vid:pid" in hex, e.g. "1a86:7523" (only when no other connected port has it)'),
    baud: z.number().int().positive().optional().describe('baud rate; default: tried in turn'),
    cameras: names('this printer\'s cameras for pictures and the timelapse; default all').optional(),
    slackChannels: names('Slack channels for this printer\'s messages instead of slack.channels (bot token)').optional(),
    mattermostChannel: z.string().min(1).optional().describe('Mattermost channel for this printer\'s messages instead of mattermost.channel'),
  })
  .superRefine(exactlyOne(['port', 'serialNumber', 'usbId'], 'a printer', 'port: /dev/ttyUSB0 (or serialNumber:, or usbId: "1a86:7523")'))
  .describe('a printer');

const printersSchema = z
  .array(printerSchema)
  .superRefine(uniqueNames('printers'), always)
  .default([])
  .describe('several printers in one `watch`; empty = the one printer of the command line');

/** MQTT topic levels we publish under: no wildcards, no empty first or last level. */
const topic = (what: string, example: string) =>
  z.string().min(1)
    .refine((t) => !/[#+\u0000]/.test(t), { message: 'contains an MQTT wildcard (# or +)', params: { fix: `use letters, digits, - and _, e.g. ${example}` } })
    .refine((t) => !t.startsWith('/') && !t.endsWith('/'), { message: 'starts or ends with "/"', params: { fix: `remove the outer slashes, e.g. ${example}` } })
    .default(example)
    .describe(what);

const MQTT_SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:'];
const mqttSchema = z
  .strictObject({
    url: z.string().min(1).refine((u) => hasScheme(u, MQTT_SCHEMES), {
      message: 'is not an MQTT broker URL',
      params: { fix: 'write mqtt://host:1883, mqtts://host:8883, ws://host:8080/mqtt or wss://…' },
    }).describe('the broker: mqtt://host:1883, mqtts://host:8883 (TLS), ws:// or wss:// (WebSocket)'),
    username: z.string().min(1).optional().describe('broker user name'),
    password: z.string().min(1).optional().describe('broker password; put it in OCTOSLACK_MQTT_PASSWORD'),
    clientId: z.string().min(1).optional().describe('MQTT client ID; default octoslack-<host name>-<pid>'),
    topicPrefix: topic('topics are <topicPrefix>/<printer>/…', 'octoslack'),
    tls: z.strictObject({
      ca: z.string().min(1).optional().describe('CA certificate file (PEM) of a private broker'),
      cert: z.string().min(1).optional().describe('client certificate file (PEM)'),
      key: z.string().min(1).optional().describe('client key file (PEM)'),
      rejectUnauthorized: z.boolean().default(true).describe('check the broker\'s certificate (turn off only for a test broker)'),
    }).optional().describe('TLS files for mqtts:// and wss://'),
    discovery: z.boolean().default(true).describe('announce the printers to Home Assistant (MQTT discovery)'),
    discoveryPrefix: topic('Home Assistant\'s discovery prefix', 'homeassistant'),
    commands: z.strictObject({
      pause: z.boolean().default(false).describe('pause a print from MQTT / Home Assistant'),
      resume: z.boolean().default(false).describe('resume a print from MQTT / Home Assistant'),
      cancel: z.boolean().default(false).describe('cancel a print from MQTT / Home Assistant'),
    }).prefault({}).describe('commands accepted over MQTT: anyone who may publish to the broker can use them'),
    stateIntervalSeconds: z.number().int().min(1).max(3600).default(10).describe('how often the state topic is refreshed while printing, in seconds'),
  })
  .optional()
  .describe('MQTT: printer state for Home Assistant and other dashboards');

export const configSchema = z
  .strictObject({
    printerName: z.string().min(1).optional().describe('{printer_name} in messages; default the host name'),
    slack: slackSchema,
    mattermost: mattermostSchema,
    events: eventsSchema,
    progress: progressSchema,
    rules: z.array(ruleSchema).default([]).describe('your own G-code rules (filament runout and "paused for user" are built in)'),
    format: formatSchema,
    grouping: z.enum(['thread', 'edit', 'none']).default('thread')
      .describe('thread: a print\'s messages in its first message\'s thread, progress edited in place; edit: progress edited in place; none: every message new'),
    quietHours: quietHoursSchema,
    hostTemperature: z.boolean().default(true).describe('add the host CPU temperature to the footer where the machine exposes it'),
    ignoreFailAfterCancel: z.boolean().default(true).describe('drop a PrintFailed that comes within 30 s of a PrintCancelled'),
    heartbeatMinutes: z.number().int().min(0).max(MINUTES_PER_WEEK).default(60).describe('minutes between Heartbeat messages, when events.Heartbeat is enabled (0 = never)'),
    stateDir: z.string().min(1).optional().describe('where the message outbox lives; default $XDG_STATE_HOME/octoslack'),
    commands: commandsSchema,
    cameras: camerasSchema,
    snapshots: snapshotsSchema,
    timelapse: timelapseSchema,
    media: mediaSchema,
    printers: printersSchema,
    mqtt: mqttSchema,
  })
  .describe('octoslack configuration');

/** What a config file (or the merged layers) may hold before defaults are applied. */
export type ConfigInput = z.input<typeof configSchema>;

// Compile-time guard: the schema's output and the contract in types.ts must stay the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaMatchesTypes: Same<z.output<typeof configSchema>, OctoslackConfig> = true;
void schemaMatchesTypes;

/** The configuration with nothing set: every default. */
export function defaultConfig(): OctoslackConfig {
  return configSchema.parse({});
}
