// Which bus events, timer ticks and serial lines become chat messages, and how (parity §1, §2, §5,
// §9): enabled flags, progress triggers, per-event minimum intervals, a failure right after a
// cancel, one message per runout or wait, quiet hours. Pure: the caller passes the clock and the
// printer view; this class only remembers what it already said. It never renders.
import type { EventSettings, Level, NotifiableEvent, OctoslackConfig, RuleDirection } from '../../config/types.js';
import type { JobSnapshot, OctoslackEvent } from '../../events/events.js';
import type { PrinterView, RenderEvent, RenderInput } from '../render/input.js';
import { compileRules, matchRule, normalizeLine, type CompiledRule, type RuleProblem } from './gcode-rules.js';
import { ProgressTriggers } from './progress-triggers.js';
import { inQuietHours, isQuietable } from './quiet-hours.js';

/** A PrintFailed this soon after a PrintCancelled is the cancel racing an error (parity §2). */
export const FAIL_AFTER_CANCEL_MS = 30_000;
/** A printer waiting for a person this long gets a second, urgent message (parity §5, §9). */
export const ESCALATE_WAIT_MS = 15 * 60_000;

/** `by` values that name a host-side cause rather than a chat user. */
const NOT_A_CHAT_USER = new Set(['printer', 'host', 'cli', 'keyboard', 'signal', 'octoslack']);

interface PrintRecord {
  id: string;
  triggers: ProgressTriggers;
  /** The print's first known total estimate, kept for section O until its last message (old bug 12). */
  estimatedS?: number;
  lastJob: JobSnapshot;
}

type Extra = Partial<Omit<RenderInput, 'event' | 'at' | 'settings' | 'printer' | 'kind' | 'silent'>> & {
  kind?: RenderInput['kind'];
};

export class NotificationRules {
  /** Rules that could not be compiled (bad regex); `config check` should have caught them. */
  readonly ruleProblems: readonly RuleProblem[];
  private readonly compiled: CompiledRule[];
  private print: PrintRecord | undefined;
  /** The print that just ended, for a PrintFailed that trails its cancel. */
  private ended: { id: string; at: number } | undefined;
  private lastCancelledAt = -Infinity;
  private readonly lastSent = new Map<string, number>();
  private runoutActive = false;
  private waiting: { since: number; escalated: boolean } | undefined;
  private held: RenderInput[] = [];
  private nextHeartbeatAt: number | undefined;

  constructor(private readonly config: OctoslackConfig, private readonly now: () => number) {
    const { compiled, problems } = compileRules(config.rules);
    this.compiled = compiled;
    this.ruleProblems = problems;
    if (config.heartbeatMinutes > 0) this.nextHeartbeatAt = now() + config.heartbeatMinutes * 60_000;
  }

  /** The current print's id, for the lead's thread bookkeeping. */
  get currentPrintId(): string | undefined {
    return this.print?.id;
  }

  onEvent(e: OctoslackEvent, printer: PrinterView): RenderInput[] {
    const out = this.release(e.at);
    const at = e.at;
    switch (e.event) {
      case 'Temperature':
      case 'HostAction':
      case 'Prompt':
      case 'Notice':
        return out;
      case 'Startup':
      case 'Shutdown':
      case 'Connecting':
      case 'Disconnecting':
        return this.emit(out, e.event, at, printer, {});
      case 'Connected':
      case 'Disconnected':
        // A new connection is a new printer session: old runout/wait episodes are over.
        this.runoutActive = false;
        this.waiting = undefined;
        return this.emit(out, e.event, at, printer, e.event === 'Disconnected' && e.reason ? { reason: e.reason } : {});
      case 'PrintStarted': {
        this.print = this.newPrint(e.job, at, false);
        this.lastCancelledAt = -Infinity;
        this.runoutActive = false;
        this.waiting = undefined;
        return this.emit(out, 'PrintStarted', at, printer, { job: e.job, kind: 'start' });
      }
      case 'Progress': {
        // A straggler from the print that just ended must not start a phantom one.
        if (!this.print && this.ended && at - this.ended.at <= FAIL_AFTER_CANCEL_MS) return out;
        const print = this.ensurePrint(e.job, at);
        return this.progressFrom(out, print, e.job, at, printer);
      }
      case 'PrintPaused':
      case 'PrintCancelling':
        this.ensurePrint(e.job, at);
        return this.emit(out, e.event, at, printer, { job: e.job, reason: e.reason, ...chatUser(e.by) });
      case 'PrintResumed':
        this.ensurePrint(e.job, at);
        this.runoutActive = false;
        this.waiting = undefined;
        return this.emit(out, 'PrintResumed', at, printer, { job: e.job, ...chatUser(e.by) });
      case 'PrintCancelled': {
        this.ensurePrint(e.job, at);
        const res = this.emit(out, 'PrintCancelled', at, printer, { job: e.job, reason: e.reason, ...chatUser(e.by) });
        this.lastCancelledAt = at;
        this.endPrint(at);
        return res;
      }
      case 'PrintFailed': {
        // Only while no new print has started: a quick failure of the next print is real.
        if (this.config.ignoreFailAfterCancel && !this.print && at - this.lastCancelledAt <= FAIL_AFTER_CANCEL_MS) return out;
        // A failure trailing a cancel (suppression off) still belongs to that print's thread.
        const trailing = !this.print && this.ended && at - this.ended.at <= FAIL_AFTER_CANCEL_MS ? this.ended.id : undefined;
        if (!trailing) this.ensurePrint(e.job, at);
        const extra: Extra = { job: e.job, error: e.error };
        if (trailing) extra.printId = trailing;
        if (e.lastAckedFileLine !== undefined) extra.lastAckedFileLine = e.lastAckedFileLine;
        const res = this.emit(out, 'PrintFailed', at, printer, extra);
        this.endPrint(at);
        return res;
      }
      case 'PrintDone': {
        this.ensurePrint(e.job, at);
        const res = this.emit(out, 'PrintDone', at, printer, { job: e.job });
        this.endPrint(at);
        return res;
      }
      case 'FilamentRunout': {
        // The bus merges the several lines of one runout; this guards against repeats anyway.
        if (this.runoutActive) return out;
        this.runoutActive = true;
        const reason = e.tool !== undefined && !/T\d/.test(e.text) ? `${e.text} on T${e.tool}` : e.text;
        return this.emit(out, 'FilamentRunout', at, printer, { job: e.job ?? printer.job, reason });
      }
      case 'PausedForUser':
        if (this.waiting) return out;
        this.waiting = { since: at, escalated: false };
        return this.emit(out, 'PausedForUser', at, printer, { job: e.job ?? printer.job, reason: e.text });
      case 'Error':
        return this.emit(out, 'Error', at, printer, { error: e.error });
      case 'MovieRendering':
      case 'MovieDone':
      case 'MovieFailed':
        return this.emit(out, e.event, at, printer, this.movieExtra(e));
    }
  }

