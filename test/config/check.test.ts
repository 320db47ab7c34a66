// config check's semantic problems, one at a time, each from an otherwise clean configuration.
import { describe, expect, it } from 'vitest';
import { checkConfig, channelKey, parseClock } from '../../src/config/check.js';
import { resolveConfig } from '../../src/config/load.js';
import { MM_HOOK, MM_TOKEN, SLACK_HOOK, SLACK_TOKEN, SMALLEST } from './helpers.js';

const ENV = { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK };
const check = (text: string, env: NodeJS.ProcessEnv = {}) => checkConfig(resolveConfig({ text, env }).config);
const paths = (text: string, env?: NodeJS.ProcessEnv) => check(text, env).map((p) => p.path);

describe('checkConfig', () => {
  it('passes the smallest config with tokens, and the defaults', () => {
    expect(check(SMALLEST, ENV)).toEqual([]);
    expect(check('', {})).toEqual([]);
  });

  it('unknown template tokens, with the closest known one', () => {
    const problems = check(`${SMALLEST}events:\n  PrintDone:\n    message: "{print_nme} done"\n    fallback: "{what} {what}"\nrules:\n  - name: X\n    pattern: M600\n    message: "{cmd} {colour}"\n`, ENV);
    expect(problems).toEqual([
      { path: 'events.PrintDone.message', message: 'unknown token {print_nme}', fix: 'did you mean {print_name}?' },
      { path: 'events.PrintDone.fallback', message: 'unknown token {what}', fix: expect.stringContaining('{print_name}') as unknown },
      { path: 'rules[0].message', message: 'unknown token {colour}', fix: expect.stringContaining('use one of') as unknown },
    ]);
  });

  it('a channel override must name a configured channel', () => {
    expect(check(`${SMALLEST}events:\n  PrintDone:\n    channels: ["#printer", "Printer", "#random"]\n`, ENV)).toEqual([
      expect.objectContaining({ path: 'events.PrintDone.channels[2]', message: expect.stringContaining('"#random" is not a configured channel') as unknown, fix: expect.stringContaining('#printer, printer') as unknown }),
    ]);
    expect(check('events:\n  Error:\n    channels: ["#x"]\n', { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })[0]!.fix).toContain('no target has a channel configured');
    expect(channelKey(' #Printer ')).toBe('printer');
  });

  it('snapshots switched on without any camera are no problem: nothing happens', () => {
    expect(check(`${SMALLEST}events:\n  PrintDone:\n    snapshot: true\n  Progress:\n    snapshot: true\n`, ENV)).toEqual([]);
    expect(check('events:\n  Heartbeat:\n    snapshot: true\n', { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK })).toEqual([]);
  });

  it('Slack tokens that are not bot tokens, described without quoting', () => {
    const msg = (token: string) => check(SMALLEST, { ...ENV, OCTOSLACK_SLACK_TOKEN: token })[0];
    expect(msg('xapp-1-A0-123-abcdef')).toMatchObject({ path: 'slack.token', message: expect.stringContaining('app-level token') as unknown });
    expect(msg('xoxp-123-456-abcdef')!.message).toContain('user token');
    expect(msg('hunter2hunter2')!.message).toContain('start with xoxb-');
    expect(JSON.stringify(msg('hunter2hunter2'))).not.toContain('hunter2hunter2');
    expect(msg('xoxb-123 456')!.message).toContain('spaces or line breaks');
  });

  it('targets that cannot post', () => {
    expect(paths(SMALLEST, {})).toEqual(['slack', 'mattermost']);
    expect(paths('slack:\n  channels: []\n', { OCTOSLACK_SLACK_TOKEN: SLACK_TOKEN })).toEqual(['slack.channels']);
    expect(paths(SMALLEST, { OCTOSLACK_SLACK_WEBHOOK_URL: SLACK_HOOK, OCTOSLACK_MATTERMOST_WEBHOOK_URL: MM_HOOK })).toEqual(['slack.channels']);
    expect(paths('slack:\n  webhookUrl: ftp://example.com/hook\n  apiUrl: nope\n')).toEqual(['slack.webhookUrl', 'slack.apiUrl']);
    expect(paths('mattermost:\n  url: chat.example.com\n  webhookUrl: hooks/abc\n')).toEqual(['mattermost.url', 'mattermost.webhookUrl']);
  });

  it('a Mattermost bot token needs url, a channel, and a team for a channel name', () => {
    const mm = { OCTOSLACK_MATTERMOST_TOKEN: MM_TOKEN };
    expect(paths('mattermost:\n  channel: printer\n', mm)).toEqual(['mattermost.url']);
    expect(paths('mattermost:\n  url: https://chat.example.com\n', mm)).toEqual(['mattermost.channel']);
    expect(paths('mattermost:\n  url: https://chat.example.com\n  channel: printer\n  team: lab\n', mm)).toEqual([]);
    expect(paths('mattermost:\n  url: https://chat.example.com\n  channel: 4xp9fdt7yjrbxy6ztf1qrbyfmr\n', mm)).toEqual([]);
  });

  it('quiet hours must be HH:MM, and not empty', () => {
    expect(paths('quietHours:\n  start: "10pm"\n  end: "7:00"\n')).toEqual(['quietHours.start']);
    expect(paths('quietHours:\n  start: "24:00"\n  end: "07:60"\n')).toEqual(['quietHours.start', 'quietHours.end']);
    expect(paths('quietHours:\n  start: "22:00"\n  end: "22:00"\n')).toEqual(['quietHours']);
    expect(parseClock('07:30')).toBe(450);
    expect(parseClock('7:30')).toBe(450);
    expect(parseClock('07:30:00')).toBeUndefined();
  });

  it('rules: regexes that do not compile, blank patterns, duplicate or built-in names', () => {
    const problems = check(`rules:
  - { name: A, match: regex, pattern: "(unclosed" }
  - { name: A, pattern: "  " }
  - { name: FilamentRunout, pattern: M600 }
  - { name: B, match: regex, pattern: "^echo:busy" }
`);
    expect(problems.map((p) => [p.path, p.message.split(' (')[0]])).toEqual([
      ['rules[0].pattern', 'is not a valid regular expression'],
      ['rules[1].name', 'rules[0] already has this name'],
      ['rules[1].pattern', 'is blank, so the rule never matches'],
      ['rules[2].name', '"FilamentRunout" is the name of a built-in event'],
    ]);
  });

  it('switches that can never fire, and an unknown time zone', () => {
    expect(paths('events:\n  Progress:\n    enabled: true\nprogress:\n  everyPercent: 0\n')).toEqual(['progress']);
    expect(paths('events:\n  Progress:\n    enabled: true\nprogress:\n  everyPercent: 0\n  everyLayers: 10\n')).toEqual([]);
    expect(paths('events:\n  Heartbeat:\n    enabled: true\nheartbeatMinutes: 0\n')).toEqual(['heartbeatMinutes']);
    expect(paths('events:\n  Heartbeat:\n    enabled: true\nheartbeatMinutes: 60\n')).toEqual([]);
    expect(paths('format:\n  timezone: Mars/Olympus_Mons\n')).toEqual(['format.timezone']);
    expect(paths('format:\n  timezone: Europe/Berlin\n')).toEqual([]);
  });
});
