// Between the renderer and the outbox: messages whose settings ask for a picture get one, taken
// from their cameras, saved with the attachment store, and carried as `attachments`. enqueue()
// only appends to memory (DESIGN principle 2: nothing here can hold a line back from the printer).
//
// Order: messages leave in arrival order, each once its own picture is ready, so a PrintDone never
// overtakes the PrintStarted still waiting for its camera. A message without a picture passes
// straight through when nothing is waiting before it.
//
// Time: every message waits for its picture at most snapshots.timeoutMs from its ARRIVAL (not
// from the start of its capture), so the delay a picture can add to any message — including the
// ones queued behind it — is bounded by that timeout. A camera that hangs costs that message its
// picture (with a note), never the message.
//
// Concurrency: at most `maxCaptures` (2) pictures are taken at once, and never two at once from
// the same camera (a V4L2 device cannot be opened twice; an IP camera gains nothing from it).
// A progress message still waiting for its turn when a newer progress message of the same print
// arrives gives up its picture: the outbox replaces an undelivered progress message by the newer
// one anyway, so that picture would be shot for nothing while a slow camera is the bottleneck.
import type { CameraSettings, OctoslackConfig } from '../../config/types.js';
import type { Notification } from '../../notify/notification.js';
import type { NotificationSink } from '../../notify/pipeline.js';
import { CaptureError } from '../capture/errors.js';
import { formatCaptureErrors } from '../capture/sources.js';
import { sharedSnapshotSource } from '../capture/shared-sources.js';
import { takeSnapshot } from '../compose/take-snapshot.js';
import type { SnapshotSource } from '../types.js';
import type { AttachmentStore } from './attachment-store.js';

export interface SnapshotStageLog {
  debug(msg: string): void;
  warn(msg: string): void;
}

export interface SnapshotStageOptions {
  /** Where finished messages go (the outbox). */
  next: NotificationSink;
  config: Pick<OctoslackConfig, 'cameras' | 'snapshots'>;
  store: AttachmentStore;
  /** Camera settings → picture source (default: the process-wide one per camera, shared with the timelapse; tests pass fakes). */
  createSource?: (camera: CameraSettings) => SnapshotSource;
  ffmpegPath?: string;
  /** Pictures taken at the same time, over all cameras (default 2). */
  maxCaptures?: number;
  log?: SnapshotStageLog;
  now?: () => number;
}

/** Used when snapshots.timeoutMs is missing or not positive. */
export const DEFAULT_SNAPSHOT_TIMEOUT_MS = 10_000;

interface Entry {
  n: Notification;
  /** Camera names to take, resolved at arrival; empty = no picture wanted. */
  cameras: string[];
  state: 'waiting' | 'capturing' | 'ready';
  deadline: number;
  timer?: NodeJS.Timeout;
  abort?: AbortController;
}

export class SnapshotStage implements NotificationSink {
  private readonly queue: Entry[] = [];
  private readonly busyCameras = new Set<string>();
  private running = 0;
  private readonly sources = new Map<string, SnapshotSource>();
  private readonly warned = new Set<string>();
  private readonly idleWaiters: (() => void)[] = [];
  private stopped = false;
  private readonly log: SnapshotStageLog;
  private readonly now: () => number;
  private readonly maxCaptures: number;

  constructor(private readonly o: SnapshotStageOptions) {
    this.log = o.log ?? { debug: () => {}, warn: () => {} };
    this.now = o.now ?? Date.now;
    this.maxCaptures = Math.max(1, o.maxCaptures ?? 2);
  }

  /** Messages not yet handed to the next sink. */
  get pending(): number {
    return this.queue.length;
  }

  enqueue(n: Notification): void {
    const cameras = this.stopped ? [] : this.camerasFor(n);
    if (cameras.length === 0 && this.queue.length === 0) {
      this.forward(withoutSnapshot(n));
      return;
    }
    const entry: Entry = { n: withoutSnapshot(n), cameras, state: cameras.length === 0 ? 'ready' : 'waiting', deadline: this.now() + this.timeoutMs() };
    if (entry.state === 'waiting') {
      if (n.kind === 'progress') this.supersedeProgress(n);
      // The bound holds even if a capture ignores every limit below it.
      entry.timer = setTimeout(() => this.expire(entry), Math.max(0, entry.deadline - this.now()));
    }
    this.queue.push(entry);
    queueMicrotask(() => this.pump());
  }

  /**
   * Wait until every message has been handed on, at most `timeoutMs`; then whatever still waits
   * for a picture goes on without it (with a note), so nothing is lost at exit. True when all
   * pictures were done in time.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.queue.length === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const done = await Promise.race([
      new Promise<true>((resolve) => this.idleWaiters.push(() => resolve(true))),
      new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs)); }),
    ]);
    clearTimeout(timer);
    if (!done) this.giveUpAll('octoslack was stopping');
    return done;
  }

  /** Stop taking pictures: waiting messages go on now without theirs; later ones pass through. */
  stop(): void {
    this.stopped = true;
    this.giveUpAll('octoslack was stopping');
  }

  private timeoutMs(): number {
    const t = this.o.config.snapshots?.timeoutMs;
    return t !== undefined && t > 0 ? t : DEFAULT_SNAPSHOT_TIMEOUT_MS;
  }

