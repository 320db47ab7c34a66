// The first whole picture of an MJPEG stream (`multipart/x-mixed-replace`, what mjpg-streamer's
// `?action=stream` and ustreamer's `/stream` serve), fed chunk by chunk as they arrive. Pure: the
// HTTP side (http-source.ts) feeds it and hangs up once it has a frame.
//
//   --boundarydonotcross
//   Content-Type: image/jpeg
//   Content-Length: 23817
//   X-Timestamp: 1716215210.123
//
//   <FF D8 ... FF D9>
//
// Content-Length, when the part has one, says where the picture ends; otherwise the JPEG's own
// structure does (jpegEnd walks segments, so an EXIF thumbnail's FF D9 does not end it early).
import { jpegEnd } from './jpeg.js';

const HEADER_END = Buffer.from('\r\n\r\n');

export class MjpegFrameReader {
  private store: Buffer = Buffer.alloc(0);
  private used = 0;
  private searchFrom = 0;
  private total = 0;

  /** Bytes received so far (for the size bound). */
  get received(): number {
    return this.total;
  }

  /** The bytes held: a view of the store, which grows by doubling (no copy per chunk). */
  private get buf(): Buffer {
    return this.store.subarray(0, this.used);
  }

  /** Add a chunk; returns the first complete JPEG once there is one. */
  push(chunk: Uint8Array): Buffer | undefined {
    this.total += chunk.length;
    if (this.used + chunk.length > this.store.length) {
      const grown = Buffer.alloc(Math.max(64 * 1024, 2 * (this.used + chunk.length)));
      this.store.copy(grown, 0, 0, this.used);
      this.store = grown;
    }
    this.store.set(chunk, this.used);
    this.used += chunk.length;
    return this.frame();
  }

  private frame(): Buffer | undefined {
    const soi = findSoi(this.buf, this.searchFrom);
    if (soi < 0) {
      // Nothing of a picture yet: keep only a tail where part headers and a split FF D8 FF may be.
      const keep = Math.min(this.used, 2048);
      this.store.copy(this.store, 0, this.used - keep, this.used);
      this.used = keep;
      this.searchFrom = Math.max(0, keep - 3);
      return undefined;
    }
    this.searchFrom = soi;
    const declared = contentLength(this.buf, soi);
    if (declared !== undefined && declared >= 4) {
      if (this.buf.length < soi + declared) return undefined;
      const part = this.buf.subarray(soi, soi + declared);
      // Trust the length only when it really ends a JPEG (some servers count a trailing CRLF).
      const end = jpegEnd(part, 0);
      if (end > 0) return Buffer.from(part.subarray(0, end));
    }
    const end = jpegEnd(this.buf, soi);
    return end < 0 ? undefined : Buffer.from(this.buf.subarray(soi, end));
  }
}

function findSoi(b: Buffer, from: number): number {
  for (let i = b.indexOf(0xff, from); i >= 0 && i + 2 < b.length; i = b.indexOf(0xff, i + 1)) {
    if (b[i + 1] === 0xd8 && b[i + 2] === 0xff) return i;
  }
  return -1;
}

/** Content-Length of the part whose headers end right before `soi`, if any. */
function contentLength(b: Buffer, soi: number): number | undefined {
  const headerEnd = b.lastIndexOf(HEADER_END, soi);
  if (headerEnd < 0 || headerEnd + HEADER_END.length !== soi) return undefined;
  const start = Math.max(0, headerEnd - 1024);
  const headers = b.subarray(start, headerEnd).toString('latin1');
  // The last one in the window is this part's (a JPEG is far longer than the window).
  const all = [...headers.matchAll(/content-length:[ \t]*(\d+)/gi)];
  const last = all[all.length - 1];
  return last ? Number(last[1]) : undefined;
}
