// Composition root for notifications: the configured chat targets, the persistent outbox, and
// the pipeline from the event bus. With no target configured, notifications are simply off.
import os from 'node:os';
import path from 'node:path';
import type { OctoslackConfig } from '../config/types.js';
import { redactSecrets } from '../config/redact.js';
import type { EventBus } from '../events/bus.js';
import { gatherHostInfo } from '../notify/host-info.js';
import type { Notification, Notifier } from '../notify/notification.js';
import { renderNotification } from '../notify/render/render.js';
import { Outbox } from '../notify/outbox/outbox.js';
import { mattermostWebhookPayload } from '../notify/payload/mattermost.js';
import { slackContent } from '../notify/payload/slack.js';
import { NotificationPipeline } from '../notify/pipeline.js';
import type { PrinterView } from '../notify/render/input.js';
import { MattermostBotTarget, MattermostWebhookTarget, SlackBotTarget, SlackWebhookTarget } from '../notify/targets/index.js';
import type { Logger } from '../session/printer-session.js';

export const OCTOSLACK_VERSION = '0.1.0';

/** The chat targets the config describes, in a stable order. */
export function buildNotifiers(config: OctoslackConfig): Notifier[] {
  const out: Notifier[] = [];
  const slack = config.slack;
  if (slack?.token) out.push(new SlackBotTarget({ settings: slack, payload: slackContent }));
  if (slack?.webhookUrl) out.push(new SlackWebhookTarget({ settings: slack, payload: slackContent }));
  const mm = config.mattermost;
  if (mm?.token && mm.url) out.push(new MattermostBotTarget({ settings: mm, payload: (n) => mattermostWebhookPayload(n) }));
  if (mm?.webhookUrl) out.push(new MattermostWebhookTarget({ settings: mm, payload: (n) => mattermostWebhookPayload(n) }));
  return out;
}

/** $XDG_STATE_HOME/octoslack, else ~/.local/state/octoslack. */
export function stateDir(config: OctoslackConfig, env: NodeJS.ProcessEnv = process.env): string {
  if (config.stateDir) return config.stateDir;
  const base = env['XDG_STATE_HOME'] || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'octoslack');
}

export interface Notifications {
  pipeline: NotificationPipeline;
  outbox: Outbox;
  /** The chat `status` answer: the printer and print now, as a message. */
  statusMessage(chatUser: string): Notification;
  /** Deliver what is queued (bounded), then stop. */
  close(timeoutMs?: number): Promise<{ delivered: number; pending: number; failed: number }>;
}

export async function startNotifications(opts: {
  config: OctoslackConfig;
  bus: EventBus;
  view: () => PrinterView;
  log: Logger;
  env?: NodeJS.ProcessEnv;
}): Promise<Notifications | undefined> {
  const notifiers = buildNotifiers(opts.config);
  if (notifiers.length === 0) return undefined;
  const redact = (s: string) => redactSecrets(s, opts.config);
  const outbox = new Outbox({
    dir: stateDir(opts.config, opts.env),
    notifiers,
    grouping: opts.config.grouping,
    log: { warn: (s) => opts.log.warn(redact(s)), debug: (s) => opts.log.debug(redact(s)) },
  });
  const host = await gatherHostInfo(OCTOSLACK_VERSION, { includeCpuTemp: opts.config.hostTemperature });
  const pipeline = new NotificationPipeline({ config: opts.config, bus: opts.bus, sink: outbox, host, view: opts.view });
  outbox.start();
  pipeline.start();
  return {
    pipeline,
    outbox,
    statusMessage: (chatUser) => renderNotification(pipeline.rules.status(opts.view(), chatUser), opts.config, host),
    async close(timeoutMs = 15_000) {
      pipeline.stop();
      const result = await outbox.drain(timeoutMs);
      await outbox.stop();
      return result;
    },
  };
}
