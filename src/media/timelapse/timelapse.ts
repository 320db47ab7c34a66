// One print's timelapse: a frame at every layer change (the lead calls onLayerChange() on Progress
// events with trigger 'layer') or, with `everySeconds`, on tick() once that much time has passed.
// Both return at once: the frame is taken in the background, and while one is still being taken
// the next trigger is skipped (counted), so a slow camera costs frames, never the print (DESIGN
// principle 2). Frames are numbered JPEGs in `dir/<print-id>/`; finish() renders
// `dir/<print-id>.mp4`, which is kept (the old plugin deleted it after upload, parity §8.1).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { takeSnapshot } from '../compose/take-snapshot.js';
import { JPEG_QUALITY, runFfmpeg } from '../compose/transform.js';
import type { CombineLayout } from '../compose/layout.js';
import type { Image, SnapshotSource, Video } from '../types.js';
import { cleanupOldFrameFolders, markFramesFolder } from './cleanup.js';
import { frameName, renderFrames } from './render.js';

/** Structurally the session's Logger: media does not import the serial side. */
export interface TimelapseLog {
  debug(msg: string): void;
  warn(msg: string): void;
}

export interface TimelapseOptions {
  /** Where frame folders and videos live (e.g. $XDG_STATE_HOME/octoslack/timelapse). */
  dir: string;
  sources: readonly SnapshotSource[];
  /** Names the frame folder and the video; default the start time (YYYYMMDD-HHMMSS). */
  printId?: string;
  fps?: number;
  /** Video size; one side alone keeps the aspect; default the first frame's size. */
  width?: number;
  height?: number;
  /** A frame every N seconds (on tick()) instead of every layer change. */
  everySeconds?: number;
  /** Several cameras are combined into each frame. */
  layout?: CombineLayout;
  captureTimeoutMs?: number;
  renderTimeoutMs?: number;
  /** Keep this print's frames after a successful render (default: remove them). */
  keepFrames?: boolean;
  ffmpegPath?: string;
  log?: TimelapseLog;
  now?: () => number;
}

export class Timelapse {
  readonly printId: string;
  readonly framesDir: string;
  readonly videoPath: string;
  private frames = 0;
  private skipped = 0;
  private inFlight: Promise<void> | undefined;
  private lastTrigger: number | undefined;
  private finished = false;
  private failing = false;
  private folder: Promise<void> | undefined;
  private readonly o: TimelapseOptions;
  private readonly now: () => number;
  private readonly log: TimelapseLog;

  constructor(o: TimelapseOptions) {
    this.o = o;
    this.now = o.now ?? Date.now;
    this.log = o.log ?? { debug: () => {}, warn: () => {} };
    this.printId = safeId(o.printId ?? stamp(new Date(this.now())));
    this.framesDir = path.join(o.dir, this.printId);
    this.videoPath = path.join(o.dir, `${this.printId}.mp4`);
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Triggers dropped because the previous frame was still being taken. */
  get skippedCount(): number {
    return this.skipped;
  }

  onLayerChange(): void {
    if ((this.o.everySeconds ?? 0) > 0) return; // time-based: layers do not count
    this.trigger();
  }

  /** Call often (e.g. every second); takes a frame once `everySeconds` have passed since the last. */
  tick(now: number = this.now()): void {
    const every = this.o.everySeconds ?? 0;
    if (every <= 0) return;
    if (this.lastTrigger !== undefined && now - this.lastTrigger < every * 1000) return;
    this.trigger(now);
  }

  /** Waits for the frame in progress (if any); resolves when nothing is being captured. */
  async settle(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  /** Stop taking frames, render them, and (unless keepFrames) remove them. Rejects with a TimelapseError. */
  async finish(): Promise<Video> {
    this.finished = true;
    await this.settle();
    const video = await renderFrames({
      framesDir: this.framesDir,
      frameCount: this.frames,
      out: this.videoPath,
      fps: this.o.fps ?? 25,
      ...(this.o.width ? { width: this.o.width } : {}),
      ...(this.o.height ? { height: this.o.height } : {}),
      ...(this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {}),
      ...(this.o.renderTimeoutMs ? { timeoutMs: this.o.renderTimeoutMs } : {}),
    });
    if (!this.o.keepFrames) await rm(this.framesDir, { recursive: true, force: true }).catch(() => {});
    this.log.debug(`timelapse: ${this.frames} frames rendered to ${video.path} (${this.skipped} skipped while a camera was busy)`);
    return video;
  }

  /** Remove other prints' frame folders older than `keepDays` days; this print's are kept. */
  cleanupOldFrames(keepDays: number): Promise<string[]> {
    return cleanupOldFrameFolders(this.o.dir, keepDays, { except: this.printId, now: this.now() });
  }

  private trigger(now: number = this.now()): void {
    if (this.finished) return;
    if (this.inFlight) {
      this.skipped++;
      return;
    }
    this.lastTrigger = now;
    this.inFlight = this.captureFrame().finally(() => { this.inFlight = undefined; });
  }

  private async captureFrame(): Promise<void> {
    try {
      this.folder ??= mkdir(this.framesDir, { recursive: true }).then(() => markFramesFolder(this.framesDir));
      await this.folder;
      const snap = await takeSnapshot(this.o.sources, {
        layout: this.o.layout ?? 'horizontal',
        ...(this.o.captureTimeoutMs ? { timeoutMs: this.o.captureTimeoutMs } : {}),
        ...(this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {}),
      });
      const image = snap.images[0];
      if (!image || snap.images.length > 1) {
        this.report(`timelapse: frame skipped: ${snap.errors.map((e) => `${e.camera}: ${e.error}`).join('; ') || 'no picture'}`);
        return;
      }
      const jpeg = await this.asJpeg(image);
      const n = this.frames + 1;
      // Written under another name first: the renderer must never read half a frame.
      const file = path.join(this.framesDir, frameName(n));
      await writeFile(`${file}.tmp`, jpeg);
      await rename(`${file}.tmp`, file);
      this.frames = n;
      if (this.failing) this.log.debug('timelapse: frames are being taken again');
      this.failing = false;
    } catch (err) {
      this.report(`timelapse: frame not saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The renderer reads .jpg frames; a PNG camera's picture is converted. */
  private async asJpeg(image: Image): Promise<Buffer> {
    if (image.mime === 'image/jpeg') return image.data;
    const { stdout } = await runFfmpeg(
      ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'image2pipe', '-i', 'pipe:0', '-frames:v', '1', '-f', 'mjpeg', '-q:v', JPEG_QUALITY, 'pipe:1'],
      { stdin: image.data, ...(this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {}) },
      image.camera ?? 'timelapse',
    );
    return stdout;
  }

  /** The first failure of a run is a warning; its repeats are debug lines (no log spam, parity §8.2). */
  private report(msg: string): void {
    if (this.failing) this.log.debug(msg);
    else this.log.warn(msg);
    this.failing = true;
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** A print id as a folder name: nothing that could leave `dir` or upset a shell. */
export function safeId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '_').slice(0, 120);
  return s.length > 0 ? s : 'print';
}
