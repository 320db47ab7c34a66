// A fast, allocation-free G-code word parser for the simulator's hot path. The shared
// `parseCommand` (src/gcode/command.ts) builds objects with regexes — fine for the host, too slow
// for ten million lines through the simulated firmware. One reusable `Words` per firmware is
// refilled for every command.

/** Letters are indexed A=0 … Z=25. */
export class Words {
  /** Upper-case command letter as a char code (71 = G), 0 when the command has none. */
  letter = 0;
  /** Command number (`G1` -> 1), -1 when none. */
  code = -1;
  /** Sub-code after a dot (`M104.1` -> 1), -1 when none. */
  sub = -1;
  /** Index in `text` where the arguments start (for M117/M118/M23 free text). */
  argStart = 0;
  /** The command text this was parsed from. */
  text = '';
  /** Bit i set when letter i appeared as a parameter. */
  seen = 0;
  readonly values = new Float64Array(26);

  has(letter: string): boolean {
    return (this.seen & (1 << (letter.charCodeAt(0) - 65))) !== 0;
  }

  /** The letter's number; `def` when absent or written without a number. */
  get(letter: string, def: number): number {
    const i = letter.charCodeAt(0) - 65;
    if ((this.seen & (1 << i)) === 0) return def;
    const v = this.values[i]!;
    return Number.isNaN(v) ? def : v;
  }

  /** Free text after the command word, trimmed (`M117 Hello` -> `Hello`). */
  args(): string {
    return this.text.slice(this.argStart).trim();
  }
}

const upper = (c: number): number => (c >= 97 && c <= 122 ? c - 32 : c);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Parse a normalized command (`G1 X10 Y5.5 E-.2`, also `g1x10`) into `w`. */
export function parseWords(text: string, w: Words): void {
  w.text = text;
  w.seen = 0;
  w.letter = 0;
  w.code = -1;
  w.sub = -1;
  const len = text.length;
  let i = 0;
  while (i < len && text.charCodeAt(i) === 32) i++;
  const letter = upper(text.charCodeAt(i));
  if (letter >= 65 && letter <= 90 && isDigit(text.charCodeAt(i + 1))) {
    w.letter = letter;
    let j = i + 1;
    let code = 0;
    while (j < len && isDigit(text.charCodeAt(j))) code = code * 10 + (text.charCodeAt(j++) - 48);
    w.code = code;
    if (text.charCodeAt(j) === 46 && isDigit(text.charCodeAt(j + 1))) {
      let sub = 0;
      j++;
      while (j < len && isDigit(text.charCodeAt(j))) sub = sub * 10 + (text.charCodeAt(j++) - 48);
      w.sub = sub;
    }
    i = j;
  }
  w.argStart = i;
  parseParams(text, i, w);
}

function parseParams(text: string, i: number, w: Words): void {
  const len = text.length;
  while (i < len) {
    const c = upper(text.charCodeAt(i));
    if (c < 65 || c > 90) { i++; continue; }
    const idx = c - 65;
    const [value, next] = readNumber(text, i + 1);
    w.seen |= 1 << idx;
    w.values[idx] = value;
    i = next > i + 1 ? next : i + 1;
  }
}

// Returning a tuple allocates; it is only used for parameters and stays cheap in V8 (escape
// analysis removes it). Keeping it separate keeps parseParams readable.
function readNumber(text: string, i: number): [number, number] {
  const len = text.length;
  let sign = 1;
  let c = text.charCodeAt(i);
  if (c === 45) { sign = -1; i++; } else if (c === 43) i++;
  let v = 0;
  let digits = 0;
  while (i < len && isDigit((c = text.charCodeAt(i)))) { v = v * 10 + (c - 48); i++; digits++; }
  if (c === 46) {
    i++;
    let frac = 0;
    let scale = 1;
    while (i < len && isDigit((c = text.charCodeAt(i)))) { frac = frac * 10 + (c - 48); scale *= 10; i++; digits++; }
    v += frac / scale;
  }
  return [digits > 0 ? sign * v : Number.NaN, i];
}
