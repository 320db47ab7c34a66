// Pure byte-level facts about pictures, so capture can validate what a camera sent and combining
// can lay pictures out without asking ffprobe: is it a JPEG (or PNG), how big is it, and where does
// a JPEG end inside an MJPEG stream.
//
// A JPEG is FF D8 (SOI), then marker segments FF xx + 2-byte length (APP0/APP1 EXIF — which may hold
// a whole thumbnail JPEG with its own FF D9 —, DQT, SOF0 with the size, DHT, ...), then SOS, then
// entropy-coded data in which a literal FF is written FF 00, restart markers are FF D0..D7, and
// FF D9 (EOI) ends the picture. Walking the segments by length is what keeps an EXIF thumbnail's
// FF D9 from being taken for the end of the frame.

export function isJpeg(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
export function isPng(b: Uint8Array): boolean {
  return b.length >= 24 && PNG_MAGIC.every((v, i) => b[i] === v);
}

export interface Size {
  width: number;
  height: number;
}

/** SOFn markers (C0..CF except DHT C4, JPG C8, DAC CC) carry the frame size. */
function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Size from the SOF segment; undefined when the bytes are not a JPEG with a readable header. */
export function jpegSize(b: Uint8Array): Size | undefined {
  if (!isJpeg(b)) return undefined;
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; } // fill bytes before a marker are allowed
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; }
    if (marker === 0xd9 || marker === 0xda) return undefined; // no SOF before the data
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    if (len < 2) return undefined;
    if (isSof(marker)) {
      if (i + 9 > b.length) return undefined;
      const height = (b[i + 5]! << 8) | b[i + 6]!;
      const width = (b[i + 7]! << 8) | b[i + 8]!;
      return width > 0 && height > 0 ? { width, height } : undefined;
    }
    i += 2 + len;
  }
  return undefined;
}

export function pngSize(b: Uint8Array): Size | undefined {
  if (!isPng(b)) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const width = v.getUint32(16);
  const height = v.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** What a picture is, judged by its bytes (cameras' Content-Type headers are often wrong). */
export function sniffImage(b: Uint8Array): ({ mime: 'image/jpeg' | 'image/png' } & Size) | undefined {
  const j = jpegSize(b);
  if (j) return { mime: 'image/jpeg', ...j };
  const p = pngSize(b);
  if (p) return { mime: 'image/png', ...p };
  return undefined;
}

/**
 * Index just past the EOI of the JPEG starting at `start` (which must be FF D8), or -1 when the
 * bytes so far do not hold the whole picture yet.
 */
export function jpegEnd(b: Uint8Array, start: number): number {
  let i = start + 2;
  // Marker segments up to and including SOS.
  for (;;) {
    if (i + 2 > b.length) return -1;
    if (b[i] !== 0xff) { i++; continue; } // tolerate garbage between segments, as decoders do
    const marker = b[i + 1]!;
    if (marker === 0xff) { i++; continue; }
    if (marker === 0xd9) return i + 2;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xd8) { i += 2; continue; }
    if (i + 4 > b.length) return -1;
    const len = (b[i + 2]! << 8) | b[i + 3]!;
    i += 2 + len;
    if (marker === 0xda) break;
  }
  // Entropy-coded data: the next FF that is not stuffing (00) or a restart marker ends it.
  // Progressive JPEGs have several scans, so after a DHT/SOS/... segment we keep going.
  while (i + 1 < b.length) {
    if (b[i] !== 0xff) { i++; continue; }
    const m = b[i + 1]!;
    if (m === 0x00 || (m >= 0xd0 && m <= 0xd7) || m === 0xff) { i += m === 0xff ? 1 : 2; continue; }
    if (m === 0xd9) return i + 2;
    if (i + 4 > b.length) return -1;
    i += 2 + ((b[i + 2]! << 8) | b[i + 3]!); // another segment between scans (DHT, SOS, DRI ...)
  }
  return -1;
}
