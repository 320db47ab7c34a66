// Slack commands over Socket Mode against a fake Slack on loopback: apps.connections.open with the
// app token, a WebSocket sending hello and envelopes, acknowledgements, thread replies, reactions,
// authorization by ID, and a reconnect after the connection drops.
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/schema.js';
import type { OctoslackConfig } from '../../src/config/types.js';
import { readRemoteSettings } from '../../src/remote/remote-config.js';
import { startRemoteCommands, type RemoteCommands } from '../../src/remote/start-remote.js';
import { DM_CHANNEL, FakeSocketModeSlack, SLACK_APP_TOKEN } from '../helpers/fake-socket-mode.js';
import { FakeControl, fakeStatus, memoryLog } from './fake-control.js';

const FAST = { timeoutMs: 2000, backoff: { baseMs: 50, maxMs: 200 }, slackHelloTimeoutMs: 2000 };

let fake: FakeSocketModeSlack | undefined;
let remote: RemoteCommands | undefined;
afterEach(async () => {
  await remote?.stop();
  await fake?.close();
  remote = undefined;
  fake = undefined;
});

async function setup(o: { appToken?: string; allow?: Record<string, string[]>; channels?: string[] } = {}) {
  fake = await FakeSocketModeSlack.startSocketMode();
  fake.users.set('U0ANA', { name: 'ana', display_name: 'Ana' });
  const config: OctoslackConfig = { ...defaultConfig(), printerName: 'Prusa',
    slack: { ...defaultConfig().slack!, apiUrl: fake.apiUrl, token: fake.token, channels: o.channels ?? ['#printer'] } };
  const { settings } = readRemoteSettings({ slack: { appToken: o.appToken ?? SLACK_APP_TOKEN },
    commands: { allow: o.allow ?? { pause: ['U0ANA'], resume: ['U0ANA'], cancel: ['T0TEST:U0ANA'] } } }, {});
  const control = new FakeControl();
  const log = memoryLog();
  remote = await startRemoteCommands({ config, remote: settings, control: () => control, statusMessage: fakeStatus, log, tuning: FAST });
  return { fake, control, log, remote };
}

/** The bot's replies in a thread, in order. */
function thread(f: FakeSocketModeSlack, ts: string): string[] {
  return f.calls('chat.postMessage').filter((r) => r.body.thread_ts === ts).map((r) => String(r.body.text));
}

