// SlackBotTarget with the real @slack/web-api client against the fake Slack server: exact payloads
// for posts, thread replies and progress edits, channel resolution, and every error translated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SlackSettings } from '../../../src/config/types.js';
import type { DeliveryResult } from '../../../src/notify/notification.js';
import { SlackBotTarget } from '../../../src/notify/targets/slack-bot.js';
import { FakeSlack, SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { freePort, note } from './sample.js';

let slack: FakeSlack;
beforeEach(async () => { slack = await FakeSlack.start(); });
afterEach(async () => { await slack.close(); });

function target(over: Partial<SlackSettings> = {}, timeoutMs = 2000): SlackBotTarget {
  return new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer'], ...over }, timeoutMs });
}

function expectNoSecrets(r: DeliveryResult): void {
  expect(JSON.stringify(r)).not.toContain(SLACK_TOKEN);
}

describe('SlackBotTarget posts', () => {
  it('resolves #name once through conversations.list and posts the exact payload', async () => {
    const t = target({ username: 'Printer Bot', iconEmoji: ':printer:', iconUrl: 'https://x.test/i.png' });
    const r = await t.send(note({ id: 'a' }), {});
    expect(r).toEqual({ ok: true, refs: [{ target: 'slack-bot', channel: 'C0PRINTER1', id: '1767225600.000001' }] });
    const [list] = slack.calls('conversations.list');
    expect(list!.body).toEqual({ types: 'public_channel,private_channel', exclude_archived: 'true', limit: '200' });
    const [post] = slack.calls('chat.postMessage');
    expect(post!.headers.authorization).toBe(`Bearer ${SLACK_TOKEN}`);
    expect(post!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(post!.body).toEqual({
      text: '*A new print has started :rocket:*\n*File* benchy.gcode\nPrinter: Printing, Bed: 60.0°C/60.0°C',
      channel: 'C0PRINTER1', username: 'Printer Bot', icon_emoji: ':printer:',
    });
    await t.send(note(), {});
    expect(slack.calls('conversations.list')).toHaveLength(1);
    expect(slack.calls('chat.postMessage')).toHaveLength(2);
  });

  it('follows conversations.list pagination and uses IDs as given', async () => {
    await slack.close();
    slack = await FakeSlack.start({ pageSize: 2 });
    const r = await target({ channels: ['#secret', 'C0ALERTS01'] }).send(note(), {});
    expect(r.ok).toBe(true);
    // #secret is on the second page: the listing stops there.
    expect(slack.calls('conversations.list').map((c) => c.body.cursor)).toEqual([undefined, 'offset:2']);
    expect(slack.calls('chat.postMessage').map((c) => c.body.channel)).toEqual(['G0PRIVATE1', 'C0ALERTS01']);
  });

  it('passes the pluggable body through and sends blocks/attachments as JSON fields', async () => {
    const t = new SlackBotTarget({
      settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['C0PRINTER1'] },
      payload: (n) => ({ text: n.fallback, attachments: [{ color: '#2eb886', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: n.headline } }] }] }),
    });
    await t.send(note(), {});
    expect(slack.calls('chat.postMessage')[0]!.body).toEqual({
      text: 'Print started: benchy.gcode', channel: 'C0PRINTER1',
      attachments: [{ color: '#2eb886', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'A new print has started :rocket:' } }] }],
    });
  });

  it('replies in the thread; results are broadcast, routine updates are not; a start message is never a reply', async () => {
    const t = target({ channels: ['C0PRINTER1'] });
    const parent = { target: 'slack-bot', channel: 'C0PRINTER1', id: '1767225600.000001' };
    await t.send(note({ event: 'PrintDone', level: 'attention' }), { parent });
    await t.send(note({ event: 'Progress', level: 'routine', kind: 'progress' }), { parent });
    await t.send(note({ kind: 'start' }), { parent });
    const posts = slack.calls('chat.postMessage').map((c) => c.body);
    expect(posts[0]).toMatchObject({ thread_ts: parent.id, reply_broadcast: 'true' });
    expect(posts[1]!.thread_ts).toBe(parent.id);
    expect(posts[1]!.reply_broadcast).toBeUndefined();
    expect(posts[2]!.thread_ts).toBeUndefined();
  });

  it('edits the progress card with chat.update (no name/icon), and posts a new card when it is gone', async () => {
    const t = target({ channels: ['C0PRINTER1'], username: 'Printer Bot' });
    const first = await t.send(note({ kind: 'progress' }), {});
    const card = first.ok ? first.refs[0]! : undefined;
    const edited = await t.send(note({ kind: 'progress', headline: 'Print progress 50%' }), { progressCard: card });
    expect(edited).toEqual({ ok: true, refs: [card] });
    expect(slack.calls('chat.update')[0]!.body).toEqual({
      text: '*Print progress 50%*\n*File* benchy.gcode\nPrinter: Printing, Bed: 60.0°C/60.0°C', channel: 'C0PRINTER1', ts: card!.id,
    });
    const gone = { target: 'slack-bot', channel: 'C0PRINTER1', id: '1.000000' };
    const again = await t.send(note({ kind: 'progress' }), { progressCard: gone });
    expect(again.ok && again.refs[0]!.id).toBe('1767225600.000002');
    expect(slack.calls('chat.postMessage')).toHaveLength(2);
  });

  it('posts to several channels, threading each one under its own parent', async () => {
    const t = target({ channels: ['#printer', '#alerts'] });
    const start = await t.send(note({ kind: 'start' }), {});
    expect(start.ok && start.refs.map((r) => r.channel)).toEqual(['C0PRINTER1', 'C0ALERTS01']);
    const parents = start.ok ? start.refs : [];
    await t.send(note(), { parent: parents[0], parents } as never);
    const replies = slack.calls('chat.postMessage').slice(2).map((c) => [c.body.channel, c.body.thread_ts]);
    expect(replies).toEqual([['C0PRINTER1', parents[0]!.id], ['C0ALERTS01', parents[1]!.id]]);
  });

  it('honours an event channel override that names one of its channels', async () => {
    const t = target({ channels: ['#printer', '#alerts'] });
    await t.send(note({ channels: ['#Alerts', '~mattermost-only'] }), {});
    expect(slack.calls('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0ALERTS01']);
  });

  it('does not post twice where a retried multi-channel message already succeeded', async () => {
    const t = target({ channels: ['C0PRINTER1', 'C0ALERTS01'] });
    slack.script('chat.postMessage', 'default', { status: 500, body: 'oops' });
    const n = note();
    expect((await t.send(n, {})).ok).toBe(false);
    const r = await t.send(n, {});
    expect(r.ok && r.refs.map((x) => x.channel)).toEqual(['C0PRINTER1', 'C0ALERTS01']);
    expect(slack.calls('chat.postMessage').map((c) => c.body.channel)).toEqual(['C0PRINTER1', 'C0ALERTS01', 'C0ALERTS01']);
  });

  it('falls back to plain text once when Slack rejects the formatting, and notes the bug', async () => {
    const t = new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['C0PRINTER1'] },
      payload: (n) => ({ text: n.fallback, blocks: [{ type: 'nonsense' }] }) });
    slack.script('chat.postMessage', { error: 'invalid_blocks' });
    const r = await t.send(note(), {}) as DeliveryResult & { notes?: { error: string }[] };
    expect(r.ok).toBe(true);
    expect(r.notes?.[0]!.error).toContain('invalid_blocks');
    const [bad, plain] = slack.calls('chat.postMessage');
    expect(bad!.body.blocks).toEqual([{ type: 'nonsense' }]);
    expect(plain!.body.blocks).toBeUndefined();
    expect(plain!.body.text).toContain('*A new print has started :rocket:*');
  });
});

