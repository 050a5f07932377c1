import { readFile } from 'node:fs/promises'
import { escapeControl } from '@anklume/errors'
import type { IncusClient } from '@anklume/incus-client'
import type { Command } from 'commander'
import { CliError } from '../errors.js'
import { MAX_TIMEOUT_SECONDS, timeoutMs, waitingLine } from '../waiting.js'

/** The program-wide options (cli.md "Global options"). */
export interface GlobalOptions {
  socket?: string
  remote?: string
  cert?: string
  key?: string
  serverCert?: string
  color?: boolean
  quiet?: boolean
  verbose?: boolean
  /** Seconds to wait for each Incus answer (`--timeout`). */
  timeout?: string
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions
}

/**
 * Colours: never with --no-color; else FORCE_COLOR decides when set (`0` or
 * `false` off, anything else on, even off a terminal); else none with
 * NO_COLOR; else only on a terminal.
 */
export function colorWanted(flag: boolean | undefined, stream: { isTTY?: boolean }): boolean {
  if (flag === false) return false
  const force = process.env.FORCE_COLOR
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false'
  if (process.env.NO_COLOR) return false
  return stream.isTTY === true
}

/** Colours for this stream (stdout by default), see colorWanted. */
export function useColor(g: GlobalOptions, stream: NodeJS.WriteStream = process.stdout): boolean {
  return colorWanted(g.color, stream)
}

/** `--timeout` in ms (undefined when not given); out of range is invalid input, checked before any command runs. */
export function checkTimeout(g: GlobalOptions): number | undefined {
  const ms = timeoutMs(g.timeout)
  if (Number.isNaN(ms)) {
    throw new CliError(
      'ANKLUME_USAGE',
      `--timeout must be a number of seconds, more than 0 and at most ${MAX_TIMEOUT_SECONDS}, got "${g.timeout}"`,
    )
  }
  return ms
}

/** A client for the local socket (or --socket), or an HTTPS remote with --remote/--cert/--key. */
export async function connect(g: GlobalOptions): Promise<IncusClient> {
  const { createClient } = await import('@anklume/incus-client')
  const requestTimeoutMs = checkTimeout(g)
  const common = {
    ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }),
    ...(g.quiet ? {} : { onWaiting: waitingLine() }),
  }
  if (!g.remote) return createClient({ socketPath: g.socket, ...common })
  if (!g.cert || !g.key) {
    throw new CliError(
      'ANKLUME_USAGE',
      '--remote needs --cert and --key (the client certificate the server trusts)',
    )
  }
  const [cert, key, serverCert] = await Promise.all([
    readFile(g.cert),
    readFile(g.key),
    g.serverCert ? readFile(g.serverCert) : undefined,
  ])
  return createClient({
    remote: { url: g.remote, cert, key, ...(serverCert ? { serverCert } : {}) },
    ...common,
  })
}

/**
 * The apply lock of this client's Incus, taken once the daemon answered (a
 * dead socket fails with its own error, not with a lock error). One lock per
 * Incus target (one per cluster: engine lockTarget); `ANKLUME_LOCK_PATH` names it explicitly (tests).
 */
export async function lockIncus(client: IncusClient): Promise<{ release(): Promise<void> }> {
  const { lockTarget } = await import('@anklume/engine')
  const target = await lockTarget(client)
  const { acquireLock } = await import('@anklume/host')
  return acquireLock({ target, path: process.env.ANKLUME_LOCK_PATH })
}

/**
 * Starts connecting now: the client's first request (`GET /1.0`, which it
 * caches) goes out while the caller loads the engine and the infra file, so
 * Incus answers in the time Node spends compiling modules. `take()` gives the
 * client (the caller closes it); `drop()` destroys it when the caller gave up
 * before taking it (a bad file is reported at once, even while a hung daemon
 * has not answered). A failure is met again by `take()` or the first call.
 */
export function connectEarly(g: GlobalOptions): { take(): Promise<IncusClient>; drop(): Promise<void> } {
  const pending = connect(g).then((client) => {
    client.server().catch(() => undefined)
    return client
  })
  pending.catch(() => undefined)
  let taken = false
  return {
    take: () => {
      taken = true
      return pending
    },
    drop: async () => {
      if (!taken) await pending.then((c) => c.destroy()).catch(() => undefined)
    },
  }
}

/** Runs `fn` with a connected client, closed afterwards whatever happens. */
export async function withClient<T>(g: GlobalOptions, fn: (client: IncusClient) => Promise<T>): Promise<T> {
  const client = await connect(g)
  try {
    return await fn(client)
  } finally {
    await client.close()
  }
}

export const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`)
}
export const err = (s: string): void => {
  process.stderr.write(s.endsWith('\n') ? s : `${s}\n`)
}
/** The command's `--json` result (written in the envelope by main, see json-output.ts). */
export { printJson } from '../json-output.js'

/**
 * Rows as aligned columns (two spaces apart, no trailing blanks); the first
 * row is the header. Cells hold names, descriptions and messages from Incus:
 * control characters are escaped (a cell cannot add a line or a terminal escape).
 */
export function formatTable(raw: readonly (readonly string[])[]): string[] {
  const rows = raw.map((row) => row.map(escapeControl))
  const widths = (rows[0] ?? []).map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)))
  return rows.map((row) =>
    row
      .map((v, c) => v.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  )
}

export const printTable = (rows: readonly (readonly string[])[]): void => {
  for (const line of formatTable(rows)) out(line)
}

/**
 * An RFC 3339 time (Incus's, with nanoseconds and any offset) as
 * `YYYY-MM-DD HH:MM:SS` in UTC, for tables; JSON keeps Incus's ISO text.
 * Anything unreadable is shown as it came.
 */
export function tableTime(iso: string | undefined): string {
  if (!iso) return '-'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  return new Date(t).toISOString().slice(0, 19).replace('T', ' ')
}