  /** The event's cameras, else snapshots.cameras, else all; unknown names are ignored (one warning each). */
  private camerasFor(n: Notification): string[] {
    if (!n.snapshot) return [];
    const configured = this.o.config.cameras ?? [];
    if (configured.length === 0) return [];
    const known = (names: readonly string[]) => {
      const out: string[] = [];
      for (const name of names) {
        const cam = configured.find((c) => c.name === name);
        if (cam) {
          if (!out.includes(cam.name)) out.push(cam.name);
        } else if (!this.warned.has(name)) {
          this.warned.add(name);
          this.log.warn(`snapshot: no camera named "${name}" (cameras: ${configured.map((c) => c.name).join(', ')}); it is left out`);
        }
      }
      return out;
    };
    const fromEvent = known(n.snapshot.cameras);
    if (fromEvent.length > 0) return fromEvent;
    const fromDefaults = known(this.o.config.snapshots?.cameras ?? []);
    if (fromDefaults.length > 0) return fromDefaults;
    return configured.map((c) => c.name);
  }

  /** Older progress messages of the same print, still waiting for their turn, go without a picture. */
  private supersedeProgress(n: Notification): void {
    for (const e of this.queue) {
      if (e.state === 'waiting' && e.n.kind === 'progress' && e.n.printId === n.printId) {
        this.log.debug(`snapshot: progress picture skipped (${e.n.id}): a newer progress message follows`);
        this.settle(e);
      }
    }
  }

  /** Start every capture that may start now, in arrival order, then hand on what is ready. */
  private pump(): void {
    for (const e of this.queue) {
      if (this.running >= this.maxCaptures) break;
      if (e.state !== 'waiting' || e.cameras.some((c) => this.busyCameras.has(c))) continue;
      void this.capture(e);
    }
    this.release();
  }

  private async capture(e: Entry): Promise<void> {
    e.state = 'capturing';
    this.running++;
    for (const c of e.cameras) this.busyCameras.add(c);
    const abort = new AbortController();
    e.abort = abort;
    try {
      const left = Math.max(1, e.deadline - this.now());
      const layout = this.o.config.snapshots?.layout ?? 'horizontal';
      const snap = await takeSnapshot(e.cameras.map((c) => this.source(c)), {
        layout,
        timeoutMs: left,
        composeTimeoutMs: left,
        signal: abort.signal,
        ...(this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {}),
      });
      if (!capturing(e)) return; // its time ran out meanwhile: it left with a note
      const notes: string[] = [];
      const captureNote = formatCaptureErrors(snap.errors);
      if (captureNote) notes.push(captureNote);
      const attachments = [];
      const base = fileBase(e.n.event);
      for (const image of snap.images) {
        const name = `${layout === 'separate' && image.camera ? `${base}-${fileBase(image.camera)}` : base}.${image.mime === 'image/png' ? 'png' : 'jpg'}`;
        try {
          attachments.push(await this.o.store.saveImage(image, name));
        } catch (err) {
          notes.push(`Snapshot could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      if (!capturing(e)) return;
      if (attachments.length > 0) e.n.attachments = [...(e.n.attachments ?? []), ...attachments];
      if (notes.length > 0) e.n.mediaNotes = [...(e.n.mediaNotes ?? []), ...notes];
      this.settle(e);
    } catch (err) {
      // takeSnapshot does not reject; this is a bug or a source that threw synchronously.
      if (capturing(e)) this.settle(e, `Snapshot error(s): ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.running--;
      for (const c of e.cameras) this.busyCameras.delete(c);
      this.pump();
    }
  }

  private source(name: string): SnapshotSource {
    let s = this.sources.get(name);
    if (s) return s;
    const cam = (this.o.config.cameras ?? []).find((c) => c.name === name)!;
    try {
      s = (this.o.createSource ?? ((c: CameraSettings) => sharedSnapshotSource(c, this.o.ffmpegPath ? { ffmpegPath: this.o.ffmpegPath } : {})))(cam);
    } catch (err) {
      const error = err instanceof CaptureError ? err : new CaptureError('CAMERA_CONFIG', name, err instanceof Error ? err.message : String(err));
      s = { name, capture: () => Promise.reject(error) };
    }
    this.sources.set(name, s);
    return s;
  }

  /** Its time is up: the message goes on without its picture. */
  private expire(e: Entry): void {
    if (e.state === 'ready') return;
    const s = Math.round(this.timeoutMs() / 100) / 10;
    const why = e.state === 'waiting' ? `the cameras were busy for ${s} s` : `no picture within ${s} s`;
    this.settle(e, `Snapshot error(s): ${e.cameras.join(', ')}: ${why}`);
    e.abort?.abort(new Error('snapshot timeout'));
    this.release();
  }

  private settle(e: Entry, note?: string): void {
    if (e.state === 'ready') return;
    e.state = 'ready';
    clearTimeout(e.timer);
    if (note) e.n.mediaNotes = [...(e.n.mediaNotes ?? []), note];
  }

  private giveUpAll(why: string): void {
    for (const e of this.queue) {
      if (e.state !== 'ready') {
        this.settle(e, `Snapshot error(s): ${e.cameras.join(', ')}: no picture: ${why}`);
        e.abort?.abort(new Error(why));
      }
    }
    this.release();
  }

  /** Hand on the ready messages at the head of the queue, in order. */
  private release(): void {
    while (this.queue.length > 0 && this.queue[0]!.state === 'ready') this.forward(this.queue.shift()!.n);
    if (this.queue.length === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  private forward(n: Notification): void {
    try {
      this.o.next.enqueue(n);
    } catch (err) {
      this.log.warn(`snapshot: the next stage refused message ${n.id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

/** Still waiting for its own capture (not expired, superseded or given up meanwhile). */
function capturing(e: Entry): boolean {
  return e.state === 'capturing';
}

function withoutSnapshot(n: Notification): Notification {
  if (!n.snapshot) return n;
  const { snapshot: _, ...rest } = n;
  return rest;
}

/** "rule:Colour change" → "rule-Colour_change": a file name people see. */
function fileBase(s: string): string {
  return s.replace(/:/g, '-').replace(/[^A-Za-z0-9._-]+/g, '_') || 'snapshot';
}
