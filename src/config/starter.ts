// The commented starter file `octoslack config init` writes: the smallest useful config (from the
// issue) live at the top, every other section explained and commented out with an example. The
// event table and token list are generated from the defaults so they cannot go stale, and the
// examples are data so the tests can load each one uncommented.
import { TEMPLATE_TOKENS } from '../notify/tokens.js';
import { EVENT_DEFAULTS } from './event-defaults.js';
import { envName } from './env.js';
import { NOTIFIABLE_EVENTS } from './types.js';

/** The live part: a Slack channel for the bot token, a Mattermost channel; secrets from the environment. */
const SMALLEST = `slack:
  channels: ["#printer"]          # where the bot token posts: "#name" or a channel ID (invite the bot)
  # apiUrl: https://slack.com/api/  # GovSlack: https://slack-gov.com/api/
  # username: Printer             # bot name on messages (needs the chat:write.customize scope)
  # iconEmoji: ":printer:"        # or iconUrl: https://example.com/printer.png
mattermost:
  url: https://chat.example.com   # the address you open in the browser
  channel: printer                # channel name (or ID)
  # team: printing                # with a bot token and a channel name: the team's name (from its URL)
  # username: printer             # name on posts (webhooks: enable "override usernames")
  # iconUrl: https://example.com/printer.png
`;

export interface StarterExample {
  /** Comment lines shown above the example (without "# "). */
  about: string[];
  /** YAML, written commented out. */
  yaml: string;
  /** Top-level keys of other examples this one builds on (the cameras it names): tests load them together. */
  uses?: readonly string[];
}

