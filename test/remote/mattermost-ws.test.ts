// Mattermost commands over the WebSocket against a fake server on loopback: header and challenge
// authentication, `posted` events with the post as a JSON string, mentions, DMs, thread replies
// with root_id, reactions, refusals, and reconnects after a drop or a silently dead socket.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import type { OctoslackConfig } from '../../src/config/types.js';
import { websocketUrl } from '../../src/remote/mattermost-web.js';
import { readRemoteSettings } from '../../src/remote/remote-config.js';
import { startRemoteCommands, type RemoteCommands, type RemoteTuning } from '../../src/remote/start-remote.js';
import { MM_BOT_ID, MM_TOKEN, mmId } from '../helpers/fake-mattermost.js';
import { FakeMattermostWs, MM_DM_CHANNEL, type FakeMmOptions } from '../helpers/fake-mattermost-ws.js';
import { FakeControl, fakeStatus, memoryLog } from './fake-control.js';

const ANA = mmId('ana', 1);
const STRANGER = mmId('stranger', 1);
const FAST: RemoteTuning = { timeoutMs: 2000, backoff: { baseMs: 50, maxMs: 200 }, mattermostChallengeAfterMs: 100 };

let fake: FakeMattermostWs | undefined;
let remote: RemoteCommands | undefined;
afterEach(async () => {
  await remote?.stop();
  await fake?.close();
  remote = undefined;
  fake = undefined;
});

async function setup(o: { fake?: FakeMmOptions; tuning?: RemoteTuning; token?: string; channel?: string } = {}) {
  fake = await FakeMattermostWs.startWs(o.fake);
  const config: OctoslackConfig = { ...defaultConfig(), printerName: 'Prusa',
    mattermost: { url: fake.url, token: o.token ?? MM_TOKEN, channel: o.channel ?? 'printer', team: 'makers' } };
  const { settings } = readRemoteSettings({ commands: { allow: { pause: [ANA], resume: [ANA], cancel: [ANA] } } }, {});
  const control = new FakeControl();
  const log = memoryLog();
  remote = await startRemoteCommands({ config, remote: settings, control: () => control, statusMessage: fakeStatus, log,
    tuning: { ...FAST, ...o.tuning } });
  return { fake, control, log, remote };
}

const emojis = (f: FakeMattermostWs, postId: string) => f.reactions.filter((r) => r.post_id === postId).map((r) => r.emoji_name);

