// Sending a picture or a video's bytes over HTTP, bounded like every other call (util/http.ts): a
// timeout that grows with the size (a 40 MB timelapse on a slow uplink is not a hung server, a
// 300 KB snapshot that takes minutes is), the caller's signal, and an answer read at most to
// `maxBytes`. A video is streamed from disk with an exact Content-Length, never read whole into
// memory (a Raspberry Pi has little), and redirects are not followed: a token must never go to
// another host, and S3's 301 PermanentRedirect carries the information we translate. What is ours
// here: the time limit for a size and the upload body; the request itself is util/http.ts's.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { requestText, type RequestOptions, type TextAnswer } from '../../util/http.js';
import { isVideo, type Media } from './types.js';

export interface TransferLimits {
  /** Fixed part of a transfer's time limit. Default 30 s. */
  baseMs?: number;
  /** Slowest uplink we wait for; the limit grows by bytes / this. Default 64 KiB/s. */
  minBytesPerS?: number;
  /** Upper bound whatever the size. Default 30 min. */
  maxMs?: number;
}

export function transferTimeoutMs(bytes: number, o: TransferLimits = {}): number {
  const base = o.baseMs ?? 30_000;
  const rate = o.minBytesPerS ?? 64 * 1024;
  return Math.min(o.maxMs ?? 30 * 60_000, Math.round(base + (bytes / rate) * 1000));
}

/** The bytes of one upload, openable more than once (S3 hashes a video before sending it). */
export interface MediaBody {
  bytes: number;
  /** A fresh body each call. */
  open(): NonNullable<RequestInit['body']>;
  sha256Hex(): Promise<string>;
  /** Whole bytes (images only; multipart forms need a Blob). */
  data?: Buffer;
}

export class MediaFileError extends Error {
  constructor(readonly path: string, readonly reason: string) {
    super(`cannot read ${path}: ${reason}`);
    this.name = 'MediaFileError';
  }
}

/** Throws MediaFileError when a video file is gone or unreadable. */
export async function mediaBody(m: Media): Promise<MediaBody> {
  if (!isVideo(m)) {
    const data = m.data;
    return { bytes: data.byteLength, data, open: () => new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      sha256Hex: async () => createHash('sha256').update(data).digest('hex') };
  }
  const path = m.path;
  let bytes: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    bytes = st.size;
  } catch (err) {
    throw new MediaFileError(path, (err as { code?: string }).code ?? (err as Error).message);
  }
  return {
    bytes,
    open: () => Readable.toWeb(createReadStream(path)) as unknown as ReadableStream<Uint8Array>,
    sha256Hex: async () => {
      const h = createHash('sha256');
      for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
      return h.digest('hex');
    },
  };
}

/** A request without `redirect`: uploads never follow one (see `send`). */
export type SendOptions = Omit<RequestOptions, 'redirect'> & { method: string };

export type SendAnswer = TextAnswer;

/**
 * Resolves with any HTTP status (3xx included); rejects on network errors, timeouts, aborts,
 * oversized answers. A buffer body loses any Content-Length of ours, a stream keeps it (util/http.ts).
 */
export async function send(url: string, o: SendOptions): Promise<SendAnswer> {
  return requestText(url, { ...o, redirect: 'manual' });
}

/** Small answers: API JSON and S3 XML errors are a few KB; more means the URL points elsewhere. */
export const ANSWER_MAX_BYTES = 256 * 1024;
