// The pre-print scan, file side: refuses what cannot be printed (missing, a directory, empty,
// binary, no commands, a line too long for the firmware) with a UsageError, then streams the file
// once through FileScanner in 64 KiB reads (flat memory whatever the size) and adds the slicer
// metadata from the file's head and tail.
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { LineSplitter } from './line-splitter.js';
import { readSlicerMetadata } from './read-slicer-metadata.js';
import { fileErrors, sniffBinary } from './scan-checks.js';
import type { FileScan } from './scan-types.js';
import { FileScanner, type ScannerOptions } from './scanner.js';

export interface ScanOptions {
  /** Longest command (bytes, comment removed) the printer accepts. */
  maxCommandLength: number;
  chunkBytes?: number;
  model?: ScannerOptions['model'];
  allowances?: ScannerOptions['allowances'];
  /** Stops the scan (rejects with the signal's reason) — e.g. the user gave up waiting. */
  signal?: AbortSignal;
}

export async function scanGcodeFile(path: string, opts: ScanOptions): Promise<FileScan> {
  const st = await statFile(path);
  if (st.isDirectory()) throw fileErrors.directory(path);
  if (st.size === 0) throw fileErrors.empty(path);
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    throw fileErrors.unreadable(path, err);
  }
  try {
    const scanner = new FileScanner({ maxCommandLength: opts.maxCommandLength, label: path, model: opts.model, allowances: opts.allowances });
    const size = await streamInto(fh, path, scanner, opts);
    const slicer = await readSlicerMetadata(path);
    return scanner.finish(path, size, slicer);
  } finally {
    await fh.close();
  }
}

async function statFile(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw fileErrors.notFound(path, err);
    throw fileErrors.unreadable(path, err);
  }
}

/**
 * Reads the whole file into the scanner; returns the byte count actually read. Two buffers: the
 * next read is in flight while the current chunk is scanned, so the disk and the CPU overlap.
 */
async function streamInto(fh: FileHandle, path: string, scanner: FileScanner, opts: ScanOptions): Promise<number> {
  const size = opts.chunkBytes ?? 64 * 1024;
  let current = Buffer.allocUnsafe(size);
  let spare = Buffer.allocUnsafe(size);
  const splitter = new LineSplitter(scanner);
  let position = 0;
  let pending = fh.read(current, 0, size, 0);
  try {
    for (;;) {
      opts.signal?.throwIfAborted();
      const { bytesRead } = await pending;
      if (bytesRead === 0) break;
      const data = current.subarray(0, bytesRead);
      if (position === 0) checkHead(path, data);
      position += bytesRead;
      [current, spare] = [spare, current];
      pending = fh.read(current, 0, size, position);
      splitter.feed(data);
    }
  } catch (err) {
    await pending.catch(() => undefined); // let the read in flight finish before the file is closed
    throw err;
  }
  if (position === 0) throw fileErrors.empty(path);
  splitter.finish();
  return position;
}

function checkHead(path: string, head: Buffer): void {
  const kind = sniffBinary(head);
  if (kind === 'bgcode') throw fileErrors.bgcode(path);
  if (kind === 'binary') throw fileErrors.binary(path);
}
