// Loading: the smallest config with tokens from the environment, where the file is looked for,
// the order of the layers (defaults < file < env < flags), environment parsing and the warning
// for a readable file that holds a token.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfigPath, loadConfig, resolveConfig } from '../../src/config/load.js';
import { envName, envVariables } from '../../src/config/env.js';
import { allKeys } from '../../src/config/schema-walk.js';
import { defaultConfig } from '../../src/config/schema.js';
import { ConfigError } from '../../src/config/problems.js';
import { UsageError } from '../../src/util/errors.js';
import { configErrorOf, MM_HOOK, SLACK_TOKEN, SMALLEST, tempDir } from './helpers.js';

describe('the smallest config from the issue', () => {
  it('loads with the tokens from the environment', () => {
    const { config, warnings } = resolveConfig({
      text: SMALLEST,
      env: { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK },
    });
    expect(warnings).toEqual([]);
    expect(config.slack).toEqual({ token: SLACK_TOKEN, apiUrl: 'https://slack.com/api/', channels: ['#printer'] });
    expect(config.mattermost).toEqual({ url: 'https://chat.example.com', channel: 'printer', webhookUrl: MM_HOOK });
    expect(config.events.PrintDone.enabled).toBe(true);
    expect(config.grouping).toBe('thread');
  });
});

describe('where the file is', () => {
  it('is $XDG_CONFIG_HOME/octoslack/config.yaml, else ~/.config/octoslack/config.yaml', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/u' })).toBe(path.join('/x/cfg', 'octoslack', 'config.yaml'));
    expect(defaultConfigPath({ HOME: '/home/u' })).toBe(path.join('/home/u', '.config', 'octoslack', 'config.yaml'));
    // A relative XDG_CONFIG_HOME is invalid per the XDG spec and ignored.
    expect(defaultConfigPath({ XDG_CONFIG_HOME: 'rel', HOME: '/home/u' })).toBe(path.join('/home/u', '.config', 'octoslack', 'config.yaml'));
  });

  it('a missing default file means all defaults and no targets', async () => {
    const dir = tempDir();
    const loaded = await loadConfig({ xdgConfigHome: dir, env: {} });
    expect(loaded.source).toBeUndefined();
    expect(loaded.config).toEqual(defaultConfig());
    expect(loaded.config.slack).toBeUndefined();
    expect(loaded.config.mattermost).toBeUndefined();
  });

  it('reads the default file when it exists', async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'octoslack'));
    const file = path.join(dir, 'octoslack', 'config.yaml');
    writeFileSync(file, 'grouping: edit\n', { mode: 0o600 });
    const loaded = await loadConfig({ env: { XDG_CONFIG_HOME: dir } });
    expect(loaded.source).toBe(file);
    expect(loaded.config.grouping).toBe('edit');
  });

  it('a missing --config file is an error (exit 2)', async () => {
    const file = path.join(tempDir(), 'nope.yaml');
    const err = await loadConfig({ file, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as ConfigError).exitCode).toBe(2);
    expect((err as ConfigError).problems[0]).toMatchObject({ message: 'no such file', where: file });
    expect((err as ConfigError).problems[0]!.fix).toContain('config init');
  });

  it('a directory given as --config is an error', async () => {
    const err = await loadConfig({ file: tempDir(), env: {} }).catch((e: unknown) => e);
    expect((err as ConfigError).problems[0]!.message).toContain('directory');
  });

  it('an empty file, or empty sections, mean the defaults', () => {
    expect(resolveConfig({ text: '' }).config).toEqual(defaultConfig());
    expect(resolveConfig({ text: '# nothing yet\n' }).config).toEqual(defaultConfig());
    expect(resolveConfig({ text: 'slack:\nevents:\n  Progress:\n' }).config).toEqual(defaultConfig());
  });
});

describe('layers: defaults < file < environment < flags', () => {
  const text = 'progress:\n  everyPercent: 10\n  everyLayers: 5\ngrouping: none\n';
  it('the file overrides defaults', () => {
    expect(resolveConfig({ text }).config.progress).toMatchObject({ everyPercent: 10, everyLayers: 5, everyMinutes: 0 });
  });
  it('the environment overrides the file, key by key', () => {
    const { config } = resolveConfig({ text, env: { OCTOSLACK_PROGRESS_EVERY_PERCENT: '20' } });
    expect(config.progress).toMatchObject({ everyPercent: 20, everyLayers: 5 });
    expect(config.grouping).toBe('none');
  });
  it('flags override the environment', () => {
    const { config } = resolveConfig({ text, env: { OCTOSLACK_PROGRESS_EVERY_PERCENT: '20', OCTOSLACK_GROUPING: 'edit' }, overrides: { progress: { everyPercent: 30 } } });
    expect(config.progress).toMatchObject({ everyPercent: 30, everyLayers: 5 });
    expect(config.grouping).toBe('edit');
  });
  it('lists are replaced, not appended', () => {
    const { config } = resolveConfig({ text: SMALLEST, env: { OCTOSLACK_SLACK_CHANNELS: '#a, #b,,' } });
    expect(config.slack?.channels).toEqual(['#a', '#b']);
  });
});

