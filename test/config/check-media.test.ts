// config check for cameras, pictures, the timelapse, printers and MQTT (check-media.ts): errors for
// what cannot work as written, warnings (severity 'warning') for pictures or videos a target
// cannot show.
import { describe, expect, it } from 'vitest';
import { checkConfig } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { formatProblem, isWarning } from '../../src/config/problems.js';
import { MM_HOOK, MM_TOKEN, SLACK_HOOK, SLACK_TOKEN, SMALLEST } from './helpers.js';

const ENV = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK };
const S3_KEYS = { OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const IMGUR = { OCTOSLACK_MEDIA_IMGUR_CLIENT_ID: 'a1b2c3d4e5f6a7b' };
const CAMS = `cameras:
  - name: bed
    url: http://octopi.local/webcam/?action=snapshot
  - name: nozzle
    device: /dev/video0
`;
const S3 = 'media:\n  s3:\n    endpoint: http://minio.local:9000\n    bucket: pictures\n    pathStyle: true\n';
const IMGUR_SECTION = 'media:\n  imgur:\n    album: per-print\n';
const TIMELAPSE = 'timelapse:\n  enabled: true\n';

const check = (text: string, env: NodeJS.ProcessEnv = ENV) => checkConfig(resolveConfig({ text, env }).config);
const summary = (text: string, env?: NodeJS.ProcessEnv) => check(text, env).map((p) => `${isWarning(p) ? 'W' : 'E'} ${p.path}: ${p.message}`);

describe('pictures', () => {
  it('a bot uploads its own pictures; a webhook without S3 or Imgur gets a warning naming it', () => {
    const problems = check(`${SMALLEST}${CAMS}`);
    expect(problems).toEqual([{
      path: 'media.host',
      message: 'the Mattermost webhook cannot show pictures: a webhook cannot upload files, and there is no S3 or Imgur host for public links; its messages go without them',
      fix: expect.stringContaining('configure media.s3') as unknown,
      severity: 'warning',
    }]);
    expect(problems[0]!.fix).toContain('OCTOSLACK_MATTERMOST_TOKEN');
    expect(formatProblem(problems[0]!)).toMatch(/^warning: media\.host: the Mattermost webhook cannot show pictures/);
  });

  it('both webhooks are named; a Mattermost bot uploads too', () => {
    expect(summary(CAMS, { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK }).map((s) => s.split(':')[1])).toEqual([
      ' the Slack webhook cannot show pictures', ' the Mattermost webhook cannot show pictures',
    ]);
    expect(check(`mattermost:\n  url: https://chat.example.com\n  channel: printer\n${CAMS}`, { OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN })).toEqual([]);
  });

  it('S3 or Imgur give webhooks public links', () => {
    expect(check(`${SMALLEST}${CAMS}${S3}`, { ...ENV, ...S3_KEYS })).toEqual([]);
    expect(check(`${SMALLEST}${CAMS}${IMGUR_SECTION}`, { ...ENV, ...IMGUR })).toEqual([]);
  });

  it('no warning when no enabled message wants a picture, or media.host is none', () => {
    const off = Object.entries({ PrintStarted: 1, PrintFailed: 1, PrintCancelling: 1, PrintCancelled: 1, PrintPaused: 1, PrintResumed: 1, PrintDone: 1, Progress: 1, Error: 1, FilamentRunout: 1, PausedForUser: 1 })
      .map(([e]) => `  ${e}:\n    snapshot: false\n`).join('');
    expect(check(`${SMALLEST}${CAMS}events:\n${off}`)).toEqual([]);
    expect(check(`${SMALLEST}${CAMS}media:\n  host: none\n`)).toEqual([]);
  });

  it('a named chat host shows only in its own chat', () => {
    expect(summary(`${SMALLEST}${CAMS}media:\n  host: slack\n`)).toEqual([
      'W media.host: the Mattermost webhook cannot show pictures: media.host is slack, and files uploaded to Slack show only there; its messages go without them',
    ]);
  });

  it('a named host that cannot work is one warning on media.host, whatever the cameras', () => {
    expect(summary('media:\n  host: slack\n', { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })).toEqual(['W media.host: is slack, but a Slack webhook cannot upload files']);
    expect(summary(`${CAMS}media:\n  host: slack\n`, { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })).toEqual(['W media.host: is slack, but a Slack webhook cannot upload files']);
    expect(summary('media:\n  host: mattermost\n', { OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK })[0]).toContain('W media.host: is mattermost, but there is no Mattermost bot token');
    expect(summary('mattermost:\n  channel: printer\nmedia:\n  host: mattermost\n', { OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN })).toContain('W media.host: is mattermost, but mattermost.url is not set');
    expect(summary('media:\n  host: s3\n', {})).toEqual(['W media.host: is s3, but there is no media.s3 section']);
    expect(summary('media:\n  host: imgur\n', {})).toEqual(['W media.host: is imgur, but no Imgur Client ID is set']);
    expect(check('media:\n  host: imgur\n', {})[0]!.fix).toContain('OCTOSLACK_MEDIA_IMGUR_CLIENT_ID');
  });

  it('an S3 section without keys, an Imgur section without Client ID', () => {
    const [s3] = check(S3, {});
    expect(s3).toMatchObject({ path: 'media.s3', severity: 'warning', message: 'S3 cannot upload without its access keys' });
    expect(s3!.fix).toBe('set OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID and OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY');
    expect(check(S3, { OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE' })[0]!.fix).toBe('set OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY');
    expect(summary(IMGUR_SECTION, {})).toEqual(['W media.imgur: Imgur cannot upload without a Client ID']);
  });
});

describe('camera names', () => {
  it('every list of camera names must name configured cameras', () => {
    const problems = check(`${SMALLEST}${CAMS}${S3}events:
  PrintDone:
    cameras: [bed, bedd]
snapshots:
  cameras: [nozle]
timelapse:
  cameras: [top]
rules:
  - name: ColourChange
    pattern: M600
    cameras: [nozzle, side]
printers:
  - name: MK4
    port: /dev/ttyACM0
    cameras: [Bed]
`, { ...ENV, ...S3_KEYS });
    expect(problems.map((p) => [p.path, p.message, p.fix])).toEqual([
      ['events.PrintDone.cameras[1]', '"bedd" is not a camera', 'did you mean bed? (cameras: bed, nozzle)'],
      ['rules[0].cameras[1]', '"side" is not a camera', expect.stringContaining('bed, nozzle')],
      ['snapshots.cameras[0]', '"nozle" is not a camera', 'did you mean nozzle? (cameras: bed, nozzle)'],
      ['timelapse.cameras[0]', '"top" is not a camera', expect.stringContaining('bed, nozzle')],
      ['printers[0].cameras[0]', '"Bed" is not a camera', expect.stringContaining('bed')],
    ]);
    expect(problems.every((p) => !isWarning(p))).toBe(true);
  });

  it('with no cameras at all, says so', () => {
    expect(check('events:\n  Error:\n    cameras: [bed]\n', {})).toEqual([
      { path: 'events.Error.cameras[0]', message: '"bed" is not a camera', fix: expect.stringContaining('no camera is configured') as unknown },
    ]);
  });
});

describe('timelapse', () => {
  it('on without a camera is an error', () => {
    expect(check(TIMELAPSE, {})).toEqual([
      { path: 'timelapse.enabled', message: 'the timelapse is on, but there is no camera to take its frames', fix: expect.stringContaining('cameras:') as unknown },
    ]);
  });

  it('with S3 or bots it is fine; Imgur as a target\'s only host takes no video', () => {
    expect(check(`${SMALLEST}${CAMS}${S3}${TIMELAPSE}`, { ...ENV, ...S3_KEYS })).toEqual([]);
    const problems = check(`${SMALLEST}${CAMS}${IMGUR_SECTION}${TIMELAPSE}`, { ...ENV, ...IMGUR });
    expect(problems).toEqual([expect.objectContaining({
      path: 'timelapse.upload', severity: 'warning', message: 'Imgur takes no video, and it is the Mattermost webhook\'s only host: the timelapse is not posted there',
    })]);
    expect(summary(`${CAMS}media:\n  host: imgur\n  imgur: {}\n${TIMELAPSE}`, { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, ...IMGUR, OCTOSLACK_SLACK_CHANNELS: '#p' }))
      .toEqual(['W timelapse.upload: Imgur takes no video, and it is the Slack bot\'s only host: the timelapse is not posted there']);
    expect(check(`${SMALLEST}${CAMS}${IMGUR_SECTION}timelapse:\n  enabled: true\n  upload: false\n`, { ...ENV, ...IMGUR })).toEqual([]);
  });

  it('a target that cannot show pictures is warned about once, not again for the video', () => {
    expect(summary(`${SMALLEST}${CAMS}${TIMELAPSE}`).map((s) => s.split(':')[0])).toEqual(['W media.host']);
    // Pictures off everywhere: then the video is what the webhook cannot show.
    expect(summary(`${SMALLEST}${CAMS}${TIMELAPSE}media:\n  host: auto\nevents:\n  PrintDone:\n    enabled: false\n  PrintStarted:\n    snapshot: false\n  PrintFailed:\n    snapshot: false\n  PrintCancelling:\n    snapshot: false\n  PrintCancelled:\n    snapshot: false\n  PrintPaused:\n    snapshot: false\n  PrintResumed:\n    snapshot: false\n  Error:\n    snapshot: false\n  FilamentRunout:\n    snapshot: false\n  PausedForUser:\n    snapshot: false\n`))
      .toEqual([
        'W timelapse.upload: the Mattermost webhook cannot show the timelapse video: a webhook cannot upload files, and there is no S3 or Imgur host for public links',
      ]);
  });

  it('upload on while MovieDone is off: the video is never posted', () => {
    expect(summary(`${SMALLEST}${CAMS}${S3}${TIMELAPSE}events:\n  MovieDone:\n    enabled: false\n`, { ...ENV, ...S3_KEYS }))
      .toEqual(['W timelapse.upload: the video goes with the MovieDone message, and events.MovieDone is off: it is never posted']);
  });
});

describe('printers', () => {
  const farm = (extra: string) => `printers:\n  - name: MK4\n    port: /dev/ttyACM0\n${extra}`;

  it('channel overrides need a target that can post there', () => {
    expect(summary(farm('    slackChannels: ["#mk4"]\n'), { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })).toEqual([
      'E printers[0].slackChannels: a Slack webhook always posts to the channel it was created for',
    ]);
    expect(summary(farm('    slackChannels: ["#mk4"]\n    mattermostChannel: mk4\n'), {})).toEqual([
      'E printers[0].slackChannels: there is no Slack target to post to these channels',
      'E printers[0].mattermostChannel: there is no Mattermost target to post to this channel',
    ]);
  });

  it('per-printer channels stand in for slack.channels and mattermost.channel', () => {
    const text = `slack: {}\nmattermost:\n  url: https://chat.example.com\n${farm('    slackChannels: ["#mk4"]\n    mattermostChannel: mk4\n')}`;
    expect(check(text, { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN })).toEqual([]);
    expect(summary(`${text}  - name: Mini\n    usbId: "2c99:000c"\n`, { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN }).map((s) => s.split(':')[0]))
      .toEqual(['E slack.channels', 'E mattermost.channel']);
  });
});

describe('mqtt', () => {
  const MQTT = 'mqtt:\n  url: mqtt://broker.local:1883\n  username: octoslack\n';

  it('commands, cancel included, are fine', () => {
    expect(check(`${MQTT}  commands:\n    pause: true\n    resume: true\n    cancel: true\n`, { OCTOSLACK_MQTT_PASSWORD: 'hunter2hunter2' })).toEqual([]);
  });

  it('printer names are topic levels: no "/", "#" or "+"', () => {
    expect(summary(`${MQTT}printers:\n  - name: farm/mk4\n    port: /dev/ttyACM0\n`, {})).toEqual(['E printers[0].name: contains "/", "#" or "+", which cannot be part of an MQTT topic level']);
    expect(summary(`${MQTT}printerName: "MK4 #2"\n`, {}).map((s) => s.split(':')[0])).toEqual(['E printerName']);
    expect(check('printers:\n  - name: farm/mk4\n    port: /dev/ttyACM0\n', {})).toEqual([]);
  });

  it('TLS files with a plain URL, a password without a username', () => {
    expect(summary('mqtt:\n  url: mqtt://broker.local\n  tls:\n    ca: ca.pem\n', {})).toEqual(['W mqtt.tls: TLS settings are unused: the URL starts with mqtt://']);
    expect(check('mqtt:\n  url: mqtts://broker.local\n  tls:\n    ca: ca.pem\n', {})).toEqual([]);
    expect(summary('mqtt:\n  url: wss://broker.local/mqtt\n', { OCTOSLACK_MQTT_PASSWORD: 'hunter2hunter2' })).toEqual(['W mqtt.password: a password without a username: brokers ignore or refuse it']);
  });
});
