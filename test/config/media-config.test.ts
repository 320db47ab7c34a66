// The config sections for cameras, pictures, the timelapse, media hosts, printers and MQTT: a full
// config loads to exactly what it says (and loads again from its own YAML), every invalid value is
// reported at its key path, and the secrets come from the environment under MEDIA_ENV's names.
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { envName, envVariables } from '../../src/config/env.js';
import { resolveConfig } from '../../src/config/load.js';
import { defaultConfig } from '../../src/config/schema.js';
import type { OctoslackConfig } from '../../src/config/types.js';
import { MAX_PRESIGN_SECONDS, MEDIA_ENV } from '../../src/media/hosts/index.js';
import { configErrorOf } from './helpers.js';

const FULL = `cameras:
  - name: bed
    url: http://octopi.local/webcam/?action=snapshot
    username: octo
    password: camsecret1
    rotate: 90
    flipH: true
    width: 1920
    height: 1080
    timeoutMs: 3000
  - name: nozzle
    device: /dev/video0
    warmupFrames: 10
    tool: fswebcam
snapshots:
  layout: grid
  cameras: [bed]
  timeoutMs: 5000
timelapse:
  enabled: true
  cameras: [nozzle]
  everySeconds: 30
  fps: 30
  width: 1280
  dir: timelapse-videos
  keepDays: 0
  upload: false
media:
  host: s3
  s3:
    endpoint: http://minio.local:9000
    region: eu-central-1
    bucket: pictures
    pathStyle: true
    prefix: farm/
    publicBaseUrl: https://cdn.example.com/pictures
    presignExpirySeconds: 3600
  imgur:
    album: shared
    albumDeletehash: AbCdEf123
    reserve: 50
printers:
  - name: MK4
    serialNumber: CZPX1234X004XC12345
    cameras: [bed]
    slackChannels: ["#mk4"]
  - name: Mini
    usbId: "2C99:000c"
    baud: 115200
    mattermostChannel: mini
mqtt:
  url: mqtts://broker.local:8883
  username: octoslack
  clientId: workshop
  topicPrefix: shop/printers
  tls:
    ca: ca.pem
  discovery: false
  discoveryPrefix: ha
  commands:
    pause: true
    cancel: true
  stateIntervalSeconds: 30
events:
  PrintDone:
    cameras: [bed, nozzle]
`;

const SECRETS = {
  [MEDIA_ENV.s3AccessKeyId]: 'AKIAIOSFODNN7EXAMPLE',
  [MEDIA_ENV.s3SecretAccessKey]: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  [MEDIA_ENV.s3SessionToken]: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
  [MEDIA_ENV.imgurClientId]: 'a1b2c3d4e5f6a7b',
  OCTOSLACK_MQTT_PASSWORD: 'mqttsecret99',
};

