// Pictures wait on disk for their message, not in memory: the outbox persists messages across
// restarts (a Pi that reboots with the network down still posts its pictures later), and a queue of
// held messages with pictures must not grow the process. Files live in <stateDir>/media and are
// removed by age once no message can still need them (the outbox drops messages after 24 h).
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Attachment } from '../../notify/notification.js';
import type { Image } from '../types.js';

/** A day and a bit: the outbox's longest deadline for a message, plus time to deliver it. */
export const ATTACHMENT_MAX_AGE_MS = 26 * 60 * 60 * 1000;

export interface AttachmentStore {
  /** Write a picture for a message; `name` is the file name people see (e.g. "PrintDone.jpg"). */
  saveImage(image: Image, name: string): Promise<Attachment>;
  /** The picture's bytes back (rejects when the file is gone: the message then carries a note). */
  read(a: Attachment): Promise<Buffer>;
  /** Remove files older than `maxAgeMs` (default ATTACHMENT_MAX_AGE_MS). Never throws. */
  prune(maxAgeMs?: number, now?: number): Promise<number>;
}

export class FileAttachmentStore implements AttachmentStore {
  constructor(readonly dir: string) {}

  async saveImage(image: Image, name: string): Promise<Attachment> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const ext = image.mime === 'image/png' ? 'png' : 'jpg';
    // Unique on disk; the name people see stays `name`.
    const file = path.join(this.dir, `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}.${ext}`);
    await writeFile(file, image.data, { mode: 0o600 });
    return { path: file, mime: image.mime, name, bytes: image.data.length };
  }

  read(a: Attachment): Promise<Buffer> {
    return readFile(a.path);
  }

  async prune(maxAgeMs = ATTACHMENT_MAX_AGE_MS, now = Date.now()): Promise<number> {
    let removed = 0;
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return 0;
    }
    for (const n of names) {
      const file = path.join(this.dir, n);
      try {
        const s = await stat(file);
        if (s.isFile() && now - s.mtimeMs > maxAgeMs) {
          await rm(file, { force: true });
          removed++;
        }
      } catch { /* gone already, or unreadable: not ours to fuss over */ }
    }
    return removed;
  }
}

/** Keeps pictures in memory: for tests, and when the state folder cannot be written. */
export class MemoryAttachmentStore implements AttachmentStore {
  readonly files = new Map<string, Buffer>();
  async saveImage(image: Image, name: string): Promise<Attachment> {
    const p = `memory:${this.files.size + 1}-${name}`;
    this.files.set(p, image.data);
    return { path: p, mime: image.mime, name, bytes: image.data.length };
  }
  async read(a: Attachment): Promise<Buffer> {
    const data = this.files.get(a.path);
    if (!data) throw new Error(`picture ${a.name} is no longer stored`);
    return data;
  }
  async prune(): Promise<number> {
    return 0;
  }
}
