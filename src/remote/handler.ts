// One chat command, from message to answer, the same for Slack and Mattermost: parse, decide
// whether it is for this printer, authorize by user ID, ask for or check the cancel confirmation,
// call PrinterControl, and say what happened. The adapters only move messages, post the reply and
// set the reactions. Every command is logged with who sent it; `by` (who paused/cancelled) goes
// into PrinterControl so the resulting notification names them.
import type { PrinterControl } from '../app/printer-control.js';
import { NOT_NOW } from '../app/printer-control.js';
import type { Notification } from '../notify/notification.js';
import { isAllowed, parseCommand, PendingConfirmations, type ParsedKind, type Sender } from './commands.js';
import type { CommandName, CommandSettings } from './remote-config.js';
import {
  confirmCancelText, helpText, NOTHING_TO_CONFIRM, OFFLINE, refusalText, sentence, tempsText, unknownText, whichPrinterText,
} from './replies.js';

export interface RemoteLog {
  info(message: string): void;
  warn(message: string): void;
  debug?(message: string): void;
}

export interface IncomingMessage {
  sender: Sender;
  /** The sender's name for messages (`@ana`); may need an API call, so asked only for real commands. */
  senderName?: () => Promise<string | undefined>;
  /** How to name the sender when no name is known: Slack `<@U123>`, Mattermost `@U123…`. */
  mention: string;
  channelId: string;
  where: 'channel' | 'dm';
  text: string;
}

/** done/failed: the command ran (or could not); asked: waiting for `cancel confirm`. */
export type Outcome = 'done' | 'failed' | 'refused' | 'unknown' | 'asked';

export interface CommandReply {
  command: ParsedKind;
  outcome: Outcome;
  /** Always set; for `status` the plain-text version of the card. */
  text: string;
  /** The `status` card, rendered like a Progress message. */
  notification?: Notification;
  /** Worth showing the whole channel (Slack slash commands answer the others privately). */
  public: boolean;
}

/** What the platform adapters call: one printer's CommandHandler, or a farm's dispatcher. */
export interface MessageHandler {
  handle(msg: IncomingMessage, received?: () => void): Promise<CommandReply | undefined>;
}

export interface CommandHandlerOptions {
  settings: CommandSettings;
  printerName: string;
  control: () => PrinterControl | undefined;
  /** The `status` answer: a Progress-like Notification naming who asked. */
  statusMessage: (chatUser: string) => Notification;
  log: RemoteLog;
  now?: () => number;
}

/** Activities in which there is no print to cancel. */
const NOT_PRINTING = new Set(['idle', 'offline', 'error', 'done', 'cancelled', 'failed', 'disconnected']);

export class CommandHandler implements MessageHandler {
  private readonly confirmations: PendingConfirmations;

  constructor(private readonly o: CommandHandlerOptions) {
    this.confirmations = new PendingConfirmations(o.settings.confirmCancelSeconds * 1000, o.now ?? Date.now);
  }

  /**
   * The answer to one message, or undefined when it is not for this printer. `received` runs once
   * the command is accepted and authorized, before anything slow (the "seen" reaction).
   */
  async handle(msg: IncomingMessage, received?: () => void): Promise<CommandReply | undefined> {
    const s = this.o.settings;
    const p = parseCommand(msg.text, this.o.printerName);
    const controlLike = p.kind === 'pause' || p.kind === 'resume' || p.kind === 'cancel' || p.kind === 'cancel-confirm' || p.kind === 'unknown';
    if (s.requirePrinterName && !p.namesPrinter && controlLike) {
      // Other words are most likely another printer's name: that printer answers, not us.
      if (p.otherWords.length > 0 || p.kind === 'unknown') return undefined;
      return this.finish(msg, p.kind, 'unknown', whichPrinterText(this.o.printerName, p.kind === 'cancel-confirm' ? 'cancel' : p.kind), false);
    }
    if (p.kind === 'unknown') return this.finish(msg, p.kind, 'unknown', unknownText(p.word), false);
    const command: CommandName = p.kind === 'empty' ? 'help' : p.kind === 'cancel-confirm' ? 'cancel' : p.kind;
    if (!isAllowed(command, msg.sender, msg.where, s)) {
      return this.finish(msg, p.kind, 'refused', refusalText(command, msg.sender.userId, msg.where), false);
    }
    try {
      received?.();
    } catch { /* a reaction is decoration */ }
    const name = await this.nameOf(msg);
    switch (p.kind) {
      case 'empty':
      case 'help':
        return this.finish(msg, p.kind, 'done', helpText(this.o.printerName, (c) => isAllowed(c, msg.sender, msg.where, s), s), false, name);
      case 'status':
        return this.status(msg, name);
      case 'temps': {
        const c = this.o.control();
        if (!c) return this.finish(msg, p.kind, 'failed', sentence(OFFLINE), false, name);
        return this.finish(msg, p.kind, 'done', tempsText(this.o.printerName, this.safeStatus(c)?.heaters ?? {}), false, name);
      }
      case 'pause':
      case 'resume':
        return this.control(msg, p.kind, name, (c) => (p.kind === 'pause' ? c.pause(name) : c.resume(name)));
      case 'cancel':
        return this.askCancel(msg, name);
      case 'cancel-confirm': {
        if (!this.confirmations.confirm(PendingConfirmations.key(msg.sender, msg.channelId))) {
          return this.finish(msg, p.kind, 'failed', NOTHING_TO_CONFIRM, false, name);
        }
        return this.control(msg, p.kind, name, (c) => c.cancel(name));
      }
    }
  }

