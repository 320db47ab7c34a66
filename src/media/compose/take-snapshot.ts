// What a message (or a timelapse frame) gets from its cameras: every camera in parallel, then one
// combined picture, or each picture on its own (`separate`). Nothing here rejects: a camera that
// fails is an error entry, and when ffmpeg cannot combine or turn the pictures (not installed,
// killed on its timeout) the pictures go out as captured, with a note — a picture the wrong way up
// beats no picture, and the message never waits on it beyond the timeouts.
import { captureEach, type CaptureAllOptions, type CaptureFailure, type Captured } from '../capture/sources.js';
import { CaptureError, errorDetail } from '../capture/errors.js';
import type { Image, SnapshotLayout, SnapshotSource } from '../types.js';
import { combineImages } from './combine.js';
import { transformImage, type FfmpegRun } from './transform.js';

export interface SnapshotOptions extends CaptureAllOptions {
  layout?: SnapshotLayout;
  ffmpegPath?: string;
  /** Limit for combining/transforming (default 15 s). */
  composeTimeoutMs?: number;
}

export interface Snapshot {
  /** One picture (combined), several (`separate`, or combining failed), or none (every camera failed). */
  images: Image[];
  errors: CaptureFailure[];
}

export async function takeSnapshot(sources: readonly SnapshotSource[], o: SnapshotOptions = {}): Promise<Snapshot> {
  const { captured, errors } = await captureEach(sources, o);
  const composed = await composeCaptured(captured, o);
  return { images: composed.images, errors: [...errors, ...composed.errors] };
}

/** Pictures already taken → what to send. */
export async function composeCaptured(captured: readonly Captured[], o: SnapshotOptions = {}): Promise<Snapshot> {
  if (captured.length === 0) return { images: [], errors: [] };
  const run: FfmpegRun = {
    ...(o.ffmpegPath ? { ffmpegPath: o.ffmpegPath } : {}),
    timeoutMs: o.composeTimeoutMs ?? 15_000,
    ...(o.signal ? { signal: o.signal } : {}),
  };
  const layout = o.layout ?? 'horizontal';
  if (layout === 'separate') {
    const results = await Promise.all(captured.map(async (c): Promise<Snapshot> => {
      try {
        return { images: [await transformImage(c.image, c.source.transform, run)], errors: [] };
      } catch (err) {
        return { images: [c.image], errors: [failure(c.source.name, 'could not rotate/flip the picture', err)] };
      }
    }));
    return { images: results.flatMap((r) => r.images), errors: results.flatMap((r) => r.errors) };
  }
  try {
    const items = captured.map((c) => ({ image: c.image, ...(c.source.transform ? { transform: c.source.transform } : {}) }));
    return { images: [await combineImages(items, layout, run)], errors: [] };
  } catch (err) {
    const what = captured.length > 1 ? 'could not combine the pictures' : 'could not rotate/flip the picture';
    return { images: captured.map((c) => c.image), errors: [failure(captured.map((c) => c.source.name).join('+'), what, err)] };
  }
}

function failure(camera: string, what: string, err: unknown): CaptureFailure {
  return { camera, error: `${what}: ${errorDetail(err)}`, code: err instanceof CaptureError ? err.code : 'CAMERA_FAILED' };
}
