// Old timelapse frame folders pile up (a long print leaves hundreds of MB of JPEGs when a render
// failed or octoslack stopped mid-print). Only folders we made — they hold a marker file — are
// ever removed, so pointing the timelapse dir at a folder with other things in it is harmless,
// and the rendered videos beside them are never touched (parity §8.1: keep the video).
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import type { Dirent } from 'node:fs';
import path from 'node:path';

export const FRAMES_MARKER = '.octoslack-frames';

export async function markFramesFolder(dir: string): Promise<void> {
  await writeFile(path.join(dir, FRAMES_MARKER), 'timelapse frames written by octoslack; safe to delete\n');
}

/**
 * Remove frame folders in `dir` not written to for more than `keepDays` days (0: all), except
 * `except` (the print in progress). Returns the folders removed.
 */
export async function cleanupOldFrameFolders(
  dir: string,
  keepDays: number,
  o: { except?: string; now?: number } = {},
): Promise<string[]> {
  const cutoff = (o.now ?? Date.now()) - Math.max(0, keepDays) * 24 * 3600 * 1000;
  const entries = await entriesOf(dir);
  const removed: string[] = [];
  for (const e of entries) {
    if (!e.isDirectory() || e.name === o.except) continue;
    const folder = path.join(dir, e.name);
    try {
      await stat(path.join(folder, FRAMES_MARKER));
      // The folder's mtime moves with every frame added: it says when the print last ran.
      if ((await stat(folder)).mtimeMs > cutoff) continue;
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // not ours, or gone already
    }
  }
  return removed;
}

/** Our video names: `<YYYYMMDD-HHMMSS>[-<anything>].mp4` (Timelapse's default id and the driver's). */
const OUR_VIDEO = /^\d{8}-\d{6}(?:[-_.][^/]*)?\.mp4(?:\.part)?$/;

/**
 * Remove videos in `dir` older than `keepDays` days (0: keep them forever), and leftovers of
 * renders that never finished (`.mp4.part`) as old. Only files named the way we name videos are
 * touched, so a timelapse dir shared with the user's own films is safe. Returns the files removed.
 */
export async function cleanupOldVideos(dir: string, keepDays: number, o: { now?: number } = {}): Promise<string[]> {
  if (!(keepDays > 0)) return [];
  const cutoff = (o.now ?? Date.now()) - keepDays * 24 * 3600 * 1000;
  const entries = await entriesOf(dir);
  const removed: string[] = [];
  for (const e of entries) {
    if (!e.isFile() || !OUR_VIDEO.test(e.name)) continue;
    const file = path.join(dir, e.name);
    try {
      if ((await stat(file)).mtimeMs > cutoff) continue;
      await rm(file, { force: true });
      removed.push(file);
    } catch {
      // gone already
    }
  }
  return removed;
}

/** The folder's entries; none when it does not exist yet (no print has used it). */
async function entriesOf(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
