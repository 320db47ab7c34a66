// One message from a command that has no printer (`snapshot --notify`): the whole notification
// stack — targets, picture delivery, the persistent outbox — started, given the message, drained
// (bounded) and stopped. What could not be delivered stays in the outbox for the next run.
import { startNotifications } from '../../app/notifications.js';
import type { OctoslackConfig } from '../../config/types.js';
import { EventBus } from '../../events/bus.js';
import type { Notification } from '../../notify/notification.js';
import { stderrLogger } from '../logger.js';
import type { CliIo } from './run-context.js';

export async function postOnce(n: Notification, config: OctoslackConfig, io: Pick<CliIo, 'stderr'>): Promise<{ delivered: number; pending: number; failed: number }> {
  const log = stderrLogger(false, io.stderr);
  const bus = new EventBus((err) => log.warn(String(err)));
  const printerName = config.printerName ?? 'the printer';
  const notifications = await startNotifications({ config, bus, log, view: () => ({ printerName, status: 'Offline', heaters: {} }) });
  if (!notifications) {
    log.warn('no chat target is configured (set OCTOSLACK_SLACK_TOKEN, a webhook URL, or the Mattermost settings); nothing was posted');
    return { delivered: 0, pending: 0, failed: 1 };
  }
  notifications.post(n);
  return notifications.close();
}