describe('a full config', () => {
  const { config } = resolveConfig({ text: FULL, env: SECRETS });

  it('loads to exactly what it says, defaults filled in', () => {
    const expected: Pick<OctoslackConfig, 'cameras' | 'snapshots' | 'timelapse' | 'media' | 'printers' | 'mqtt'> = {
      cameras: [
        { name: 'bed', url: 'http://octopi.local/webcam/?action=snapshot', username: 'octo', password: 'camsecret1', rotate: 90, flipH: true, flipV: false, width: 1920, height: 1080, warmupFrames: 5, timeoutMs: 3000, tool: 'ffmpeg' },
        { name: 'nozzle', device: '/dev/video0', rotate: 0, flipH: false, flipV: false, warmupFrames: 10, tool: 'fswebcam' },
      ],
      snapshots: { layout: 'grid', cameras: ['bed'], timeoutMs: 5000 },
      timelapse: { enabled: true, cameras: ['nozzle'], everySeconds: 30, fps: 30, width: 1280, dir: 'timelapse-videos', keepDays: 0, upload: false },
      media: {
        host: 's3',
        s3: {
          endpoint: 'http://minio.local:9000', region: 'eu-central-1', bucket: 'pictures', pathStyle: true, prefix: 'farm/',
          publicBaseUrl: 'https://cdn.example.com/pictures', presignExpirySeconds: 3600,
          accessKeyId: SECRETS[MEDIA_ENV.s3AccessKeyId]!, secretAccessKey: SECRETS[MEDIA_ENV.s3SecretAccessKey]!, sessionToken: SECRETS[MEDIA_ENV.s3SessionToken]!,
        },
        imgur: { apiUrl: 'https://api.imgur.com/', album: 'shared', albumDeletehash: 'AbCdEf123', reserve: 50, clientId: SECRETS[MEDIA_ENV.imgurClientId]! },
      },
      printers: [
        { name: 'MK4', serialNumber: 'CZPX1234X004XC12345', cameras: ['bed'], slackChannels: ['#mk4'] },
        { name: 'Mini', usbId: '2C99:000c', baud: 115200, mattermostChannel: 'mini' },
      ],
      mqtt: {
        url: 'mqtts://broker.local:8883', username: 'octoslack', password: 'mqttsecret99', clientId: 'workshop', topicPrefix: 'shop/printers',
        tls: { ca: 'ca.pem', rejectUnauthorized: true }, discovery: false, discoveryPrefix: 'ha',
        commands: { pause: true, resume: false, cancel: true }, stateIntervalSeconds: 30,
      },
    };
    expect(config).toMatchObject(expected);
    expect({ cameras: config.cameras, snapshots: config.snapshots, timelapse: config.timelapse, media: config.media, printers: config.printers, mqtt: config.mqtt }).toEqual(expected);
    expect(config.events.PrintDone.cameras).toEqual(['bed', 'nozzle']);
    expect(config.events.PrintFailed.cameras).toEqual([]);
  });

  it('loads again from its own YAML to the same config', () => {
    expect(resolveConfig({ text: stringify(config) }).config).toEqual(config);
  });

  it('S3 defaults agree with the S3 host: us-east-1, virtual-host style, snapshots/ prefix, presigned for the longest SigV4 allows', () => {
    const { config: c } = resolveConfig({ text: 'media:\n  s3:\n    bucket: b\n' });
    expect(c.media.s3).toEqual({ region: 'us-east-1', bucket: 'b', pathStyle: false, prefix: 'snapshots/', presignExpirySeconds: MAX_PRESIGN_SECONDS });
    expect(MAX_PRESIGN_SECONDS).toBe(7 * 24 * 3600);
    expect(resolveConfig({ text: 'media:\n  imgur: {}\n' }).config.media.imgur).toEqual({ apiUrl: 'https://api.imgur.com/', reserve: 10 });
    expect(resolveConfig({ text: 'mqtt:\n  url: mqtt://b\n' }).config.mqtt).toEqual({
      url: 'mqtt://b', topicPrefix: 'octoslack', discovery: true, discoveryPrefix: 'homeassistant',
      commands: { pause: false, resume: false, cancel: false }, stateIntervalSeconds: 10,
    });
  });
});

