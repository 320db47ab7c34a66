// Several pictures into one JPEG, in one ffmpeg run: every picture comes in on its own pipe
// (fd 3, 4, ...), gets its camera's rotate/flip, and is overlaid at the place layout.ts computed
// on a black canvas. One run means one decode and one encode per picture, whatever the transforms.
// A single picture is only transformed (and returned untouched when there is nothing to do).
import type { Image, Transform } from '../types.js';
import { planCanvas, type CombineLayout } from './layout.js';
import { imageSize, JPEG_QUALITY, runFfmpeg, transformedSize, transformFilters, transformImage, type FfmpegRun } from './transform.js';

export interface CombineItem {
  image: Image;
  transform?: Transform;
}

export async function combineImages(items: readonly CombineItem[], layout: CombineLayout = 'horizontal', o: FfmpegRun = {}): Promise<Image> {
  if (items.length === 0) throw new Error('combineImages: no pictures');
  if (items.length === 1) return transformImage(items[0]!.image, items[0]!.transform, o);
  const sizes = items.map((it) => transformedSize(imageSize(it.image), it.transform));
  const plan = planCanvas(sizes, layout);
  // Overlaid in planar RGB: in YUV ffmpeg squeezes the cameras' full-range JPEG colours into
  // video range on the way in and not back out (white came out grey, black dark grey).
  const graph = [`color=c=black:s=${plan.width}x${plan.height}:r=1,format=gbrp[bg0]`];
  items.forEach((it, i) => {
    graph.push(`[${i}:v]${[...transformFilters(it.transform), 'format=gbrp'].join(',')}[t${i}]`);
    const { x, y } = plan.positions[i]!;
    const last = i === items.length - 1;
    graph.push(`[bg${i}][t${i}]overlay=x=${x}:y=${y}:format=gbrp${last ? ',format=yuvj420p[out]' : `[bg${i + 1}]`}`);
  });
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    ...items.flatMap((_, i) => ['-f', 'image2pipe', '-i', `pipe:${3 + i}`]),
    '-filter_complex', graph.join(';'),
    '-map', '[out]', '-frames:v', '1', '-f', 'mjpeg', '-q:v', JPEG_QUALITY, 'pipe:1',
  ];
  const names = items.map((it) => it.image.camera).filter((n): n is string => !!n);
  const { stdout } = await runFfmpeg(args, { ...o, inputs: items.map((it) => it.image.data) }, names.join('+') || 'pictures');
  return {
    data: stdout,
    mime: 'image/jpeg',
    width: plan.width,
    height: plan.height,
    ...(names.length > 0 ? { camera: names.join('+') } : {}),
  };
}