  private async nameOf(msg: IncomingMessage): Promise<string> {
    try {
      const n = await msg.senderName?.();
      if (n && n.trim()) return n.trim();
    } catch { /* fall back to the mention */ }
    return msg.mention;
  }

  private status(msg: IncomingMessage, name: string): CommandReply {
    try {
      const n = this.o.statusMessage(name);
      return this.finish(msg, 'status', 'done', [n.headline, ...n.fields.map((f) => `${f.label}: ${f.value}`), n.footer].filter(Boolean).join('\n'), true, name, n);
    } catch (err) {
      // The card failed to render: a plain answer is still better than none.
      this.o.log.warn(`chat status: the status message failed (${(err as Error).message}); answering in plain text`);
      const c = this.o.control();
      const st = c ? this.safeStatus(c) : undefined;
      const pct = st?.job?.percent !== undefined ? `, ${st.job.percent.toFixed(0)} %` : '';
      const text = st ? `${this.o.printerName}: ${st.activity}${st.job ? ` ${st.job.file}` : ''}${pct}` : `${this.o.printerName}: ${OFFLINE}`;
      return this.finish(msg, 'status', 'done', text, true, name);
    }
  }

  private askCancel(msg: IncomingMessage, name: string): CommandReply {
    const c = this.o.control();
    if (!c) return this.finish(msg, 'cancel', 'failed', sentence(OFFLINE), false, name);
    const st = this.safeStatus(c);
    if (st?.activity === 'cancelling') return this.finish(msg, 'cancel', 'failed', sentence(NOT_NOW.cancelling), false, name);
    if (!st || NOT_PRINTING.has(st.activity)) return this.finish(msg, 'cancel', 'failed', sentence(NOT_NOW.cancelIdle), false, name);
    this.confirmations.ask(PendingConfirmations.key(msg.sender, msg.channelId));
    return this.finish(msg, 'cancel', 'asked', confirmCancelText(st.job?.file, this.o.settings.confirmCancelSeconds), false, name);
  }

  private async control(msg: IncomingMessage, kind: ParsedKind, name: string,
    run: (c: PrinterControl) => Promise<{ ok: boolean; message: string }>): Promise<CommandReply> {
    const c = this.o.control();
    if (!c) return this.finish(msg, kind, 'failed', sentence(OFFLINE), false, name);
    let result: { ok: boolean; message: string };
    try {
      result = await run(c);
    } catch (err) {
      result = { ok: false, message: `the printer did not answer: ${(err as Error).message}` };
    }
    const verb = kind === 'cancel-confirm' ? 'cancel' : kind;
    // Failures explain themselves ("nothing is printing, so …"); say what was asked first.
    const text = result.ok ? sentence(result.message) : `Cannot ${verb}: ${sentence(result.message)}`;
    return this.finish(msg, kind, result.ok ? 'done' : 'failed', text, true, name);
  }

  private safeStatus(c: PrinterControl) {
    try {
      return c.status();
    } catch {
      return undefined;
    }
  }

  private finish(msg: IncomingMessage, command: ParsedKind, outcome: Outcome, text: string, isPublic: boolean,
    name?: string, notification?: Notification): CommandReply {
    const id = `${msg.sender.platform} user ${msg.sender.teamId ? `${msg.sender.teamId}:` : ''}${msg.sender.userId}`;
    const who = name && name !== msg.mention ? `${name} (${id})` : id;
    const where = msg.where === 'dm' ? 'a direct message' : `channel ${msg.channelId}`;
    const line = `chat command "${command}" from ${who} in ${where}: ${outcome} - ${text.split('\n')[0]}`;
    this.o.log.info(line);
    return { command, outcome, text, public: isPublic, ...(notification ? { notification } : {}) };
  }
}
