// Marlin line framing (marlin-protocol.md §3): `N<n> <command>*<checksum>`, where the checksum is
// the XOR of every byte before `*`, in decimal. Examples from the protocol notes:
//   N0 M110 N0*125   N1 M115*39   N1 M105*38   N2 M105*37   N-1 M110 N-1*125
//   N3 G1 X10 Y10 E1 F1200*27   N123 G1 X1.5*122
// This runs once per streamed line, so it walks char codes without allocating; command text is
// ASCII after comment stripping, and if anything else sneaks in it is XORed as its UTF-8 bytes
// (what the transport will actually send).

/** Marlin MAX_CMD_SIZE is 96 bytes including the terminator: a longer framed line is truncated. */
export const MAX_FRAMED_LINE = 95;

/** XOR of the UTF-8 bytes of `s` up to (not including) the first `*`. */
export function checksum(s: string): number {
  let cs = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 42 /* * */) break;
    if (c < 0x80) { cs ^= c; continue; }
    if (c < 0x800) { cs ^= 0xc0 | (c >> 6); cs ^= 0x80 | (c & 63); continue; }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        cs ^= 0xf0 | (cp >> 18); cs ^= 0x80 | ((cp >> 12) & 63);
        cs ^= 0x80 | ((cp >> 6) & 63); cs ^= 0x80 | (cp & 63);
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate is sent as U+FFFD
    cs ^= 0xe0 | (c >> 12); cs ^= 0x80 | ((c >> 6) & 63); cs ^= 0x80 | (c & 63);
  }
  return cs;
}

/** `N<lineNo> <command>*<checksum>`. `command` must be comment-free, without `*` or newlines. */
export function frameLine(lineNo: number, command: string): string {
  const body = `N${lineNo} ${command}`;
  return `${body}*${checksum(body)}`;
}

/** Bytes `s` takes on the wire (UTF-8), to compare with MAX_FRAMED_LINE and the RX budget. */
export function wireLength(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
}
