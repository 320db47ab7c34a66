// The outbox driving the real targets against the fakes through failures: Retry-After honoured
// (real @slack/web-api 429), 500 then 200, a hang that times out and is retried, a refused
// connection that recovers, and a bad token reported once in plain words.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../src/notify/outbox/index.js';
import type { Notifier } from '../../../src/notify/notification.js';
import { SlackBotTarget } from '../../../src/notify/targets/slack-bot.js';
import { MattermostWebhookTarget } from '../../../src/notify/targets/mattermost-webhook.js';
import { FakeSlack, SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { FakeMattermost } from '../../helpers/fake-mattermost.js';
import { note } from '../targets/sample.js';
import { quietLog } from './scripted-notifier.js';

let dir: string;
let slack: FakeSlack;
const boxes: Outbox[] = [];
beforeEach(async () => { dir = mkdtempSync(join(tmpdir(), 'outbox-')); slack = await FakeSlack.start(); });
afterEach(async () => {
  for (const b of boxes.splice(0)) await b.stop();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function run(notifiers: Notifier[], log = quietLog()): Outbox {
  const b = new Outbox({ dir, notifiers, log, backoff: { baseMs: 20, maxMs: 50 } });
  boxes.push(b);
  return b;
}

const bot = (token = SLACK_TOKEN, timeoutMs = 2000) =>
  new SlackBotTarget({ settings: { token, apiUrl: slack.apiUrl, channels: ['C0PRINTER1'] }, timeoutMs });

it('429: waits the Retry-After seconds, then delivers', async () => {
  slack.script('chat.postMessage', { retryAfter: 1 });
  const b = run([bot()]);
  b.enqueue(note());
  expect(await b.drain(5000)).toMatchObject({ delivered: 1, pending: 0 });
  const [first, second] = slack.calls('chat.postMessage');
  const gap = second!.at - first!.at;
  expect(gap).toBeGreaterThanOrEqual(990);
  expect(gap).toBeLessThan(1800);
});

it('500 then 200, a hang then an answer, a closed connection then an answer: all delivered, in order', async () => {
  slack.script('chat.postMessage', { status: 500, body: 'oops' }, 'default', 'hang', 'default', 'close');
  const b = run([bot(SLACK_TOKEN, 300)]);
  const ns = [note({ headline: 'a' }), note({ headline: 'b' }), note({ headline: 'c' })];
  for (const n of ns) b.enqueue(n);
  expect(await b.drain(8000)).toMatchObject({ delivered: 3, pending: 0, failed: 0 });
  const texts = slack.calls('chat.postMessage').map((c) => String(c.body.text).split('\n')[0]);
  // Each message was tried until it went through before the next one started (strict order).
  expect(texts.filter((t, i) => t !== texts[i - 1])).toEqual(['*a*', '*b*', '*c*']);
  expect(texts.length).toBeGreaterThanOrEqual(6);
});

it('connection refused until the server comes back', async () => {
  const mm = await FakeMattermost.start();
  const url = mm.webhookUrl;
  await mm.close();
  const b = run([new MattermostWebhookTarget({ settings: { webhookUrl: url } })]);
  b.start();
  b.enqueue(note());
  await new Promise((r) => setTimeout(r, 100));
  expect(b.counts()).toMatchObject({ delivered: 0, pending: 1 });
  const back = new FakeMattermost();
  await back.listen(Number(new URL(url).port)); // the same address the target was configured with
  try {
    expect(await b.drain(5000)).toMatchObject({ delivered: 1, pending: 0 });
    expect(back.calls('webhook')).toHaveLength(1);
  } finally {
    await back.close();
  }
});

it('a bad token is reported once in plain words and its messages are dropped, not retried forever', async () => {
  const log = quietLog();
  const b = run([bot('xoxb-revoked-000')], log);
  for (let i = 0; i < 4; i++) b.enqueue(note());
  expect(await b.drain(5000)).toEqual({ delivered: 0, pending: 0, failed: 4 });
  expect(slack.calls('chat.postMessage')).toHaveLength(4);
  expect(log.warnings).toEqual([
    'slack-bot: Slack rejected the token (invalid_auth). Set OCTOSLACK_SLACK_TOKEN to the app\'s Bot User OAuth Token (xoxb-…, from the app\'s "OAuth & Permissions" page).',
  ]);
});
