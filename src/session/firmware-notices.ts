// Turns what the firmware says about itself into events: filament runout, "waiting for the user"
// (M600, M0, runout with a non-host script), prompts (//action:prompt_*), LCD notifications.
// Shared by `print` and `watch`; the print job handles pause/resume/cancel actions itself.
import type { JobSnapshot } from '../events/events.js';
import type { MarlinMessage } from '../marlin/messages.js';
import type { PrinterSession } from './printer-session.js';

export function watchFirmwareNotices(session: PrinterSession, currentJob: () => JobSnapshot | undefined): () => void {
  let waitingForUser = false;
  let prompt: { text: string; buttons: string[] } | undefined;
  let lastRunoutAt = -Infinity;
  const at = () => session.clock.wallNow();

  const runout = (text: string, tool?: number) => {
    // One runout produces several lines (prompt, paused, filament_runout): one event.
    if (session.clock.now() - lastRunoutAt < 30_000) return;
    lastRunoutAt = session.clock.now();
    session.emit({ event: 'FilamentRunout', at: at(), job: currentJob(), tool, text });
  };

  const onAction = (name: string, params: string) => {
    switch (name) {
      case 'filament_runout':
      case 'out_of_filament': {
        const tool = /T?(\d+)/.exec(params);
        runout(`filament ran out${params ? ` (${params})` : ''}`, tool ? Number(tool[1]) : undefined);
        break;
      }
      case 'paused':
      case 'pause':
        if (/filament_runout|runout/i.test(params)) runout(`filament ran out (${params})`, toolOf(params));
        break;
      case 'prompt_begin':
        prompt = { text: params, buttons: [] };
        if (/FilamentRunout/i.test(params)) runout(`filament ran out (${params})`, toolOf(params));
        break;
      case 'prompt_button':
      case 'prompt_choice':
        prompt?.buttons.push(params);
        break;
      case 'prompt_show':
        if (prompt) session.emit({ event: 'Prompt', at: at(), text: prompt.text, buttons: prompt.buttons });
        prompt = undefined;
        break;
      case 'prompt_end':
        prompt = undefined;
        break;
      case 'notification':
        if (params) session.emit({ event: 'Notice', at: at(), level: 'info', text: params });
        break;
      case 'poweroff':
        // After a kill the fatal error was already reported; alone it is news.
        if (!session.failed) session.emit({ event: 'Error', at: at(), error: 'the printer powered itself off (//action:poweroff)', fatal: true });
        break;
      default:
        break;
    }
  };

  const onMessage = (m: MarlinMessage) => {
    if (m.kind === 'action') onAction(m.name, m.params);
    else if (m.kind === 'busy' && /paused for (user|input)/i.test(m.reason)) {
      if (!waitingForUser) {
        waitingForUser = true;
        session.emit({ event: 'PausedForUser', at: at(), job: currentJob(), text: `the printer is waiting for you (${m.reason})` });
      }
    } else if (m.kind === 'ok' || (m.kind === 'busy' && !/paused/i.test(m.reason))) {
      waitingForUser = false;
    }
  };
  return session.addListener({ onMessage });
}

function toolOf(params: string): number | undefined {
  const m = /(?:T|\s)(\d+)\s*$/.exec(params);
  return m ? Number(m[1]) : undefined;
}
