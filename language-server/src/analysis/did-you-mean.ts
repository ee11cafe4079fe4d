/** Optimal string alignment distance (Damerau–Levenshtein with adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((d[(i - 1) * cols + j] ?? 0) + 1, (d[i * cols + j - 1] ?? 0) + 1, (d[(i - 1) * cols + j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (d[(i - 2) * cols + j - 2] ?? 0) + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1] ?? 0;
}

/**
 * The closest candidates to a misspelt name, best first. Case differences cost
 * nothing extra (`conv2d` → `Conv2D`); only plausible matches are returned.
 */
export function suggest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  // Nothing sensible is that long, and the distance is quadratic in it.
  if (name.length > 64) return [];
  const lower = name.toLowerCase();
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const candidateLower = candidate.toLowerCase();
    if (candidateLower === lower) {
      scored.push({ candidate, score: -1 });
      continue;
    }
    const allowed = Math.max(1, Math.floor(Math.max(lower.length, candidateLower.length) / 3));
    const prefixMatch = lower.length >= 4 && (candidateLower.startsWith(lower) || lower.startsWith(candidateLower));
    if (Math.abs(lower.length - candidateLower.length) > allowed && !prefixMatch) continue;
    const distance = editDistance(lower, candidateLower);
    if (distance <= allowed) scored.push({ candidate, score: distance });
    else if (prefixMatch) scored.push({ candidate, score: allowed + 0.5 });
  }
  scored.sort((x, y) => x.score - y.score || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, limit).map((s) => s.candidate);
}

export function didYouMean(name: string, candidates: Iterable<string>): string {
  const found = suggest(name, candidates);
  if (found.length === 0) return '';
  return `; did you mean ${found.map((f) => `\`${f}\``).join(' or ')}?`;
}
