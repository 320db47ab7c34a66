// MattermostBotTarget against the fake Mattermost REST v4 server: exact posts, thread replies
// (root_id), progress patches, channel resolution, errors (401/403/404/429/5xx/hang) and check().
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MattermostSettings } from '../../../src/config/types.js';
import { MattermostBotTarget } from '../../../src/notify/targets/mattermost-bot.js';
import { FakeMattermost, MM_BOT_ID, MM_TOKEN, mmId } from '../../helpers/fake-mattermost.js';
import { freePort, note } from './sample.js';

let mm: FakeMattermost;
beforeEach(async () => { mm = await FakeMattermost.start(); });
afterEach(async () => { await mm.close(); });

const PRINTER = mmId('chprinter', '');
const TEXT = '**A new print has started :rocket:**\n**File** benchy.gcode\nPrinter: Printing, Bed: 60.0°C/60.0°C';

function target(over: Partial<MattermostSettings> = {}, timeoutMs = 2000): MattermostBotTarget {
  return new MattermostBotTarget({ settings: { url: `${mm.url}/`, token: MM_TOKEN, channel: 'printer', team: 'makers', ...over }, timeoutMs });
}

describe('MattermostBotTarget', () => {
  it('resolves the channel once and posts the exact body with the bearer token', async () => {
    const t = target({ username: 'Printer', iconUrl: 'https://x.test/i.png' });
    const r = await t.send(note(), {});
    expect(r).toEqual({ ok: true, refs: [{ target: 'mattermost-bot', channel: PRINTER, id: mmId('post', 1) }] });
    expect(mm.calls('channel-by-name')[0]!.path).toBe('/api/v4/teams/name/makers/channels/name/printer');
    const [post] = mm.calls('posts');
    expect(post!.headers.authorization).toBe(`Bearer ${MM_TOKEN}`);
    expect(post!.body).toEqual({ channel_id: PRINTER, message: TEXT, props: { override_username: 'Printer', override_icon_url: 'https://x.test/i.png' } });
    await t.send(note(), {});
    expect(mm.calls('channel-by-name')).toHaveLength(1);
  });

  it('maps a webhook-shaped body (attachments, priority) to a REST post', async () => {
    const t = new MattermostBotTarget({ settings: { url: mm.url, token: MM_TOKEN, channel: PRINTER },
      payload: (n) => ({ text: `#### ${n.headline}`, attachments: [{ fallback: n.fallback, color: '#a30200', text: 'x' }], priority: { priority: 'urgent' }, silent: false }) });
    await t.send(note(), {});
    expect(mm.calls('channel-by-name')).toHaveLength(0); // an ID is used as given
    expect(mm.calls('posts')[0]!.body).toEqual({
      channel_id: PRINTER, message: '#### A new print has started :rocket:',
      props: { attachments: [{ fallback: 'Print started: benchy.gcode', color: '#a30200', text: 'x' }] },
      metadata: { priority: { priority: 'urgent' } },
    });
  });

  it('without a team it uses the bot\'s only team', async () => {
    expect((await target({ team: undefined }).send(note(), {})).ok).toBe(true);
    expect(mm.calls('users/me/teams')).toHaveLength(1);
  });

  it('replies with root_id; a start message is top level', async () => {
    const t = target();
    const start = await t.send(note({ kind: 'start' }), {});
    const parent = start.ok ? start.refs[0] : undefined;
    await t.send(note(), { parent });
    expect(mm.calls('posts')[0]!.body.root_id).toBeUndefined();
    expect(mm.calls('posts')[1]!.body.root_id).toBe(parent!.id);
  });

  it('patches the progress card in place, and posts a new card when the old one is gone', async () => {
    const t = target();
    const first = await t.send(note({ kind: 'progress' }), {});
    const card = first.ok ? first.refs[0] : undefined;
    expect(await t.send(note({ kind: 'progress', headline: 'Print progress 50%' }), { progressCard: card })).toEqual({ ok: true, refs: [card] });
    const [patch] = mm.calls('patch');
    expect(patch!.method).toBe('PUT');
    expect(patch!.path).toBe(`/api/v4/posts/${card!.id}/patch`);
    expect(patch!.body).toEqual({ message: TEXT.replace('A new print has started :rocket:', 'Print progress 50%'), props: {} });
    const gone = { target: 'mattermost-bot', channel: PRINTER, id: mmId('deleted', 1) };
    const again = await t.send(note({ kind: 'progress' }), { progressCard: gone });
    expect(again.ok && again.refs[0]!.id).toBe(mmId('post', 2));
  });

  it('401, not a member (403), unknown channel (404) are permanent and say what to fix', async () => {
    const bad = await new MattermostBotTarget({ settings: { url: mm.url, token: 'wrong-token', channel: 'printer', team: 'makers' } }).send(note(), {});
    expect(bad).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('401') });
    expect(!bad.ok && !bad.retry && bad.hint).toContain('OCTOSLACK_MATTERMOST_TOKEN');
    expect(JSON.stringify(bad)).not.toContain('wrong-token');
    const lobby = await target({ channel: 'lobby' }).send(note(), {});
    expect(lobby).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('may not post in ~lobby (HTTP 403') });
    const nope = await target({ channel: 'nope' }).send(note(), {});
    expect(nope).toMatchObject({ ok: false, retry: false, error: 'Mattermost channel ~nope not found in team makers (HTTP 404: Couldn\'t find the channel.)' });
  });

  it('429 with Retry-After, 500 then 201, a hang and a refused connection are retryable', async () => {
    const t = target();
    mm.script('posts', { status: 429, body: { message: 'slow down' }, headers: { 'retry-after': '2' } }, { status: 500, body: { message: 'db' } }, 'hang');
    const n = note();
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true, retryAfterS: 2 });
    expect(await t.send(n, {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('500') });
    const impatient = target({ channel: mmId('chprinter', '') }, 150);
    expect(await impatient.send(n, {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('No answer') });
    expect((await t.send(n, {})).ok).toBe(true);
    const refused = await new MattermostBotTarget({ settings: { url: `http://127.0.0.1:${await freePort()}`, token: MM_TOKEN, channel: PRINTER } }).send(note(), {});
    expect(refused).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('a non-Mattermost answer or a huge one is an error, not a crash', async () => {
    const t = target();
    mm.script('channel-by-name', 'garbage');
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: false, error: expect.stringContaining('did not answer like Mattermost') });
    mm.script('channel-by-name', 'huge');
    expect(await t.send(note(), {})).toMatchObject({ ok: false, retry: true, error: expect.stringContaining('too large') });
  });

  it('check(): token, channel and membership', async () => {
    expect(await target().check()).toEqual({ ok: true, detail: `authenticated as @octobot; ~printer → ${PRINTER} (member)` });
    expect(mm.calls('channel-member')[0]!.path).toBe(`/api/v4/channels/${PRINTER}/members/${MM_BOT_ID}`);
    expect(await target({ channel: 'lobby' }).check()).toMatchObject({ ok: false, error: 'The Mattermost bot @octobot is not a member of ~lobby' });
    expect(await target({ channel: 'nope' }).check()).toMatchObject({ ok: false, error: expect.stringContaining('not found') });
    expect(await target({ token: 'nope' }).check()).toMatchObject({ ok: false, error: expect.stringContaining('401') });
  });
});
