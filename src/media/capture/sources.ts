// From a camera's config to something that takes pictures, and taking them from several cameras
// at once. Principle 2 of DESIGN.md: a hung camera costs one picture, never the message or the
// print — so captureAll runs every camera in parallel, each under a hard limit that holds even if
// a source ignored its abort signal, and never rejects: failures come back as entries to report.
import type { CameraConfig, Image, SnapshotSource } from '../types.js';
import { hasTransform } from '../compose/transform.js';
import { CaptureError, errorDetail, formatMs, timeoutReason } from './errors.js';
import { captureDevice, type DeviceTools } from './device-source.js';
import { captureHttp, httpTarget } from './http-source.js';

/** The old plugin waited 2 s; cameras on a busy Pi's Wi-Fi need a little more. */
export const DEFAULT_URL_TIMEOUT_MS = 5_000;
/** Opening a V4L2 device and skipping warm-up frames takes a second or two. */
export const DEFAULT_DEVICE_TIMEOUT_MS = 10_000;

export interface SourceDeps extends DeviceTools {
  /** Largest picture accepted from a URL (default 20 MB). */
  maxBytes?: number;
}

/** Throws a CaptureError (code CAMERA_CONFIG) for a camera with neither or both of url/device. */
export function createSnapshotSource(camera: CameraConfig, deps: SourceDeps = {}): SnapshotSource {
  const { url, device } = camera;
  if ((url === undefined) === (device === undefined)) {
    throw new CaptureError('CAMERA_CONFIG', camera.name, 'give either a url (HTTP snapshot or MJPEG stream) or a device (e.g. /dev/video0)');
  }
  const transform = { rotate: camera.rotate ?? 0, flipH: camera.flipH ?? false, flipV: camera.flipV ?? false };
  if (url !== undefined) {
    httpTarget({ name: camera.name, url }); // a malformed URL is a config error now, not at the first print
    const timeoutMs = camera.timeoutMs ?? DEFAULT_URL_TIMEOUT_MS;
    return {
      name: camera.name,
      // Applied while combining, so the picture is decoded and encoded once.
      ...(hasTransform(transform) ? { transform } : {}),
      capture: (signal) => captureHttp({
        name: camera.name,
        url,
        timeoutMs,
        ...(camera.username !== undefined ? { username: camera.username } : {}),
        ...(camera.password !== undefined ? { password: camera.password } : {}),
        ...(deps.maxBytes !== undefined ? { maxBytes: deps.maxBytes } : {}),
      }, signal),
    };
  }
  const dev = { ...camera, device: device! };
  const timeoutMs = camera.timeoutMs ?? DEFAULT_DEVICE_TIMEOUT_MS;
  // ffmpeg transforms in the capture run itself; fswebcam's pictures are transformed later.
  const later = camera.tool === 'fswebcam' && hasTransform(transform);
  const forCapture = camera.tool === 'fswebcam' ? { ...dev, rotate: 0 as const, flipH: false, flipV: false } : dev;
  return {
    name: camera.name,
    ...(later ? { transform } : {}),
    capture: (signal) => captureDevice(forCapture, timeoutMs, deps, signal),
  };
}

export interface CaptureFailure {
  camera: string;
  /** What went wrong, without the camera's name (e.g. "no picture from http://… within 2 s"). */
  error: string;
  /** CaptureError code, e.g. CAMERA_TIMEOUT. */
  code: string;
}

export interface CaptureAllOptions {
  /** Limit for each camera, on top of its own (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The sources that delivered, each with its picture, in the order of `sources`. */
export interface Captured {
  source: SnapshotSource;
  image: Image;
}

export async function captureEach(
  sources: readonly SnapshotSource[],
  o: CaptureAllOptions = {},
): Promise<{ captured: Captured[]; errors: CaptureFailure[] }> {
  const results = await Promise.all(sources.map((s) => captureOne(s, o.timeoutMs ?? DEFAULT_DEVICE_TIMEOUT_MS, o.signal)));
  const captured: Captured[] = [];
  const errors: CaptureFailure[] = [];
  results.forEach((r, i) => {
    const source = sources[i]!;
    if ('image' in r) captured.push({ source, image: { ...r.image, camera: r.image.camera ?? source.name } });
    else errors.push({ camera: source.name, error: errorDetail(r.error), code: r.error instanceof CaptureError ? r.error.code : 'CAMERA_FAILED' });
  });
  return { captured, errors };
}

/** Pictures from every source in parallel; a failing or hanging camera is an error entry, never a rejection. */
export async function captureAll(
  sources: readonly SnapshotSource[],
  o: CaptureAllOptions = {},
): Promise<{ images: Image[]; errors: CaptureFailure[] }> {
  const { captured, errors } = await captureEach(sources, o);
  return { images: captured.map((c) => c.image), errors };
}

async function captureOne(source: SnapshotSource, limitMs: number, outer?: AbortSignal): Promise<{ image: Image } | { error: unknown }> {
  const stop = new AbortController();
  const onOuter = () => stop.abort(outer?.reason);
  if (outer?.aborted) onOuter();
  outer?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  // The hard limit: resolves even when a source never settles.
  const limit = new Promise<{ error: unknown }>((resolve) => {
    const expire = () => resolve({ error: new CaptureError('CAMERA_TIMEOUT', source.name, `no picture within ${formatMs(limitMs)}`) });
    timer = setTimeout(() => { stop.abort(timeoutReason(limitMs)); expire(); }, limitMs);
    stop.signal.addEventListener('abort', () => {
      if (!outer?.aborted) return;
      resolve({ error: new CaptureError('CAMERA_ABORTED', source.name, 'capture aborted') });
    }, { once: true });
  });
  try {
    const attempt = Promise.resolve()
      .then(() => source.capture(stop.signal))
      .then((image) => ({ image }), (error: unknown) => ({ error }));
    return await Promise.race([attempt, limit]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
    stop.abort(); // a source still working after the race is told to stop
  }
}

/** "Snapshot error(s): front: no picture …; top: HTTP 404 …" — the line a message carries (parity §7). */
export function formatCaptureErrors(errors: readonly CaptureFailure[]): string | undefined {
  if (errors.length === 0) return undefined;
  return `Snapshot error(s): ${errors.map((e) => `${e.camera}: ${e.error}`).join('; ')}`;
}
