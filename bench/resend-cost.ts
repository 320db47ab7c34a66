// What one resend costs, in round trips (S8: "resend ≤ 2 round trips"), from the line traffic
// alone: the benchmark's probe feeds it every line written and received, in order.
//
// Why round trips are counted, not timed. S8 runs over a link with random latency (jitter, and
// replies the simulated adapter holds back for ~30 ms). The first version of this metric divided
// the recovery's duration by the run's median write→ok time. One round trip whose reply happened
// to be held then measured as ~3 "median round trips": the worst ping-pong episode (4.6) was the
// trip that failed plus one replay — 2 exchanges — with the Resend: held 27 ms by the link. A time
// ratio measures the link's luck as much as the host. What the target asks about, and what the
// host controls, is how many times it must wait for the printer before the lost line is in and new
// lines flow: so this counts exchanges. The time ratio is still reported, named
// `resend_time_ratio_*`, as information.
//
// The count is a critical path of exchanges. Every write gets a depth: the depth of the received
// line being handled when it was written, or — for a write made from a timer (a timeout, a
// nudge) — one more than anything seen so far, since the host waited for something that is not
// a reply. A received line is attributed to the oldest numbered write not yet answered (Marlin
// answers lines in order: one `ok` per line, a `Resend:` + `ok` for a rejected one; ADVANCED_OK's
// `ok N<n>` re-aligns the match) and has that write's depth + 1. An episode runs from the first
// write of the requested line to the first write of a line never sent before:
//
//   round trips = depth(that write) − depth(first write of the requested line)
//                 − lines after the requested one that had to be replayed
//
// The subtraction: lines that were in flight behind the bad one are lost with it and each needs its
// own exchange again (one at a time while a resend is served, performance.md §2 rule 4); that is
// the line's own exchange, not time the host wasted. A clean resend costs 2: the trip that failed
// and the replay. Waiting for anything else — an extra ok, a timer, learning of the fault only from
// the next line's rejection — adds to it. Divided by the separate faults in the episode (a replay
// hit by noise again is a second fault).

const RESEND = /^(?:Resend:|rs)\s*N?:?\s*(\d+)/i;
const ERROR = /^Error:/;
/** Marlin's answer to each line that arrives after a rejected one: an echo, not a new fault. */
const ECHO_ERROR = /Line Number is not Last Line Number\+1/;
const OK = /^ok\b/;
const OK_N = /^ok\s+N(\d+)/;
/** Per-line records are kept for this many recent line numbers. */
const RING = 4096;

export interface ResendEpisode {
  /** Virtual ms from the first write of the requested line to the first new line written. */
  ms: number;
  /** Round trips the recovery cost (see above), for the whole episode. */
  roundTrips: number;
  /** Exchanges that carried replayed lines (one after the other). */
  exchanges: number;
  /** Lines after the requested one that were replayed too. */
  collateral: number;
  /** Line errors in the episode that were not echoes: separate corruptions (at least 1). */
  faults: number;
  /** The requested line. */
  line: number;
}

interface Written {
  lineNo: number;
  depth: number;
  /** Rejected by the firmware (its `Resend:` came): no ok of its own will follow. */
  rejected: boolean;
}

interface OpenEpisode {
  line: number;
  startedAt: number;
  startDepth: number;
  /** Depth of the latest `Resend:` in the episode: what the host replays depends on it. */
  requestDepth: number;
  maxN: number;
  exchanges: number;
  countedBatch: number;
  replayed: Set<number>;
  faults: number;
}

export class ResendCost {
  readonly episodes: ResendEpisode[] = [];
  /** Numbered writes not answered yet, oldest first. */
  private fifo: Written[] = [];
  private fifoHead = 0;
  /** Depth of the received line being handled, or undefined outside a handler. */
  private rxDepth: number | undefined;
  /** Writes made while handling one received line share a batch; a timer write is its own. */
  private batch = 0;
  private maxDepth = 0;
  /** Depth of the last write made from a timer: later replies come after that wait. */
  private floor = 0;
  private maxN = 0;
  private readonly first: Array<{ n: number; t: number; depth: number } | undefined> = new Array(RING);
  private episode: OpenEpisode | null = null;
  private pendingFaults = 0;
  /** Plain oks still to come for `Resend:` lines, and the depth of the last request. */
  private owedOks = 0;
  private resendDepth = 0;
  private lastResendAsked = 0;

