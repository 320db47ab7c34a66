// Numbered frames → an mp4, with ffmpeg, at a low CPU priority (a render on a Pi must not starve
// the next print's serial loop). H.264 (libx264) in yuv420p with the index at the front
// (+faststart), so Slack, Mattermost and browsers play it while it downloads; Debian's ffmpeg has
// libx264, a self-built one may not, so mpeg4 is the fallback. Every frame is scaled into one even
// size with black bars: frames differ in size when a camera missed a frame of a combined picture.
// The file is rendered under a temporary name and renamed, so a video that exists is complete.
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { runTool, ToolError } from '../capture/run-tool.js';
import { jpegSize, type Size } from '../capture/jpeg.js';
import type { Video } from '../types.js';

export const FRAME_PATTERN = '%06d.jpg';

export function frameName(n: number): string {
  return `${String(n).padStart(6, '0')}.jpg`;
}

export class TimelapseError extends Error {
  constructor(readonly code: 'TIMELAPSE_NO_FRAMES' | 'TIMELAPSE_RENDER_FAILED' | 'TIMELAPSE_NO_FFMPEG', message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TimelapseError';
  }
}

export interface RenderOptions {
  framesDir: string;
  frameCount: number;
  out: string;
  fps: number;
  width?: number;
  height?: number;
  ffmpegPath?: string;
  timeoutMs?: number;
}

const encoderCache = new Map<string, Promise<'libx264' | 'mpeg4'>>();

/** libx264 when this ffmpeg has it, else mpeg4 (asked once per ffmpeg binary). */
export function videoEncoder(ffmpegPath = 'ffmpeg'): Promise<'libx264' | 'mpeg4'> {
  let known = encoderCache.get(ffmpegPath);
  if (!known) {
    known = runTool(ffmpegPath, ['-hide_banner', '-nostdin', '-encoders'], { timeoutMs: 10_000 })
      .then(({ stdout }) => (/^\s*V\S*\s+libx264\s/m.test(stdout.toString('utf8')) ? 'libx264' as const : 'mpeg4' as const));
    known.catch(() => encoderCache.delete(ffmpegPath)); // ffmpeg installed later: ask again
    encoderCache.set(ffmpegPath, known);
  }
  return known;
}

/** Output size: the configured one, else the first frame's; one side alone keeps the aspect. Both even (yuv420p). */
export function outputSize(first: Size, width?: number, height?: number): Size {
  const even = (n: number) => Math.max(2, 2 * Math.floor(n / 2));
  if (width && height) return { width: even(width), height: even(height) };
  if (width) return { width: even(width), height: even((first.height * width) / first.width) };
  if (height) return { width: even((first.width * height) / first.height), height: even(height) };
  return { width: even(first.width), height: even(first.height) };
}

export function renderArgs(o: RenderOptions, size: Size, encoder: 'libx264' | 'mpeg4', tmpOut: string): string[] {
  const { width: w, height: h } = size;
  const codec = encoder === 'libx264'
    ? ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23']
    : ['-c:v', 'mpeg4', '-q:v', '4'];
  return [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
    '-framerate', String(o.fps), '-start_number', '1', '-f', 'image2', '-i', path.join(o.framesDir, FRAME_PATTERN),
    '-vf', `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p`,
    ...codec, '-pix_fmt', 'yuv420p', '-movflags', '+faststart', '-f', 'mp4', tmpOut,
  ];
}

export async function renderFrames(o: RenderOptions): Promise<Video> {
  if (o.frameCount === 0) throw new TimelapseError('TIMELAPSE_NO_FRAMES', 'no timelapse frames were captured (check the cameras)');
  const first = await readHeader(path.join(o.framesDir, frameName(1)));
  const size = outputSize(first, o.width, o.height);
  const ffmpeg = o.ffmpegPath ?? 'ffmpeg';
  const tmpOut = `${o.out}.part`;
  try {
    const encoder = await videoEncoder(ffmpeg);
    await runTool(ffmpeg, renderArgs(o, size, encoder, tmpOut), { timeoutMs: o.timeoutMs ?? 30 * 60_000, lowPriority: true });
    await rename(tmpOut, o.out);
  } catch (err) {
    await rm(tmpOut, { force: true }).catch(() => {});
    if (err instanceof ToolError && err.kind === 'missing') {
      throw new TimelapseError('TIMELAPSE_NO_FFMPEG', `${ffmpeg} is not installed: the timelapse needs it (sudo apt install ffmpeg); the frames are kept in ${o.framesDir}`, { cause: err });
    }
    throw new TimelapseError('TIMELAPSE_RENDER_FAILED', `rendering the timelapse failed: ${err instanceof Error ? err.message : String(err)}; the frames are kept in ${o.framesDir}`, { cause: err });
  }
  const { size: bytes } = await stat(o.out);
  return { path: o.out, mime: 'video/mp4', bytes, durationS: o.frameCount / o.fps };
}

/** The first frame's size from its first 64 KB (the header is at the front). */
async function readHeader(file: string): Promise<Size> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const size = jpegSize(buf.subarray(0, bytesRead));
    if (!size) throw new TimelapseError('TIMELAPSE_RENDER_FAILED', `${file} is not a readable JPEG`);
    return size;
  } finally {
    await fh.close();
  }
}
