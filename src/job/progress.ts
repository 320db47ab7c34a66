// Progress and time left of a streamed print, from what the printer has acknowledged. Pure: the
// caller passes the time (ms, monotonic) to every call. Sources of the remaining time, best first:
//  - 'm73':      the file's own `M73 P<pct> R<min>` lines as acknowledged (PrusaSlicer, Orca, Bambu),
//                counting down between them; taken as the slicer says (no drift correction);
//  - 'slicer':   the slicer's total spread along our time map: total × (1 − map(pos)/mapTotal).
//                Cura and ideaMaker also write their elapsed time per layer: then the map only
//                fills in within the layer, and actual ÷ slicer time since the first such comment
//                corrects a printer slower or faster than the slicer assumed;
//  - 'analysis': our time map alone, × drift (actual print time ÷ model time so far) once 2 % of
//                the model is done, plus the allowances of heat-ups and homing still ahead.
// Actual time leaves out heat-ups, pauses and other waits (performance.md E4): begin/end calls,
// and the gap before the ok of a wait command (M109, G28, G29, M600…). With no model the remaining
// time is undefined: never bytes or lines (a solid floor and sparse infill differ ×5 in bytes/s, E3).
import { parseCommand, type GcodeCommand } from '../gcode/command.js';
import type { JobSnapshot, PrintOrigin } from '../events/events.js';
import { ExcludedTime } from './excluded-time.js';
import type { JobLine } from './job-line.js';
import { LayerTracker } from './layer-tracker.js';
import type { FileScan } from './scan-types.js';
import { TimeMapCursor } from './time-map.js';

/** Commands the printer may sit on for minutes; the gap before their ok is not printing. */
export const DEFAULT_WAIT_CODES: ReadonlySet<string> = new Set([
  'M109', 'M190', 'M191', 'M116', 'G28', 'G29', 'G80', 'G34', 'M600', 'M0', 'M1', 'M226',
]);

export interface ProgressOptions {
  /** File name as shown to people (default: the base name of scan.path). */
  file?: string;
  origin?: PrintOrigin;
  /** Clock reading (ms) when the print started; else start(now), else the first ack. */
  startedAt?: number;
  waitCodes?: ReadonlySet<string>;
  /** Model fraction after which drift is trusted (default 0.02; Infinity = never correct). */
  driftFrom?: number;
  /** Turn sources off (both default on): e.g. to prefer the analysis over a slicer you distrust. */
  sources?: { m73?: boolean; slicer?: boolean };
  /** Correct slicer and M73 times by the printer's measured pace from 10 % on (default true). */
  paceCorrection?: boolean;
}

/** What snapshot() does not show, for logs and tests. */
export interface ProgressDetails {
  /** Seconds of actual printing (elapsed less heat-ups, pauses, waits). */
  activeS: number;
  excludedS: number;
  /** Model seconds up to the acknowledged position. */
  modelS: number;
  /** actual ÷ model, once trusted; undefined before. */
  drift?: number;
}

export class ProgressTracker {
  private readonly scan: FileScan;
  private readonly cursor: TimeMapCursor;
  private readonly layers: LayerTracker;
  private readonly excluded = new ExcludedTime();
  private readonly waitCodes: ReadonlySet<string>;
  private readonly driftFrom: number;
  private bytesDone = 0;
  private linesDone = 0;
  private modelS = 0;
  private startedAt: number | undefined;
  private lastAckAt = 0;
  private explicitAtLastAck = 0;
  private m73Percent: number | undefined;
  private m73Remaining: { seconds: number; activeAt: number } | undefined;
  /** The first M73 R: the slicer's total, when the file says it nowhere else. */
  private m73FirstTotalS: number | undefined;
  private m73LastR: number | undefined;
  private lastNow = 0;
  /** Last slicer elapsed-time comment acknowledged (Cura, ideaMaker): the slicer's own clock. */
  private elapsedMark: { slicerS: number; modelS: number; activeS: number } | undefined;
  /** The first such mark: drift is measured from there, so start G-code the slicer did not time is left out. */
  private firstMark: { slicerS: number; activeS: number } | undefined;
  /** Allowances of waits already passed (so only the ones ahead count). */
  private nextWait = 0;
  private allowancePassedS = 0;

