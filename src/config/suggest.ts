// "Did you mean …?" for misspelt keys, enum values and template tokens. Old-plugin users write
// snake_case (`webhook_url`) and people mistype case (`progress` for `Progress`), so names are
// compared after dropping case, `_` and `-`, then by edit distance.

const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');

/** Levenshtein distance with adjacent transpositions counted as one edit. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** The candidate closest to `word`, or undefined when none is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = norm(word);
  if (w.length === 0 || w.length > 64) return undefined;
  const same = candidates.find((c) => norm(c) === w);
  if (same !== undefined) return same;
  const allowed = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const n = norm(c);
    // The length difference alone is a lower bound on the distance: skip the far ones cheaply.
    if (Math.abs(n.length - w.length) > allowed) continue;
    const d = editDistance(w, n);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return bestD <= allowed ? best : undefined;
}
