/** "Did you mean" suggestions for unknown keys, names and enum values. */
import { distance } from 'fastest-levenshtein'

/** Levenshtein edit distance (insertions, deletions, substitutions). */
export const levenshtein = (a: string, b: string): number => distance(a, b)

/**
 * The closest candidate, or undefined when nothing is close enough: at most
 * 2 edits (1 for very short words) or 40% of the word, or one word being a
 * prefix of the other (`trust` -> `trust_level`).
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase()
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const lc = c.toLowerCase()
    const d = levenshtein(w, lc)
    const limit = Math.max(w.length <= 3 ? 1 : 2, Math.floor(Math.max(w.length, lc.length) * 0.4))
    const prefix = w.length >= 3 && (lc.startsWith(w) || w.startsWith(lc))
    const score = d <= limit ? d : prefix ? limit + 0.5 : Number.POSITIVE_INFINITY
    if (score < bestScore) {
      best = c
      bestScore = score
    }
  }
  return best
}

/** `did you mean "x"?` or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates)
  return c === undefined ? undefined : `did you mean "${c}"?`
}

/** `a, b, c` (at most `max` names, then `… (N more)`). */
export function listNames(names: readonly string[], max = 12): string {
  const shown = names.slice(0, max).join(', ')
  return names.length > max ? `${shown}, … (${names.length - max} more)` : shown
}