describe('environment variables', () => {
  it('are named from the key paths in SCREAMING_SNAKE, all different', () => {
    expect(envName(['slack', 'webhookUrl'])).toBe('OCTOSLACK_SLACK_WEBHOOK_URL');
    const vars = envVariables();
    for (const name of ['OCTOSLACK_SLACK_TOKEN', 'OCTOSLACK_SLACK_WEBHOOK_URL', 'OCTOSLACK_MATTERMOST_TOKEN', 'OCTOSLACK_MATTERMOST_WEBHOOK_URL',
      'OCTOSLACK_SLACK_CHANNELS', 'OCTOSLACK_EVENTS_PRINT_DONE_ENABLED', 'OCTOSLACK_EVENTS_FIRST_LAYER_DONE_MIN_INTERVAL_MINUTES',
      'OCTOSLACK_QUIET_HOURS_START', 'OCTOSLACK_HEARTBEAT_MINUTES', 'OCTOSLACK_FORMAT_TIMEZONE', 'OCTOSLACK_PRINTER_NAME']) {
      expect(vars.has(name), name).toBe(true);
    }
    // One variable per settable key: two keys sharing a name would leave fewer variables than keys.
    const leaves = allKeys().filter((k) => k.kind !== 'object' && k.kind !== 'objectList');
    expect(vars.size).toBe(leaves.length);
    expect(leaves.length).toBeGreaterThan(19 * 8);
  });

  it('parse booleans, numbers and lists', () => {
    const { config } = resolveConfig({
      env: { OCTOSLACK_EVENTS_PROGRESS_ENABLED: 'yes', OCTOSLACK_EVENTS_PRINT_DONE_ENABLED: 'OFF', OCTOSLACK_PROGRESS_EVERY_MM: '2.5', OCTOSLACK_EVENTS_ERROR_CHANNELS: '#alerts' },
    });
    expect(config.events.Progress.enabled).toBe(true);
    expect(config.events.PrintDone.enabled).toBe(false);
    expect(config.progress.everyMm).toBe(2.5);
    expect(config.events.Error.channels).toEqual(['#alerts']);
  });

  it('an empty variable counts as unset', () => {
    expect(resolveConfig({ env: { OCTOSLACK_SLACK_TOKEN: '', OCTOSLACK_GROUPING: '  ' } }).config).toEqual(defaultConfig());
  });

  it('a token in the environment alone configures Slack', () => {
    expect(resolveConfig({ env: { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN } }).config.slack).toEqual({ token: SLACK_TOKEN, apiUrl: 'https://slack.com/api/', channels: [] });
  });

  it('a bad value names the variable', () => {
    const err = configErrorOf({ env: { OCTOSLACK_EVENTS_PROGRESS_ENABLED: 'maybe', OCTOSLACK_HEARTBEAT_MINUTES: 'often' } });
    expect(err.problems.map((p) => [p.path, p.where])).toEqual([
      ['events.Progress.enabled', 'OCTOSLACK_EVENTS_PROGRESS_ENABLED'],
      ['heartbeatMinutes', 'OCTOSLACK_HEARTBEAT_MINUTES'],
    ]);
    expect(err.problems[0]!.fix).toBe('set OCTOSLACK_EVENTS_PROGRESS_ENABLED=true or OCTOSLACK_EVENTS_PROGRESS_ENABLED=false');
  });

  it('an out-of-range value says it came from the environment', () => {
    const err = configErrorOf({ text: 'progress:\n  everyPercent: 10\n', env: { OCTOSLACK_PROGRESS_EVERY_PERCENT: '150' } });
    expect(err.problems).toEqual([expect.objectContaining({ path: 'progress.everyPercent', where: 'OCTOSLACK_PROGRESS_EVERY_PERCENT' })]);
  });

  it('unknown OCTOSLACK_* names are warned about, with the closest name', () => {
    const { warnings } = resolveConfig({ env: { OCTOSLACK_SLAK_TOKEN: SLACK_TOKEN, OCTOSLACK_RULES: 'x', PATH: '/bin' } });
    expect(warnings).toHaveLength(2);
    expect(warnings.join('\n')).toContain('OCTOSLACK_RULES is ignored: G-code rules can only be set in the config file');
    expect(warnings.join('\n')).toContain('unknown environment variable OCTOSLACK_SLAK_TOKEN is ignored; did you mean OCTOSLACK_SLACK_TOKEN?');
    expect(warnings.join('\n')).not.toContain(SLACK_TOKEN);
  });
});

