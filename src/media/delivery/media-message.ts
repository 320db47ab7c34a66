// The pieces of picture delivery that need no target: how a message looks once its files are
// URLs and notes, where native uploads go (each channel's thread), and the words of the notes
// people see in place of a picture or video that could not be shown.
import { basename } from 'node:path';
import type { MessageRef, Notification, NotificationField, ThreadContext } from '../../notify/notification.js';
import { truncate } from '../../notify/payload/limits.js';
import { parentIn } from '../../notify/targets/thread-refs.js';
import type { UploadFailure } from '../hosts/types.js';
import type { Attachment } from '../../notify/notification.js';
import type { MediaKind } from './media-route.js';

const ERROR_CHARS = 160;

/** One file of a message and how it is shown (the parts the notes need). */
export interface FileKind {
  a: Attachment;
  kind: MediaKind;
}

/** Where a native upload goes: a channel (undefined: the host's default) and the thread there. */
export interface Place {
  channel?: string;
  thread?: string;
}

/** The message as the inner target gets it: files turned into URLs, fields and notes. */
export function shape(n: Notification, imageUrls: string[], fields: NotificationField[], notes: string[]): Notification {
  const { attachments: _files, ...rest } = n;
  const out: Notification = { ...rest };
  if (imageUrls.length > 0) out.imageUrls = [...n.imageUrls, ...imageUrls];
  if (fields.length > 0) out.fields = [...n.fields, ...fields];
  if (notes.length > 0) out.mediaNotes = [...(n.mediaNotes ?? []), ...notes];
  return out;
}

/** Each channel the message went to, in the print's thread there (else the message's own). */
export function placesFor(n: Notification, ctx: ThreadContext, refs: MessageRef[]): Place[] {
  if (refs.length === 0) return ctx.parent ? [{ channel: ctx.parent.channel, thread: ctx.parent.id }] : [{}];
  const seen = new Map<string, Place>();
  for (const r of refs) {
    if (seen.has(r.channel)) continue;
    // A start message is the thread's parent itself; others reply under the print's parent.
    const parent = n.kind === 'start' ? undefined : parentIn(ctx, r.channel);
    seen.set(r.channel, { channel: r.channel, thread: parent?.id ?? r.id });
  }
  return [...seen.values()];
}

export function failureText(p: FileKind, f: UploadFailure): string {
  if (f.code === 'file_gone') return p.kind === 'video' ? `the file ${basename(p.a.path)} is gone` : f.error;
  return shortError(f.error);
}

/** The note people see in place of the file. */
export function noteFor(p: FileKind, why: string): string {
  if (p.kind === 'video') {
    return /is gone$/.test(why) ? `Timelapse not shown: ${why}` : `Timelapse saved on the printer's host as ${basename(p.a.path)}; ${why}`;
  }
  return `Picture not shown: ${why}`;
}

function shortError(s: string): string {
  return truncate(s.trim().replace(/\s+/g, ' ').replace(/\.$/, ''), ERROR_CHARS);
}

export function errText(err: unknown): string {
  return err instanceof Error ? err.message.slice(0, 160) : String(err).slice(0, 160);
}

/** `p`'s value, or undefined if it takes longer than `ms` (p keeps running). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) {
    // Already settled promises still answer.
    return Promise.race([p, new Promise<undefined>((resolve) => setImmediate(() => resolve(undefined)))]);
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); timer.unref?.(); })]);
  } finally {
    if (timer) clearTimeout(timer);
  }
}
