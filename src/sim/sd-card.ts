// The virtual SD card: a folder given as name -> content, with DOS 8.3 short names like a FAT
// card shows them (`benchy.gcode` -> `BENCHY~1.GCO`), and a reader that hands out one command
// line at a time the way Marlin's get_sdcard_commands does (comments and blank lines skipped,
// lines cut at MAX_CMD_SIZE - 1). Positions and sizes are in bytes of the UTF-8 file.

export interface SdFile {
  longName: string;
  shortName: string;
  /** UTF-8 bytes, one char per byte (so string indexes are byte offsets). */
  bytes: string;
  size: number;
  /** Whether any byte is >= 0x80 (lines then need decoding back to text). */
  binary: boolean;
}

export class SdCard {
  readonly files: SdFile[];
  mounted: boolean;
  /** The selected file (M23), null when none. */
  file: SdFile | null = null;
  /** Byte offset of the next line to read. */
  pos = 0;
  /** Reading commands from the file (M24); false when paused or idle. */
  printing = false;

  constructor(contents: Record<string, string>, readonly inserted: boolean) {
    this.mounted = inserted;
    const used = new Set<string>();
    this.files = Object.entries(contents).map(([name, text]) => {
      const bytes = toByteString(text);
      const shortName = makeShortName(name, used);
      used.add(shortName);
      return { longName: name, shortName, bytes, size: bytes.length, binary: bytes.length !== text.length };
    });
  }

  /** Find by short or long name, case-insensitive, leading `/` ignored. */
  find(name: string): SdFile | undefined {
    const key = name.replace(/^\/+/, '').toLowerCase();
    return this.files.find((f) => f.shortName.toLowerCase() === key || f.longName.toLowerCase() === key);
  }

  select(f: SdFile): void {
    this.file = f;
    this.pos = 0;
    this.printing = false;
  }

  close(): void {
    this.file = null;
    this.pos = 0;
    this.printing = false;
  }

  /** The M27 line: `SD printing byte 1234/56789` while a file is open, else `Not SD printing`. */
  statusLine(): string {
    return this.file ? `SD printing byte ${this.pos}/${this.file.size}` : 'Not SD printing';
  }

  get eof(): boolean {
    return !this.file || this.pos >= this.file.size;
  }

  /** The next non-empty, comment-free command line, or null at the end of the file. */
  nextLine(maxCmdSize: number): string | null {
    const f = this.file;
    if (!f) return null;
    const data = f.bytes;
    while (this.pos < f.size) {
      let end = data.indexOf('\n', this.pos);
      const cr = data.indexOf('\r', this.pos);
      if (cr >= 0 && (end < 0 || cr < end)) end = cr;
      if (end < 0) end = f.size;
      let line = data.slice(this.pos, end);
      this.pos = end + 1 > f.size ? f.size : end + 1;
      const semi = line.indexOf(';');
      if (semi >= 0) line = line.slice(0, semi);
      if (line.length > maxCmdSize - 1) line = line.slice(0, maxCmdSize - 1);
      line = line.trim();
      if (line.length > 0) return f.binary ? fromByteString(line) : line;
    }
    return null;
  }
}

/** DOS 8.3 alias: kept as is when already a valid upper-case 8.3 name, else `BASE~n.EXT`. */
export function makeShortName(longName: string, used: ReadonlySet<string>): string {
  const dot = longName.lastIndexOf('.');
  const clean = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9_\-$~!#%&{}()@^`']/g, '');
  const base = clean(dot > 0 ? longName.slice(0, dot) : longName);
  const ext = clean(dot > 0 ? longName.slice(dot + 1) : '').slice(0, 3);
  const plain = ext ? `${base}.${ext}` : base;
  if (plain === longName && base.length > 0 && base.length <= 8 && !used.has(plain)) return plain;
  for (let n = 1; ; n++) {
    const tail = `~${n}`;
    const alias = `${(base || 'FILE').slice(0, 8 - tail.length)}${tail}${ext ? `.${ext}` : ''}`;
    if (!used.has(alias)) return alias;
  }
}

function toByteString(text: string): string {
  // ASCII content (the normal case) is already its own byte string.
  if (!/[^\x00-\x7f]/.test(text)) return text;
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
}

function fromByteString(s: string): string {
  if (!/[^\x00-\x7f]/.test(s)) return s;
  return new TextDecoder().decode(Uint8Array.from(s, (c) => c.charCodeAt(0)));
}
