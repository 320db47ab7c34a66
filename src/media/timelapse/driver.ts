// Runs a print's timelapse from the event bus: PrintStarted starts one (when timelapse.enabled and
// cameras exist), Progress with trigger 'layer' takes a frame (or a timer does, every N seconds,
// not while paused), PrintDone/PrintFailed/PrintCancelled render it and say so on the bus:
// MovieRendering (with the frame count), then MovieDone (the video) or MovieFailed (the error).
// Everything happens off the bus's turn — listeners return at once and never throw into it — so
// the serial loop never waits on a camera or on ffmpeg (DESIGN principle 2). close() waits for a
// render in progress (bounded), so a `print` that exits right after PrintDone still posts its video.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { CameraSettings, OctoslackConfig } from '../../config/types.js';
import type { EventBus } from '../../events/bus.js';
import type { JobSnapshot, OctoslackEvent } from '../../events/events.js';
import { sharedSnapshotSource } from '../capture/shared-sources.js';
import type { SnapshotSource } from '../types.js';
import { cleanupOldVideos } from './cleanup.js';
import { Timelapse, type TimelapseLog } from './timelapse.js';

export interface TimelapseDriverOptions {
  bus: EventBus;
  config: Pick<OctoslackConfig, 'cameras' | 'snapshots' | 'timelapse'>;
  /** octoslack's state folder: videos go to <stateDir>/timelapse unless timelapse.dir says otherwise. */
  stateDir: string;
  /** Camera settings → picture source (default: the process-wide one per camera, shared with message pictures; tests pass fakes). */
  createSource?: (camera: CameraSettings) => SnapshotSource;
  ffmpegPath?: string;
  log?: TimelapseLog;
  now?: () => number;
  /** How often the every-N-seconds timer looks (default 1000 ms). */
  tickMs?: number;
  /** Limit for one frame's pictures (default snapshots.timeoutMs). */
  captureTimeoutMs?: number;
  /** Limit for ffmpeg's render (default Timelapse's: 30 min). */
  renderTimeoutMs?: number;
}

/** Frame folders of other prints older than this are removed at a print's start (failed renders, crashes). */
export const STALE_FRAMES_DAYS = 1;
export const NO_FRAMES_ERROR = 'no frames were captured (check the cameras)';
/**
 * A print from the printer's SD card reports no layers (Marlin says nothing while it prints from
 * SD), so "a frame per layer" would give no frames at all: such prints get a frame this often.
 */
export const SD_FRAME_SECONDS = 30;

interface Running {
  tl: Timelapse;
  file: string;
  paused: boolean;
}

export class TimelapseDriver {
  private active: Running | undefined;
  private readonly renders = new Set<Promise<void>>();
  private unsubscribe: (() => void) | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private closing = false;
  private readonly warned = new Set<string>();
  private readonly log: TimelapseLog;
  private readonly now: () => number;

  constructor(private readonly o: TimelapseDriverOptions) {
    this.log = o.log ?? { debug: () => {}, warn: () => {} };
    this.now = o.now ?? Date.now;
  }

  /** The folder frames and videos go to. */
  get dir(): string {
    return this.o.config.timelapse.dir ?? path.join(this.o.stateDir, 'timelapse');
  }

  /** The timelapse of the print running now, if any (for status and tests). */
  get current(): Timelapse | undefined {
    return this.active?.tl;
  }

  start(): this {
    if (this.unsubscribe) return this;
    this.unsubscribe = this.o.bus.subscribe((e) => this.onEvent(e));
    this.ticker = setInterval(() => this.tick(), this.o.tickMs ?? 1000);
    this.ticker.unref();
    return this;
  }

