// Secrets never leave octoslack: not in warnings, load errors, check problems or check output.
import { describe, expect, it } from 'vitest';
import { redactSecrets, REDACTED, secretValues, webhookSecretParts } from '../../src/config/redact.js';
import { checkConfig } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { configErrorOf, MM_HOOK, MM_TOKEN, SLACK_HOOK, SLACK_TOKEN } from './helpers.js';

// The secrets of the media, camera and MQTT sections.
const CAM_PASSWORD = 'camsecret1';
const URL_PASSWORD = 'p%40ss:w0rd';
const S3_ID = 'AKIAIOSFODNN7EXAMPLE';
const S3_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const S3_SESSION = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN';
const IMGUR_ID = 'a1b2c3d4e5f6a7b';
const MQTT_PASSWORD = 'mqttsecret99';
const MEDIA_SECRETS = [CAM_PASSWORD, URL_PASSWORD, 'p@ss:w0rd', S3_ID, S3_SECRET, S3_SESSION, IMGUR_ID, MQTT_PASSWORD];
const mediaLeaks = (text: string) => MEDIA_SECRETS.filter((s) => text.includes(s));
const withMedia = {
  cameras: [{ name: 'bed', url: 'http://octopi.local/webcam/?action=snapshot', password: CAM_PASSWORD }, { name: 'door', url: `https://viewer:${URL_PASSWORD}@cam.local/snap.jpg` }],
  media: { s3: { accessKeyId: S3_ID, secretAccessKey: S3_SECRET, sessionToken: S3_SESSION }, imgur: { clientId: IMGUR_ID } },
  mqtt: { url: 'mqtt://octo:brokerpass1@broker.local', password: MQTT_PASSWORD },
};

const config = {
  slack: { token: SLACK_TOKEN, webhookUrl: SLACK_HOOK },
  mattermost: { token: MM_TOKEN, webhookUrl: MM_HOOK },
};
const ALL = [SLACK_TOKEN, SLACK_HOOK, MM_TOKEN, MM_HOOK, 'XXXXXXXXXXXXXXXXXXXXXXXX', 'xq7yz3k9w1mabc123def456gh'];
const leaks = (text: string) => ALL.filter((s) => text.includes(s));

