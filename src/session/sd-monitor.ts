// Prints the printer runs from its own SD card (started from its menu): octoslack cannot stream
// them but reports them. Marlin announces `File opened: … Size: …` / `File selected`, reports
// `SD printing byte a/b` on M27 (polled, or pushed with `M27 S<n>` when it advertises
// AUTOREPORT_SD_STATUS) and ends with `Done printing file`. Stopped from the menu, it just starts
// answering `Not SD printing`.
import type { JobSnapshot } from '../events/events.js';
import type { MarlinMessage } from '../marlin/messages.js';
import type { TimerHandle } from '../util/clock.js';
import type { PrinterSession } from './printer-session.js';

const POLL_S = 5;

export class SdMonitor {
  private file: string | undefined;
  private size: number | undefined;
  private active = false;
  private startedAt = 0;
  private done = 0;
  private total = 0;
  private lastPercent = -1;
  private notPrintingCount = 0;
  private paused = false;
  private m73: { percent: number; minutesLeft?: number; at: number } | undefined;
  private poll: TimerHandle | undefined;
  private readonly remove: () => void;

  constructor(private readonly session: PrinterSession) {
    this.remove = session.addListener({ onMessage: (m) => this.onMessage(m), onLinkFailed: (err) => this.linkFailed(err.message) });
  }

  /** Ask once whether an SD print is already running (we may connect in the middle of one). */
  async probe(): Promise<void> {
    await this.session.send('M27').catch(() => undefined);
  }

  dispose(): void {
    this.stopPolling();
    this.remove();
  }

  get printing(): boolean {
    return this.active;
  }

  snapshot(): JobSnapshot {
    const now = this.session.clock.now();
    const percent = this.m73?.percent ?? (this.total > 0 ? (100 * this.done) / this.total : undefined);
    const remainingS = this.m73?.minutesLeft !== undefined ? Math.max(0, this.m73.minutesLeft * 60 - (now - this.m73.at) / 1000) : undefined;
    return {
      file: this.file ?? 'SD card file',
      origin: 'sd',
      percent,
      bytesDone: this.done,
      bytesTotal: this.total || this.size,
      elapsedS: this.active ? (now - this.startedAt) / 1000 : 0,
      remainingS,
      remainingSource: remainingS !== undefined ? 'm73' : undefined,
      z: this.session.state.position.z,
    };
  }

  private onMessage(m: MarlinMessage): void {
    if (m.kind === 'sd') this.onSd(m);
    else if (m.kind === 'sdProgress') this.onProgress(m.done, m.total);
    else if (m.kind === 'progressReport' && this.active) this.m73 = { percent: m.percent, minutesLeft: m.minutesLeft, at: this.session.clock.now() };
    else if (m.kind === 'action' && this.active) this.onAction(m.name, m.params);
  }

  private onSd(m: Extract<MarlinMessage, { kind: 'sd' }>): void {
    switch (m.event) {
      case 'fileOpened':
        this.file = m.file;
        this.size = m.size;
        break;
      case 'fileSelected':
        // octoslack never selects SD files itself, so this is the printer's menu, which starts
        // printing the file right away. Short files can be done before the first status poll.
        if (!this.active) this.begin();
        break;
      case 'currentFile':
        if (m.file) this.file = m.file;
        break;
      case 'donePrinting':
        if (this.active) this.stop(true);
        break;
      case 'notPrinting':
        // Stopped from the menu: Marlin just stops printing. Three answers in a row, as OctoPrint.
        if (this.active && !this.paused && ++this.notPrintingCount > 2) this.stop(false);
        break;
      default:
        break;
    }
  }

  private onProgress(done: number, total: number): void {
    this.notPrintingCount = 0;
    this.done = done;
    this.total = total;
    if (!this.active && total > 0 && done < total) this.begin();
    if (!this.active) return;
    const pct = Math.floor((100 * done) / Math.max(1, total));
    if (pct > this.lastPercent && pct < 100) {
      this.lastPercent = pct;
      this.session.emit({ event: 'Progress', at: this.session.clock.wallNow(), job: this.snapshot(), trigger: 'percent' });
    }
  }

  private onAction(name: string, params: string): void {
    const at = this.session.clock.wallNow();
    if ((name === 'paused' || name === 'pause') && !this.paused) {
      this.paused = true;
      this.session.emit({ event: 'PrintPaused', at, job: this.snapshot(), reason: params || 'paused on the printer', by: 'printer' });
    } else if ((name === 'resumed' || name === 'resume') && this.paused) {
      this.paused = false;
      this.session.emit({ event: 'PrintResumed', at, job: this.snapshot(), by: 'printer' });
    }
  }

  private begin(): void {
    this.active = true;
    this.startedAt = this.session.clock.now();
    this.lastPercent = -1;
    this.notPrintingCount = 0;
    this.session.state = { ...this.session.state, activity: 'sd-printing' };
    this.session.emit({ event: 'PrintStarted', at: this.session.clock.wallNow(), job: this.snapshot() });
    if (!this.file) this.session.send('M27 C').catch(() => undefined);
    this.startPolling();
  }

  /** The printer went away during an SD print: we can no longer tell how it ends. */
  private linkFailed(error: string): void {
    if (this.active) {
      this.session.emit({ event: 'PrintFailed', at: this.session.clock.wallNow(), job: this.snapshot(), error: `lost the printer during an SD print: ${error}` });
    }
    this.active = false;
    this.stopPolling();
  }

  private stop(completed: boolean): void {
    if (!this.active) return this.stopPolling();
    const at = this.session.clock.wallNow();
    const job = { ...this.snapshot(), ...(completed ? { percent: 100, remainingS: 0 } : {}) };
    this.active = false;
    this.paused = false;
    this.m73 = undefined;
    this.stopPolling();
    if (this.session.failed) return; // the session reports the failure
    this.session.state = { ...this.session.state, activity: 'idle' };
    if (completed) this.session.emit({ event: 'PrintDone', at, job });
    else this.session.emit({ event: 'PrintCancelled', at, job, reason: 'the SD print was stopped on the printer', by: 'printer' });
    this.file = undefined;
  }

  private startPolling(): void {
    if (this.poll) return;
    if (this.session.state.capabilities['AUTOREPORT_SD_STATUS']) {
      this.session.send(`M27 S${POLL_S}`).catch(() => undefined);
      this.poll = { cancel: () => this.session.send('M27 S0').catch(() => undefined) };
      return;
    }
    const tick = () => {
      this.session.send('M27').catch(() => undefined);
      this.poll = this.session.clock.setTimeout(tick, POLL_S * 1000);
    };
    this.poll = this.session.clock.setTimeout(tick, 1000);
  }

  private stopPolling(): void {
    this.poll?.cancel();
    this.poll = undefined;
  }
}
