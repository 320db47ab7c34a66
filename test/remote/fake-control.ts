// A PrinterControl that records every call and answers like print-control.ts would, from a
// settable activity: enough to drive the command handler and the chat adapters without a printer.
import { NOT_NOW, type ControlResult, type PrinterControl, type StatusReport } from '../../src/app/printer-control.js';
import type { Notification } from '../../src/notify/notification.js';

export class FakeControl implements PrinterControl {
  readonly calls: { method: 'pause' | 'resume' | 'cancel'; by: string }[] = [];
  activity = 'printing';

  status(): StatusReport {
    return {
      printerName: 'Prusa', port: 'sim://', connection: 'connected', activity: this.activity,
      heaters: { T0: { actual: 209.84, target: 210 }, B: { actual: 60.04, target: 60 } },
      job: { file: 'cube.gcode', origin: 'host', percent: 42, elapsedS: 600 },
    };
  }

  async pause(by: string): Promise<ControlResult> {
    this.calls.push({ method: 'pause', by });
    if (this.activity !== 'printing') return { ok: false, message: this.activity === 'paused' ? NOT_NOW.pausePaused : NOT_NOW.pauseIdle };
    this.activity = 'paused';
    return { ok: true, message: `paused (by ${by})` };
  }

  async resume(by: string): Promise<ControlResult> {
    this.calls.push({ method: 'resume', by });
    if (this.activity !== 'paused') return { ok: false, message: this.activity === 'idle' ? NOT_NOW.resumeIdle : NOT_NOW.resumeNotPaused };
    this.activity = 'printing';
    return { ok: true, message: `resumed (by ${by})` };
  }

  async cancel(by: string): Promise<ControlResult> {
    this.calls.push({ method: 'cancel', by });
    if (this.activity === 'idle') return { ok: false, message: NOT_NOW.cancelIdle };
    this.activity = 'idle';
    return { ok: true, message: `cancelled (by ${by}); heaters off` };
  }
}

/** What `statusMessage` would render: a Progress-like card naming who asked. */
export function fakeStatus(chatUser: string): Notification {
  return {
    id: 'status-1', event: 'Progress', at: Date.now(), level: 'routine', color: 'good',
    headline: 'Printing cube.gcode: 42%', fallback: 'Printing cube.gcode: 42%',
    fields: [{ label: 'Chat user', value: chatUser }, { label: 'Remaining', value: '14 minutes' }],
    footer: 'Printer: Printing, Bed: 60.0°C/60.0°C, Nozzle: 209.8°C/210.0°C', channels: [], kind: 'other', imageUrls: [], silent: false,
  };
}

export function memoryLog(): { lines: string[]; info(m: string): void; warn(m: string): void; debug(m: string): void } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    debug: (m) => lines.push(`debug ${m}`),
  };
}
