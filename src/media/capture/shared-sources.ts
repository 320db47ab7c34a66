// One source per camera for the whole process. Message pictures (SnapshotStage) and timelapse
// frames (TimelapseDriver) ask for pictures independently, often at the same moment (a layer
// change that is also a Progress message). A V4L2 device cannot be opened twice — the second
// ffmpeg gets "Device or resource busy" — and an IP camera gains nothing from two requests. So a
// request that arrives while the camera is already taking a picture shares that picture. The
// capture is stopped only when every requester has given up on it.
import type { CameraSettings } from '../../config/types.js';
import type { Image, SnapshotSource } from '../types.js';
import { CaptureError } from './errors.js';
import { createSnapshotSource, type SourceDeps } from './sources.js';

interface Shot {
  promise: Promise<Image>;
  stop: AbortController;
  waiters: number;
}

/** `source` whose concurrent captures are one capture. */
export function coalesced(source: SnapshotSource): SnapshotSource {
  let current: Shot | undefined;
  const capture = (signal?: AbortSignal): Promise<Image> => {
    if (signal?.aborted) return Promise.reject(new CaptureError('CAMERA_ABORTED', source.name, 'capture aborted'));
    let shot = current;
    if (!shot) {
      const stop = new AbortController();
      const started: Shot = { stop, waiters: 0, promise: Promise.resolve().then(() => source.capture(stop.signal)) };
      const clear = () => { if (current === started) current = undefined; };
      started.promise.then(clear, clear);
      current = shot = started;
    }
    const s = shot;
    s.waiters++;
    return new Promise<Image>((resolve, reject) => {
      let done = false;
      const leave = () => {
        done = true;
        s.waiters--;
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        if (done) return;
        leave();
        // The last one to give up stops the camera; the others still want the picture.
        if (s.waiters === 0) s.stop.abort(signal?.reason);
        reject(new CaptureError('CAMERA_ABORTED', source.name, 'capture aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      s.promise.then(
        (image) => { if (!done) { leave(); resolve(image); } },
        (err: unknown) => { if (!done) { leave(); reject(err); } },
      );
    });
  };
  return source.transform ? { name: source.name, transform: source.transform, capture } : { name: source.name, capture };
}

const shared = new WeakMap<CameraSettings, SnapshotSource>();

/**
 * The process-wide source for this camera entry (the same config object gives the same source).
 * Throws like createSnapshotSource for a camera that cannot be built.
 */
export function sharedSnapshotSource(camera: CameraSettings, deps: SourceDeps = {}): SnapshotSource {
  let s = shared.get(camera);
  if (!s) {
    s = coalesced(createSnapshotSource(camera, deps));
    shared.set(camera, s);
  }
  return s;
}
