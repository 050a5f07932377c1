/** The trust-level palette of `anklume graph` (AnKLuMe's, colour-blind safe), for the page and tmux. */
import { TRUST_COLORS } from '@anklume/convert'
import type { TrustLevel } from '@anklume/schema'

export const TRUST_LEVELS: readonly TrustLevel[] = [
  'admin',
  'trusted',
  'semi-trusted',
  'untrusted',
  'disposable',
]

/** `#rrggbb` of a trust level (semi-trusted when unknown). */
export function trustColour(level: TrustLevel | undefined): string {
  return TRUST_COLORS[level ?? 'semi-trusted'] ?? TRUST_COLORS['semi-trusted']
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
export function textOn(hex: string): '#000000' | '#ffffff' {
  const n = Number.parseInt(hex.slice(1), 16)
  const lin = (c: number) => {
    const v = c / 255
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4
  }
  const l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255)
  return l > 0.179 ? '#000000' : '#ffffff'
}