  /** Time-based messages: progress every N minutes, heartbeat, an unanswered wait, held messages. */
  tick(printer: PrinterView): RenderInput[] {
    const now = this.now();
    const out = this.release(now);
    if (this.print) {
      if (printer.job) this.print.lastJob = printer.job;
      const job = printer.job ?? this.print.lastJob;
      if (this.print.triggers.timeDue(now)) this.emit(out, 'Progress', now, printer, { job, kind: 'progress' });
      else if (printer.job) this.progressFrom(out, this.print, printer.job, now, printer);
    }
    if (this.nextHeartbeatAt !== undefined && now >= this.nextHeartbeatAt) {
      const every = this.config.heartbeatMinutes * 60_000;
      while (this.nextHeartbeatAt <= now) this.nextHeartbeatAt += every;
      this.emit(out, 'Heartbeat', now, printer, {});
    }
    if (this.waiting && !this.waiting.escalated && now - this.waiting.since >= ESCALATE_WAIT_MS) {
      this.waiting.escalated = true;
      const minutes = Math.round((now - this.waiting.since) / 60_000);
      this.emit(out, 'PausedForUser', now, printer, {
        job: printer.job ?? this.print?.lastJob,
        reason: `still waiting after ${minutes} minutes`,
        level: 'urgent',
      }, { throttle: false });
    }
    return out;
  }

  /** A copy of one serial line (off the serial loop): G-code rules, and the end of a wait. */
  onLine(direction: RuleDirection, line: string, printer: PrinterView): RenderInput[] {
    if (this.compiled.length === 0 && !this.waiting && this.held.length === 0) return [];
    const now = this.now();
    const out = this.release(now);
    if (direction === 'received' && this.waiting && /^ok\b|busy:\s*processing/i.test(line.trim())) this.waiting = undefined;
    let normalized: string | undefined;
    for (const c of this.compiled) {
      if (c.rule.direction !== direction) continue;
      normalized ??= normalizeLine(direction, line);
      const m = matchRule(c, normalized);
      if (!m) continue;
      const extra: Extra = { job: printer.job ?? this.print?.lastJob, cmd: m.line };
      if (m.message !== undefined) extra.message = m.message;
      this.emit(out, `rule:${c.rule.name}`, now, printer, extra, { settings: c.rule });
    }
    return out;
  }

  /**
   * The chat `status` command: a Progress message now, even with Progress off, never throttled
   * or held (parity §1.1). The caller posts it in the asking channel.
   */
  status(printer: PrinterView, chatUserName?: string): RenderInput {
    const at = this.now();
    const job = printer.job ?? this.print?.lastJob;
    const input = this.input('Progress', at, printer, { ...this.config.events.Progress, enabled: true }, { kind: 'other', ...(job ? { job } : {}) });
    if (chatUserName) input.chatUser = chatUserName;
    return input;
  }

