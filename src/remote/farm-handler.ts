// Chat commands for a farm: one bot, several printers. A Slack app's Socket Mode gives each message
// to one connection only, so a process that drives several printers must answer for all of them
// through one connection. A message that names a printer goes to that printer's handler (its own
// confirmations, its own control). `status`, `temps` and `help` without a name answer for every
// printer; pause, resume and cancel without a name are never guessed: the bot asks which printer.
import { parseCommand } from './commands.js';
import type { CommandHandler, CommandReply, IncomingMessage, MessageHandler } from './handler.js';

export interface FarmPrinter {
  name: string;
  handler: CommandHandler;
}

const FOR_EVERY_PRINTER = new Set(['status', 'temps', 'help', 'empty']);

export class FarmCommandHandler implements MessageHandler {
  constructor(private readonly printers: readonly FarmPrinter[]) {}

  async handle(msg: IncomingMessage, received?: () => void): Promise<CommandReply | undefined> {
    if (this.printers.length === 1) return this.printers[0]!.handler.handle(msg, received);
    // The longest name wins: "Prusa XL" is named in "pause prusa xl", and so is "Prusa".
    const named = this.printers
      .filter((p) => parseCommand(msg.text, p.name).namesPrinter)
      .sort((a, b) => b.name.length - a.name.length);
    if (named.length > 0) return named[0]!.handler.handle(msg, received);
    const kind = parseCommand(msg.text).kind;
    if (FOR_EVERY_PRINTER.has(kind)) return this.everyPrinter(msg, received);
    const names = this.printers.map((p) => p.name);
    const word = kind === 'cancel-confirm' ? 'cancel confirm' : kind === 'unknown' ? 'pause' : kind;
    return {
      command: kind,
      outcome: 'unknown',
      text: `${this.printers.length} printers listen here: name one, e.g. \`${word} ${names[0]}\` (printers: ${names.join(', ')}).`,
      public: false,
    };
  }

  /** Every printer's answer in one reply (authorization is each printer's own). */
  private async everyPrinter(msg: IncomingMessage, received?: () => void): Promise<CommandReply | undefined> {
    let seen = false;
    const once = () => {
      if (seen) return;
      seen = true;
      received?.();
    };
    const replies = (await Promise.all(this.printers.map((p) => p.handler.handle(msg, once)))).filter((r): r is CommandReply => r !== undefined);
    const first = replies[0];
    if (!first) return undefined;
    if (first.command === 'help' || first.command === 'empty') return first; // the same text for each
    return { command: first.command, outcome: replies.every((r) => r.outcome === 'done') ? 'done' : first.outcome, text: replies.map((r) => r.text).join('\n\n'), public: first.public };
  }
}
