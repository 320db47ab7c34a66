// The shapes media code passes around: a picture, a rendered video, a camera's settings and
// something that takes pictures. Capture, combining, the timelapse and the uploaders (hosts/)
// all meet here, so this file has no logic and imports nothing.

/** One picture, in memory (snapshots are small: a few hundred KB, bounded at capture). */
export interface Image {
  data: Buffer;
  mime: 'image/jpeg' | 'image/png';
  /** Pixel size, when known (every captured picture has it: read from the JPEG header). */
  width?: number;
  height?: number;
  /** The camera's name; a combined picture carries the names joined with "+". */
  camera?: string;
}

/** A rendered video on disk; the file is complete when this exists (rendered, then renamed). */
export interface Video {
  path: string;
  mime: 'video/mp4';
  bytes: number;
  durationS?: number;
}

/** Rotation is counter-clockwise (parity §7: the old plugin's "rotate 90" turned left). */
export type Rotation = 0 | 90 | 180 | 270;

/** What to do to a camera's pictures: flips first, then the rotation (as the old plugin did). */
export interface Transform {
  rotate?: Rotation;
  flipH?: boolean;
  flipV?: boolean;
}

/** One entry of the `cameras:` config list: a `url` (HTTP still or MJPEG stream) or a `device`. */
export interface CameraConfig {
  name: string;
  /** http(s) snapshot URL (mjpg-streamer `?action=snapshot`, ustreamer `/snapshot`) or MJPEG stream URL. */
  url?: string;
  /** V4L2 device, e.g. /dev/video0. */
  device?: string;
  username?: string;
  password?: string;
  rotate?: Rotation;
  flipH?: boolean;
  flipV?: boolean;
  /** Device: the capture resolution. URL: pictures larger than this are scaled down to fit. */
  width?: number;
  height?: number;
  /** Device: frames thrown away first, so auto-exposure has settled (never a black picture). */
  warmupFrames?: number;
  /** Hard limit for one picture from this camera. */
  timeoutMs?: number;
  /** Device: which program reads it. */
  tool?: 'ffmpeg' | 'fswebcam';
}

/** How several cameras' pictures become what a message carries (parity §7). */
export type SnapshotLayout = 'horizontal' | 'vertical' | 'grid' | 'separate';

export interface SnapshotSource {
  name: string;
  /** Rejects with a CaptureError (capture/errors.ts); honours `signal` by stopping its work. */
  capture(signal?: AbortSignal): Promise<Image>;
  /**
   * Still to be applied to this source's pictures (HTTP cameras: done while combining, so a picture
   * is encoded once). Undefined when the source applies it itself (V4L2 through ffmpeg) or has none.
   */
  transform?: Transform;
}
