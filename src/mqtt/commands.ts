// Commands received on `<prefix>/<printer>/command`, under the same rules as chat commands:
//
// - Each of pause, resume and cancel is off unless `mqtt.commands.<name>: true`. A disabled
//   command is answered with a refusal on `…/command/result` and never reaches the printer.
// - cancel needs confirmation, like in chat: `cancel` arms it and says so; `cancel confirm` within
//   the confirmation window (chat's `commands.confirmCancelSeconds`) cancels. `cancel confirm` with
//   nothing armed does nothing. Home Assistant gets two buttons for this, "Cancel print" (sends
//   `cancel`) and "Confirm cancel" (sends `cancel confirm`): a button cannot ask "are you sure?",
//   and one stray tap, automation or scene must not end a twelve-hour print, so the HA cancel
//   button never sends `cancel confirm` by itself.
// - MQTT carries no sender identity, so the pending confirmation belongs to the printer, not to a
//   user: who may publish to the command topic is the broker's business (its ACLs). Chat commands
//   authorise people by ID; over MQTT the config switch is the whole authorisation.
// - Retained command messages are ignored: a retained `pause` would pause again after every
//   reconnect.
// - "by" for the resulting notifications is `MQTT`, so chat messages say "paused by MQTT".
import { NOT_NOW, type ControlResult, type PrinterControl } from '../app/printer-control.js';
import type { MqttSettings } from '../config/types.js';
import { PendingConfirmations } from '../remote/commands.js';

export type MqttCommand = 'pause' | 'resume' | 'cancel' | 'cancel confirm';
export type MqttOutcome = 'done' | 'failed' | 'refused' | 'asked' | 'unknown';

export interface CommandResult {
  command: MqttCommand | null;
  outcome: MqttOutcome;
  message: string;
  /** ISO time of the answer. */
  at: string;
}

/** Who the printer's messages name as the cause ("paused by MQTT"). */
export const MQTT_BY = 'MQTT';

/** The command in a payload: plain text (`pause`, ` Cancel  Confirm `) or `{"command":"pause"}`. */
export function parseMqttCommand(payload: string): MqttCommand | undefined {
  let text = payload.trim();
  if (text.startsWith('{')) {
    try {
      const obj = JSON.parse(text) as unknown;
      text = obj && typeof obj === 'object' && typeof (obj as { command?: unknown }).command === 'string' ? (obj as { command: string }).command : '';
    } catch {
      return undefined;
    }
  }
  const norm = text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
  switch (norm) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'cancel confirm':
      return norm;
    default:
      return undefined;
  }
}

/** Activities with no print to cancel (as in chat). */
const NOT_PRINTING = new Set(['idle', 'offline', 'error', 'done', 'cancelled', 'failed', 'disconnected']);

export interface CommandRulesOptions {
  commands: MqttSettings['commands'];
  confirmCancelSeconds: number;
  control: () => PrinterControl | undefined;
  now?: () => number;
}

const OFFLINE_TEXT = 'the printer is not connected';

/** One printer's MQTT commands: parse, check the config switch and the cancel rule, run. */
export class MqttCommandRules {
  private readonly confirmations: PendingConfirmations;
  private readonly now: () => number;
  private static readonly KEY = 'mqtt';

  constructor(private readonly o: CommandRulesOptions) {
    this.now = o.now ?? Date.now;
    this.confirmations = new PendingConfirmations(o.confirmCancelSeconds * 1000, this.now);
  }

  async handle(payload: string): Promise<CommandResult> {
    const command = parseMqttCommand(payload);
    if (!command) {
      return this.answer(null, 'unknown', `unknown command ${JSON.stringify(payload.slice(0, 40))}; use pause, resume, cancel or cancel confirm`);
    }
    const name = command === 'cancel confirm' ? 'cancel' : command;
    if (!this.o.commands[name]) {
      return this.answer(command, 'refused', `${name} over MQTT is disabled (set mqtt.commands.${name}: true to allow it)`);
    }
    const control = this.o.control();
    if (!control) return this.answer(command, 'failed', OFFLINE_TEXT);
    switch (command) {
      case 'pause':
        return this.run(command, () => control.pause(MQTT_BY));
      case 'resume':
        return this.run(command, () => control.resume(MQTT_BY));
      case 'cancel':
        return this.arm(control);
      case 'cancel confirm':
        if (!this.confirmations.confirm(MqttCommandRules.KEY)) {
          return this.answer(command, 'failed', 'there is no cancel to confirm: send "cancel" first, then "cancel confirm"');
        }
        return this.run(command, () => control.cancel(MQTT_BY));
    }
  }

  private arm(control: PrinterControl): CommandResult {
    let activity: string | undefined;
    let file: string | undefined;
    try {
      const st = control.status();
      activity = st.activity;
      file = st.job?.file;
    } catch { /* treated as nothing printing */ }
    if (activity === 'cancelling') return this.answer('cancel', 'failed', NOT_NOW.cancelling);
    if (activity === undefined || NOT_PRINTING.has(activity)) return this.answer('cancel', 'failed', NOT_NOW.cancelIdle);
    this.confirmations.ask(MqttCommandRules.KEY);
    const s = this.o.confirmCancelSeconds;
    return this.answer('cancel', 'asked', `send "cancel confirm" within ${s} s to cancel ${file ? `the print of ${file}` : 'the print'}`);
  }

  private async run(command: MqttCommand, f: () => Promise<ControlResult>): Promise<CommandResult> {
    let r: ControlResult;
    try {
      r = await f();
    } catch (err) {
      r = { ok: false, message: `the printer did not answer: ${(err as Error).message}` };
    }
    return this.answer(command, r.ok ? 'done' : 'failed', r.message);
  }

  private answer(command: MqttCommand | null, outcome: MqttOutcome, message: string): CommandResult {
    return { command, outcome, message, at: new Date(this.now()).toISOString() };
  }
}