export const STARTER_EXAMPLES: readonly StarterExample[] = [
  { about: ['Shown as {printer_name}; default: this machine\'s host name.'], yaml: 'printerName: Workshop MK4\n' },
  {
    about: [
      'How a print\'s messages are grouped: thread = in the thread of its first message, progress',
      'edited in place (default); edit = progress edited in place; none = every message new.',
    ],
    yaml: 'grouping: thread\n',
  },
  {
    about: [
      'Events: list only what you change. Every event has enabled, message, fallback (plain text',
      'for notifications), color (good | warning | danger), level (routine | attention | urgent),',
      'channels (instead of the targets\' channels; each must be one of them), snapshot (attach a',
      'camera picture; does nothing without cameras:), cameras (which ones; default snapshots.cameras)',
      'and minIntervalMinutes (drop repeats within N minutes). The events and their defaults:',
      '',
      ...eventTable(),
      '',
      'Tokens for message and fallback (no value: "N/A"):',
      ...wrap(TEMPLATE_TOKENS.map((t) => `{${t}}`), 90),
      '',
      'For example:',
    ],
    yaml: `events:
  Progress:
    enabled: true
  PrintDone:
    message: "Done: {print_name} took {elapsed_time} :tada:"
    channels: ["#printer"]
  Disconnected:
    enabled: true
    minIntervalMinutes: 10
`,
  },
  {
    about: ['When Progress messages are sent (when events.Progress is enabled); triggers combine, 0 = off.'],
    yaml: `progress:
  everyPercent: 25                # at 25, 50 and 75 %
  everyMinutes: 0
  everyMm: 0                      # of nozzle height
  everyLayers: 0
  firstLayerDone: true            # the FirstLayerDone message
`,
  },
  {
    about: [
      'Your own G-code rules: direction sent (default) or received, match startsWith (default),',
      'endsWith, contains or regex, and every event key above; {cmd} is the matched line.',
      'Filament runout and "paused for user" are built in (events FilamentRunout, PausedForUser).',
    ],
    yaml: `rules:
  - name: ColourChange
    direction: sent
    pattern: M600
    message: "Colour change: load the next filament :art:"
    color: warning
  - name: FirmwareMessage           # floods on some firmwares
    direction: received
    match: regex
    pattern: '^//\\s*action:notification'
    message: "Printer says: {cmd}"
    level: routine
`,
  },
  {
    about: ['How times are written: timeFormat HUMAN "2 hours 5 minutes", FUZZY "about 2 hours", EXACT "02:05:00".'],
    yaml: `format:
  timeFormat: HUMAN
  etaFormat: "hh:mm tt <fuzzy date>"  # or "HH:mm <fuzzy date>", "yyyy-MM-dd HH:mm", "dd/MM/yyyy HH:mm", …
  timezone: Europe/Berlin         # default: the machine's
`,
  },
  {
    about: [
      'Quiet hours: routine messages post silently (or, with mode: hold, when the quiet time ends);',
      'attention and urgent ones (done, paused, runout, failures, errors) notify as usual.',
    ],
    yaml: `quietHours:
  start: "22:00"
  end: "07:00"
  mode: silent
`,
  },
  {
    about: ['Everything else, with its default.', 'stateDir: where the message outbox lives (default $XDG_STATE_HOME/octoslack).'],
    yaml: `hostTemperature: true            # the host's CPU temperature in the footer, where there is one
ignoreFailAfterCancel: true       # drop a PrintFailed within 30 s of a PrintCancelled
heartbeatMinutes: 60              # how often, once events.Heartbeat.enabled is true
`,
  },
  {
    about: [
      'Chat commands: mention the bot (@octoslack status | pause | resume | cancel | help) in its channel,',
      'or write to it directly. Slack also needs an app-level token (Socket Mode, scope connections:write)',
      'in OCTOSLACK_SLACK_APP_TOKEN; Mattermost uses the bot token. Who may do what, by user ID',
      '(Slack: U…, profile > ⋮ > Copy member ID; Mattermost: 26 characters); status/help: the channel.',
    ],
    yaml: `commands:
  allow:
    pause: [U0123ABCD]
    resume: [U0123ABCD]
    cancel: [U0123ABCD]           # cancel asks for "cancel confirm" within confirmCancelSeconds
`,
  },
  {
    about: [
      'Cameras for message pictures and the timelapse: each has a name and a url (an http(s) still',
      'picture or MJPEG stream) or a device (a local webcam, read with ffmpeg or fswebcam). Pictures',
      'are attached to the events marked "pic" above once a camera is listed here.',
      'rotate is counter-clockwise (0, 90, 180, 270), after flipH/flipV. A password can also be',
      'written as http://user:password@host/…; either way, chmod 600 this file.',
    ],
    yaml: `cameras:
  - name: bed
    url: http://octopi.local/webcam/?action=snapshot  # ustreamer: /snapshot; IP cameras: their still URL
    # username: octo                # Basic auth
    # password: secret
    rotate: 0
    flipH: false
    flipV: false
    timeoutMs: 5000                 # for one picture from this camera
  - name: nozzle
    device: /dev/video0             # a USB webcam on this machine
    width: 1280
    height: 720
    warmupFrames: 5                 # frames skipped first, so the exposure has settled
    tool: ffmpeg                    # or fswebcam
`,
  },
  {
    about: [
      'Message pictures: how several cameras are combined, which cameras by default (empty = all),',
      'and how long a message may wait for its picture.',
    ],
    yaml: `snapshots:
  layout: horizontal              # vertical, grid, or separate (one picture per camera)
  cameras: [bed, nozzle]
  timeoutMs: 10000
`,
    uses: ['cameras'],
  },
  {
    about: [
      'Where pictures and videos are uploaded. host: auto (default) = a bot token uploads to its own',
      'chat (Slack scopes files:write, files:read; Mattermost file sharing on), a webhook uses S3 (else',
      'Imgur) for public links; slack, mattermost, s3 or imgur = that host for every target;',
      'none = no pictures.',
      'S3 and compatible stores (MinIO, R2, B2): keys in OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID and',
      'OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY. Without publicBaseUrl, links are presigned and expire after',
      'presignExpirySeconds (at most 7 days); with it, let everyone read the prefix (a bucket policy).',
      'Imgur instead (pictures only, no video): imgur: { album: per-print } with the app\'s Client ID in',
      'OCTOSLACK_MEDIA_IMGUR_CLIENT_ID.',
    ],
    yaml: `media:
  host: auto
  s3:
    endpoint: http://minio.local:9000   # leave out for AWS
    region: us-east-1
    bucket: printer-pictures
    pathStyle: true                 # MinIO and most self-hosted stores
    prefix: snapshots/
    publicBaseUrl: http://minio.local:9000/printer-pictures
`,
  },
  {
    about: [
      'A timelapse of every print, rendered with ffmpeg when the print ends and posted in its thread',
      '(MovieDone; needs S3 or a bot token, Imgur takes no video). Videos are kept in dir',
      '(default <stateDir>/timelapse) for keepDays days (0 = forever).',
    ],
    yaml: `timelapse:
  enabled: true
  cameras: [bed]                  # empty = all
  everySeconds: 0                 # 0 = a frame at every layer change
  fps: 25
  width: 1280                     # one side alone keeps the aspect
  keepDays: 30
  upload: true
`,
    uses: ['cameras'],
  },
  {
    about: [
      'A farm: several printers in one `octoslack watch`. Each is found by port, serialNumber (survives',
      'renumbered ports) or usbId ("vid:pid", when no other connected port has it), and may have its own',
      'cameras and channels. With one bot for several printers, consider commands.requirePrinterName: true.',
    ],
    yaml: `printers:
  - name: MK4
    serialNumber: CZPX1234X004XC12345  # udevadm info /dev/ttyACM0 | grep ID_SERIAL_SHORT
    cameras: [bed]
    slackChannels: ["#printer"]
  - name: Mini
    usbId: "2c99:000c"
    baud: 115200
    cameras: [nozzle]
    mattermostChannel: printer
`,
    uses: ['cameras'],
  },
  {
    about: [
      'MQTT: printer state under <topicPrefix>/<printer>/…, announced to Home Assistant (discovery).',
      'Password in OCTOSLACK_MQTT_PASSWORD. TLS: mqtts:// with tls: { ca: /etc/ssl/my-ca.pem }.',
      'Commands over MQTT (and Home Assistant buttons) are off unless switched on: anyone who may',
      'publish to the broker can use them.',
    ],
    yaml: `mqtt:
  url: mqtt://homeassistant.local:1883
  username: octoslack
  topicPrefix: octoslack
  discovery: true
  discoveryPrefix: homeassistant
  commands:
    pause: true
    resume: true
    cancel: false
  stateIntervalSeconds: 10
`,
  },
];

