// What every command that talks to a printer shares: the event bus, output (JSON or human),
// the logger, and signal handling that stops cleanly.
import { EventBus } from '../../events/bus.js';
import { attachConsoleOutput, type StatusSource } from '../output/console-output.js';
import { attachJsonOutput } from '../output/json-output.js';
import { stderrLogger } from '../logger.js';
import type { Logger, PrinterSession } from '../../session/printer-session.js';
import type { OctoslackConfig } from '../../config/types.js';
import type { PrinterView } from '../../notify/render/input.js';
import type { Notifications } from '../../app/notifications.js';
import type { PrinterControl } from '../../app/printer-control.js';
import type { MessageHandler } from '../../remote/handler.js';
import type { MqttBridge } from '../../mqtt/bridge.js';
import type { Notification } from '../../notify/notification.js';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadStream;
}

export interface OutputOptions {
  json: boolean;
  verbose: boolean;
  /** A farm's printer: its lines start with `[name]`, its JSON events carry `"printer"`, no status line. */
  label?: string;
}

export interface RunContext {
  bus: EventBus;
  log: Logger;
  /** Show the live status line from this source (TTY only). */
  setStatusSource(source: StatusSource): void;
  say(text: string): void;
  /** Start delivering events to the configured chat targets (no-op without targets). */
  startNotifications(config: OctoslackConfig, view: () => PrinterView): Promise<void>;
  /** Answer chat commands (Slack Socket Mode, Mattermost WebSocket) when configured; a farm passes its dispatcher. */
  startRemote(config: OctoslackConfig, printerName: string, control: () => PrinterControl | undefined, handler?: MessageHandler): Promise<void>;
  /**
   * Publish this printer on MQTT when `mqtt:` is configured. A farm passes the bridge the first
   * printer got back, so every printer shares one connection; the context that created it stops it.
   */
  startMqtt(config: OctoslackConfig, printer: { name: string; view: () => PrinterView; control: () => PrinterControl | undefined }, shared?: MqttBridge): Promise<MqttBridge | undefined>;
  /** The chat `status` card of this printer, once notifications run. */
  statusMessage(chatUser: string): Notification | undefined;
  /** Give the notification rules copies of the session's serial lines. */
  attachSession(session: PrinterSession): () => void;
  /** Flush events, deliver queued messages (bounded), detach output. */
  close(): Promise<void>;
}