  constructor(
    scan: FileScan,
    private readonly opts: ProgressOptions = {},
  ) {
    this.scan = scan;
    this.cursor = new TimeMapCursor(scan.timeMap);
    this.layers = new LayerTracker({ source: scan.layerSource === 'markers' ? 'markers' : 'z' });
    this.waitCodes = opts.waitCodes ?? DEFAULT_WAIT_CODES;
    this.driftFrom = opts.driftFrom ?? 0.02;
    if (opts.startedAt !== undefined) this.start(opts.startedAt);
  }

  /** The print starts now (the first line is about to be sent). */
  start(now: number): void {
    this.startedAt = now;
    this.lastAckAt = now;
  }

  /** The printer acknowledged this line at `now`. Pass the parsed command if you have it. */
  onAck(line: JobLine, now: number, parsed?: GcodeCommand): void {
    if (this.startedAt === undefined) this.start(now);
    const cmd = parsed ?? parseCommand(line.command);
    if (this.waitCodes.has(cmd.code)) {
      // The gap since the previous ok was spent waiting, less what begin/end already covered.
      const explicit = this.excluded.explicitMs(now);
      this.excluded.addMs(now - this.lastAckAt - (explicit - this.explicitAtLastAck));
    }
    this.lastAckAt = now;
    this.explicitAtLastAck = this.excluded.explicitMs(now);
    this.linesDone++;
    if (line.byteEnd > this.bytesDone) this.bytesDone = line.byteEnd;
    this.modelS = this.cursor.at(this.bytesDone);
    this.layers.onLine(line, cmd);
    if (cmd.code === 'M73') this.onM73(cmd, now);
    if (line.slicerElapsedS !== undefined) {
      this.elapsedMark = { slicerS: line.slicerElapsedS, modelS: this.modelS, activeS: this.activeS(now) };
      this.firstMark ??= this.elapsedMark;
    }
    this.passWaits();
  }

  beginHeatup(now: number): void { this.excluded.begin('heatup', now); }
  endHeatup(now: number): void { this.excluded.end('heatup', now); }
  beginPause(now: number): void { this.excluded.begin('pause', now); }
  endPause(now: number): void { this.excluded.end('pause', now); }

  /** Ready to use as the `job` of a print event. `file` overrides the name given at construction. */
  snapshot(now: number, file?: string): JobSnapshot {
    const s: JobSnapshot = {
      file: file ?? this.opts.file ?? baseName(this.scan.path),
      origin: this.opts.origin ?? 'host',
      percent: this.percent(),
      bytesDone: this.bytesDone,
      bytesTotal: this.scan.sizeBytes,
      linesDone: this.linesDone,
      elapsedS: Math.max(0, (now - (this.startedAt ?? now)) / 1000),
    };
    const layer = this.layers.layer;
    if (layer !== undefined) s.layer = layer + 1;
    if (this.scan.layerCount > 0) s.layerCount = this.scan.layerCount;
    const z = this.layers.z;
    if (z !== undefined) s.z = z;
    const r = this.remaining(now);
    if (r) {
      s.remainingS = r.seconds;
      s.remainingSource = r.source;
    }
    return s;
  }

  details(now: number): ProgressDetails {
    const d: ProgressDetails = { activeS: this.activeS(now), excludedS: this.excluded.totalMs(now) / 1000, modelS: this.modelS };
    const drift = this.drift(now);
    if (drift !== undefined) d.drift = drift;
    return d;
  }

  /** M73 P when the file has it, else the acknowledged share of the bytes that print. */
  private percent(): number {
    if (this.m73Percent !== undefined && this.opts.sources?.m73 !== false) return this.m73Percent;
    const { start, end } = this.scan.commandBytes;
    if (this.bytesDone <= start || end <= start) return 0;
    return Math.min(100, ((this.bytesDone - start) / (end - start)) * 100);
  }

  private activeS(now: number): number {
    return Math.max(0, (now - (this.startedAt ?? now) - this.excluded.totalMs(now)) / 1000);
  }

  /** actual ÷ model time so far, once enough of the model is done to trust it. */
  private drift(now: number): number | undefined {
    const total = this.scan.timeMap.totalS;
    if (!(total > 0) || this.modelS < total * this.driftFrom) return undefined;
    return this.activeS(now) / this.modelS;
  }

