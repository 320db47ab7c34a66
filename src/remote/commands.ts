// The pure core of chat commands: what a message asks for, whether its sender may ask it, and the
// pending `cancel` confirmations. No network, no printer: the platform adapters bring messages in,
// handler.ts acts on the answers. People write loosely (`@octoslack please pause the Prusa`), so
// parsing finds the first command word and ignores the rest; authorization uses immutable IDs
// only (a display name can be changed by its owner to anyone else's).
import { CONTROL_COMMANDS, type CommandName, type CommandSettings } from './remote-config.js';

export type ParsedKind = CommandName | 'cancel-confirm' | 'unknown' | 'empty';

export interface ParsedCommand {
  kind: ParsedKind;
  /** The command word as written (for "I don't know `foo`"). */
  word?: string;
  /** The message names this printer (config `printerName`). */
  namesPrinter: boolean;
  /** Words that are neither the command, `confirm`, our name nor filler (maybe another printer's name). */
  otherWords: string[];
}

const WORDS: Record<string, CommandName> = {
  help: 'help', commands: 'help', '?': 'help',
  status: 'status', progress: 'status',
  temps: 'temps', temp: 'temps', temperature: 'temps', temperatures: 'temps',
  pause: 'pause',
  resume: 'resume', unpause: 'resume', continue: 'resume',
  cancel: 'cancel', stop: 'cancel', abort: 'cancel',
};
const CONFIRM = new Set(['confirm', 'confirmed', 'yes']);
/** Words that may surround a command without naming anything. */
const FILLER = new Set(['please', 'pls', 'plz', 'now', 'the', 'a', 'print', 'printer', 'job', 'hey', 'hi', 'hello',
  'can', 'could', 'would', 'you', 'thanks', 'thank', 'thx', 'me', 'show', 'what', 's', 'is', 'it', 'of', 'for', 'my', 'on']);

/** Lower case, mentions and links removed, everything but letters, digits and `?` becomes a space. */
export function normalizeText(text: string): string {
  return text
    .replace(/<[^>]*>/g, ' ') // Slack <@U123>, <#C123|name>, <https://…|…>
    .replace(/(^|\s)@[\w.-]+/g, ' ') // Mattermost @octobot
    .toLowerCase()
    .replace(/[^\p{L}\p{N}?]+/gu, ' ')
    .replace(/\?/g, ' ? ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Parse one chat message. `printerName` is matched as a whole phrase, case-insensitively. */
export function parseCommand(text: string, printerName?: string): ParsedCommand {
  let norm = ` ${normalizeText(text)} `;
  const name = printerName ? normalizeText(printerName) : '';
  let namesPrinter = false;
  if (name && norm.includes(` ${name} `)) {
    namesPrinter = true;
    // A printer called "Stop Box" must not read as `stop`.
    norm = norm.split(` ${name} `).join(' ');
  }
  const words = norm.trim() === '' ? [] : norm.trim().split(' ');
  let kind: ParsedKind = words.length === 0 ? 'empty' : 'unknown';
  let word: string | undefined;
  let at = -1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const cmd = WORDS[w];
    if (cmd) {
      kind = cmd;
      word = w;
      at = i;
      break;
    }
  }
  if (kind === 'cancel' && words.some((w) => CONFIRM.has(w))) kind = 'cancel-confirm';
  if (kind === 'unknown') word = words.find((w) => !FILLER.has(w) && w !== '?') ?? words[0];
  const otherWords = words.filter((w, i) => i !== at && !CONFIRM.has(w) && !FILLER.has(w) && w !== '?');
  return { kind, ...(word !== undefined ? { word } : {}), namesPrinter, otherWords };
}

/** Who sent a message, by the IDs the platform guarantees. */
export interface Sender {
  platform: 'slack' | 'mattermost';
  userId: string;
  /** Slack workspace of the user (`T…`), for `T…:U…` entries. */
  teamId?: string;
}

/**
 * May `sender` use `command`? `reached` = the message came through a configured channel, or a DM.
 * A DM alone proves nothing about channel membership, so in a DM the open commands need the sender
 * on some allow list (any command's) unless their own list says otherwise.
 */
export function isAllowed(command: CommandName, sender: Sender, where: 'channel' | 'dm', s: CommandSettings): boolean {
  const list = s.allow[command];
  // A list, when given, is the whole answer (an empty one: nobody).
  if (list !== undefined) return matchesAny(list, sender);
  if (CONTROL_COMMANDS.includes(command)) return false;
  if (where === 'channel') return true;
  return Object.values(s.allow).some((l) => l !== undefined && l.some((e) => e !== '*' && matches(e, sender)));
}

function matchesAny(list: readonly string[], sender: Sender): boolean {
  return list.some((e) => matches(e, sender));
}

function matches(entry: string, sender: Sender): boolean {
  if (entry === '*') return true;
  const colon = entry.indexOf(':');
  if (colon > 0) {
    return sender.platform === 'slack' && entry.slice(0, colon) === sender.teamId && entry.slice(colon + 1) === sender.userId;
  }
  return entry === sender.userId;
}

/**
 * `cancel` → remember (per platform, workspace, user and channel) until `cancel confirm` or the
 * deadline. The clock is injected so tests need not wait a minute.
 */
export class PendingConfirmations {
  private readonly pending = new Map<string, number>();

  constructor(private readonly windowMs: number, private readonly now: () => number) {}

  static key(sender: Sender, channelId: string): string {
    return [sender.platform, sender.teamId ?? '', sender.userId, channelId].join('\u0000');
  }

  ask(key: string): void {
    this.sweep();
    this.pending.set(key, this.now() + this.windowMs);
  }

  /** true once per `ask`, within the window. */
  confirm(key: string): boolean {
    const until = this.pending.get(key);
    this.pending.delete(key);
    return until !== undefined && this.now() <= until;
  }

  get size(): number {
    this.sweep();
    return this.pending.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [k, until] of this.pending) if (until < now) this.pending.delete(k);
  }
}