  /**
   * Stop listening, and wait (at most `timeoutMs`) for renders in progress and their Movie events
   * to reach the bus's other listeners. A print still running keeps its frames (removed later).
   * True when every render finished in time.
   */
  async close(timeoutMs = 120_000): Promise<boolean> {
    this.closing = true;
    // A PrintDone emitted just before close is still on its way to us.
    await this.o.bus.flush();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    if (this.active) this.log.debug(`timelapse: stopped during the print; its frames stay in ${this.active.tl.framesDir}`);
    this.active = undefined;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      Promise.all([...this.renders]).then(() => true),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs)); }),
    ]);
    clearTimeout(timer);
    if (!done) this.log.warn(`timelapse: the render did not finish within ${Math.round(timeoutMs / 1000)} s of stopping`);
    await this.o.bus.flush();
    return done;
  }

  private onEvent(e: OctoslackEvent): void {
    try {
      switch (e.event) {
        case 'PrintStarted':
          if (!this.closing) this.begin(e.job);
          return;
        case 'Progress':
          if (e.trigger === 'layer') this.active?.tl.onLayerChange();
          return;
        case 'PrintPaused':
        case 'PrintResumed':
          if (this.active) this.active.paused = e.event === 'PrintPaused';
          return;
        case 'PrintDone':
        case 'PrintFailed':
        case 'PrintCancelled':
          this.end();
          return;
        default:
          return;
      }
    } catch (err) {
      this.log.warn(`timelapse: ${errorText(err)}`);
    }
  }

  private tick(): void {
    const a = this.active;
    if (a && !a.paused) a.tl.tick();
  }

  private begin(job: JobSnapshot): void {
    if (this.active) this.end(); // the previous print never said it ended: render what it has
    const t = this.o.config.timelapse;
    if (!t?.enabled) return;
    const sources = this.sources();
    if (sources.length === 0) {
      this.warnOnce('no-cameras', 'timelapse: enabled, but no camera can be used: add a "cameras:" list to the config');
      return;
    }
    const layout = this.o.config.snapshots?.layout;
    const everySeconds = t.everySeconds > 0 ? t.everySeconds : job.origin === 'sd' ? SD_FRAME_SECONDS : 0;
    if (everySeconds !== t.everySeconds) this.log.debug(`timelapse: an SD print reports no layers; a frame every ${everySeconds} s instead`);
    const captureTimeoutMs = this.o.captureTimeoutMs ?? this.o.config.snapshots?.timeoutMs;
    const tl = new Timelapse({
      dir: this.dir,
      sources,
      printId: `${stamp(new Date(this.now()))}-${stem(job.file)}`,
      fps: t.fps,
      ...(t.width ? { width: t.width } : {}),
      ...(t.height ? { height: t.height } : {}),
      ...(everySeconds > 0 ? { everySeconds } : {}),
      layout: !layout || layout === 'separate' ? 'horizontal' : layout,
      ...(captureTimeoutMs && captureTimeoutMs > 0 ? { captureTimeoutMs } : {}),
      ...(this.o.renderTimeoutMs ? { renderTimeoutMs: this.o.renderTimeoutMs } : {}),
      ...(this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {}),
      log: this.log,
      now: this.now,
    });
    this.active = { tl, file: job.file, paused: false };
    this.log.debug(`timelapse: ${sources.map((s) => s.name).join('+')} into ${tl.framesDir}`);
    void this.cleanup(tl, t.keepDays);
    if (everySeconds > 0) tl.tick(); // the first frame now, the next after N seconds
  }

  private async cleanup(tl: Timelapse, keepDays: number): Promise<void> {
    try {
      const videos = await cleanupOldVideos(this.dir, keepDays, { now: this.now() });
      const frames = await tl.cleanupOldFrames(STALE_FRAMES_DAYS);
      if (videos.length + frames.length > 0) this.log.debug(`timelapse: removed ${videos.length} old video(s), ${frames.length} old frame folder(s)`);
    } catch (err) {
      this.log.warn(`timelapse: cleaning up ${this.dir} failed: ${errorText(err)}`);
    }
  }

  private end(): void {
    const a = this.active;
    if (!a) return;
    this.active = undefined;
    const p = this.render(a).catch((err: unknown) => this.log.warn(`timelapse: ${errorText(err)}`));
    this.renders.add(p);
    void p.finally(() => this.renders.delete(p));
  }

  private async render(a: Running): Promise<void> {
    await a.tl.settle();
    const frames = a.tl.frameCount;
    const file = a.file;
    if (frames === 0) {
      await a.tl.finish().catch(() => {}); // stops it; rejects: no frames
      await rm(a.tl.framesDir, { recursive: true, force: true }).catch(() => {});
      this.o.bus.emit({ event: 'MovieFailed', at: this.now(), file, frames, error: NO_FRAMES_ERROR });
      return;
    }
    this.o.bus.emit({ event: 'MovieRendering', at: this.now(), file, frames });
    try {
      const v = await a.tl.finish();
      this.o.bus.emit({
        event: 'MovieDone', at: this.now(), file, frames,
        video: { path: v.path, bytes: v.bytes, ...(v.durationS !== undefined ? { durationS: v.durationS } : {}) },
      });
    } catch (err) {
      this.log.warn(`timelapse: ${errorText(err)}`);
      this.o.bus.emit({ event: 'MovieFailed', at: this.now(), file, frames, error: errorText(err) });
    }
  }

  /** timelapse.cameras (empty = all); unknown names are left out with one warning each. */
  private sources(): SnapshotSource[] {
    const configured = this.o.config.cameras ?? [];
    const wanted = this.o.config.timelapse.cameras ?? [];
    let chosen = configured.filter((c) => wanted.includes(c.name));
    for (const name of wanted) {
      if (!configured.some((c) => c.name === name)) this.warnOnce(`camera:${name}`, `timelapse: no camera named "${name}"; it is left out`);
    }
    if (chosen.length === 0) chosen = configured;
    const out: SnapshotSource[] = [];
    for (const c of chosen) {
      try {
        out.push((this.o.createSource ?? ((cam: CameraSettings) => sharedSnapshotSource(cam, this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {})))(c));
      } catch (err) {
        this.warnOnce(`config:${c.name}`, `timelapse: camera "${c.name}" left out: ${errorText(err)}`);
      }
    }
    return out;
  }

  private warnOnce(key: string, msg: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(msg);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** YYYYMMDD-HHMMSS, local time: videos sort by when the print started. */
function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** "parts/benchy_0.2mm.gcode" → "benchy_0.2mm" (Timelapse makes it a safe file name). */
function stem(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\.(gcode|gco|g|gc|bgcode)$/i, '') || 'print';
}
