// `octoslack config init` and `config check` as functions: files, modes, exit codes and output.
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configCheckCommand, configInitCommand, targetSummary } from '../../src/cli/commands/config.js';
import { resolveConfig } from '../../src/config/load.js';
import { starterYaml } from '../../src/config/starter.js';
import { UsageError } from '../../src/util/errors.js';
import { captureIo, MM_HOOK, MM_TOKEN, SLACK_HOOK, SLACK_TOKEN, tempDir } from './helpers.js';

const ENV = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK };

describe('config init', () => {
  it('writes the starter file with mode 600, creating directories', async () => {
    const dir = tempDir();
    const io = captureIo();
    expect(await configInitCommand({ force: false }, io, { XDG_CONFIG_HOME: dir })).toBe(0);
    const file = path.join(dir, 'octoslack', 'config.yaml');
    expect(readFileSync(file, 'utf8')).toBe(starterYaml());
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(io.out()).toContain(`wrote ${file}`);
  });

  it('refuses to overwrite without --force (exit 2), and replaces with it', async () => {
    const file = path.join(tempDir(), 'a', 'b', 'my.yaml');
    await configInitCommand({ file, force: false }, captureIo(), {});
    writeFileSync(file, 'grouping: none\n');
    chmodSync(file, 0o644);
    const err = await configInitCommand({ file, force: false }, captureIo(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('grouping: none\n');
    expect(await configInitCommand({ file, force: true }, captureIo(), {})).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(starterYaml());
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('config check', () => {
  const writeConfig = (text: string, mode = 0o600) => {
    const file = path.join(tempDir(), 'config.yaml');
    writeFileSync(file, text);
    chmodSync(file, mode);
    return file;
  };

  it('exits 0 with a one-line summary of the targets', async () => {
    const file = path.join(tempDir(), 'config.yaml');
    await configInitCommand({ file, force: false }, captureIo(), {});
    const io = captureIo();
    expect(await configCheckCommand({ file }, io, ENV)).toBe(0);
    expect(io.out()).toBe(`${file}: OK — Slack (bot token, 1 channel), Mattermost webhook; 13 of 22 events on, 0 rules\n`);
    expect(io.err()).toBe('');
  });

  it('exits 2 and prints every load problem as "<key path>: <message> — <fix>"', async () => {
    const file = writeConfig('events:\n  Progres:\n    enabled: true\ngrouping: threads\n');
    const io = captureIo();
    expect(await configCheckCommand({ file }, io, {})).toBe(2);
    expect(io.err().split('\n')).toEqual([
      `events.Progres: unknown key "Progres" (${file} line 2, column 3) — did you mean events.Progress?`,
      `grouping: text "threads" is not one of the choices (${file} line 4, column 1) — did you mean thread? (choices: thread, edit, none)`,
      `2 problems in the configuration (${file})`,
      '',
    ]);
  });

  it('exits 0 when every problem is only a warning, and still prints the warnings', async () => {
    // A webhook cannot upload pictures and no S3/Imgur host is set: worth saying, not a failure.
    const file = writeConfig('cameras:\n  - name: top\n    url: http://127.0.0.1:9/snapshot\n', 0o600);
    const io = captureIo();
    expect(await configCheckCommand({ file }, io, { OCTOSLACK_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/abcdefgh' })).toBe(0);
    expect(io.err()).toMatch(/^warning: /m);
    expect(io.out()).toContain(': OK');
  });

  it('exits 2 on semantic problems, never printing a token', async () => {
    const file = writeConfig(`slack:\n  token: xapp-${SLACK_TOKEN}\n  channels: ["#printer"]\nevents:\n  PrintDone:\n    message: "{nope}"\n`, 0o644);
    const io = captureIo();
    expect(await configCheckCommand({ file }, io, { OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN })).toBe(2);
    const all = io.out() + io.err();
    expect(all).toContain('warning: ');
    expect(all).toContain('chmod 600');
    expect(all).toContain('slack.token: this is an app-level token');
    expect(all).toContain('events.PrintDone.message: unknown token {nope}');
    expect(all).toContain('mattermost.url: the bot token needs the server\'s address');
    for (const secret of [SLACK_TOKEN, MM_TOKEN]) expect(all).not.toContain(secret);
  });

  it('never prints a camera password, S3 key, Imgur Client ID or MQTT password, in any problem or warning', async () => {
    const secrets = {
      OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      OCTOSLACK_MEDIA_S3_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN',
      OCTOSLACK_MEDIA_IMGUR_CLIENT_ID: 'a1b2c3d4e5f6a7b',
      OCTOSLACK_MQTT_PASSWORD: 'mqttsecret99',
    };
    const cam = 'camsecret1';
    const inUrl = 'urlsecret2';
    // Readable by others (a warning naming what it holds), secrets pasted under the wrong keys.
    const file = writeConfig(`cameras:
  - name: ${secrets.OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY}
    url: https://viewer:${inUrl}@cam.local/snap.jpg
    password: ${cam}
events:
  PrintDone:
    cameras: [${secrets.OCTOSLACK_MEDIA_IMGUR_CLIENT_ID}, ${cam}]
media:
  s3:
    bucket: ${secrets.OCTOSLACK_MEDIA_S3_ACCESS_KEY_ID}
  imgur: {}
timelapse:
  enabled: true
  cameras: [${secrets.OCTOSLACK_MQTT_PASSWORD}, ${secrets.OCTOSLACK_MEDIA_S3_SESSION_TOKEN}]
mqtt:
  url: mqtt://octo:${inUrl}@broker.local
  tls: { ca: ca.pem }
`, 0o644);
    const io = captureIo();
    expect(await configCheckCommand({ file }, io, { ...ENV, ...secrets })).toBe(2);
    const all = io.out() + io.err();
    expect(all).toContain('chmod 600');
    expect(all).toContain('cameras[0] password');
    expect(all).toContain('events.PrintDone.cameras[0]: "[redacted]" is not a camera');
    expect(all).toMatch(/^warning: mqtt\.tls: /m);
    for (const secret of [...Object.values(secrets), cam, inUrl, SLACK_TOKEN, MM_HOOK]) expect(all, secret).not.toContain(secret);
  });

  it('with no file and no targets is fine, and says nothing will be posted', async () => {
    const io = captureIo();
    expect(await configCheckCommand({}, io, { XDG_CONFIG_HOME: tempDir() })).toBe(0);
    expect(io.out()).toMatch(/^no config file \(defaults and environment\): OK — no chat targets configured/);
  });

  it('a missing --config file exits 2', async () => {
    const io = captureIo();
    const file = path.join(tempDir(), 'missing.yaml');
    expect(await configCheckCommand({ file }, io, {})).toBe(2);
    expect(io.err()).toContain(`${file}: no such file — `);
  });
});

describe('targetSummary', () => {
  const summary = (env: NodeJS.ProcessEnv, text = '') => targetSummary(resolveConfig({ text, env }).config);
  it('names what is configured, never a secret', () => {
    expect(summary({ OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })).toBe('Slack webhook');
    expect(summary({ OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK, OCTOSLACK_SLACK_CHANNELS: '#a,#b' })).toBe('Slack (bot token, 2 channels; webhook)');
    expect(summary({ OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN })).toBe('Mattermost (bot token)');
  });
});
