// Per-camera rotate/flip as ffmpeg filters, the size they produce, and applying them to one
// picture. The old plugin tied rotation to OctoPrint's UI (#129); ours is per camera. Flips come
// first, then the rotation, counter-clockwise (parity §7): a 320x240 picture rotated 90 is 240x320.
import { CaptureError } from '../capture/errors.js';
import { sniffImage, type Size } from '../capture/jpeg.js';
import { runTool, ToolError } from '../capture/run-tool.js';
import type { Image, Transform } from '../types.js';

export const DEFAULT_FFMPEG = 'ffmpeg';
/** JPEG quality for everything we encode (ffmpeg -q:v: 2 best .. 31 worst). */
export const JPEG_QUALITY = '3';

export function hasTransform(t: Transform | undefined): boolean {
  return !!t && ((t.rotate ?? 0) !== 0 || t.flipH === true || t.flipV === true);
}

/**
 * ffmpeg filters for `t`. A 180° turn is both flips, so it folds into them: flipH + 180 is one vflip.
 */
export function transformFilters(t: Transform | undefined): string[] {
  if (!t) return [];
  const rotate = t.rotate ?? 0;
  const half = rotate === 180;
  const filters: string[] = [];
  if ((t.flipH === true) !== half) filters.push('hflip');
  if ((t.flipV === true) !== half) filters.push('vflip');
  if (rotate === 90) filters.push('transpose=cclock');
  if (rotate === 270) filters.push('transpose=clock');
  return filters;
}

export function transformedSize(size: Size, t: Transform | undefined): Size {
  const quarter = t?.rotate === 90 || t?.rotate === 270;
  return quarter ? { width: size.height, height: size.width } : size;
}

/** The picture's size from the image record or, failing that, its header. */
export function imageSize(image: Image): Size {
  if (image.width && image.height) return { width: image.width, height: image.height };
  const sniffed = sniffImage(image.data);
  if (!sniffed) throw new CaptureError('CAMERA_NOT_JPEG', image.camera ?? 'picture', 'not a readable JPEG or PNG');
  return sniffed;
}

export interface FfmpegRun {
  ffmpegPath?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** One picture through its transform; an untransformed picture comes back as it is (no re-encode). */
export async function transformImage(image: Image, t: Transform | undefined, o: FfmpegRun = {}): Promise<Image> {
  if (!hasTransform(t)) return image;
  const size = transformedSize(imageSize(image), t);
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'image2pipe', '-i', 'pipe:0',
    '-vf', transformFilters(t).join(','),
    '-frames:v', '1', '-f', 'mjpeg', '-q:v', JPEG_QUALITY, 'pipe:1',
  ];
  const { stdout } = await runFfmpeg(args, { ...o, stdin: image.data }, image.camera ?? 'picture');
  return { data: stdout, mime: 'image/jpeg', ...size, ...(image.camera ? { camera: image.camera } : {}) };
}

/** ffmpeg for pictures: failures become CaptureErrors that say what to install or check. */
export async function runFfmpeg(
  args: string[],
  o: FfmpegRun & { stdin?: Uint8Array; inputs?: Uint8Array[] },
  what: string,
): Promise<{ stdout: Buffer }> {
  const cmd = o.ffmpegPath ?? DEFAULT_FFMPEG;
  try {
    const { stdout } = await runTool(cmd, args, {
      timeoutMs: o.timeoutMs ?? 15_000,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.stdin ? { stdin: o.stdin } : {}),
      ...(o.inputs ? { inputs: o.inputs } : {}),
    });
    if (!sniffImage(stdout)) throw new CaptureError('CAMERA_FAILED', what, `${cmd} produced no picture`);
    return { stdout };
  } catch (err) {
    throw toCaptureError(err, what, cmd);
  }
}

export function toCaptureError(err: unknown, camera: string, cmd: string): CaptureError {
  if (err instanceof CaptureError) return err;
  if (!(err instanceof ToolError)) return new CaptureError('CAMERA_FAILED', camera, String(err), { cause: err });
  switch (err.kind) {
    case 'missing': return new CaptureError('CAMERA_TOOL_MISSING', camera, `${cmd} is not installed (Debian/Raspberry Pi OS: sudo apt install ${toolPackage(cmd)})`, { cause: err });
    case 'timeout': return new CaptureError('CAMERA_TIMEOUT', camera, err.message, { cause: err });
    case 'aborted': return new CaptureError('CAMERA_ABORTED', camera, 'capture aborted', { cause: err });
    default: return new CaptureError('CAMERA_FAILED', camera, err.message, { cause: err });
  }
}

function toolPackage(cmd: string): string {
  return /fswebcam/.test(cmd) ? 'fswebcam' : 'ffmpeg';
}