describe('SlackBotTarget errors', () => {
  it('invalid token: permanent, says which token, never shows it', async () => {
    const t = new SlackBotTarget({ settings: { token: 'xoxb-wrong-0000', apiUrl: slack.apiUrl, channels: ['C0PRINTER1'] } });
    const r = await t.send(note(), {});
    expect(r).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('invalid_auth') });
    expect(!r.ok && !r.retry && r.hint).toContain('OCTOSLACK_SLACK_TOKEN');
    expect(JSON.stringify(r)).not.toContain('xoxb-wrong-0000');
  });

  it('unknown channel, archived channel, not_in_channel, missing_scope with needed', async () => {
    const unknown = await target({ channels: ['#nope'] }).send(note(), {});
    expect(unknown).toMatchObject({ ok: false, retry: false, error: 'Slack channel #nope not found (channel_not_found)' });
    const archived = await target({ channels: ['C0OLDSTUFF'] }).send(note(), {});
    expect(archived).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('archived') });
    const outside = await target({ channels: ['#outside'] }).send(note(), {});
    expect(outside).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('not_in_channel') });
    expect(!outside.ok && !outside.retry && outside.hint).toContain('/invite @');
    expect(!outside.ok && !outside.retry && outside.hint).toContain('chat:write.public');
    slack.script('chat.postMessage', { error: 'missing_scope', extra: { needed: 'chat:write.customize', provided: 'chat:write' } });
    const scope = await target({ channels: ['C0PRINTER1'] }).send(note(), {});
    expect(scope).toMatchObject({ ok: false, retry: false, error: 'The Slack app lacks the chat:write.customize scope (missing_scope)' });
    expect(!scope.ok && !scope.retry && scope.hint).toMatch(/chat:write\.customize.*reinstall/);
    for (const r of [unknown, archived, outside, scope]) expectNoSecrets(r);
  });

  it('429 answers retry with the Retry-After seconds', async () => {
    slack.script('chat.postMessage', { retryAfter: 7 });
    const r = await target({ channels: ['C0PRINTER1'] }).send(note(), {});
    expect(r).toMatchObject({ ok: false, retry: true, retryAfterS: 7 });
    expect(slack.calls('chat.postMessage')).toHaveLength(1); // the SDK did not retry on its own
  });

  it('500 then 200: retryable, then delivered', async () => {
    const t = target({ channels: ['C0PRINTER1'] });
    slack.script('chat.postMessage', { status: 500, body: 'internal' });
    const n = note();
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('500') });
    expect((await t.send(n, {})).ok).toBe(true);
  });

  it('a hung server times out (retryable); a caller abort ends the call at once', async () => {
    const t = target({ channels: ['C0PRINTER1'] }, 200);
    slack.script('chat.postMessage', 'hang', 'hang');
    const t0 = Date.now();
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('No answer') });
    expect(Date.now() - t0).toBeLessThan(1500);
    const slow = target({ channels: ['C0PRINTER1'] }, 60_000);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t1 = Date.now();
    expect(await slow.send(note(), {}, ac.signal)).toMatchObject({ ok: false, retry: true });
    expect(Date.now() - t1).toBeLessThan(1500);
  });

  it('connection refused, closed connections, huge and garbage answers are retryable errors', async () => {
    const port = await freePort();
    const refused = await new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: `http://127.0.0.1:${port}/api/`, channels: ['C0PRINTER1'] } }).send(note(), {});
    expect(refused).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('ECONNREFUSED') });
    const t = target({ channels: ['C0PRINTER1'] });
    for (const a of ['close', 'huge', 'garbage'] as const) {
      slack.script('chat.postMessage', a);
      const r = await t.send(note(), {});
      expect(r, a).toMatchObject({ ok: false, retry: true });
    }
  });

  it('without channels:read it posts to the name as given and learns the ID', async () => {
    slack.scopes = ['chat:write'];
    slack.script('conversations.list', { error: 'missing_scope', extra: { needed: 'channels:read' } });
    const t = target();
    const first = await t.send(note({ kind: 'start' }), {});
    expect(slack.calls('chat.postMessage')[0]!.body.channel).toBe('#printer');
    const parent = first.ok ? first.refs[0] : undefined;
    expect(parent?.channel).toBe('C0PRINTER1');
    await t.send(note(), { parent });
    expect(slack.calls('chat.postMessage')[1]!.body).toMatchObject({ channel: 'C0PRINTER1', thread_ts: parent!.id });
  });
});

