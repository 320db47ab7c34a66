// Per target and print: the refs of the print's first message (thread parent) and of its progress
// card (edited in place). Persisted in the target's journal so a restart keeps threading; entries
// unused for a week are forgotten at compaction (a print may run for days, and messages like
// "print done" still need the thread at its end).
import type { MessageRef } from '../notification.js';

export type RefRole = 'parent' | 'card';

export interface RefRecord {
  t: 'ref';
  printId: string;
  role: RefRole;
  refs: MessageRef[];
  /** Wall-clock ms of the last use. */
  at: number;
}

export const REF_MAX_AGE_MS = 7 * 24 * 3600_000;

export class ThreadRefs {
  private readonly byPrint = new Map<string, Partial<Record<RefRole, RefRecord>>>();

  set(printId: string, role: RefRole, refs: MessageRef[], at: number): RefRecord {
    const rec: RefRecord = { t: 'ref', printId, role, refs, at };
    const entry = this.byPrint.get(printId) ?? {};
    entry[role] = rec;
    this.byPrint.set(printId, entry);
    return rec;
  }

  get(printId: string, role: RefRole): MessageRef[] | undefined {
    return this.byPrint.get(printId)?.[role]?.refs;
  }

  /** Mark a print's refs as used now (in memory; written at the next compaction). */
  touch(printId: string, at: number): void {
    const e = this.byPrint.get(printId);
    if (e?.parent) e.parent.at = at;
    if (e?.card) e.card.at = at;
  }

  /** Every live record, dropping the ones unused for longer than `maxAgeMs`. */
  records(wallNow: number, maxAgeMs = REF_MAX_AGE_MS): RefRecord[] {
    const out: RefRecord[] = [];
    for (const [printId, e] of this.byPrint) {
      const live = [e.parent, e.card].filter((r): r is RefRecord => r !== undefined && wallNow - r.at <= maxAgeMs);
      if (live.length === 0) this.byPrint.delete(printId);
      out.push(...live);
    }
    return out;
  }
}
