/** zod building blocks of the raw infra file format (what users write). */
import { z } from 'zod'
import { cronError } from './cron.js'
import { durationError, NAME_RE, PCI_RE, percentError, SIZE_RE } from './formats.js'
import { BASE_SUBNET_RE, IPV4_RE, isPrivateBaseSubnet } from './ipv4.js'

type Ctx = z.core.$RefinementCtx<string>

/** A custom issue with a stable code and an optional hint (read back in zod-issues.ts). */
export function fail(ctx: Ctx, code: string, message: string, hint?: string): void {
  ctx.addIssue({ code: 'custom', message, params: { code, hint } })
}

/** A string checked by `check` (returns an error message or undefined). */
export function checkedString(code: string, check: (v: string) => string | undefined, hint?: string) {
  return z.string().superRefine((v, ctx) => {
    const err = check(v)
    if (err) fail(ctx, code, err, hint)
  })
}

/** A value YAML may write as a boolean or number but Incus wants as a string. */
export const Scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string (numbers and booleans are converted to strings)',
})

/** `key: scalar` map (Incus config). */
export const ConfigMap = z.record(z.string(), Scalar)

/** An Incus device: `type` plus string-ish options. */
export const Device = z.object({ type: z.string().min(1) }).catchall(Scalar)
export const DeviceMap = z.record(z.string(), Device)

/** Collections may be written empty (`machines:` with nothing after it). */
export function nullable<T extends z.ZodType>(schema: T) {
  return schema.nullable().optional()
}

export const Name = z.string().meta({ pattern: NAME_RE.source })

/** Where a domain or machine runs on an Incus cluster: a member name, or `@group` (a cluster group). */
export const PLACEMENT_RE = /^@?[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/
export const Placement = checkedString('INVALID_PLACEMENT', (v) =>
  PLACEMENT_RE.test(v)
    ? undefined
    : `"${v}" is not a cluster member name (e.g. node2) or a cluster group written @group (e.g. @gpu)`,
).meta({ pattern: PLACEMENT_RE.source })

export const Ipv4 = checkedString('INVALID_IP', (v) =>
  IPV4_RE.test(v) ? undefined : `"${v}" is not an IPv4 address like 10.100.1.10`,
).meta({ pattern: IPV4_RE.source })

export const BaseSubnet = z
  .string({
    error: (iss) =>
      typeof iss.input === 'number'
        ? 'must be a quoted string like "10.100" (unquoted, YAML reads it as a number)'
        : undefined,
  })
  .superRefine((v, ctx) => {
    if (!BASE_SUBNET_RE.test(v))
      fail(ctx, 'INVALID_BASE_SUBNET', `"${v}" is not of the form "A.B" (e.g. "10.100")`)
    else if (!isPrivateBaseSubnet(v))
      fail(
        ctx,
        'BASE_SUBNET_NOT_PRIVATE',
        `${v}.0.0/16 is not a private range`,
        'use 10.x, 172.16–172.31.x or 192.168 (RFC 1918)',
      )
  })
  .meta({ pattern: BASE_SUBNET_RE.source })

export const Cron = checkedString(
  'INVALID_CRON',
  (v) => cronError(v),
  'e.g. "0 3 * * *" (every day at 03:00)',
)

export const Duration = checkedString('INVALID_DURATION', durationError).meta({
  pattern: '^\\d+(m|h|d|w|y|M|H)( \\d+(m|h|d|w|y|M|H))*$',
})

export const Size = checkedString('INVALID_SIZE', (v) =>
  SIZE_RE.test(v) ? undefined : `"${v}" is not a size like 512MiB, 2GiB or 10GB`,
)

/** `"N%"` (1–99), an absolute number, or (memory) a size. */
export function Reserve(kind: 'cpu' | 'memory') {
  return z.union(
    [
      z.number().positive(),
      checkedString('INVALID_RESERVE', (v) => {
        if (v.endsWith('%'))
          return /^\d+%$/.test(v) ? percentError(v) : `"${v}" is not a percentage like "20%"`
        if (kind === 'cpu')
          return /^\d+(\.\d+)?$/.test(v) && Number(v) > 0 ? undefined : `"${v}" is not "N%" or a CPU count`
        return SIZE_RE.test(v) ? undefined : `"${v}" is not "N%" or a memory size like "4GiB"`
      }),
    ],
    { error: `must be "N%" (1–99) or an absolute ${kind === 'cpu' ? 'CPU count' : 'memory size'}` },
  )
}

export const Pci = checkedString('INVALID_PCI', (v) =>
  PCI_RE.test(v) ? undefined : `"${v}" is not a PCI address like 0000:01:00.0`,
)

export const AbsPath = checkedString('INVALID_PATH', (v) =>
  v.startsWith('/') ? undefined : `"${v}" is not an absolute path`,
)

export const TrustLevel = z.enum(['admin', 'trusted', 'semi-trusted', 'untrusted', 'disposable'])
