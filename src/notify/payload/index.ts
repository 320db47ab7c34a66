// Public surface of the platform payloads. `slackContent` and `mattermostWebhookPayload` take only
// a Notification, so the composition root can pass them to the targets as their body builders.
export { COLOR_HEX, ELLIPSIS, MATTERMOST_LIMITS, SLACK_LIMITS, truncate } from './limits.js';
export {
  escapeSlack, slackBlocks, slackContent, slackPayload, slackText, slackUpdatePayload, slackWebhookPayload,
  type SlackAttachment, type SlackBlock, type SlackContent, type SlackPostMessage, type SlackPostOptions,
  type SlackTextObject, type SlackUpdate, type SlackWebhookBody,
} from './slack.js';
export {
  mattermostAttachment, mattermostMessage, mattermostPatchPayload, mattermostPostPayload, mattermostWebhookPayload,
  type MattermostAttachment, type MattermostPatchBody, type MattermostPostBody, type MattermostPostOptions,
  type MattermostWebhookBody, type MattermostWebhookOptions,
} from './mattermost.js';
