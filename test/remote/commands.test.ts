// The pure core of chat commands: parsing loose text, authorization by user ID, the cancel
// confirmation window, and reading the settings.
import { describe, expect, it } from 'vitest';
import { isAllowed, normalizeText, parseCommand, PendingConfirmations, type Sender } from '../../src/remote/commands.js';
import { readRemoteSettings, REMOTE_DEFAULTS, type CommandSettings } from '../../src/remote/remote-config.js';

describe('parseCommand', () => {
  it.each([
    ['<@U0BOT> pause', 'pause'],
    ['@octobot please PAUSE now', 'pause'],
    ['<@U0BOT|octobot> resume', 'resume'],
    ['@octobot continue please', 'resume'],
    ['stop', 'cancel'],
    ['Cancel!', 'cancel'],
    ['@octobot cancel confirm', 'cancel-confirm'],
    ['@octobot stop, confirmed', 'cancel-confirm'],
    ['confirm cancel', 'cancel-confirm'],
    ['status?', 'status'],
    ['how is the progress', 'status'],
    ['temps', 'temps'],
    ['temperature please', 'temps'],
    ['help', 'help'],
    ['?', 'help'],
    ['<@U0BOT>', 'empty'],
    ['@octobot   ', 'empty'],
    ['dance', 'unknown'],
    ['confirm', 'unknown'],
  ])('%j → %s', (text, kind) => {
    expect(parseCommand(text).kind).toBe(kind);
  });

  it('takes the first command word', () => {
    expect(parseCommand('pause, then cancel').kind).toBe('pause');
  });

  it('finds the printer name as a phrase and does not read it as a command', () => {
    expect(parseCommand('@octobot pause Prusa MK4', 'Prusa MK4')).toMatchObject({ kind: 'pause', namesPrinter: true, otherWords: [] });
    expect(parseCommand('@octobot pause prusa', 'Prusa MK4')).toMatchObject({ kind: 'pause', namesPrinter: false, otherWords: ['prusa'] });
    expect(parseCommand('@bot Stop Box status', 'Stop Box')).toMatchObject({ kind: 'status', namesPrinter: true });
    expect(parseCommand('@bot please pause the printer', 'Ender')).toMatchObject({ kind: 'pause', namesPrinter: false, otherWords: [] });
  });

  it('reports the unknown word', () => {
    expect(parseCommand('<@U0BOT> please dance').word).toBe('dance');
  });

  it('normalizes mentions, links and punctuation away', () => {
    expect(normalizeText('<@U0BOT> <#C1|printer> Pause!! <https://x.y|link> @ana')).toBe('pause');
  });
});

const slack = (userId: string, teamId = 'T0TEST'): Sender => ({ platform: 'slack', userId, teamId });
const mm = (userId: string): Sender => ({ platform: 'mattermost', userId });
const ANA_MM = 'anaanaanaanaanaanaanaanaan';

describe('isAllowed', () => {
  const s: CommandSettings = {
    ...REMOTE_DEFAULTS.commands,
    allow: { pause: ['U0ANA', ANA_MM], resume: ['T0TEST:U0BEN'], cancel: ['U0ANA'] },
  };
  it.each<[string, Parameters<typeof isAllowed>, boolean]>([
    ['status in the channel: anyone', ['status', slack('U0STRANGER'), 'channel', s], true],
    ['help in the channel: anyone', ['help', mm('strangerstrangerstrangerst'), 'channel', s], true],
    ['status in a DM from a stranger: no', ['status', slack('U0STRANGER'), 'dm', s], false],
    ['status in a DM from someone on a list: yes', ['status', slack('U0BEN'), 'dm', s], true],
    ['pause by a listed Slack user', ['pause', slack('U0ANA'), 'channel', s], true],
    ['pause by a listed Mattermost user', ['pause', mm(ANA_MM), 'dm', s], true],
    ['pause by a stranger', ['pause', slack('U0STRANGER'), 'channel', s], false],
    ['resume pinned to a workspace: right one', ['resume', slack('U0BEN', 'T0TEST'), 'channel', s], true],
    ['resume pinned to a workspace: other one', ['resume', slack('U0BEN', 'T0OTHER'), 'channel', s], false],
    ['a Slack ID never matches a Mattermost sender', ['resume', mm('U0BEN'), 'channel', s], false],
    ['cancel by someone only allowed to resume', ['cancel', slack('U0BEN'), 'channel', s], false],
  ])('%s', (_name, args, want) => {
    expect(isAllowed(...args)).toBe(want);
  });

  it('control commands are closed by default, open ones are not', () => {
    const d = REMOTE_DEFAULTS.commands;
    for (const c of ['pause', 'resume', 'cancel'] as const) expect(isAllowed(c, slack('U0ANA'), 'channel', d)).toBe(false);
    for (const c of ['help', 'status', 'temps'] as const) expect(isAllowed(c, slack('U0ANA'), 'channel', d)).toBe(true);
  });

  it('a given list is the whole answer; * is everyone who reaches us', () => {
    const s2: CommandSettings = { ...REMOTE_DEFAULTS.commands, allow: { status: ['U0ANA'], pause: ['*'] } };
    expect(isAllowed('status', slack('U0BEN'), 'channel', s2)).toBe(false);
    expect(isAllowed('status', slack('U0ANA'), 'dm', s2)).toBe(true);
    expect(isAllowed('pause', slack('U0BEN'), 'channel', s2)).toBe(true);
    expect(isAllowed('status', slack('U0BEN'), 'channel', { ...s2, allow: { status: [] } })).toBe(false);
  });
});