  /** A line arrived; call `endReceive` once the host has handled it (and written what it would). */
  beginReceive(line: string, now: number): void {
    this.batch++;
    let depth: number;
    const resend = RESEND.exec(line);
    if (resend || ERROR.test(line)) {
      // Marlin checks a line when it reads it, ahead of the oks of lines still queued: a rejection
      // answers the oldest write at or after the line it asks for that was not rejected yet.
      const n = resend ? Number(resend[1]) : this.lastResendAsked;
      const i = this.findRejectable(n);
      depth = Math.max(this.floor, i >= 0 ? this.fifo[i]!.depth : this.headDepth()) + 1;
      if (resend) {
        if (i >= 0) this.fifo[i]!.rejected = true;
        this.owedOks++;
        this.lastResendAsked = n;
        this.resendDepth = depth;
      }
    } else if (OK.test(line)) {
      const okN = OK_N.exec(line);
      if (okN) {
        // ADVANCED_OK names the line: answer it, and drop older writes that never got a reply.
        const n = Number(okN[1]);
        let i = this.fifoHead;
        while (i < this.fifo.length && (this.fifo[i]!.lineNo !== n || this.fifo[i]!.rejected)) i++;
        if (i < this.fifo.length) {
          depth = Math.max(this.floor, this.fifo[i]!.depth) + 1;
          this.fifoHead = i + 1;
        } else depth = Math.max(this.floor, this.headDepth()) + 1;
      } else if (this.owedOks > 0) {
        // The ok that belongs to a `Resend:`: part of that answer.
        this.owedOks--;
        depth = this.resendDepth;
      } else {
        this.skipRejected();
        depth = Math.max(this.floor, this.headDepth()) + 1;
        if (this.fifoHead < this.fifo.length) this.fifoHead++;
      }
    } else {
      depth = Math.max(this.floor, this.headDepth()) + 1;
    }
    this.skipRejected();
    if (this.fifoHead > 1024) {
      this.fifo = this.fifo.slice(this.fifoHead);
      this.fifoHead = 0;
    }
    this.rxDepth = depth;
    this.maxDepth = Math.max(this.maxDepth, depth);
    if (resend) this.onResend(Number(resend[1]), now, depth);
    else if (ERROR.test(line) && !ECHO_ERROR.test(line)) this.pendingFaults++;
  }

  endReceive(): void {
    this.rxDepth = undefined;
  }

  /** The host wrote a line (framed `N<n> …*cs`, or anything else). */
  write(line: string, now: number): void {
    let depth = this.rxDepth;
    if (depth !== undefined && this.episode) depth = Math.max(depth, this.episode.requestDepth);
    if (depth === undefined) {
      // Written from a timer: the host waited for something that was not a reply.
      this.batch++;
      depth = this.maxDepth + 1;
      this.maxDepth = depth;
      this.floor = depth;
    }
    if (line.charCodeAt(0) !== 78 /* N */) return;
    const n = Number.parseInt(line.slice(1), 10);
    if (!Number.isFinite(n)) return;
    this.fifo.push({ lineNo: n, depth, rejected: false });
    let e = this.episode;
    if (!e && n <= this.maxN) e = this.open(n, now); // a replay nobody asked for: the host saw the loss itself
    if (e) {
      if (n <= e.maxN) {
        if (n > e.line) e.replayed.add(n);
        if (this.batch !== e.countedBatch) {
          e.exchanges++;
          e.countedBatch = this.batch;
        }
      } else {
        const faults = Math.max(1, e.faults);
        this.episodes.push({
          ms: now - e.startedAt,
          roundTrips: depth - e.startDepth - e.replayed.size,
          exchanges: e.exchanges,
          collateral: e.replayed.size,
          faults,
          line: e.line,
        });
        this.episode = null;
      }
    }
    if (n > this.maxN) {
      this.maxN = n;
      this.first[n % RING] = { n, t: now, depth };
    }
  }

  /** Forget the episodes measured so far (the handshake); keep line numbers and depths. */
  resetEpisodes(): void {
    this.episodes.length = 0;
  }

  private onResend(n: number, now: number, depth: number): void {
    const faults = this.pendingFaults;
    this.pendingFaults = 0;
    if (this.episode) {
      this.episode.faults += faults;
      this.episode.requestDepth = Math.max(this.episode.requestDepth, depth);
      return;
    }
    if (n > this.maxN) return; // a line never sent: nothing to replay
    const e = this.open(n, now);
    e.faults = faults;
    e.requestDepth = depth;
  }

  private headDepth(): number {
    const head = this.fifo[this.fifoHead];
    return head ? head.depth : this.floor;
  }

  private skipRejected(): void {
    while (this.fifoHead < this.fifo.length && this.fifo[this.fifoHead]!.rejected) this.fifoHead++;
  }

  /** Index of the oldest unanswered, not rejected write of line `n` or later; -1 if none. */
  private findRejectable(n: number): number {
    for (let i = this.fifoHead; i < this.fifo.length; i++) {
      const w = this.fifo[i]!;
      if (!w.rejected && w.lineNo >= n) return i;
    }
    return -1;
  }

  private open(n: number, now: number): OpenEpisode {
    const f = this.first[n % RING];
    const known = f !== undefined && f.n === n;
    this.episode = {
      line: n,
      startedAt: known ? f.t : now,
      startDepth: known ? f.depth : (this.rxDepth ?? this.maxDepth) - 1,
      requestDepth: Number.NEGATIVE_INFINITY,
      maxN: this.maxN,
      exchanges: 0,
      countedBatch: Number.NaN,
      replayed: new Set(),
      faults: 0,
    };
    return this.episode;
  }
}
