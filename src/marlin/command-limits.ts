// How long a command may be once framed. Marlin's MAX_CMD_SIZE is 96 bytes including the string
// terminator; longer lines are cut, which then fails the checksum (marlin-protocol.md §3).
// Framing adds `N<line> ` and `*<checksum>`, so the room left depends on how large line numbers get.
import { MAX_FRAMED_LINE } from './checksum.js';

/** Longest command text that still fits once framed, for a file of `sizeBytes`. */
export function maxCommandLengthFor(sizeBytes: number): number {
  // A command takes at least 2 bytes plus a newline, so line numbers stay below size / 3
  // (and M110 resets them on every connect).
  const maxLineNo = Math.max(100_000, Math.ceil(sizeBytes / 3));
  const framing = 1 + String(maxLineNo).length + 1 + 4; // "N" digits " " … "*255"
  return MAX_FRAMED_LINE - framing;
}