  private remaining(now: number): { seconds: number; source: 'm73' | 'slicer' | 'analysis' } | undefined {
    this.lastNow = now;
    if (this.m73Remaining && this.opts.sources?.m73 !== false) {
      const r = this.m73Remaining;
      const left = Math.max(0, r.seconds - (this.activeS(now) - r.activeAt));
      return { seconds: left * this.pace(now, this.scan.slicer.estimatedTimeS ?? this.m73FirstTotalS), source: 'm73' };
    }
    const mapTotal = this.scan.timeMap.totalS;
    if (!(mapTotal > 0)) return undefined;
    const left = Math.max(0, mapTotal - this.modelS);
    const slicerTotal = this.scan.slicer.estimatedTimeS;
    if (slicerTotal !== undefined && slicerTotal > 0 && this.opts.sources?.slicer !== false) return { seconds: this.slicerRemaining(slicerTotal, mapTotal), source: 'slicer' };
    const drift = this.drift(now) ?? 1;
    const waitsAhead = this.scan.timing.heatupS + this.scan.timing.homingS - this.allowancePassedS;
    return { seconds: left * drift + Math.max(0, waitsAhead), source: 'analysis' };
  }

  /**
   * The slicer's total spread along the time map. Cura and ideaMaker also write their own elapsed
   * time at each layer: from the last one acknowledged, the map only fills in within the layer,
   * and actual ÷ slicer time at that mark corrects for a printer slower or faster than the slicer
   * thought (Cura's machine profiles often are).
   */
  private slicerRemaining(total: number, mapTotal: number): number {
    const scale = total / mapTotal;
    const mark = this.elapsedMark;
    if (!mark) return Math.max(0, total - this.modelS * scale) * this.pace(this.lastNow, total);
    const done = Math.min(total, mark.slicerS + (this.modelS - mark.modelS) * scale);
    const first = this.firstMark!;
    const slicerSpan = mark.slicerS - first.slicerS;
    const drift = slicerSpan >= total * this.driftFrom ? (mark.activeS - first.activeS) / slicerSpan : 1;
    return Math.max(0, total - done) * (drift > 0 ? drift : 1);
  }

  /**
   * How much slower (> 1) or faster the printer runs than the slicer assumed, from 10 % of the
   * model on, phased in until 30 %: slicer times are good, but a printer with other acceleration
   * settings (or the virtual printer at 100× speed) runs at its own pace. Before 10 % the slicer's
   * own time is kept: early pace readings are noisy.
   */
  private pace(now: number, slicerTotalS: number | undefined): number {
    const mapTotal = this.scan.timeMap.totalS;
    if (this.opts.paceCorrection === false || !(mapTotal > 0) || !slicerTotalS || !(slicerTotalS > 0)) return 1;
    const fraction = this.modelS / mapTotal;
    if (fraction < 0.1) return 1;
    const expected = this.modelS * (slicerTotalS / mapTotal);
    const drift = this.activeS(now) / expected;
    if (!(drift > 0) || !Number.isFinite(drift)) return 1;
    const weight = Math.min(1, (fraction - 0.1) / 0.2);
    return 1 + weight * (drift - 1);
  }

  private onM73(cmd: GcodeCommand, now: number): void {
    const p = cmd.params.P;
    if (p !== undefined && Number.isFinite(p)) this.m73Percent = Math.max(0, Math.min(100, p));
    const r = cmd.params.R;
    if (r === undefined || !Number.isFinite(r)) return;
    this.m73FirstTotalS ??= r * 60;
    // R is whole minutes, rounded down, repeated on many lines. Resetting to R×60 on each would
    // saw-tooth the estimate up to a minute low. Where R just dropped, a minute boundary was just
    // crossed: (R+1) minutes are left; the same R again changes nothing (keep counting down);
    // a first or a rising R means somewhere within that minute: its middle.
    const last = this.m73LastR;
    this.m73LastR = r;
    if (last === r && this.m73Remaining) return;
    const seconds = last !== undefined && r < last ? (r + 1) * 60 : r * 60 + 30;
    this.m73Remaining = { seconds, activeAt: this.activeS(now) };
  }

  private passWaits(): void {
    const waits = this.scan.waits;
    while (this.nextWait < waits.length && waits[this.nextWait]!.byteEnd <= this.bytesDone) {
      this.allowancePassedS += waits[this.nextWait]!.allowanceS;
      this.nextWait++;
    }
  }
}

/** Last path segment, either separator (no node:path in pure code). */
const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;
