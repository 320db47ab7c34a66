// Turns the bytes of one received line into text. Printers send mostly ASCII, but a board that
// resets mid-line, a wrong baud rate or a firmware with a non-UTF-8 machine name sends bytes that
// are not valid UTF-8, and line noise at reset brings NULs. A line must never be lost or throw
// because of that: we decode UTF-8 when the bytes are valid UTF-8 and Latin-1 (every byte is a
// character) otherwise, so the text is always readable and `ok`/`T:` prefixes still parse.
import { isUtf8 } from 'node:buffer';

const CR = 0x0d;
const NUL = 0x00;

/** Decode one line's bytes (without the `\n`): drop every `\r` and NUL, then UTF-8 or Latin-1. */
export function decodeLine(bytes: Buffer): string {
  const clean = stripCrNul(bytes);
  // isUtf8 is a fast native scan; a plain ASCII line takes the utf8 path and decodes unchanged.
  return isUtf8(clean) ? clean.toString('utf8') : clean.toString('latin1');
}

/** Returns `bytes` itself when there is nothing to strip (the common case: no copy). */
function stripCrNul(bytes: Buffer): Buffer {
  if (bytes.indexOf(CR) === -1 && bytes.indexOf(NUL) === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let n = 0;
  for (const b of bytes) {
    if (b !== CR && b !== NUL) out[n++] = b;
  }
  return out.subarray(0, n);
}
