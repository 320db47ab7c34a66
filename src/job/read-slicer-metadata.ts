// File half of slicer-metadata.ts: reads only the first and last 64 KiB, so it takes a few
// milliseconds on a 500 MB file (PrusaSlicer writes its time estimate at the very end).
import { open } from 'node:fs/promises';
import { parseSlicerMetadata, type SlicerMetadata } from './slicer-metadata.js';

const WINDOW = 64 * 1024;

export async function readSlicerMetadata(path: string, windowBytes = WINDOW): Promise<SlicerMetadata> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (size <= 2 * windowBytes) {
      const buf = Buffer.alloc(size);
      await fh.read(buf, 0, size, 0);
      return parseSlicerMetadata(splitLines(buf.toString('latin1'), false, false), []);
    }
    const head = Buffer.alloc(windowBytes);
    const tail = Buffer.alloc(windowBytes);
    await fh.read(head, 0, windowBytes, 0);
    await fh.read(tail, 0, windowBytes, size - windowBytes);
    // Drop the partial line at each cut.
    return parseSlicerMetadata(
      splitLines(head.toString('latin1'), false, true),
      splitLines(tail.toString('latin1'), true, false),
    );
  } finally {
    await fh.close();
  }
}

function splitLines(text: string, dropFirst: boolean, dropLast: boolean): string[] {
  const lines = text.split('\n');
  if (dropFirst) lines.shift();
  if (dropLast) lines.pop();
  return lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
