// The chat targets (Notifier implementations) and the body-builder seam the composition root fills.
export { SlackBotTarget, type SlackBotOptions } from './slack-bot.js';
export { SlackWebhookTarget, type SlackWebhookOptions } from './slack-webhook.js';
export { MattermostBotTarget, restPost, type MattermostBotOptions } from './mattermost-bot.js';
export { MattermostWebhookTarget, type MattermostWebhookOptions } from './mattermost-webhook.js';
export { plainSlackBody, plainMattermostBody, plainText, type BodyBuilder, type SlackBody, type MattermostBody } from './body.js';
export type { MultiThreadContext } from './thread-refs.js';
export type { NotedDelivery } from './fanout.js';
export type { CheckResult } from './slack-check.js';