describe('PendingConfirmations', () => {
  it('confirms once within the window, per user and channel', () => {
    let now = 1000;
    const p = new PendingConfirmations(60_000, () => now);
    const ana = PendingConfirmations.key(slack('U0ANA'), 'C1');
    const anaElsewhere = PendingConfirmations.key(slack('U0ANA'), 'C2');
    const ben = PendingConfirmations.key(slack('U0BEN'), 'C1');
    p.ask(ana);
    expect(p.confirm(ben)).toBe(false);
    expect(p.confirm(anaElsewhere)).toBe(false);
    now += 59_000;
    expect(p.confirm(ana)).toBe(true);
    expect(p.confirm(ana)).toBe(false);
    p.ask(ana);
    now += 61_000;
    expect(p.confirm(ana)).toBe(false);
    p.ask(ben);
    now += 120_000;
    expect(p.size).toBe(0);
  });

  it('keeps Slack and Mattermost users apart even with equal IDs', () => {
    const p = new PendingConfirmations(60_000, () => 0);
    p.ask(PendingConfirmations.key(slack('X'), 'C'));
    expect(p.confirm(PendingConfirmations.key(mm('X'), 'C'))).toBe(false);
  });
});

describe('readRemoteSettings', () => {
  it('has safe defaults and takes the app token from the environment', () => {
    const { settings, problems } = readRemoteSettings(undefined, { OCTOSLACK_SLACK_APP_TOKEN: ' xapp-1-abc ' });
    expect(settings).toEqual({ slack: { appToken: 'xapp-1-abc' }, commands: REMOTE_DEFAULTS.commands });
    expect(problems).toEqual([]);
  });

  it('prefers the file value, keeps valid IDs and reports the rest without echoing tokens', () => {
    const { settings, problems } = readRemoteSettings({
      slack: { appToken: 'xoxb-secret-bot-token' },
      commands: { allow: { pause: ['U0ANA', 'ana', ANA_MM, 'T0TEST:U0BEN', '*'], resume: 'U0ANA, U0BEN', dance: ['U0ANA'], cancel: 7 },
        confirmCancelSeconds: 2, requirePrinterName: true },
    }, {});
    expect(settings.slack.appToken).toBe('xoxb-secret-bot-token');
    expect(settings.commands.allow).toEqual({ pause: ['U0ANA', ANA_MM, 'T0TEST:U0BEN', '*'], resume: ['U0ANA', 'U0BEN'] });
    expect(settings.commands.confirmCancelSeconds).toBe(60);
    expect(settings.commands.requirePrinterName).toBe(true);
    expect(problems.join('\n')).toMatch(/xapp-/);
    expect(problems.join('\n')).toMatch(/"ana" is not a user ID/);
    expect(problems.join('\n')).toMatch(/allow\.dance: unknown command/);
    expect(problems.join('\n')).toMatch(/allow\.cancel must be a list/);
    expect(problems.join('\n')).not.toContain('xoxb-secret');
  });
});