describe('SlackBotTarget.check', () => {
  it('reports the bot, team and channels', async () => {
    expect(await target({ channels: ['#printer', 'C0ALERTS01'] }).check()).toEqual({
      ok: true, detail: 'authenticated as @octobot in Octo Test; #printer → C0PRINTER1 (member); C0ALERTS01 → C0ALERTS01 (member)',
    });
  });

  it('says what to fix: not a member, unknown channel, missing chat:write, bad token', async () => {
    const notMember = await target({ channels: ['#outside'] }).check();
    expect(notMember).toMatchObject({ ok: false, hint: expect.stringContaining('/invite @octobot in #outside') });
    const unknown = await target({ channels: ['#nope'] }).check();
    expect(unknown).toMatchObject({ ok: false, error: expect.stringContaining('channel_not_found') });
    slack.scopes = ['channels:read'];
    expect(await target().check()).toMatchObject({ ok: false, error: expect.stringContaining('chat:write') });
    const bad = await new SlackBotTarget({ settings: { token: 'xoxb-nope-1', apiUrl: slack.apiUrl, channels: ['#printer'] } }).check();
    expect(bad).toMatchObject({ ok: false, error: expect.stringContaining('invalid_auth') });
  });

  it('accepts a non-member channel when the app holds chat:write.public', async () => {
    slack.scopes = ['chat:write', 'chat:write.public', 'channels:read'];
    expect(await target({ channels: ['#outside'] }).check()).toMatchObject({ ok: true, detail: expect.stringContaining('chat:write.public') });
  });
});