function eventTable(): string[] {
  const rows = NOTIFIABLE_EVENTS.map((name) => {
    const e = EVENT_DEFAULTS[name];
    return `  ${name.padEnd(16)} ${(e.enabled ? 'on' : 'off').padEnd(4)} ${(e.snapshot ? 'yes' : 'no').padEnd(4)} ${e.level.padEnd(10)} ${e.color.padEnd(8)} ${e.message}`;
  });
  return [`  ${'event'.padEnd(16)} ${'on'.padEnd(4)} ${'pic'.padEnd(4)} ${'level'.padEnd(10)} ${'color'.padEnd(8)} message`, ...rows];
}

function wrap(words: string[], width: number): string[] {
  const lines: string[] = [];
  let line = ' ';
  for (const w of words) {
    if (line.length + w.length + 1 > width) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${w}`;
  }
  return [...lines, line];
}

const comment = (lines: string[]) => lines.map((l) => (l ? `# ${l}` : '#')).join('\n');

/** The whole starter file. */
export function starterYaml(): string {
  const secrets = [
    [envName(['slack', 'token']), 'Slack bot token, xoxb-…'],
    [envName(['slack', 'webhookUrl']), 'or a Slack incoming webhook'],
    [envName(['mattermost', 'token']), 'Mattermost bot access token'],
    [envName(['mattermost', 'webhookUrl']), 'or a Mattermost incoming webhook'],
    [envName(['media', 's3', 'accessKeyId']), 'S3 keys, when pictures go to S3'],
    [envName(['media', 's3', 'secretAccessKey']), ''],
    [envName(['media', 'imgur', 'clientId']), 'or an Imgur app\'s Client ID'],
    [envName(['mqtt', 'password']), 'the MQTT broker\'s password'],
  ].map(([name, what]) => `${`  ${name}=…`.padEnd(46)}${what}`.trimEnd());
  const head = comment([
    'octoslack configuration. Check it with: octoslack config check',
    '',
    'Precedence: defaults < this file < OCTOSLACK_* environment variables < command-line flags.',
    'Every key has a variable named after its path: slack.webhookUrl <- OCTOSLACK_SLACK_WEBHOOK_URL,',
    'events.PrintDone.enabled <- OCTOSLACK_EVENTS_PRINT_DONE_ENABLED, lists comma-separated.',
    '',
    'Tokens, webhook URLs, keys and passwords belong in the environment, not in this file:',
    ...secrets,
    '(systemd: an EnvironmentFile= with mode 600). If you keep a secret here, chmod 600 this file.',
    '',
    'The smallest useful setup: delete the target you do not use.',
  ]);
  const examples = STARTER_EXAMPLES.map((ex) => `${comment(ex.about)}\n${comment(ex.yaml.trimEnd().split('\n'))}`);
  return `${head}\n${SMALLEST}\n${examples.join('\n\n')}\n`;
}
