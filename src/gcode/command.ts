// Minimal G-code line handling shared by the job reader, the session and the virtual printer.
// A G-code line: optional `N<n>`, a command word (`G1`, `M104`, `T0`), parameter words, and an
// optional `;` comment (and, for Marlin's PAREN_COMMENTS, `( … )` comments are left alone).

/** Remove a `;` comment and surrounding whitespace. Returns '' for comment-only or blank lines. */
export function stripComment(line: string): string {
  const semi = line.indexOf(';');
  const body = semi >= 0 ? line.slice(0, semi) : line;
  return body.trim();
}

export interface GcodeCommand {
  /** Upper-case command word: `G1`, `M104`, `T0`, `M73`; '' when the line has none. */
  code: string;
  /** Parameter letters (upper-case) to their numeric value; NaN when the word has no number. */
  params: Record<string, number>;
  /** The text after the command word (string arguments: M117, M23 file names, M118). */
  argText: string;
}

const letter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Parse a comment-free command. Tolerates `G1X10Y5` (no spaces), lower case, a leading `N<n>`
 * and a trailing `*<checksum>`.
 */
export function parseCommand(text: string): GcodeCommand {
  let s = text.trim();
  const star = s.lastIndexOf('*');
  if (star >= 0 && /^\*\d+$/.test(s.slice(star))) s = s.slice(0, star).trimEnd();
  if (/^[Nn]-?\d+/.test(s)) s = s.replace(/^[Nn]-?\d+\s*/, '');
  const m = /^([A-Za-z])(\d+(?:\.\d+)?)/.exec(s);
  if (!m) return { code: '', params: {}, argText: s };
  const code = (m[1]!.toUpperCase() + m[2]!).replace(/^([GM])0+(\d)/, '$1$2');
  const argText = s.slice(m[0].length).trim();
  const params: Record<string, number> = {};
  // M117/M118/M23 etc. take free text; still parse words for the others.
  let i = 0;
  while (i < argText.length) {
    const c = argText.charCodeAt(i);
    if (!letter(c)) { i++; continue; }
    const key = argText[i]!.toUpperCase();
    let j = i + 1;
    while (j < argText.length && /[-+0-9.]/.test(argText[j]!)) j++;
    const num = argText.slice(i + 1, j);
    if (!(key in params)) params[key] = num === '' ? Number.NaN : Number(num);
    i = j > i + 1 ? j : i + 1;
  }
  return { code, params, argText };
}

/** The command word alone, fast path for hot loops: `G1`, `M109`, '' for none. */
export function commandCode(text: string): string {
  const m = /^\s*(?:[Nn]-?\d+\s*)?([A-Za-z])0*(\d+(?:\.\d+)?)/.exec(text);
  if (!m) return '';
  return m[1]!.toUpperCase() + m[2]!;
}