async function waitReactions(f: FakeMattermostWs, postId: string, count: number): Promise<string[]> {
  const until = Date.now() + 5000;
  while (emojis(f, postId).length < count) {
    if (Date.now() > until) throw new Error(`reactions on ${postId}: ${emojis(f, postId).join(',')}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return emojis(f, postId);
}

describe('Mattermost WebSocket commands', () => {
  it('builds the WebSocket URL from the server URL', () => {
    expect(websocketUrl('https://chat.example.com')).toBe('wss://chat.example.com/api/v4/websocket');
    expect(websocketUrl('http://10.0.0.2:8065/mm/')).toBe('ws://10.0.0.2:8065/mm/api/v4/websocket');
  });

  it('pauses for an allowed user, replies in the thread, reacts', async () => {
    const { fake, control, log, remote } = await setup();
    await remote.mattermost!.whenConnected();
    expect(fake.authVia).toEqual(['header']);
    const id = fake.post({ userId: ANA, senderName: 'ana', message: 'please pause' });
    const [reply] = await fake.waitReply(id);
    expect(reply).toMatchObject({ channel_id: fake.channels[0]!.id, root_id: id, message: 'Paused (by @ana).', user_id: MM_BOT_ID });
    expect(control.calls).toEqual([{ method: 'pause', by: '@ana' }]);
    expect(await waitReactions(fake, id, 2)).toEqual(['eyes', 'white_check_mark']);
    expect(fake.reactions[0]!.user_id).toBe(MM_BOT_ID);
    expect(log.lines.join('\n')).toContain(`"pause" from @ana (mattermost user ${ANA})`);
    expect(log.lines.join('\n')).not.toContain(MM_TOKEN);
  });

  it('refuses a stranger and never reaches the printer', async () => {
    const { fake, control } = await setup();
    await remote!.mattermost!.whenConnected();
    const id = fake.post({ userId: STRANGER, senderName: 'mallory', message: 'cancel' });
    const [reply] = await fake.waitReply(id);
    expect(String(reply!.message)).toContain(`Sorry, you may not \`cancel\` this printer`);
    expect(String(reply!.message)).toContain(STRANGER);
    expect(await waitReactions(fake, id, 1)).toEqual(['lock']);
    expect(control.calls).toEqual([]);
  });

  it('cancel needs confirmation; a reply in the thread keeps the thread', async () => {
    const { fake, control } = await setup();
    await remote!.mattermost!.whenConnected();
    const root = fake.post({ userId: ANA, senderName: 'ana', message: 'stop' });
    expect(String((await fake.waitReply(root))[0]!.message)).toContain('`cancel confirm` within 60 s');
    fake.post({ userId: ANA, senderName: 'ana', message: 'cancel confirm', rootId: root });
    const replies = await fake.waitReply(root, 2);
    expect(replies[1]!.message).toBe('Cancelled (by @ana); heaters off.');
    expect(control.calls).toEqual([{ method: 'cancel', by: '@ana' }]);
  });

  it('ignores its own posts, system posts, webhooks, posts without a mention and other channels; answers DMs', async () => {
    const { fake, control } = await setup();
    await remote!.mattermost!.whenConnected();
    fake.post({ userId: MM_BOT_ID, senderName: 'octobot', message: 'pause' });
    fake.post({ userId: ANA, senderName: 'ana', message: 'pause', type: 'system_join_channel' });
    fake.post({ userId: ANA, senderName: 'ana', message: 'pause', props: { from_webhook: 'true' } });
    fake.post({ userId: ANA, senderName: 'ana', message: 'pause', mention: false });
    fake.post({ userId: ANA, senderName: 'ana', message: 'pause', channelId: fake.channels[1]!.id });
    const dm = fake.post({ userId: ANA, senderName: 'ana', message: 'status', direct: true });
    const [reply] = await fake.waitReply(dm);
    expect(reply!.channel_id).toBe(MM_DM_CHANNEL);
    // The status answer is the rendered card.
    expect(String(reply!.message)).toContain('#### Printing cube.gcode: 42%');
    expect(JSON.stringify(reply!.props)).toContain('Chat user');
    await new Promise((r) => setTimeout(r, 100));
    expect(control.calls).toEqual([]);
    expect(fake.calls('posts')).toHaveLength(1);
  });

  it('authenticates with the challenge when the header is not honoured', async () => {
    const { fake, control } = await setup({ fake: { headerAuth: false } });
    await remote!.mattermost!.whenConnected();
    expect(fake.authVia).toEqual(['challenge']);
    const id = fake.post({ userId: ANA, senderName: 'ana', message: 'pause' });
    await fake.waitReply(id);
    expect(control.calls).toHaveLength(1);
  });

  it('reconnects after a drop and after a silently dead socket', async () => {
    const { fake, control, log } = await setup({ tuning: { mattermostPingIntervalMs: 50, mattermostDeadAfterMs: 300 } });
    await remote!.mattermost!.whenConnected();
    fake.drop();
    await fake.waitGreeted(2);
    const a = fake.post({ userId: ANA, senderName: 'ana', message: 'pause' });
    expect((await fake.waitReply(a))[0]!.message).toBe('Paused (by @ana).');
    fake.freeze();
    await fake.waitGreeted(3, 5000);
    expect(log.lines.join('\n')).toMatch(/no sign of life for \d+ s/);
    // The frozen socket may linger on the server side; post to the live one only.
    const live = fake.sockets.at(-1)!;
    for (const s of [...fake.sockets]) if (s !== live) s.terminate();
    await new Promise((r) => setTimeout(r, 20));
    const b = fake.post({ userId: ANA, senderName: 'ana', message: 'resume' });
    expect((await fake.waitReply(b))[0]!.message).toBe('Resumed (by @ana).');
    expect(control.calls.map((c) => c.method)).toEqual(['pause', 'resume']);
  });

  it('stops on a token the server refuses, without printing it', async () => {
    const { fake, log } = await setup({ token: 'wrong-token-123456' });
    await fake.waitFor('users/me', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls('users/me')).toHaveLength(1);
    expect(fake.greeted).toBe(0);
    expect(log.lines.join('\n')).toMatch(/mattermost commands are off/);
    expect(log.lines.join('\n')).not.toContain('wrong-token-123456');
  });

  it('keeps answering DMs when the channel cannot be found, and says why', async () => {
    const { fake, control, log } = await setup({ channel: 'no-such-channel' });
    await remote!.mattermost!.whenConnected();
    expect(log.lines.join('\n')).toMatch(/cannot find the channel no-such-channel/);
    const dm = fake.post({ userId: ANA, senderName: 'ana', message: 'pause', direct: true });
    await fake.waitReply(dm);
    expect(control.calls).toHaveLength(1);
  });
});
