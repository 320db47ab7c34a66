// From the event bus to the outbox: rules decide which events become messages, the renderer
// writes them, the outbox delivers them. All of it runs on later turns of the event loop:
// the bus delivers asynchronously, serial line copies are buffered and matched in batches, and
// `enqueue` only appends to memory. Nothing here can hold a line back from the printer.
import type { OctoslackConfig } from '../config/types.js';
import type { EventBus } from '../events/bus.js';
import type { OctoslackEvent } from '../events/events.js';
import type { PrinterSession } from '../session/printer-session.js';
import type { HostInfo } from './host-info.js';
import type { Notification } from './notification.js';
import { renderNotification } from './render/render.js';
import type { PrinterView, RenderInput } from './render/input.js';
import { NotificationRules } from './rules/rules.js';

export interface NotificationSink {
  enqueue(n: Notification): void;
}

export interface PipelineOptions {
  config: OctoslackConfig;
  bus: EventBus;
  sink: NotificationSink;
  host: HostInfo;
  /** The printer as people see it now (state, job, temperatures). */
  view: () => PrinterView;
  now?: () => number;
  /** How often time-based rules (progress every N minutes, heartbeat, quiet-hours hold) run. */
  tickMs?: number;
}

/** Lines matched per batch: a burst of sent lines is handled in slices, between other work. */
const LINE_BATCH = 2000;
/** More unmatched lines than this waiting means matching cannot keep up: drop the oldest. */
const LINE_BACKLOG_MAX = 50_000;

export class NotificationPipeline {
  readonly rules: NotificationRules;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly lines: { direction: 'sent' | 'received'; line: string }[] = [];
  private linesScheduled = false;
  private ticker: NodeJS.Timeout | undefined;

  constructor(private readonly o: PipelineOptions) {
    this.rules = new NotificationRules(o.config, o.now ?? Date.now);
  }

  start(): void {
    this.unsubscribe.push(this.o.bus.subscribe((e) => this.onEvent(e)));
    this.ticker = setInterval(() => this.emitAll(this.rules.tick(this.o.view())), this.o.tickMs ?? 1000);
    this.ticker.unref();
  }

  /** Feed the G-code rules (and the end of a wait for the user) with copies of the serial lines. */
  attachSession(session: PrinterSession): () => void {
    const remove = session.addListener({ onRawLine: (direction, line) => this.queueLine(direction, line) });
    this.unsubscribe.push(remove);
    return remove;
  }

  stop(): void {
    if (this.ticker) clearInterval(this.ticker);
    for (const u of this.unsubscribe.splice(0)) u();
  }

  private onEvent(e: OctoslackEvent): void {
    this.emitAll(this.rules.onEvent(e, this.o.view()));
  }

  private queueLine(direction: 'sent' | 'received', line: string): void {
    if (this.lines.length >= LINE_BACKLOG_MAX) this.lines.shift();
    this.lines.push({ direction, line });
    if (!this.linesScheduled) {
      this.linesScheduled = true;
      setImmediate(() => this.matchLines());
    }
  }

  private matchLines(): void {
    this.linesScheduled = false;
    const view = this.o.view();
    for (const { direction, line } of this.lines.splice(0, LINE_BATCH)) this.emitAll(this.rules.onLine(direction, line, view));
    if (this.lines.length > 0) {
      this.linesScheduled = true;
      setImmediate(() => this.matchLines());
    }
  }

  private emitAll(inputs: RenderInput[]): void {
    for (const input of inputs) this.o.sink.enqueue(renderNotification(input, this.o.config, this.o.host));
  }
}
