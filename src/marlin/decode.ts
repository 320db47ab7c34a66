// Bytes of one received line → text (marlin-protocol.md §1, §15.3). Printers send ASCII, but a
// reset mid-line, line noise or a vendor firmware's degree sign produce bytes that are not valid
// UTF-8, and some boards emit NULs. Decode as UTF-8 when the bytes are valid UTF-8, else as
// Latin-1 (every byte is one character, nothing is lost or replaced); drop NUL and `\r`.

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Latin-1: byte b is U+00bb. Chunked so a long line does not overflow the argument limit. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  }
  return out;
}

/** The line's bytes without NUL and CR, and whether any byte is ≥ 0x80. */
function strip(buf: Uint8Array): { bytes: Uint8Array; ascii: boolean } {
  let drop = 0;
  let ascii = true;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === 0 || b === 13) drop++;
    else if (b >= 0x80) ascii = false;
  }
  if (drop === 0) return { bytes: buf, ascii };
  const bytes = new Uint8Array(buf.length - drop);
  let j = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i]!;
    if (b !== 0 && b !== 13) bytes[j++] = b;
  }
  return { bytes, ascii };
}

/** Decode one line's bytes (without its `\n`): UTF-8 if valid, else Latin-1; no NUL, no CR. */
export function decodeLineBytes(buf: Uint8Array): string {
  const { bytes, ascii } = strip(buf);
  if (ascii) return latin1(bytes);
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1(bytes);
  }
}