describe('invalid values are reported at their key path', () => {
  const problems = (text: string) => configErrorOf({ text, label: 'config.yaml' }).problems;
  const at = (text: string) => problems(text).map((p) => `${p.path}: ${p.message}`);

  it('a camera with both url and device, or neither', () => {
    const [both, neither] = problems('cameras:\n  - name: a\n    url: http://cam/snap\n    device: /dev/video0\n  - name: b\n');
    expect(both).toEqual({ path: 'cameras[0]', message: 'has url and device: a camera uses exactly one of url or device', fix: 'keep one of url, device and remove the other', where: 'config.yaml line 2, column 5' });
    expect(neither).toMatchObject({ path: 'cameras[1]', message: 'needs one of url or device', fix: expect.stringContaining('/dev/video0') as unknown });
  });

  it('duplicate camera and printer names, reported with the other problems', () => {
    expect(at('cameras:\n  - name: a\n    device: /dev/video0\n  - name: a\n    url: ftp://cam\n')).toEqual([
      'cameras[1].url: is not an http(s) URL',
      'cameras[1].name: cameras[0] already has this name',
    ]);
    expect(at('printers:\n  - name: p\n    port: /dev/ttyUSB0\n  - name: p\n    port: /dev/ttyUSB1\n')).toEqual(['printers[1].name: printers[0] already has this name']);
  });

  it('camera values out of range', () => {
    expect(at('cameras:\n  - name: a\n    device: /dev/video0\n    rotate: 45\n    width: 10000\n    warmupFrames: 101\n    timeoutMs: 50\n    tool: v4l2\n    colour: true\n')).toEqual([
      'cameras[0].rotate: the number 45 is not one of the choices',
      'cameras[0].width: is more than 8192',
      'cameras[0].warmupFrames: is more than 100',
      'cameras[0].timeoutMs: is less than 100',
      'cameras[0].tool: text "v4l2" is not one of the choices',
      'cameras[0].colour: unknown key "colour"',
    ]);
    expect(problems('cameras:\n  - name: a\n    device: /dev/video0\n    rotate: 45\n')[0]!.fix).toBe('use one of: 0, 90, 180, 270');
  });

  it('a bad usbId, and a printer with no or two ways to find it', () => {
    const [usb] = problems('printers:\n  - name: p\n    usbId: 1a86-7523\n');
    expect(usb).toMatchObject({ path: 'printers[0].usbId', message: 'is not a USB "vendor:product" ID', fix: expect.stringContaining('"1a86:7523"') as unknown });
    expect(at('printers:\n  - name: p\n  - name: q\n    port: /dev/ttyUSB0\n    usbId: "1a86:7523"\n')).toEqual([
      'printers[0]: needs one of port, serialNumber or usbId',
      'printers[1]: has port and usbId: a printer uses exactly one of port, serialNumber or usbId',
    ]);
  });

  it('MQTT: a URL that is no broker, a topic prefix with wildcards or slashes, a missing url', () => {
    expect(problems('mqtt:\n  url: http://broker.local\n')[0]).toMatchObject({ path: 'mqtt.url', message: 'is not an MQTT broker URL', fix: expect.stringContaining('mqtt://host:1883') as unknown });
    expect(at('mqtt:\n  url: broker.local\n')).toEqual(['mqtt.url: is not an MQTT broker URL']);
    expect(at('mqtt:\n  url: mqtt://b\n  topicPrefix: "shop/#"\n  discoveryPrefix: /ha\n')).toEqual([
      'mqtt.topicPrefix: contains an MQTT wildcard (# or +)',
      'mqtt.discoveryPrefix: starts or ends with "/"',
    ]);
    expect(at('mqtt:\n  username: u\n')[0]).toMatch(/^mqtt\.url: is required/);
    expect(at('mqtt:\n  url: mqtt://b\n  stateIntervalSeconds: 0\n  tls:\n    verify: false\n')).toEqual([
      'mqtt.tls.verify: unknown key "verify"',
      'mqtt.stateIntervalSeconds: is less than 1',
    ]);
  });

  it('an unknown key under media, with the closest known one', () => {
    expect(problems('media:\n  hots: s3\n')[0]).toEqual({ path: 'media.hots', message: 'unknown key "hots"', fix: 'did you mean media.host?', where: 'config.yaml line 2, column 3' });
    expect(problems('media:\n  s3:\n    bucket: b\n    acl: public-read\n')[0]).toMatchObject({ path: 'media.s3.acl', message: 'unknown key "acl"' });
    expect(at('media:\n  host: dropbox\n')).toEqual(['media.host: text "dropbox" is not one of the choices']);
  });

  it('S3 and Imgur values', () => {
    expect(at('media:\n  s3:\n    region: eu-west-1\n')[0]).toMatch(/^media\.s3\.bucket: is required/);
    expect(at(`media:\n  s3:\n    bucket: b\n    presignExpirySeconds: ${MAX_PRESIGN_SECONDS + 1}\n    endpoint: minio.local:9000\n`)).toEqual([
      'media.s3.endpoint: is not an http(s) URL',
      `media.s3.presignExpirySeconds: is more than ${MAX_PRESIGN_SECONDS}`,
    ]);
    expect(at('media:\n  imgur:\n    album: mine\n')).toEqual(['media.imgur.album: text "mine" is not one of the choices']);
  });

  it('snapshots and timelapse ranges', () => {
    expect(at('snapshots:\n  timeoutMs: 100\n  layout: diagonal\ntimelapse:\n  fps: 0\n  everySeconds: 4000\n  keepDays: -1\n').sort()).toEqual([
      'snapshots.layout: text "diagonal" is not one of the choices',
      'snapshots.timeoutMs: is less than 500',
      'timelapse.everySeconds: is more than 3600',
      'timelapse.fps: is less than 1',
      'timelapse.keepDays: is less than 0',
    ]);
  });
});

