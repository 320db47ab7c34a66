// Streams a G-code file to a synchronous consumer (the streamer) without loading it: 64 KiB reads
// into one reused buffer, at most `highWaterLines` (+ one chunk's worth) commands buffered, so a
// 500 MB file runs in flat memory. The consumer calls shift() until it returns undefined, then
// awaits whenReadable(). This is the only file in the reading path that does I/O.
import { open, type FileHandle } from 'node:fs/promises';
import type { JobLine } from './job-line.js';
import { JobLineQueue } from './job-line-queue.js';
import { LineSplitter } from './line-splitter.js';

export type { JobLine } from './job-line.js';

export interface GcodeReaderOptions {
  /** Bytes per read. Default 64 KiB. */
  chunkBytes?: number;
  /** Stop reading ahead once this many commands are buffered. Default 4096. */
  highWaterLines?: number;
  /** Resume mid-file at a line boundary (a JobLine's byteEnd and fileLine, and markers seen before it). */
  start?: { byteOffset: number; fileLine: number; layerMarkersBefore?: number };
}

export class GcodeReader {
  private readonly queue = new JobLineQueue();
  private readonly splitter: LineSplitter;
  private readonly chunk: Buffer;
  private readonly highWater: number;
  private position: number;
  private eof = false;
  private closed = false;
  private failure: unknown;
  private reading: Promise<void> | undefined;
  private waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    opts: GcodeReaderOptions,
  ) {
    this.chunk = Buffer.allocUnsafe(opts.chunkBytes ?? 64 * 1024);
    this.highWater = opts.highWaterLines ?? 4096;
    this.position = opts.start?.byteOffset ?? 0;
    this.splitter = new LineSplitter(this.queue, this.position, opts.start?.fileLine ?? 0);
    if (opts.start?.layerMarkersBefore) this.queue.markers.setCount(opts.start.layerMarkersBefore);
  }

  /** Open the file and start reading ahead. Rejects with the fs error (the scan has already vetted the file). */
  static async open(path: string, opts: GcodeReaderOptions = {}): Promise<GcodeReader> {
    const fh = await open(path, 'r');
    const reader = new GcodeReader(fh, path, opts);
    reader.pump();
    return reader;
  }

  /** Next command, or undefined when none is buffered right now (see finished / whenReadable). */
  shift(): JobLine | undefined {
    const jl = this.queue.shift();
    if (this.queue.length < this.highWater / 2) this.pump();
    return jl;
  }

  /** End of file reached and every command handed out (or the reader was closed). */
  get finished(): boolean {
    return this.closed || (this.eof && this.queue.length === 0);
  }

  /** Commands buffered now. */
  get buffered(): number {
    return this.queue.length;
  }

  /** Resolves when a command is buffered or the file is done; rejects on a read error. */
  whenReadable(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.queue.length > 0 || this.eof || this.closed) return Promise.resolve();
    this.pump();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Stop reading and release the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    await this.reading;
    await this.fh.close();
  }

  private pump(): void {
    if (this.reading || this.eof || this.closed || this.failure !== undefined) return;
    if (this.queue.length >= this.highWater) return;
    this.reading = this.readAhead().finally(() => {
      this.reading = undefined;
      this.wake();
    });
  }

  private async readAhead(): Promise<void> {
    try {
      while (!this.closed && !this.eof && this.queue.length < this.highWater) {
        const { bytesRead } = await this.fh.read(this.chunk, 0, this.chunk.length, this.position);
        if (this.closed) return;
        if (bytesRead === 0) {
          this.splitter.finish();
          this.eof = true;
        } else {
          this.position += bytesRead;
          this.splitter.feed(this.chunk.subarray(0, bytesRead));
        }
        if (this.queue.length > 0) this.wake();
      }
    } catch (err) {
      this.failure = err;
    }
  }

  private wake(): void {
    const ws = this.waiters;
    if (ws.length === 0) return;
    if (this.failure === undefined && this.queue.length === 0 && !this.eof && !this.closed) return;
    this.waiters = [];
    for (const w of ws) {
      if (this.failure !== undefined) w.reject(this.failure);
      else w.resolve();
    }
  }
}