async function replies(f: FakeSocketModeSlack, ts: string, count = 1): Promise<string[]> {
  const until = Date.now() + 5000;
  while (thread(f, ts).length < count) {
    if (Date.now() > until) throw new Error(`no reply in thread ${ts}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return thread(f, ts);
}

function reactionsOn(f: FakeSocketModeSlack, ts: string): string[] {
  return f.calls('reactions.add').filter((r) => r.body.timestamp === ts).map((r) => String(r.body.name));
}

describe('Slack Socket Mode commands', () => {
  it('connects with the app token, acks, pauses for an allowed user and replies in the thread', async () => {
    const { fake, control, remote, log } = await setup();
    await remote.slack!.whenConnected();
    expect(fake.calls('apps.connections.open')[0]!.headers.authorization).toBe(`Bearer ${SLACK_APP_TOKEN}`);
    const { ts, envelope } = fake.mention('U0ANA', 'please pause');
    await fake.waitAck(envelope);
    expect(await replies(fake, ts)).toEqual(['Paused (by @Ana).']);
    expect(control.calls).toEqual([{ method: 'pause', by: '@Ana' }]);
    await fake.waitFor('reactions.add', 2);
    expect(reactionsOn(fake, ts)).toEqual(['eyes', 'white_check_mark']);
    const post = fake.calls('chat.postMessage')[0]!;
    expect(post.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(post.body.channel).toBe('C0PRINTER1');
    expect(log.lines.join('\n')).toContain('"pause" from @Ana (slack user T0TEST:U0ANA)');
    expect(log.lines.join('\n')).not.toContain(SLACK_APP_TOKEN);
  });

  it('refuses a stranger with a lock and never reaches the printer', async () => {
    const { fake, control } = await setup();
    await remote!.slack!.whenConnected();
    const { ts } = fake.mention('U0STRANGER', 'cancel');
    const [text] = await replies(fake, ts);
    expect(text).toContain('Sorry, you may not `cancel` this printer');
    expect(text).toContain('U0STRANGER');
    await fake.waitFor('reactions.add', 1);
    expect(reactionsOn(fake, ts)).toEqual(['lock']);
    expect(control.calls).toEqual([]);
  });

  it('cancel needs `cancel confirm` from the same user; the team-pinned ID must match', async () => {
    const { fake, control } = await setup();
    await remote!.slack!.whenConnected();
    const first = fake.mention('U0ANA', 'stop');
    expect((await replies(fake, first.ts))[0]).toContain('Reply `cancel confirm` within 60 s');
    expect(control.calls).toEqual([]);
    const second = fake.mention('U0ANA', 'cancel confirm', 'C0PRINTER1', { thread_ts: first.ts });
    const texts = await replies(fake, first.ts, 2);
    expect(texts[1]).toBe('Cancelled (by @Ana); heaters off.');
    expect(control.calls).toEqual([{ method: 'cancel', by: '@Ana' }]);
    await fake.waitFor('reactions.add', 3);
    expect(reactionsOn(fake, second.ts)).toEqual(['eyes', 'white_check_mark']);
  });

  it('ignores itself, other bots, edits, and channels that are not configured; answers DMs', async () => {
    const { fake, control } = await setup({ allow: { pause: ['U0ANA'] } });
    await remote!.slack!.whenConnected();
    const envs = [
      fake.mention('U0BOT', 'pause').envelope,
      fake.mention('U0ANA', 'pause', 'C0PRINTER1', { bot_id: 'B0OTHER' }).envelope,
      fake.direct('U0ANA', 'pause', { subtype: 'message_changed' }).envelope,
      fake.mention('U0ANA', 'pause', 'C0RANDOM01').envelope,
    ];
    for (const e of envs) await fake.waitAck(e);
    const dm = fake.direct('U0ANA', 'status');
    await fake.waitFor('chat.postMessage', 1);
    const post = fake.calls('chat.postMessage')[0]!;
    expect(post.body.channel).toBe(DM_CHANNEL);
    expect(post.body.thread_ts).toBeUndefined();
    // The status answer is the rendered card (Block Kit in a coloured attachment).
    expect(post.body.text).toBe('Printing cube.gcode: 42%');
    expect(JSON.stringify(post.body.attachments)).toContain('Chat user');
    expect(control.calls).toEqual([]);
    await fake.waitFor('reactions.add', 2);
    expect(reactionsOn(fake, dm.ts)).toEqual(['eyes', 'white_check_mark']);
  });

  it('answers each event once even if Slack delivers it twice', async () => {
    const { fake, control } = await setup();
    await remote!.slack!.whenConnected();
    const ev = { type: 'app_mention', user: 'U0ANA', text: '<@U0BOT> pause', ts: '1767225999.000100', channel: 'C0PRINTER1' };
    fake.sendEvent(ev, { eventId: 'EvSAME' });
    const again = fake.sendEvent(ev, { eventId: 'EvSAME' });
    await fake.waitAck(again);
    await replies(fake, ev.ts);
    await new Promise((r) => setTimeout(r, 100));
    expect(control.calls).toHaveLength(1);
  });

  it('reconnects after the connection drops, and after Slack asks it to', async () => {
    const { fake, control, log } = await setup();
    await remote!.slack!.whenConnected();
    fake.drop();
    await fake.waitOpened(2);
    await remote!.slack!.whenConnected();
    expect(fake.calls('apps.connections.open')).toHaveLength(2);
    const a = fake.mention('U0ANA', 'pause');
    expect(await replies(fake, a.ts)).toEqual(['Paused (by @Ana).']);
    fake.askReconnect();
    await fake.waitOpened(3);
    await new Promise((r) => setTimeout(r, 50));
    const b = fake.mention('U0ANA', 'resume');
    expect(await replies(fake, b.ts)).toEqual(['Resumed (by @Ana).']);
    expect(control.calls.map((c) => c.method)).toEqual(['pause', 'resume']);
    expect(log.lines.filter((l) => l.includes('Socket Mode connection closed'))).toHaveLength(2);
  });

  it('keeps trying while Slack is unreachable, and gives up on a token Slack refuses', async () => {
    const { fake, log } = await setup({ appToken: 'xapp-1-wrong' });
    await fake.waitFor('apps.connections.open', 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.calls('apps.connections.open')).toHaveLength(1);
    expect(log.lines.join('\n')).toMatch(/slack commands are off: Slack rejected the app-level token \(invalid_auth\)\. Set OCTOSLACK_SLACK_APP_TOKEN/);
    expect(log.lines.join('\n')).not.toContain('xapp-1-wrong');
    expect(remote!.slack!.connected).toBe(false);
  });

  it('a token revoked while connected ends the commands quietly (the SDK\'s own reconnect would reject unhandled)', async () => {
    const { fake, log } = await setup();
    await remote!.slack!.whenConnected();
    fake.script('apps.connections.open', { error: 'invalid_auth' });
    fake.drop();
    await fake.waitFor('apps.connections.open', 2);
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.calls('apps.connections.open')).toHaveLength(2);
    expect(remote!.slack!.connected).toBe(false);
    expect(log.lines.join('\n')).toContain('slack commands are off: Slack rejected the app-level token (invalid_auth)');
  });

  it('retries with backoff while apps.connections.open fails', async () => {
    fake = await FakeSocketModeSlack.startSocketMode();
    fake.script('apps.connections.open', 'close', { status: 503, body: 'down' }, { error: 'internal_error' });
    const config: OctoslackConfig = { ...defaultConfig(), slack: { ...defaultConfig().slack!, apiUrl: fake.apiUrl, token: fake.token, channels: ['C0PRINTER1'] } };
    const log = memoryLog();
    remote = await startRemoteCommands({ config, remote: readRemoteSettings({ slack: { appToken: SLACK_APP_TOKEN } }, {}).settings,
      control: () => undefined, statusMessage: fakeStatus, log, tuning: FAST });
    await remote.slack!.whenConnected(5000);
    expect(fake.calls('apps.connections.open')).toHaveLength(4);
    expect(log.lines.filter((l) => l.includes('cannot connect'))).toHaveLength(3);
  });

  it('answers /octoslack through the response_url', async () => {
    const { fake, control } = await setup();
    await remote!.slack!.whenConnected();
    const s = fake.slash('U0ANA', 'pause');
    await fake.waitAck(s.envelope);
    await fake.waitFor('response_url', 1);
    const r = fake.calls('response_url')[0]!;
    expect(r.path).toBe(s.responsePath);
    expect(r.body).toMatchObject({ response_type: 'in_channel', text: 'Paused (by @Ana).' });
    expect(control.calls).toHaveLength(1);
    const h = fake.slash('U0STRANGER', 'help');
    await fake.waitFor('response_url', 2);
    expect(fake.calls('response_url')[1]!.body).toMatchObject({ response_type: 'ephemeral' });
    expect(h.responsePath).not.toBe(s.responsePath);
  });
});