describe('redactSecrets', () => {
  it('replaces every token and webhook URL', () => {
    const text = `auth ${SLACK_TOKEN} failed; POST ${SLACK_HOOK} and ${MM_HOOK}: 404; bearer ${MM_TOKEN}`;
    const out = redactSecrets(text, config);
    expect(leaks(out)).toEqual([]);
    expect(out).toBe(`auth ${REDACTED} failed; POST ${REDACTED} and ${REDACTED}: 404; bearer ${REDACTED}`);
  });

  it('replaces the secret path part of a webhook URL on its own', () => {
    expect(webhookSecretParts(SLACK_HOOK)).toContain('XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(webhookSecretParts(MM_HOOK)).toContain('xq7yz3k9w1mabc123def456gh');
    expect(redactSecrets('GET /hooks/xq7yz3k9w1mabc123def456gh -> 403', config)).toBe(`GET ${REDACTED} -> 403`);
    expect(redactSecrets('token xq7yz3k9w1mabc123def456gh', config)).toBe(`token ${REDACTED}`);
    expect(redactSecrets(`url=${encodeURIComponent(SLACK_HOOK)}`, config)).toBe(`url=${REDACTED}`);
  });

  it('masks anything shaped like a Slack token or webhook even when not configured', () => {
    expect(redactSecrets('xoxb-999-888-zzz and xapp-1-A1-2-abc', {})).toBe(`${REDACTED} and ${REDACTED}`);
    expect(redactSecrets('https://hooks.slack.com/services/T1/B2/secretsecret', {})).toBe(`https://hooks.slack.com/services/${REDACTED}`);
  });

  it('replaces camera passwords (also inside a camera URL), the S3 keys, the Imgur Client ID and MQTT passwords', () => {
    const text = `GET https://viewer:${URL_PASSWORD}@cam.local/snap.jpg (auth octo:${CAM_PASSWORD}); decoded p@ss:w0rd; ` +
      `AWS4-HMAC-SHA256 Credential=${S3_ID}/20260101 key ${S3_SECRET} token ${S3_SESSION}; Client-ID ${IMGUR_ID}; mqtt ${MQTT_PASSWORD} brokerpass1`;
    const out = redactSecrets(text, withMedia);
    expect(mediaLeaks(out)).toEqual([]);
    expect(out).not.toContain('brokerpass1');
    expect(out).toContain('cam.local/snap.jpg');
    expect(out).toContain('Credential=[redacted]/20260101');
    expect(secretValues(withMedia)).toEqual(expect.arrayContaining([CAM_PASSWORD, `viewer:${URL_PASSWORD}`, URL_PASSWORD, 'p@ss:w0rd', S3_ID, S3_SECRET, S3_SESSION, IMGUR_ID, MQTT_PASSWORD, 'brokerpass1']));
  });

  it('takes raw, unvalidated input without failing', () => {
    expect(secretValues({ cameras: 'bed', media: { s3: 'x' }, mqtt: { url: 5 } } as never)).toEqual([]);
    expect(secretValues({ cameras: [null, { url: 'http://cam.local/' }, { url: 'http://justuser@cam.local/' }] })).toEqual([]);
  });

  it('leaves ordinary text alone, and ignores absent or tiny values', () => {
    expect(secretValues({ slack: { token: 'ab' } })).toEqual([]);
    expect(redactSecrets('Print done: benchy.gcode', config)).toBe('Print done: benchy.gcode');
  });
});

describe('no output carries a token', () => {
  const env = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK, OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK };

  it('in load errors, even with tokens under the wrong keys', () => {
    const err = configErrorOf({
      text: `printerName: ${SLACK_TOKEN}x\ngrouping: ${SLACK_TOKEN}\nslack:\n  channels: ${MM_HOOK}\n  ${MM_TOKEN}: 1\nevents:\n  Error:\n    level: ${MM_TOKEN}\nheartbeatMinutes: "${MM_HOOK}"\n`,
      env,
    });
    expect(err.problems.length).toBeGreaterThanOrEqual(4);
    expect(leaks(JSON.stringify(err.problems) + err.message)).toEqual([]);
  });

  it('in env value problems and warnings', () => {
    const err = configErrorOf({ env: { ...env, OCTOSLACK_HEARTBEAT_MINUTES: SLACK_TOKEN, OCTOSLACK_EVENTS_ERROR_ENABLED: MM_TOKEN } });
    expect(leaks(JSON.stringify(err.problems) + err.message)).toEqual([]);
    const { warnings } = resolveConfig({ env: { OCTOSLACK_SLACKTOKEN: SLACK_TOKEN } });
    expect(leaks(warnings.join())).toEqual([]);
  });

  it('in load errors and check problems about media, cameras and MQTT', () => {
    const env = { OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: S3_ID, OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY: S3_SECRET, OCTOSLACK_MEDIA_S3_SESSION_TOKEN: S3_SESSION, OCTOSLACK_MEDIA_IMGUR_CLIENT_ID: IMGUR_ID, OCTOSLACK_MQTT_PASSWORD: MQTT_PASSWORD };
    // Secrets pasted where names belong: in the camera names, a printer name, the bucket.
    const text = `cameras:
  - name: ${S3_SECRET}
    url: https://viewer:${URL_PASSWORD}@cam.local/snap.jpg
    password: ${CAM_PASSWORD}
events:
  PrintDone:
    cameras: [${IMGUR_ID}]
media:
  s3:
    bucket: ${S3_ID}
timelapse:
  cameras: [${MQTT_PASSWORD}]
printers:
  - name: ${S3_SESSION}/x
    port: /dev/ttyUSB0
    slackChannels: ["#${CAM_PASSWORD}"]
mqtt:
  url: mqtt://broker.local
`;
    const problems = checkConfig(resolveConfig({ text, env }).config);
    expect(problems.length).toBeGreaterThanOrEqual(4);
    expect(mediaLeaks(JSON.stringify(problems))).toEqual([]);
    const err = configErrorOf({ text: `${text}  topicPrefix: "${MQTT_PASSWORD}#"
  port: ${CAM_PASSWORD}
`, env });
    expect(mediaLeaks(JSON.stringify(err.problems) + err.message)).toEqual([]);
  });

  it('in check problems', () => {
    const bad = resolveConfig({
      text: 'slack:\n  apiUrl: nope\nmattermost:\n  url: nope\n',
      env: { ...env, OCTOSLACK_SLACK_TOKEN: `xapp-${SLACK_TOKEN}`, OCTOSLACK_MATTERMOST_WEBHOOK_URL: `ftp://x/hooks/${MM_TOKEN}` },
    }).config;
    const problems = checkConfig(bad);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(leaks(JSON.stringify(problems))).toEqual([]);
  });
});
