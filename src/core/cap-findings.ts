import type { Finding } from './types';

/**
 * Findings of one rule in one file beyond which they are told as one. The real logs give at most 6
 * (a ReduceLROnPlateau run's LR drops); an LR that alternates every two rows gave 50 000, and each
 * one-line append republished 33 MB of diagnostics.
 */
export const MAX_FINDINGS_PER_RULE_AND_FILE = 20;

/**
 * Findings in their order, where a rule that found more than the cap in one file keeps only its first
 * finding there, whose message says how many more there were.
 */
export function capFindings(findings: readonly Finding[], cap = MAX_FINDINGS_PER_RULE_AND_FILE): Finding[] {
  const counts = new Map<string, number>();
  const keyOf = (f: Finding): string => `${f.file}\n${f.rule}`;
  for (const f of findings) counts.set(keyOf(f), (counts.get(keyOf(f)) ?? 0) + 1);
  const out: Finding[] = [];
  const told = new Set<string>();
  for (const f of findings) {
    const key = keyOf(f);
    const n = counts.get(key) ?? 0;
    if (n <= cap) out.push(f);
    else if (!told.has(key)) {
      told.add(key);
      out.push({ ...f, message: `${f.message} (${n - 1} more like it in this file, not listed)` });
    }
  }
  return out;
}