describe('partial event entries', () => {
  it('merge with the defaults of that event', () => {
    const { config } = resolveConfig({ text: 'events:\n  Progress:\n    enabled: true\n  PrintDone:\n    message: "Done {print_name}"\n' });
    expect(config.events.Progress).toEqual({
      enabled: true,
      message: 'Print progress {pct_complete} :horse_racing:',
      fallback: 'Print progress: {pct_complete} - {print_name}, Elapsed: {elapsed_time}, Remaining: {remaining_time}',
      color: 'good', level: 'routine', channels: [], snapshot: true, cameras: [], minIntervalMinutes: 0,
    });
    expect(config.events.PrintDone).toMatchObject({ enabled: true, message: 'Done {print_name}', fallback: 'Print finished successfully: {print_name}, Time: {elapsed_time}' });
    expect(config.events.PrintFailed).toEqual(defaultConfig().events.PrintFailed);
  });

  it('rules get the rule defaults', () => {
    const { config } = resolveConfig({ text: 'rules:\n  - name: ColourChange\n    pattern: M600\n' });
    expect(config.rules).toEqual([{
      name: 'ColourChange', pattern: 'M600', direction: 'sent', match: 'startsWith', enabled: true, message: 'G-code: {cmd}',
      fallback: 'G-code: {cmd}', color: 'good', level: 'attention', channels: [], snapshot: true, cameras: [], minIntervalMinutes: 0,
    }]);
  });

  it('slack.apiUrl gets its final slash', () => {
    expect(resolveConfig({ text: 'slack:\n  apiUrl: http://127.0.0.1:9999/api\n' }).config.slack?.apiUrl).toBe('http://127.0.0.1:9999/api/');
  });
});

describe('a config file holding a token that others can read', () => {
  const write = (mode: number, text: string) => {
    const file = path.join(tempDir(), 'config.yaml');
    writeFileSync(file, text);
    chmodSync(file, mode);
    return file;
  };

  it('is warned about, without the token', async () => {
    const file = write(0o644, `slack:\n  token: ${SLACK_TOKEN}\n  channels: ["#printer"]\n`);
    const { warnings, config } = await loadConfig({ file, env: {} });
    expect(config.slack?.token).toBe(SLACK_TOKEN);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('chmod 600');
    expect(warnings[0]).toContain('OCTOSLACK_SLACK_TOKEN');
    expect(warnings[0]).toContain('0644');
    expect(warnings[0]).not.toContain(SLACK_TOKEN);
  });

  it('names S3, Imgur and MQTT secrets by their variables, and camera passwords by their camera', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const file = write(0o640, `media:\n  s3:\n    bucket: b\n    secretAccessKey: ${secret}\n  imgur:\n    clientId: a1b2c3d4e5f6a7b\nmqtt:\n  url: mqtt://b\n  password: mqttsecret99\ncameras:\n  - name: bed\n    url: http://octo:camsecret1@cam.local/snap\n`);
    const { warnings } = await loadConfig({ file, env: {} });
    expect(warnings).toHaveLength(1);
    for (const name of ['OCTOSLACK_MEDIA_S3_SECRET_ACCESS_KEY', 'OCTOSLACK_MEDIA_IMGUR_CLIENT_ID', 'OCTOSLACK_MQTT_PASSWORD', 'cameras[0] password', 'chmod 600', 'environment variables']) expect(warnings[0]).toContain(name);
    for (const s of [secret, 'a1b2c3d4e5f6a7b', 'mqttsecret99', 'camsecret1']) expect(warnings[0]).not.toContain(s);
    const camOnly = (await loadConfig({ file: write(0o644, 'cameras:\n  - name: bed\n    url: http://cam.local/snap\n    password: camsecret1\n'), env: {} })).warnings;
    expect(camOnly).toEqual([expect.stringContaining('cameras[0] password')]);
    expect(camOnly[0]).not.toContain('environment variables');
  });

  it('is fine with mode 600, or without secrets', async () => {
    expect((await loadConfig({ file: write(0o600, `slack:\n  token: ${SLACK_TOKEN}\n`), env: {} })).warnings).toEqual([]);
    expect((await loadConfig({ file: write(0o644, SMALLEST), env: { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN } })).warnings).toEqual([]);
  });
});
