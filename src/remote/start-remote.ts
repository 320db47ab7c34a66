// Composition root for chat commands: starts Slack Socket Mode when there is an app-level token
// and a bot token, the Mattermost WebSocket when there is a server URL and a bot token, nothing
// otherwise. Both connect in the background: a chat outage at startup delays nobody's print, and
// `stop()` ends them without waiting for a network that may be gone.
import type { PrinterControl } from '../app/printer-control.js';
import type { OctoslackConfig } from '../config/types.js';
import type { Notification } from '../notify/notification.js';
import type { BackoffOptions } from './backoff.js';
import { CommandHandler, type MessageHandler, type RemoteLog } from './handler.js';
import { MattermostWsCommands } from './mattermost-ws.js';
import type { RemoteSettings } from './remote-config.js';
import { SlackSocketCommands } from './slack-socket.js';

export interface StartRemoteOptions {
  config: OctoslackConfig;
  remote: RemoteSettings;
  /** The running print's (or the watched printer's) control; undefined while there is none. */
  control: () => PrinterControl | undefined;
  /** The `status` answer: `renderNotification(rules.status(view(), chatUser), config, host)`. */
  statusMessage: (chatUser: string) => Notification;
  log: RemoteLog;
  /** Defaults to config.printerName, else the host name the caller passes. */
  printerName?: string;
  /** A farm: this dispatcher answers instead of one printer's handler (control/statusMessage unused). */
  handler?: MessageHandler;
  now?: () => number;
  /** Connection timing; tests shorten it. */
  tuning?: RemoteTuning;
}

export interface RemoteTuning {
  timeoutMs?: number;
  backoff?: BackoffOptions;
  slackClientPingTimeoutMs?: number;
  slackHelloTimeoutMs?: number;
  mattermostPingIntervalMs?: number;
  mattermostDeadAfterMs?: number;
  mattermostChallengeAfterMs?: number;
}

export interface RemoteCommands {
  /** Which platforms listen: "slack", "mattermost". */
  readonly platforms: string[];
  readonly slack?: SlackSocketCommands;
  readonly mattermost?: MattermostWsCommands;
  stop(): Promise<void>;
}

export async function startRemoteCommands(o: StartRemoteOptions): Promise<RemoteCommands> {
  const { config, remote, log } = o;
  const none: RemoteCommands = { platforms: [], stop: async () => {} };
  if (!remote.commands.enabled) return none;
  const printerName = o.printerName ?? config.printerName ?? 'the printer';
  const handler = o.handler ?? new CommandHandler({
    settings: remote.commands, printerName, control: o.control, statusMessage: o.statusMessage, log, now: o.now,
  });
  const t = o.tuning ?? {};
  let slack: SlackSocketCommands | undefined;
  let mattermost: MattermostWsCommands | undefined;

  const s = config.slack;
  if (s?.token && remote.slack.appToken) {
    slack = new SlackSocketCommands({
      settings: s, appToken: remote.slack.appToken, handler, log, timeoutMs: t.timeoutMs, backoff: t.backoff,
      clientPingTimeoutMs: t.slackClientPingTimeoutMs, helloTimeoutMs: t.slackHelloTimeoutMs,
    });
  } else if (remote.slack.appToken && !s?.token) {
    log.warn('slack commands are off: there is an app-level token but no bot token (OCTOSLACK_SLACK_TOKEN, xoxb-…) to answer with');
  }
  const m = config.mattermost;
  if (m?.token && m.url) {
    if (!URL.canParse(m.url) || !/^(https?|wss?):$/.test(new URL(m.url).protocol)) {
      log.warn('mattermost commands are off: mattermost.url is not an http(s):// URL');
    } else {
      mattermost = new MattermostWsCommands({
        settings: { ...m, url: m.url, token: m.token }, handler, log, timeoutMs: t.timeoutMs, backoff: t.backoff,
        pingIntervalMs: t.mattermostPingIntervalMs, deadAfterMs: t.mattermostDeadAfterMs, challengeAfterMs: t.mattermostChallengeAfterMs,
      });
    }
  }
  slack?.start();
  mattermost?.start();
  const platforms = [...(slack ? ['slack'] : []), ...(mattermost ? ['mattermost'] : [])];
  const allow = remote.commands.allow;
  if (platforms.length > 0 && ![allow.pause, allow.resume, allow.cancel].some((l) => l && l.length > 0)) {
    log.debug?.('chat commands: pause, resume and cancel are allowed for nobody yet (commands.allow)');
  }
  return {
    platforms,
    ...(slack ? { slack } : {}),
    ...(mattermost ? { mattermost } : {}),
    async stop() {
      await Promise.all([slack?.stop(), mattermost?.stop()]);
    },
  };
}
