// A local USB webcam (V4L2) read by ffmpeg — or fswebcam, where a user prefers it. The first
// frames of a webcam that was just opened are dark or grey while auto-exposure settles, so a few
// are thrown away (ffmpeg: `select=gte(n\,N)`, fswebcam: `-S N`). ffmpeg applies the camera's
// rotate/flip in the same run, so the picture is encoded once. A missing device, a device without
// permission and a busy device (mjpg-streamer already has it) each get their own message.
import { constants as fsc } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import type { CameraConfig, Image, Transform } from '../types.js';
import { CaptureError, formatMs, isTimeout } from './errors.js';
import { sniffImage } from './jpeg.js';
import { runTool } from './run-tool.js';
import { JPEG_QUALITY, toCaptureError, transformFilters } from '../compose/transform.js';

export const DEFAULT_WARMUP_FRAMES = 10;

export interface DeviceTools {
  ffmpegPath?: string;
  fswebcamPath?: string;
}

/** ffmpeg arguments that read one V4L2 picture to stdout. */
export function ffmpegDeviceArgs(camera: CameraConfig & { device: string }): string[] {
  const size = camera.width && camera.height ? ['-video_size', `${camera.width}x${camera.height}`] : [];
  return ['-hide_banner', '-loglevel', 'error', '-nostdin', '-f', 'v4l2', ...size, '-i', camera.device, ...grabFrameArgs(camera.warmupFrames ?? DEFAULT_WARMUP_FRAMES, camera)];
}

/** The output half: skip `warmup` frames, transform, one JPEG to stdout. */
export function grabFrameArgs(warmup: number, t: Transform | undefined): string[] {
  // Inside a filter graph a comma separates filters, so the one in gte(n,N) is escaped.
  const filters = [...(warmup > 0 ? [`select=gte(n\\,${warmup})`] : []), ...transformFilters(t)];
  return [...(filters.length > 0 ? ['-vf', filters.join(',')] : []), '-frames:v', '1', '-f', 'mjpeg', '-q:v', JPEG_QUALITY, 'pipe:1'];
}

export function fswebcamArgs(camera: CameraConfig & { device: string }): string[] {
  const size = camera.width && camera.height ? ['-r', `${camera.width}x${camera.height}`] : [];
  return ['-q', '-d', camera.device, ...size, '-S', String(camera.warmupFrames ?? DEFAULT_WARMUP_FRAMES), '--no-banner', '--jpeg', '90', '-'];
}

export async function captureDevice(
  camera: CameraConfig & { device: string },
  timeoutMs: number,
  tools: DeviceTools,
  signal?: AbortSignal,
): Promise<Image> {
  await checkDevice(camera.name, camera.device);
  const fswebcam = camera.tool === 'fswebcam';
  const cmd = fswebcam ? (tools.fswebcamPath ?? 'fswebcam') : (tools.ffmpegPath ?? 'ffmpeg');
  const args = fswebcam ? fswebcamArgs(camera) : ffmpegDeviceArgs(camera);
  let stdout: Buffer;
  try {
    ({ stdout } = await runTool(cmd, args, { timeoutMs, ...(signal ? { signal } : {}), maxStdoutBytes: 20 * 1024 * 1024 }));
  } catch (err) {
    const e = toCaptureError(err, camera.name, cmd);
    if (e.code === 'CAMERA_ABORTED' && isTimeout(signal?.reason)) {
      throw new CaptureError('CAMERA_TIMEOUT', camera.name, `no picture from ${camera.device}: ${(signal?.reason as Error).message}`, { cause: err });
    }
    if (e.code === 'CAMERA_TIMEOUT') throw new CaptureError('CAMERA_TIMEOUT', camera.name, `no picture from ${camera.device} within ${formatMs(timeoutMs)}`, { cause: err });
    if (e.code === 'CAMERA_FAILED' && /busy/i.test(e.message)) {
      throw new CaptureError('CAMERA_FAILED', camera.name, `${camera.device} is busy: another program (mjpg-streamer, ustreamer?) has it open — use that program's snapshot URL instead`, { cause: err });
    }
    throw e;
  }
  const image = sniffImage(stdout);
  if (!image) throw new CaptureError('CAMERA_NOT_JPEG', camera.name, `${cmd} gave no JPEG picture from ${camera.device}`);
  return { data: stdout, mime: image.mime, width: image.width, height: image.height, camera: camera.name };
}

async function checkDevice(name: string, device: string): Promise<void> {
  try {
    await access(device, fsc.R_OK | fsc.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new CaptureError('CAMERA_DEVICE_DENIED', name, `no permission to open ${device}: add your user to the video group (sudo usermod -aG video $USER, then log in again)`, { cause: err });
    }
    const present = await listVideoDevices();
    const hint = present.length > 0 ? `devices present: ${present.join(', ')}` : 'no /dev/video* device is present: is the webcam plugged in?';
    throw new CaptureError('CAMERA_DEVICE_MISSING', name, `no such device ${device} (${hint})`, { cause: err });
  }
}

async function listVideoDevices(): Promise<string[]> {
  try {
    return (await readdir('/dev')).filter((f) => /^video\d+$/.test(f)).sort().map((f) => `/dev/${f}`);
  } catch {
    return [];
  }
}