describe('environment variables for the new keys', () => {
  it('the S3, Imgur and MQTT secrets have the names the media hosts document', () => {
    expect(envName(['media', 's3', 'accessKeyId'])).toBe(MEDIA_ENV.s3AccessKeyId);
    expect(envName(['media', 's3', 'secretAccessKey'])).toBe(MEDIA_ENV.s3SecretAccessKey);
    expect(envName(['media', 's3', 'sessionToken'])).toBe(MEDIA_ENV.s3SessionToken);
    expect(envName(['media', 'imgur', 'clientId'])).toBe(MEDIA_ENV.imgurClientId);
    for (const name of [...Object.values(MEDIA_ENV), 'OCTOSLACK_MQTT_PASSWORD', 'OCTOSLACK_MEDIA_HOST', 'OCTOSLACK_TIMELAPSE_ENABLED', 'OCTOSLACK_EVENTS_PRINT_DONE_CAMERAS', 'OCTOSLACK_MQTT_COMMANDS_CANCEL']) {
      expect(envVariables().has(name), name).toBe(true);
    }
  });

  it('set the S3 keys next to the bucket in the file', () => {
    const { OCTOSLACK_MQTT_PASSWORD: _mqtt, ...media } = SECRETS;
    const { config } = resolveConfig({ text: 'media:\n  s3:\n    bucket: pictures\n', env: { ...media, OCTOSLACK_MEDIA_S3_PATH_STYLE: 'yes' } });
    expect(config.media.s3).toMatchObject({ bucket: 'pictures', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: SECRETS[MEDIA_ENV.s3SecretAccessKey], sessionToken: SECRETS[MEDIA_ENV.s3SessionToken], pathStyle: true });
    expect(config.media.imgur?.clientId).toBe('a1b2c3d4e5f6a7b');
  });

  it('OCTOSLACK_MQTT_PASSWORD (and the rest of mqtt) can come from the environment alone', () => {
    const { config } = resolveConfig({ env: { OCTOSLACK_MQTT_URL: 'mqtt://broker:1883', OCTOSLACK_MQTT_USERNAME: 'u', OCTOSLACK_MQTT_PASSWORD: 'mqttsecret99', OCTOSLACK_MQTT_COMMANDS_CANCEL: 'true' } });
    expect(config.mqtt).toMatchObject({ url: 'mqtt://broker:1883', username: 'u', password: 'mqttsecret99', commands: { pause: false, resume: false, cancel: true } });
  });

  it('a key without its section\'s required keys names what is missing, not the secret', () => {
    const err = configErrorOf({ env: { [MEDIA_ENV.s3SecretAccessKey]: SECRETS[MEDIA_ENV.s3SecretAccessKey] } });
    expect(err.problems.map((p) => p.path)).toEqual(['media.s3.bucket']);
    expect(JSON.stringify(err.problems) + err.message).not.toContain(SECRETS[MEDIA_ENV.s3SecretAccessKey]);
  });

  it('cameras and printers are lists of sections: file only', () => {
    const { warnings, config } = resolveConfig({ env: { OCTOSLACK_CAMERAS: 'bed', OCTOSLACK_PRINTERS_0_NAME: 'x' } });
    expect(warnings).toEqual([
      'OCTOSLACK_CAMERAS is ignored: cameras can only be set in the config file',
      'OCTOSLACK_PRINTERS_0_NAME is ignored: printers can only be set in the config file',
    ]);
    expect(config).toEqual(defaultConfig());
  });
});
