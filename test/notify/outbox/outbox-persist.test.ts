// The outbox on disk and against the fake servers with the real targets: what was queued while
// Slack was down is delivered after a restart, in order and in the print's thread; an unwritable
// state folder means memory-only with one warning; no secret reaches the disk; and enqueue() stays
// far below a millisecond while Slack hangs (delivery never slows a print).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../../src/notify/outbox/index.js';
import { SlackBotTarget } from '../../../src/notify/targets/slack-bot.js';
import { SlackWebhookTarget } from '../../../src/notify/targets/slack-webhook.js';
import { MattermostBotTarget } from '../../../src/notify/targets/mattermost-bot.js';
import { FakeSlack, SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { FakeMattermost, MM_TOKEN } from '../../helpers/fake-mattermost.js';
import { note } from '../targets/sample.js';
import { quietLog, ScriptedNotifier, until } from './scripted-notifier.js';

let dir: string;
let slack: FakeSlack;
const boxes: Outbox[] = [];
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  slack = await FakeSlack.start();
});
afterEach(async () => {
  for (const b of boxes.splice(0)) await b.stop();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

function slackBot(timeoutMs = 2000): SlackBotTarget {
  return new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['#printer'] }, timeoutMs });
}

function box(notifiers: ConstructorParameters<typeof Outbox>[0]['notifiers'], log = quietLog(), d = dir): Outbox {
  const b = new Outbox({ dir: d, notifiers, log, backoff: { baseMs: 10, maxMs: 40 } });
  boxes.push(b);
  return b;
}

describe('Outbox persistence', () => {
  it('delivers after a restart what was queued while Slack was down, in order, in the print\'s thread', async () => {
    const a = box([slackBot()]);
    a.start();
    const start = note({ kind: 'start' });
    a.enqueue(start);
    await slack.waitFor('chat.postMessage', 1);
    await until(() => a.counts().delivered === 1);
    slack.script('chat.postMessage', ...Array.from({ length: 200 }, () => ({ status: 503, body: 'down' })));
    const queued = [note({ headline: 'one' }), note({ headline: 'two' }), note({ headline: 'three', event: 'PrintDone' })];
    for (const n of queued) a.enqueue(n);
    await slack.waitFor('chat.postMessage', 3);
    await a.stop();

    await slack.close();
    slack = await FakeSlack.start(); // back, answering normally (new port: the config says where)
    const b = box([slackBot()]);
    expect(await b.drain(5000)).toEqual({ delivered: 3, pending: 0, failed: 0 });
    const posts = slack.calls('chat.postMessage').map((c) => [String(c.body.text).split('\n')[0], c.body.thread_ts]);
    expect(posts).toEqual([['*one*', '1767225600.000001'], ['*two*', '1767225600.000001'], ['*three*', '1767225600.000001']]);
    // Compacted: only the thread refs remain, and no secret is on disk.
    await b.stop();
    const files = readdirSync(dir);
    expect(files).toEqual(['outbox-slack-bot.jsonl']);
    const text = readFileSync(join(dir, files[0]!), 'utf8');
    expect(text.trim().split('\n').map((l) => JSON.parse(l).t)).toEqual(['ref']);
    expect(text).not.toContain(SLACK_TOKEN);
  });

  it('keeps the progress card across a restart and edits it', async () => {
    const a = box([slackBot()]);
    a.enqueue(note({ kind: 'progress' }));
    await a.drain(3000);
    await a.stop();
    const b = box([slackBot()]);
    b.enqueue(note({ kind: 'progress', headline: 'Print progress 50%' }));
    await b.drain(3000);
    expect(slack.calls('chat.update')[0]!.body).toMatchObject({ channel: 'C0PRINTER1', ts: '1767225600.000001' });
  });

  it('never writes the webhook URL or tokens to disk', async () => {
    const mm = await FakeMattermost.start();
    try {
      const targets = [
        new SlackWebhookTarget({ settings: { webhookUrl: slack.webhookUrl } }),
        new MattermostBotTarget({ settings: { url: mm.url, token: MM_TOKEN, channel: 'printer', team: 'makers' } }),
      ];
      mm.script('posts', { status: 500, body: 'x' });
      slack.script('webhook', { status: 500, body: 'x' });
      const b = box(targets);
      b.enqueue(note({ kind: 'start' }));
      b.enqueue(note());
      await b.drain(3000);
      await b.stop();
      for (const f of readdirSync(dir)) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(text).not.toContain('s3cr3tWebhookKey');
        expect(text).not.toContain(MM_TOKEN);
      }
    } finally {
      await mm.close();
    }
  });

  it('skips a torn last line from a crash', async () => {
    const n1 = note();
    writeFileSync(join(dir, 'outbox-t.jsonl'), `${JSON.stringify({ t: 'add', n: n1 })}\n{"t":"add","n":{"id":"tor`);
    const t = new ScriptedNotifier('t');
    expect(await box([t]).drain(2000)).toMatchObject({ delivered: 1, pending: 0 });
    expect(t.ids()).toEqual([n1.id]);
  });

  it('compacts the journal while running, so a long session does not grow it without bound', async () => {
    const t = new ScriptedNotifier('t');
    const b = box([t]);
    b.start();
    for (let i = 0; i < 2500; i++) b.enqueue(note());
    await until(() => b.counts().delivered === 2500, 10_000);
    await b.drain(1000);
    const lines = readFileSync(join(dir, 'outbox-t.jsonl'), 'utf8').split('\n').length;
    expect(lines).toBeLessThan(2600); // 5000 records were appended
  });

  it('enqueue() never throws, even for garbage', () => {
    const log = quietLog();
    const b = box([new ScriptedNotifier('t')], log);
    expect(() => b.enqueue(undefined as never)).not.toThrow();
    expect(log.warnings[0]).toMatch(/Could not queue notification/);
  });

  it('an unwritable state folder: memory only, one warning, delivery goes on', async () => {
    const file = join(dir, 'a-file');
    appendFileSync(file, 'x');
    const log = quietLog();
    const t1 = new ScriptedNotifier('t1');
    const t2 = new ScriptedNotifier('t2');
    const b = box([t1, t2], log, join(file, 'state'));
    for (let i = 0; i < 5; i++) b.enqueue(note());
    expect(await b.drain(2000)).toMatchObject({ delivered: 10, pending: 0 });
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toMatch(/Cannot write the notification outbox in .*state \(ENOTDIR\): notifications are kept in memory only/);
  });
});

describe('delivery never slows the caller', () => {
  it('enqueue() returns in well under 1 ms while the fake Slack server hangs', async () => {
    slack.script('chat.postMessage', ...Array.from({ length: 50 }, () => 'hang' as const));
    const b = box([slackBot(30_000)]);
    b.start();
    b.enqueue(note({ kind: 'start' }));
    await slack.waitFor('chat.postMessage', 1); // in flight, hanging
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const n = note({ kind: i % 2 ? 'progress' : 'other' });
      const t0 = performance.now();
      b.enqueue(n);
      times.push(performance.now() - t0);
    }
    times.sort((x, y) => x - y);
    const median = times[1000]!;
    const p99 = times[1980]!;
    expect(median).toBeLessThan(0.05);
    expect(p99).toBeLessThan(1);
    // The event loop stays free too: a timer fires on time while the request hangs and the journal is written.
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 10));
    expect(performance.now() - t0).toBeLessThan(500);
    expect(b.counts().pending).toBe(1 + 1000 + 1); // the head, the "other"s, and one progress update (superseded)
  });
});
