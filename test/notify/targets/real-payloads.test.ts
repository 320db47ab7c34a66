// The payload builders of src/notify/payload plug into the targets as `payload`: Block Kit in a
// coloured attachment for Slack, attachments in props for a Mattermost REST post.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { slackContent, mattermostWebhookPayload } from '../../../src/notify/payload/index.js';
import { SlackBotTarget } from '../../../src/notify/targets/slack-bot.js';
import { MattermostBotTarget } from '../../../src/notify/targets/mattermost-bot.js';
import { FakeSlack, SLACK_TOKEN } from '../../helpers/fake-slack.js';
import { FakeMattermost, MM_TOKEN } from '../../helpers/fake-mattermost.js';
import { note } from './sample.js';

let slack: FakeSlack;
let mm: FakeMattermost;
beforeEach(async () => { slack = await FakeSlack.start(); mm = await FakeMattermost.start(); });
afterEach(async () => { await slack.close(); await mm.close(); });

it('Slack: slackContent as the body builder', async () => {
  const t = new SlackBotTarget({ settings: { token: SLACK_TOKEN, apiUrl: slack.apiUrl, channels: ['C0PRINTER1'] }, payload: slackContent });
  expect((await t.send(note(), {})).ok).toBe(true);
  const body = slack.calls('chat.postMessage')[0]!.body;
  expect(body).toMatchObject({ channel: 'C0PRINTER1', text: expect.any(String) });
  expect(body.attachments).toEqual(slackContent(note()).attachments);
});

it('Mattermost: mattermostWebhookPayload as the body builder of the bot', async () => {
  const t = new MattermostBotTarget({ settings: { url: mm.url, token: MM_TOKEN, channel: 'printer', team: 'makers' }, payload: mattermostWebhookPayload });
  const n = note({ level: 'urgent' });
  expect((await t.send(n, {})).ok).toBe(true);
  const web = mattermostWebhookPayload(n);
  expect(mm.calls('posts')[0]!.body).toMatchObject({ message: web.text, props: { attachments: web.attachments }, metadata: { priority: { priority: 'urgent' } } });
});
