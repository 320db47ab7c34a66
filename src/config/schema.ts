// The one schema of octoslack's configuration: every key's type, default and description.
// The loader validates with it, environment variable names are derived from its key paths,
// `config init` documents it, and a compile-time check below keeps its output equal to the
// contract in types.ts. Objects are strict: an unknown key is an error, never silently ignored.
// Semantic checks that need more than one key (tokens, channels, regexes) live in check.ts.
import { z } from 'zod';
import { EVENT_DEFAULTS, RULE_DEFAULTS } from './event-defaults.js';
import { NOTIFIABLE_EVENTS, type EventSettings, type NotifiableEvent, type OctoslackConfig } from './types.js';

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
    snapshot: z.boolean().default(d.snapshot).describe('attach a camera picture (needs a picture host)'),
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
    ...eventFields({ ...RULE_DEFAULTS, channels: [...RULE_DEFAULTS.channels] }),
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