  /**
   * A Movie event belongs in the thread of the print it filmed: the one that just ended (the
   * render starts after its end), else the one running (a render that outlived its print's record).
   */
  private movieExtra(e: Extract<OctoslackEvent, { event: 'MovieRendering' | 'MovieDone' | 'MovieFailed' }>): Extra {
    const extra: Extra = { movie: { file: e.file, frames: e.frames } };
    const printId = this.ended?.id ?? this.print?.id;
    if (printId !== undefined) extra.printId = printId;
    if (e.event === 'MovieFailed') extra.error = e.error;
    if (e.event === 'MovieDone') {
      extra.movie = { ...extra.movie!, video: { bytes: e.video.bytes, ...(e.video.durationS !== undefined ? { durationS: e.video.durationS } : {}) } };
      if (this.config.timelapse?.upload) {
        extra.attachments = [{ path: e.video.path, mime: 'video/mp4', name: movieName(e.file), bytes: e.video.bytes }];
      }
    }
    return extra;
  }

  private progressFrom(out: RenderInput[], print: PrintRecord, job: JobSnapshot, at: number, printer: PrinterView): RenderInput[] {
    print.lastJob = job;
    if (print.estimatedS === undefined && job.remainingS !== undefined) print.estimatedS = job.elapsedS + job.remainingS;
    const r = print.triggers.check(job);
    if (r.firstLayerDone) this.emit(out, 'FirstLayerDone', at, printer, { job });
    if (r.progress) this.emit(out, 'Progress', at, printer, { job, kind: 'progress' });
    return out;
  }

  private newPrint(job: JobSnapshot, at: number, joined: boolean): PrintRecord {
    const startedAt = joined ? Math.round(at - job.elapsedS * 1000) : at;
    const triggers = new ProgressTriggers(this.config.progress, startedAt);
    if (joined) triggers.seed(job);
    const print: PrintRecord = { id: `${startedAt}-${job.file}`, triggers, lastJob: job };
    if (job.remainingS !== undefined) print.estimatedS = job.elapsedS + job.remainingS;
    return print;
  }

  /** The current print, or one joined under way (we missed its start: restart, SD print from the LCD). */
  private ensurePrint(job: JobSnapshot, at: number): PrintRecord {
    this.print ??= this.newPrint(job, at, true);
    this.print.lastJob = job;
    return this.print;
  }

  private endPrint(at: number): void {
    if (this.print) this.ended = { id: this.print.id, at };
    this.print = undefined;
    this.runoutActive = false;
    this.waiting = undefined;
    // Minimum intervals are per print: the next print's messages start fresh.
    this.lastSent.clear();
  }

  private input(event: RenderEvent, at: number, printer: PrinterView, settings: EventSettings, extra: Extra): RenderInput {
    const input: RenderInput = { kind: 'other', ...extra, event, at, settings, printer, silent: false };
    const printId = extra.printId ?? this.print?.id;
    if (printId !== undefined) input.printId = printId;
    else delete input.printId;
    const estimate = this.print?.estimatedS;
    if (input.estimatedS === undefined && estimate !== undefined) input.estimatedS = estimate;
    if (input.job === undefined) delete input.job;
    return input;
  }

  /** Enabled → minimum interval → quiet hours; appends what goes out now to `out`. */
  private emit(
    out: RenderInput[], event: RenderEvent, at: number, printer: PrinterView, extra: Extra,
    opts: { settings?: EventSettings; throttle?: boolean } = {},
  ): RenderInput[] {
    const settings = opts.settings ?? this.config.events[event as NotifiableEvent];
    if (!settings?.enabled) return out;
    if (opts.throttle !== false && settings.minIntervalMinutes > 0) {
      const last = this.lastSent.get(event);
      if (last !== undefined && at - last < settings.minIntervalMinutes * 60_000) return out;
    }
    this.lastSent.set(event, at);
    const input = this.input(event, at, printer, settings, extra);
    const level: Level = input.level ?? settings.level;
    const quiet = this.config.quietHours;
    if (quiet && isQuietable(event, level) && inQuietHours(quiet, at, this.config.format.timezone)) {
      if (quiet.mode === 'silent') input.silent = true;
      else {
        this.hold(input);
        return out;
      }
    }
    out.push(input);
    return out;
  }

  /** Held for after the quiet hours; only the newest progress of a print is worth sending then. */
  private hold(input: RenderInput): void {
    if (input.kind === 'progress') this.held = this.held.filter((h) => !(h.kind === 'progress' && h.printId === input.printId));
    this.held.push(input);
  }

  /** Held messages, once the quiet hours are over. */
  private release(now: number): RenderInput[] {
    if (this.held.length === 0) return [];
    if (inQuietHours(this.config.quietHours, now, this.config.format.timezone)) return [];
    return this.held.splice(0);
  }
}

/** "benchy_0.2mm.gcode" → "benchy_0.2mm-timelapse.mp4": the name people see for the video. */
export function movieName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const stem = base.replace(/\.(gcode|gco|g|gc|bgcode)$/i, '');
  return `${stem || 'print'}-timelapse.mp4`;
}

function chatUser(by: string | undefined): { chatUser?: string } {
  return by && !NOT_A_CHAT_USER.has(by.toLowerCase()) ? { chatUser: by } : {};
}
