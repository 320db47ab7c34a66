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
import { stateDir } from './state-dir.js';
import { buildUploaders } from '../media/hosts/index.js';
import { FileAttachmentStore } from '../media/delivery/attachment-store.js';
import { withMedia, type MediaNotifier } from '../media/delivery/with-media.js';
import { SnapshotStage } from '../media/delivery/snapshot-stage.js';

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

export { stateDir } from './state-dir.js';

export interface Notifications {
  pipeline: NotificationPipeline;
  outbox: Outbox;
  /** The chat `status` answer: the printer and print now, as a message. */
  statusMessage(chatUser: string): Notification;
  /** Send a message made elsewhere (`snapshot --notify`), pictures included. */
  post(n: Notification): void;
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
  const { config } = opts;
  const redact = (s: string) => redactSecrets(s, config);
  const log = { warn: (s: string) => opts.log.warn(redact(s)), debug: (s: string) => opts.log.debug(redact(s)) };
  const dir = stateDir(config, opts.env);
  const store = new FileAttachmentStore(path.join(dir, 'media'));
  const notifiers = withPictures(buildNotifiers(config), config, store, log);
  if (notifiers.length === 0) return undefined;
  void store.prune();
  const outbox = new Outbox({ dir, notifiers, grouping: config.grouping, log });
  // Messages that ask for a picture wait (bounded, in order) for their cameras on the way to the outbox.
  const stage = new SnapshotStage({ next: outbox, config, store, log });
  const host = await gatherHostInfo(OCTOSLACK_VERSION, { includeCpuTemp: config.hostTemperature });
  const pipeline = new NotificationPipeline({ config, bus: opts.bus, sink: stage, host, view: opts.view });
  outbox.start();
  pipeline.start();
  return {
    pipeline,
    outbox,
    statusMessage: (chatUser) => renderNotification(pipeline.rules.status(opts.view(), chatUser), config, host),
    post: (n) => stage.enqueue(n),
    async close(timeoutMs = 15_000) {
      pipeline.stop();
      const started = Date.now();
      await stage.drain(timeoutMs);
      const result = await outbox.drain(Math.max(1000, timeoutMs - (Date.now() - started)));
      await Promise.all(notifiers.map((n) => n.idle()));
      stage.stop();
      await outbox.stop();
      return result;
    },
  };
}

/** Every target learns to show pictures and videos the way it can (native upload, or a hosted URL). */
function withPictures(targets: Notifier[], config: OctoslackConfig, store: FileAttachmentStore, log: { warn(s: string): void; debug(s: string): void }): MediaNotifier[] {
  // The uploader resolves `#name` with the bot target's resolver: one channel listing per process.
  const bot = targets.find((t): t is SlackBotTarget => t instanceof SlackBotTarget);
  const uploaders = buildUploaders(config, { log, ...(bot ? { slackResolver: bot.resolver } : {}) });
  // Problems with hosts only matter when there is something to picture.
  if (config.cameras.length > 0 || config.timelapse.enabled) for (const p of uploaders.problems) log.warn(p);
  const printerName = config.printerName ?? os.hostname();
  return targets.map((t) => withMedia(t, { uploaders, host: config.media.host, printerName, store, log }));
}
