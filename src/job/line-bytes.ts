// Byte-level classification of one G-code line, shared by the reader and the scanner so both
// agree on what a command is. Works on the bytes the splitter hands over (no string yet):
//
//   "G1 X10 Y5 E0.4 ; perimeter"  → command "G1 X10 Y5 E0.4"
//   "   ;LAYER:3"                  → comment (checked for markers)
//   "  \t"                         → blank
import { mayBeMarker } from './layer-markers.js';

const SEMI = 59;
const SPACE = 32;
const TAB = 9;
const CR = 13;
const isBlank = (c: number | undefined) => c === SPACE || c === TAB || c === CR;

/** Longest comment prefix decoded to look for markers: markers are short, thumbnails are not. */
export const MARKER_PREFIX_BYTES = 96;

/** Result holder reused for every line (no allocation per line on the hot path). */
export class LineView {
  kind: 'blank' | 'comment' | 'command' = 'blank';
  /** Command bytes [start, end): comment removed, trimmed. For a comment: from its `;`. */
  start = 0;
  end = 0;

  classify(buf: Buffer, start: number, end: number): this {
    let s = start;
    while (s < end && isBlank(buf[s])) s++;
    if (s >= end) {
      this.kind = 'blank';
      return this;
    }
    if (buf[s] === SEMI) {
      this.kind = 'comment';
      this.start = s;
      this.end = end;
      return this;
    }
    let e = s + 1;
    while (e < end && buf[e] !== SEMI) e++;
    while (e > s && isBlank(buf[e - 1])) e--;
    this.kind = 'command';
    this.start = s;
    this.end = e;
    return this;
  }

  /** For a comment: true when it may be a layer/time marker (decode it then). */
  mayBeMarker(buf: Buffer): boolean {
    return mayBeMarker(buf, this.start, this.end);
  }

  /** The comment's first bytes as text, enough for every marker form. */
  commentText(buf: Buffer): string {
    return buf.toString('latin1', this.start, Math.min(this.end, this.start + MARKER_PREFIX_BYTES));
  }

  /** The command as a string. UTF-8, so M117 messages with accents survive. */
  commandText(buf: Buffer): string {
    return buf.toString('utf8', this.start, this.end);
  }
}