export function createRunContext(io: CliIo, opts: OutputOptions): RunContext {
  ignoreClosedPipes(io);
  const label = opts.label;
  const stderr = label === undefined ? io.stderr : prefixed(io.stderr, label);
  const stdout = label === undefined ? io.stdout : prefixed(io.stdout, label);
  const log = stderrLogger(opts.verbose, stderr);
  const bus = new EventBus((err, e) => log.warn(`an event handler failed on ${e.event}: ${String(err)}`));
  let detach: () => void = () => {};
  let statusSource: StatusSource | undefined;
  const attach = () => {
    detach();
    detach = opts.json
      ? attachJsonOutput(bus, (s) => io.stdout.write(s), label === undefined ? {} : { printer: label })
      : attachConsoleOutput(bus, { stream: stdout, status: statusSource });
  };
  attach();
  let notifications: Notifications | undefined;
  let timelapse: { close(timeoutMs?: number): Promise<boolean> } | undefined;
  let ownBridge: MqttBridge | undefined;
  let leaveBridge: (() => void) | undefined;
  let remote: { stop(): Promise<void> } | undefined;
  return {
    bus,
    log,
    setStatusSource(source) {
      statusSource = source;
      if (!opts.json) attach();
    },
    say(text) {
      if (!opts.json) stdout.write(`${stdout.isTTY ? '\r\x1b[2K' : ''}${text}\n`);
    },
    async startMqtt(config, printer, shared) {
      if (!config.mqtt) return undefined;
      let bridge = shared;
      if (!bridge) {
        // Loaded only when configured: the MQTT client is the largest dependency.
        const { startMqtt } = await import('../../mqtt/index.js');
        const { OCTOSLACK_VERSION } = await import('../../app/notifications.js');
        bridge = startMqtt(config.mqtt, log, { confirmCancelSeconds: config.commands.confirmCancelSeconds, version: OCTOSLACK_VERSION });
        ownBridge = bridge;
      }
      leaveBridge = bridge.addPrinter({ name: printer.name, bus, view: printer.view, control: printer.control });
      return bridge;
    },
    statusMessage(chatUser) {
      return notifications?.statusMessage(chatUser);
    },
    async startNotifications(config, view) {
      // Before the port is opened: a config that cannot work as written (a bot token with no
      // channel, an unknown camera, a bad template) stops here, not halfway into a print.
      const { checkConfig } = await import('../../config/check.js');
      const { ConfigError, formatProblem, isWarning } = await import('../../config/problems.js');
      const { redactSecrets } = await import('../../config/redact.js');
      const problems = checkConfig(config).map((p) => ({ ...p, message: redactSecrets(p.message, config), fix: redactSecrets(p.fix, config) }));
      const errors = problems.filter((p) => !isWarning(p));
      if (errors.length > 0) throw new ConfigError(errors);
      for (const p of problems) log.warn(formatProblem(p));
      const { startNotifications, stateDir } = await import('../../app/notifications.js');
      notifications = await startNotifications({ config, bus, view, log });
      if (config.timelapse.enabled) {
        // The video is kept on disk even when no chat target is configured.
        const { TimelapseDriver } = await import('../../media/timelapse/driver.js');
        const driver = new TimelapseDriver({ bus, config, stateDir: stateDir(config), log });
        driver.start();
        timelapse = driver;
      }
    },
    async startRemote(config, printerName, control, handler) {
      if (!notifications) return; // commands answer with messages: they need a chat target
      // Not even loaded when off: the Socket Mode client brings its own HTTP stack.
      if (!config.commands.enabled) return;
      const { readRemoteSettings } = await import('../../remote/remote-config.js');
      const { startRemoteCommands } = await import('../../remote/start-remote.js');
      const r = readRemoteSettings(config);
      for (const p of r.problems) log.warn(p);
      const n = notifications;
      remote = await startRemoteCommands({
        config,
        remote: r.settings,
        printerName,
        control,
        ...(handler ? { handler } : {}),
        statusMessage: (chatUser) => n.statusMessage(chatUser),
        log: { info: (m) => stderr.write(`octoslack: ${m}\n`), warn: (m) => log.warn(m), debug: (m) => log.debug(m) },
      });
    },
    attachSession(session) {
      return notifications ? notifications.pipeline.attachSession(session) : () => {};
    },
    async close() {
      await remote?.stop();
      await bus.flush();
      // A render still running after the print ended: its MovieDone must reach the outbox first.
      await timelapse?.close();
      // After the flush: the final events (PrintDone, Shutdown) are published before `offline`.
      leaveBridge?.();
      await ownBridge?.stop();
      if (notifications) {
        const r = await notifications.close();
        if (r.pending > 0) log.warn(`${r.pending} message(s) not delivered yet; they are kept and sent next time octoslack runs`);
      }
      detach();
    },
  };
}

/** A stream whose every line starts with `[label] ` (never a TTY: a farm has no status line). */
function prefixed(stream: NodeJS.WritableStream, label: string): NodeJS.WritableStream & { isTTY?: boolean } {
  let atLineStart = true;
  const tag = `[${label}] `;
  const out = {
    isTTY: false,
    write(chunk: string | Uint8Array): boolean {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      let res = '';
      for (const part of text.split(/(?<=\n)/)) {
        if (part === '') continue;
        res += (atLineStart ? tag : '') + part;
        atLineStart = part.endsWith('\n');
      }
      return stream.write(res);
    },
    on: (...args: Parameters<NodeJS.WritableStream['on']>) => { stream.on(...args); return out; },
    listenerCount: (e: string) => (stream as unknown as { listenerCount?(e: string): number }).listenerCount?.(e) ?? 0,
  };
  return out as unknown as NodeJS.WritableStream & { isTTY?: boolean };
}

/** SIGINT/SIGTERM: first one asks for a clean stop; a second one forces it. */
export function onInterrupt(handler: (force: boolean) => void): () => void {
  let count = 0;
  const h = () => handler(++count > 1);
  process.on('SIGINT', h);
  process.on('SIGTERM', h);
  return () => {
    process.off('SIGINT', h);
    process.off('SIGTERM', h);
  };
}

/**
 * `octoslack print … | head`, or a log collector that goes away: writing to a closed pipe raises
 * EPIPE. Output is a convenience; the print must go on, so such errors are swallowed.
 */
function ignoreClosedPipes(io: CliIo): void {
  for (const stream of [io.stdout, io.stderr]) {
    const s = stream as NodeJS.WritableStream & { listenerCount?(e: string): number };
    if (typeof s.on === 'function' && (s.listenerCount?.('error') ?? 0) === 0) s.on('error', () => {});
  }
}
