// The words octoslack answers chat commands with: help, temperatures, refusals, confirmations.
// Plain text with `code` spans only, which Slack and Mattermost both show the same way; each
// adapter escapes what its platform needs. Kept apart from the handler so wording can change
// without touching the decisions.
import type { Heaters } from '../marlin/messages.js';
import type { CommandName, CommandSettings } from './remote-config.js';

const DESCRIPTIONS: Record<CommandName, string> = {
  status: 'progress, time left and temperatures',
  temps: 'the temperatures now',
  pause: 'pause the print',
  resume: 'resume a paused print',
  cancel: 'cancel the print (asks for `cancel confirm`)',
  help: 'this list',
};
const ORDER: CommandName[] = ['status', 'temps', 'pause', 'resume', 'cancel', 'help'];

export function helpText(printerName: string, mayUse: (c: CommandName) => boolean, s: CommandSettings): string {
  const lines = [`Commands for ${printerName} (mention me in the printer channel, or write to me directly):`];
  for (const c of ORDER) lines.push(`\`${c}\` - ${DESCRIPTIONS[c]}${mayUse(c) ? '' : ' (restricted)'}`);
  lines.push(`\`stop\` works like \`cancel\`; confirm a cancel within ${s.confirmCancelSeconds} s.`);
  if (s.requirePrinterName) lines.push(`Several printers listen here: add the printer's name, e.g. \`pause ${printerName}\`.`);
  return lines.join('\n');
}

export function refusalText(command: CommandName, userId: string, where: 'channel' | 'dm'): string {
  const what = command === 'help' || command === 'status' || command === 'temps' ? `ask for \`${command}\`` : `\`${command}\` this printer`;
  const place = where === 'dm' ? ' in a direct message' : '';
  return `Sorry, you may not ${what}${place}. Whoever runs octoslack can allow it by adding your user ID \`${userId}\` to \`commands.allow.${command}\`.`;
}

export function unknownText(word: string | undefined): string {
  return word ? `I don't know \`${word.slice(0, 40)}\`. Try \`help\`.` : 'Try `help`.';
}

export function whichPrinterText(printerName: string, command: string): string {
  return `Several printers listen here, so name one: \`${command} ${printerName}\` (I am ${printerName}).`;
}

export function confirmCancelText(file: string | undefined, seconds: number): string {
  const what = file ? `the print of ${file}` : 'the print';
  return `Really cancel ${what}? Reply \`cancel confirm\` within ${seconds} s. The heaters will be switched off.`;
}

export const NOTHING_TO_CONFIRM = 'There is no cancel to confirm (or it is too late): say `cancel` first, then `cancel confirm`.';
export const OFFLINE = 'the printer is not connected right now';

/** Upper-case the first letter and end with a full stop. */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0]!.toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

const HEATER_NAMES: Record<string, string> = { B: 'Bed', C: 'Chamber', P: 'Probe', A: 'Ambient', L: 'Cooler', M: 'Board', R: 'Redundant' };

/** "Nozzle 209.8 °C → 210 °C · Bed 60.1 °C (off)". */
export function tempsText(printerName: string, heaters: Heaters): string {
  const keys = Object.keys(heaters);
  const tools = keys.filter((k) => /^T\d+$/.test(k)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const rest = keys.filter((k) => !/^T\d+$/.test(k)).sort((a, b) => order(a) - order(b));
  const parts: string[] = [];
  for (const k of [...tools, ...rest]) {
    const h = heaters[k]!;
    if (!Number.isFinite(h.actual)) continue;
    const name = /^T\d+$/.test(k) ? (tools.length > 1 ? `Nozzle ${Number(k.slice(1)) + 1}` : 'Nozzle') : HEATER_NAMES[k] ?? k;
    const target = h.target !== undefined && h.target > 0 ? ` → ${round(h.target)} °C` : h.target === 0 ? ' (off)' : '';
    parts.push(`${name} ${h.actual.toFixed(1)} °C${target}`);
  }
  return parts.length ? `${printerName}: ${parts.join(' · ')}` : `${printerName}: no temperatures reported yet`;
}

function order(k: string): number {
  const i = Object.keys(HEATER_NAMES).indexOf(k);
  return i < 0 ? 99 : i;
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
