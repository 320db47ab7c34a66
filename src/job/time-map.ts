// File position → estimated print time so far, sampled at line boundaries. Bounded whatever the
// file size: checkpoints every `interval` bytes, and when the table is full every other point is
// dropped and the interval doubled. Plain arrays so a scan can cross a worker boundary.
// The ETA divides the remaining model time by this map (never by bytes or lines: a solid floor
// and sparse infill have very different bytes per second).

export interface TimeMap {
  /** Ascending file offsets; bytes[0] = 0, last = file size. */
  bytes: number[];
  /** Cumulative model seconds at those offsets (motion and dwells, no heat-up allowances). */
  seconds: number[];
  totalS: number;
}

export class TimeMapBuilder {
  private bytes: number[] = [0];
  private seconds: number[] = [0];
  private interval: number;
  /** Offset at which the next checkpoint is due; the caller compares before calling add(). */
  nextAt: number;

  constructor(
    private readonly maxPoints = 2000,
    firstInterval = 4096,
  ) {
    this.interval = firstInterval;
    this.nextAt = firstInterval;
  }

  add(byte: number, seconds: number): void {
    this.bytes.push(byte);
    this.seconds.push(seconds);
    if (this.bytes.length >= this.maxPoints - 2) { // room for the two end points of build()
      // Keep the even points (the first one included) and sample half as often from now on.
      this.bytes = this.bytes.filter((_, i) => i % 2 === 0);
      this.seconds = this.seconds.filter((_, i) => i % 2 === 0);
      this.interval *= 2;
    }
    this.nextAt = byte + this.interval;
  }

  /**
   * The finished map. `commandsEnd` = end of the last command: the total is reached there, not at
   * the end of the file (PrusaSlicer's config block after it takes no time).
   */
  build(sizeBytes: number, totalS: number, commandsEnd = sizeBytes): TimeMap {
    const bytes = this.bytes.slice();
    const seconds = this.seconds.slice();
    for (const end of commandsEnd < sizeBytes ? [commandsEnd, sizeBytes] : [sizeBytes]) {
      if (bytes[bytes.length - 1]! < end) {
        bytes.push(end);
        seconds.push(totalS);
      } else {
        seconds[seconds.length - 1] = totalS;
      }
    }
    return { bytes, seconds, totalS };
  }
}

/** Model seconds at file offset `byte` (linear between checkpoints). */
export function timeAt(map: TimeMap, byte: number): number {
  const b = map.bytes;
  if (byte <= 0 || b.length < 2) return 0;
  if (byte >= b[b.length - 1]!) return map.totalS;
  let lo = 0;
  let hi = b.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (b[mid]! <= byte) lo = mid;
    else hi = mid;
  }
  return interpolate(map, lo, byte);
}

function interpolate(map: TimeMap, lo: number, byte: number): number {
  const b0 = map.bytes[lo]!;
  const b1 = map.bytes[lo + 1]!;
  const s0 = map.seconds[lo]!;
  const s1 = map.seconds[lo + 1]!;
  return b1 > b0 ? s0 + ((s1 - s0) * (byte - b0)) / (b1 - b0) : s1;
}

/** timeAt for offsets that only grow (acknowledged lines): O(1) amortised per call. */
export class TimeMapCursor {
  private i = 0;
  constructor(readonly map: TimeMap) {}

  at(byte: number): number {
    const b = this.map.bytes;
    if (b.length < 2) return 0;
    if (byte >= b[b.length - 1]!) return this.map.totalS;
    if (byte < b[this.i]!) return timeAt(this.map, byte); // went backwards (resume): no cursor
    while (this.i + 2 < b.length && b[this.i + 1]! <= byte) this.i++;
    return interpolate(this.map, this.i, byte);
  }
}
